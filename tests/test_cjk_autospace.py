"""LibreOffice's space between Asian and other text ("第 12 周"): measured, so mixed text is never drawn wider."""

from __future__ import annotations

import itertools
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from deckpdf import SOFFICE, converted_once, read_pdf
from planforge.loading import load_plan
from planforge.render import RenderOptions, renderer
from planforge.render.deck import linebreak, measure
from planforge.render.deck.fontmetrics import text_width
from planforge.render.deck.linesetting import wrap

MIXED = ["第12周ABC测试", "第 12 周", "中文(abc)中文", "日本語テキストとLatin混在", "12周", "测试测试", "Plain Latin"]
SIZES = [9, 20, 40]
CHINESE = Path(__file__).parent / "plans" / "zh-retail-90-day.yaml"


@pytest.mark.parametrize(("text", "changes"), [
    ("第12周ABC测试", 4), ("第 12 周", 2), ("中文(abc)中文", 2), ("测试测试", 0), ("Plain Latin", 0), ("한국어 text", 1),
    ("进度：50%", 1), ("🚀 发布", 1),
])
def test_script_changes_counts_each_change_between_asian_and_other_text(text, changes):
    assert linebreak.script_changes(text) == changes


def test_each_change_of_script_is_measured_a_quarter_em_wider():
    assert text_width("第12周", 20) == pytest.approx(text_width("第", 20) * 2 + text_width("12", 20) + 2 * 5)
    assert text_width("测试测试", 20) == pytest.approx(4 * text_width("测", 20))
    assert text_width("Plain Latin", 20) == pytest.approx(text_width("Plain", 20) + text_width(" Latin", 20))


@pytest.mark.parametrize("width", [60, 90, 130, 200])
def test_lines_set_from_mixed_text_fit_as_a_whole(width):
    """Line setting adds the space where a unit meets the line so far: each line, measured whole, fits."""
    text = "第12周ABC测试，" * 6 + "第 3 周 Launch 发布 2026 年计划"
    lines = wrap(text, 20, width)
    assert len(lines) > 1
    for line in lines:
        assert text_width(line, 20) <= width * measure.WIDTH_SAFETY + 1e-6, line


def _test_deck(path: Path) -> None:
    """One text box per string and size, unwrapped, no insets, runs naming the measured CJK font (as decks do)."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(12192000), Emu(6858000)
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    for index, (text, size) in enumerate(itertools.product(MIXED, SIZES)):
        box = slide.shapes.add_textbox(Pt(20), Pt(10 + index * 24), Pt(900), Pt(22 if size < 40 else 46))
        frame = box.text_frame
        frame.word_wrap = False
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
        run = frame.paragraphs[0].add_run()
        run.text, run.font.size, run.font.name = text, Pt(size), "Arial"
        etree.SubElement(run._r.get_or_add_rPr(), qn("a:ea")).set("typeface", linebreak.east_asian_font_name())
    deck.save(path)


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory) -> Path:
    def convert(folder: Path) -> None:
        _test_deck(folder / "mixed.pptx")
        (folder / "zh.pptx").write_bytes(renderer("pptx").render(load_plan(CHINESE).document, RenderOptions()))
        subprocess.run([SOFFICE, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--convert-to",
                        "pdf", "--outdir", str(folder), str(folder / "mixed.pptx"), str(folder / "zh.pptx")],
                       check=True, capture_output=True, timeout=240)

    return converted_once(tmp_path_factory, "planforge-cjk-autospace", convert)


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="needs LibreOffice")
def test_measured_width_of_mixed_text_covers_what_libreoffice_draws(pdfs):
    with pdfplumber.open(pdfs / "mixed.pdf") as pdf:
        chars = pdf.pages[0].chars
    lines: dict[int, list[dict]] = {}
    for char in chars:
        lines.setdefault(round(char["top"] / 4), []).append(char)
    drawn = {}
    for row in lines.values():
        row.sort(key=lambda c: c["x0"])
        drawn[("".join(c["text"] for c in row), round(row[0]["size"]))] = row[-1]["x1"] - row[0]["x0"]
    assert len(drawn) == len(MIXED) * len(SIZES)
    for (text, size), width in drawn.items():
        text = next(t for t in MIXED if t.replace(" ", "") == text.replace(" ", ""))
        measured = text_width(text, size)
        # Line setting keeps WIDTH_SAFETY for what LibreOffice sets wider than advance widths in any text.
        assert measured >= width * measure.WIDTH_SAFETY, (text, size, measured, width)
        # ...and the space is not grossly over-measured (0.25 em against the 0.23-0.25 em drawn).
        assert measured <= width + 0.03 * size * linebreak.script_changes(text) + 0.01 * width, (text, size)


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="needs LibreOffice")
def test_chinese_roadmap_week_labels_do_not_touch(pdfs):
    roadmap = next(page for page in read_pdf(pdfs / "zh.pdf") if any(w.text == "周区间" for w in page.words))
    rows: dict[float, list] = {}
    for word in roadmap.words:
        rows.setdefault(round(word.top, 1), []).append(word)
    # The week scale: the line of most 第 (each label is 第, its number and 周, drawn apart by LibreOffice's spacing).
    scale = sorted(max(rows.values(), key=lambda row: sum(w.text == "第" for w in row)), key=lambda w: w.x0)
    texts = "".join(w.text for w in scale)
    assert texts.startswith("第1周第2周") and texts.count("周") >= 12, texts
    # A label is 第, its number and 周; between one label's 周 and the next 第 a clear gap.
    gaps = [b.x0 - a.x1 for a, b in zip(scale, scale[1:]) if a.text == "周" and b.text == "第"]
    assert gaps and min(gaps) >= 0.5 * scale[0].size, gaps
