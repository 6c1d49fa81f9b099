"""Company templates end to end: decks on real and hostile masters, read back from LibreOffice's PDF and pixels.

Every page is checked as a person would look at it: no word overlaps another, none runs off the slide or over a
master's or layout's picture or shape, every word reaches WCAG AA contrast against the pixels around it, and every
slide has its action title in a title placeholder. The real templates (../shared/templates-real, or
PLANFORGE_REAL_TEMPLATES) are each rendered with one of the example plans, the generated hostile masters with one
of the dense plans; all decks are converted in one LibreOffice run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
from company_template import HOSTILE, hostile_template
from PIL import Image
from pptx import Presentation

from planforge.loading import load_plan
from planforge.render import RenderOptions
from planforge.render.deck import graphics, layout, render
from planforge.render.deck.colours import contrast_ratio
from planforge.render.deck.keepout import overlaps
from planforge.render.deck.theme import Box

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
REAL = Path(os.environ.get("PLANFORGE_REAL_TEMPLATES", ROOT.parent / "shared" / "templates-real"))
PLANS = [ROOT / "plans" / "30-60-90-day-plan.yaml", ROOT / "plans" / "lrp-brainstorming.yaml"]
DENSE = sorted((ROOT / "tests" / "fixtures" / "dense").glob("*.yaml"))
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
DPI = 36
"""Page pixels per inch for the contrast check (½ px per point: backgrounds, not glyphs, are what is sampled)."""
SAMPLE = 12
"""Slides kept of each hostile master's deck (cover, summary, tables, phases, roadmap, dividers …), for time."""


@dataclass
class Case:
    name: str
    template: Path
    plan: Path
    pptx: Path | None = None


def _real_templates() -> list[Path]:
    return sorted(REAL.glob("*.pptx")) if REAL.is_dir() else []


@pytest.fixture(scope="session")
def decks(tmp_path_factory):
    """(case, presentation, pdf pages, page images) for every sampled template × plan, converted in one run."""
    if SOFFICE is None or shutil.which("pdftoppm") is None:
        pytest.skip("LibreOffice and poppler are needed")
    folder = tmp_path_factory.mktemp("company-decks")
    cases = [Case(f"real-{t.stem}", t, PLANS[i % 2]) for i, t in enumerate(_real_templates())]
    cases += [Case(f"hostile-{name}", hostile_template(folder / f"{name}.pptx", name), DENSE[i % len(DENSE)])
              for i, name in enumerate(HOSTILE)]
    for case in cases:
        case.pptx = folder / f"{case.name}.pptx"
        with _quiet():
            case.pptx.write_bytes(render(load_plan(case.plan).document, RenderOptions(deck_template=case.template)))
        if case.name.startswith("hostile-"):
            _keep_first(case.pptx, SAMPLE)
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), *(str(c.pptx) for c in cases)], check=True, capture_output=True,
                   timeout=300)
    shutil.rmtree(profile, ignore_errors=True)
    result = {}
    with ProcessPoolExecutor(2) as pool:
        read = pool.map(_read_back, [folder / f"{case.name}.pdf" for case in cases])
        for case, (pages, images) in zip(cases, read):
            result[case.name] = (case, Presentation(str(case.pptx)), pages, images)
    return result


def _keep_first(pptx: Path, count: int) -> None:
    presentation = Presentation(str(pptx))
    slide_ids = presentation.slides._sldIdLst
    for slide_id in list(slide_ids)[count:]:
        presentation.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)
    presentation.save(str(pptx))


def _read_back(pdf: Path):
    """A PDF's words (pdfplumber) and page pictures (pdftoppm)."""
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), str(pdf), str(pdf.with_suffix(""))], check=True)
    images = sorted(pdf.parent.glob(f"{pdf.stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return _pages(pdf), images


class _quiet:
    """Template warnings (missing fonts, fallbacks) are expected here; they are tested elsewhere."""

    def __enter__(self):
        import warnings

        self._catch = warnings.catch_warnings()
        self._catch.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc):
        self._catch.__exit__(*exc)


@dataclass(frozen=True)
class Word:
    text: str
    box: Box
    size: float
    colour: str | None
    bold: bool = False


def _pages(pdf: Path) -> list[tuple[float, float, list[Word]]]:
    pages = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            words = page.extract_words(extra_attrs=["size", "non_stroking_color", "fontname"], keep_blank_chars=False,
                                       use_text_flow=True, x_tolerance=1.5)
            pages.append((float(page.width), float(page.height), [
                Word(w["text"], Box(w["x0"], w["top"], w["x1"] - w["x0"], w["bottom"] - w["top"]), w["size"],
                     _hex(w.get("non_stroking_color")), "bold" in w.get("fontname", "").lower())
                for w in words if w["text"].strip()]))
    return pages


def _hex(colour) -> str | None:
    if colour is None:
        return "000000"
    values = list(colour) if isinstance(colour, (list, tuple)) else [colour]
    if len(values) == 1:
        values = values * 3
    elif len(values) == 4:  # CMYK
        c, m, y, k = values
        values = [(1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)]
    elif len(values) != 3:
        return None
    return "".join(f"{max(0, min(255, round(v * 255))):02X}" for v in values)


def _cases():
    names = [f"real-{t.stem}" for t in _real_templates()] + [f"hostile-{name}" for name in HOSTILE]
    return names


def _template_parts(slide, width: float, height: float):
    """Boxes of the master's and layout's graphics on this slide, each with the words of its own text."""
    found = []
    for shape, box in graphics.iter_graphics(_tree(slide.slide_layout.slide_master)) if \
            slide.slide_layout._element.get("showMasterSp", "1") not in ("0", "false") else []:
        found.append((box, set(" ".join(shape.itertext()).split())))
    for shape, box in graphics.iter_graphics(_tree(slide.slide_layout)):
        found.append((box, set(" ".join(shape.itertext()).split())))
    return [(box, words) for box, words in found if box.w * box.h < 0.6 * width * height]


def _tree(owner):
    from pptx.oxml.ns import qn

    return owner._element.find(f"{qn('p:cSld')}/{qn('p:spTree')}")


def _placeholder_boxes(slide) -> list[Box]:
    return [Box(s.left / 12700, s.top / 12700, s.width / 12700, s.height / 12700)
            for s in slide.placeholders if s.width is not None]


def _slide_tokens(slide) -> set[str]:
    """Every word of text the slide itself holds (what planforge wrote), for telling it from the template's text."""
    from pptx.oxml.ns import qn

    tokens = set()
    for text in slide._element.iter(qn("a:t")):
        tokens.update((text.text or "").split())
    return tokens


def _ours(word: Word, tokens: set[str]) -> bool:
    return word.text in tokens or any(word.text in token for token in tokens if len(word.text) > 2)


def _split_words(slide, words: list[Word], parts) -> tuple[list[Word], list[Word]]:
    """(planforge's words, the template's own): the template's text (a master's "Confidential" box, its logo
    glyphs) is its business, unless planforge runs into it."""
    tokens = _slide_tokens(slide)
    theirs = [word for word in words if not _ours(word, tokens) or any(
        word.text in own and overlaps(_shrunk(word.box), part) for part, own in parts)]
    return [word for word in words if word not in theirs], theirs


def _shrunk(box: Box) -> Box:
    """A word's box without the side bearings and the ascent/descent lines share with their neighbours."""
    return Box(box.x + 0.6, box.y + box.h * 0.22, max(box.w - 1.2, 0.1), max(box.h * 0.56, 0.1))


@pytest.mark.parametrize("name", _cases())
def test_every_word_is_on_the_slide_clear_of_other_words_and_the_masters_graphics(decks, name):
    if name not in decks:
        pytest.skip("template not available")
    case, presentation, pages, _images = decks[name]
    width, height = presentation.slide_width / 12700, presentation.slide_height / 12700
    assert len(pages) == len(presentation.slides)
    problems = []
    for number, ((page_w, page_h, all_words), slide) in enumerate(zip(pages, presentation.slides), start=1):
        parts = _template_parts(slide, width, height)
        words, theirs = _split_words(slide, all_words, parts)
        for word in words:
            box = word.box
            if box.x < -0.5 or box.y < -0.5 or box.right > page_w + 0.5 or box.bottom > page_h + 0.5:
                problems.append(f"slide {number}: {word.text!r} is off the slide at {box}")
        ordered = sorted([(w, True) for w in words] + [(w, False) for w in theirs], key=lambda pair: pair[0].box.y)
        for index, (word, mine) in enumerate(ordered):
            for other, other_mine in ordered[index + 1:]:
                if other.box.y > word.box.bottom:
                    break
                if (mine or other_mine) and overlaps(_shrunk(word.box), _shrunk(other.box)):
                    problems.append(f"slide {number}: {word.text!r} overlaps {other.text!r}")
        placeholders = _placeholder_boxes(slide)
        for word in words:
            inner = _shrunk(word.box)
            for part, own_words in parts:
                if not overlaps(inner, part) or word.text in own_words:
                    continue  # the template's own text in its own box
                # A graphic a template placeholder sits on entirely (a title band) is that text's background.
                if any(overlaps(inner, ph) and part.x <= ph.x + 1 and part.y <= ph.y + 1 and part.right >= ph.right - 1
                       and part.bottom >= ph.bottom - 1 for ph in placeholders):
                    continue
                problems.append(f"slide {number}: {word.text!r} at ({box_text(word.box)}) is over a template "
                                f"graphic at ({box_text(part)})")
                break
    assert not problems, f"{case.template.name} × {case.plan.name}:\n" + "\n".join(problems[:30])


def box_text(box: Box) -> str:
    return f"{box.x:.0f}, {box.y:.0f}, {box.w:.0f} × {box.h:.0f}"


@pytest.mark.parametrize("name", _cases())
def test_every_word_meets_aa_contrast_against_the_pixels_around_it(decks, name):
    if name not in decks:
        pytest.skip("template not available")
    case, presentation, pages, images = decks[name]
    height = presentation.slide_height / 12700
    problems = []
    for number, ((page_w, page_h, words), image_path, slide) in enumerate(zip(pages, images, presentation.slides),
                                                                         start=1):
        image = Image.open(image_path).convert("RGB")
        scale = image.width / page_w
        ours, _theirs = _split_words(slide, words, _template_parts(slide, page_w, page_h))
        for word in ours:
            if word.colour is None or len(word.text) < 2:
                continue
            background = _background(image, word.box, scale, word.colour)
            if background is None:
                continue
            # WCAG large text: 18 pt, or 14 pt bold, on a 540 pt high slide.
            large = word.size >= 18 * height / 540 or (word.bold and word.size >= 14 * height / 540)
            needed = 3.0 if large else 4.5
            ratio = contrast_ratio(word.colour, background)
            if ratio < needed - 0.05:
                problems.append(f"slide {number}: {word.text!r} {word.colour} on {background}: {ratio:.2f}:1 "
                                f"(needs {needed:g}:1 at {word.size:.0f} pt)")
    assert not problems, f"{case.template.name} × {case.plan.name}:\n" + "\n".join(problems[:30])


def _background(image: Image.Image, box: Box, scale: float, text: str) -> str | None:
    """The colour around a word that is hardest to read it on.

    Candidates are the colours that cover a good share of the word's box and also of a thin ring just outside it:
    the background, or each part of a busy picture. Glyphs and their anti-aliased edges (blends of text and
    background at this resolution) fill the box but not the ring, so they do not count.
    """
    x0, y0 = max(0, int(box.x * scale)), max(0, int(box.y * scale))
    x1, y1 = min(image.width, int(box.right * scale) + 1), min(image.height, int(box.bottom * scale) + 1)
    if x1 <= x0 or y1 <= y0:
        return None
    inside = _shares(image, (x0, y0, x1, y1))
    grown = (max(0, x0 - 3), max(0, y0 - 2), min(image.width, x1 + 3), min(image.height, y1 + 2))
    ring = _shares(image, grown, hole=(x0, y0, x1, y1))
    ink = tuple(int(text[i:i + 2], 16) for i in (0, 2, 4))
    common = [colour for colour, share in inside.items() if share >= 0.12 and ring.get(colour, 0) >= 0.12
              and sum((a - b) ** 2 for a, b in zip(colour, ink)) > 40 ** 2]
    if not common:
        common = [max(ring or inside, key=(ring or inside).get)]
    candidates = ["%02X%02X%02X" % tuple(min(255, c) for c in colour) for colour in common]
    return min(candidates, key=lambda colour: contrast_ratio(text, colour))


def _shares(image: Image.Image, area, hole=None) -> dict[tuple, float]:
    """Share of each colour (near-equal colours counted together) in an area of the image, outside `hole`."""
    counts: dict[tuple, int] = {}
    total = 0
    x0, y0, x1, y1 = area
    pixels = image.load()
    for y in range(y0, y1):
        for x in range(x0, x1):
            if hole and hole[0] <= x < hole[2] and hole[1] <= y < hole[3]:
                continue
            key = tuple(channel // 12 * 12 + 6 for channel in pixels[x, y][:3])
            counts[key] = counts.get(key, 0) + 1
            total += 1
    return {colour: count / total for colour, count in counts.items()} if total else {}


@pytest.mark.parametrize("name", _cases())
def test_every_slide_has_its_action_title_in_a_title_placeholder(decks, name):
    if name not in decks:
        pytest.skip("template not available")
    case, presentation, _pages, _images = decks[name]
    with _quiet():
        expected = [page.title for page in layout(load_plan(case.plan).document, RenderOptions(deck_template=case.template))]
    expected = expected[:len(presentation.slides)] if case.name.startswith("hostile-") else expected
    assert len(expected) == len(presentation.slides)
    for number, (slide, title) in enumerate(zip(presentation.slides, expected), start=1):
        shape = slide.shapes.title
        assert shape is not None and shape.is_placeholder, f"slide {number} has no title placeholder"
        shown = shape.text_frame.text.replace("\n", " ")
        assert shown == title or (shown.endswith(" …") and title.startswith(shown[:-2])), \
            f"slide {number}: title placeholder says {shown!r}, not {title!r}"
