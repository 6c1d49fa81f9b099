"""`--format pdf`: the deck as a tagged PDF through LibreOffice, part of the manifest, never a default format unless
the project asks, and a one-line message with exit 2 (nothing written) when LibreOffice is missing.

The PDFs are inspected as a reader and an assistive technology see them: the structure tree (titles as headings,
tables with header cells, figures with /Alt, the rest artifacts), /Lang, the title; and the pages as drawn, for
WCAG AA contrast of every word against the pixels around it.
"""

from __future__ import annotations

import collections
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation

from deck_corpus import PLANS, deck, with_notes
from deckpdf import SOFFICE
from planforge.loading import load_plan
from planforge.render import RenderOptions, default_formats
from planforge.render.deck.colours import contrast_ratio, required_contrast

ROOT = Path(__file__).resolve().parent.parent
LIBREOFFICE = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")


def planforge(*args, cwd, path: str | None = None):
    env = {**os.environ, "PATH": path if path is not None else os.environ.get("PATH", "")}
    return subprocess.run([sys.executable, "-m", "planforge", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env)


# --- without LibreOffice, and the project's formats (fast) -----------------------------------------------------


def test_pdf_is_not_a_default_format():
    assert "pdf" not in default_formats(ROOT)
    assert default_formats(ROOT) == ["md", "html", "pptx"]


@pytest.mark.parametrize("command", [["build", "plans", "-f", "pdf", "--out", "site"],
                                     ["build", "plans", "-f", "md,pdf", "--out", "site"],
                                     ["render", "plans/lrp-brainstorming.yaml", "-f", "pdf", "-o", "site/x.pdf"]])
def test_without_libreoffice_one_line_says_how_to_install_it_exit_2_nothing_written(tmp_path, command):
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "lrp-brainstorming.yaml").write_bytes(PLANS["lrp-brainstorming"].read_bytes())
    run = planforge(*command, cwd=tmp_path, path=str(tmp_path / "no-programs-here"))
    assert run.returncode == 2, run.stderr
    lines = [line for line in (run.stdout + run.stderr).splitlines() if line.strip()]
    assert len(lines) == 1 and "LibreOffice" in lines[0] and "install" in lines[0], lines
    assert not (tmp_path / "site").exists()
    assert "Traceback" not in run.stderr


def test_the_project_config_chooses_the_default_formats(tmp_path):
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "lrp-brainstorming.yaml").write_bytes(PLANS["lrp-brainstorming"].read_bytes())
    (tmp_path / "planforge.toml").write_text('formats = ["md", "html"]\n')
    run = planforge("build", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in (tmp_path / "decks").iterdir()) == [
        ".planforge-manifest.json", "lrp-brainstorming.html", "lrp-brainstorming.md"]
    assert "up to date" in planforge("build", cwd=tmp_path).stdout  # the launcher's no-op check agrees
    (tmp_path / "planforge.toml").write_text('formats = ["md", "pdf"]\n')
    run = planforge("build", cwd=tmp_path, path=str(tmp_path / "none"))
    assert run.returncode == 2 and "LibreOffice" in run.stderr
    (tmp_path / "planforge.toml").write_text('formats = ["md", "docx"]\n')
    run = planforge("build", cwd=tmp_path)
    assert run.returncode == 1 and "planforge.toml" in run.stderr and "'docx'" in run.stderr
    assert "Traceback" not in run.stderr


def test_handout_is_for_pdfs_only(tmp_path):
    run = planforge("render", PLANS["lrp-brainstorming"], "-f", "pptx", "--handout", "-o", tmp_path / "x.pptx",
                    cwd=tmp_path)
    assert run.returncode == 2 and "--handout" in run.stderr


# --- the PDFs (LibreOffice) -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    """Both plans as PDFs, a handout with speaker notes, and the strategy rendered a second time."""
    from planforge.render import pdf

    documents = {name: load_plan(path).document for name, path in PLANS.items()}
    made = {name: pdf.render(document) for name, document in documents.items()}
    made["handout"] = pdf.render(with_notes(PLANS["30-60-90-day-plan"]), RenderOptions(handout=True))
    made["again"] = pdf.render(documents["lrp-brainstorming"])
    return made


def structure(data: bytes):
    """The PDF's catalogue and its structure elements, (tag, element) in tree order."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject

    reader = PdfReader(io.BytesIO(data))
    catalog = reader.trailer["/Root"]
    found = []

    def walk(node):
        node = node.get_object()
        if not isinstance(node, DictionaryObject) or "/S" not in node:
            return
        found.append((str(node["/S"]), node))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, ArrayObject) else [kids] if kids is not None else []:
            walk(kid)

    root = catalog["/StructTreeRoot"]
    for kid in root["/K"] if isinstance(root["/K"], ArrayObject) else [root["/K"]]:
        walk(kid)
    return reader, catalog, found


@pytest.mark.slow
@LIBREOFFICE
@pytest.mark.parametrize("name", list(PLANS))
def test_the_pdf_is_tagged_with_headings_tables_language_title_and_figures_alt(pdfs, name):
    reader, catalog, elements = structure(pdfs[name])
    slides = Presentation(io.BytesIO(deck(name))).slides
    assert len(reader.pages) == len(slides)
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert str(catalog["/Lang"]) == "en-US"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == load_plan(PLANS[name]).document.title
    assert b"<pdfuaid:part>1</pdfuaid:part>" in catalog["/Metadata"].get_object().get_data()
    tags = collections.Counter(tag for tag, _ in elements)
    assert tags["/H"] == len(slides), "every slide's title is a heading"
    tables = sum(shape.has_table for slide in slides for shape in slide.shapes)
    assert tags["/Table"] == tables and tags["/TH"] >= tables
    figures = [element for tag, element in elements if tag == "/Figure"]
    described = {shape._element.find(".//{*}cNvPr").get("descr") for slide in slides for shape in slide.shapes} - {None}
    assert figures and all(str(figure.get("/Alt", "")).strip() for figure in figures)
    # Each figure's /Alt is the alternative text planforge gave its shape.
    assert {str(f["/Alt"]) for f in figures} <= described
    # What is not a figure with /Alt (rules, stripes, bars) is an artifact, not untagged content.
    artifacts = sum(page.get_contents().get_data().count(b"/Artifact") for page in reader.pages)
    assert artifacts > 0


@pytest.mark.slow
@LIBREOFFICE
@pytest.mark.parametrize("name", list(PLANS))
def test_every_word_on_the_pages_meets_wcag_aa_contrast(pdfs, name, tmp_path):
    import pdfplumber

    low = []
    with pdfplumber.open(io.BytesIO(pdfs[name])) as document:
        for page in document.pages:
            image = page.to_image(resolution=144).original.convert("RGB")
            scale = image.width / float(page.width)
            for word in page.extract_words(extra_attrs=["non_stroking_color", "size", "fontname"]):
                colour = _hex(word["non_stroking_color"])
                if colour is None:
                    continue
                back = _surrounding(image, word, scale)
                needed = required_contrast(word["size"], "Bold" in word["fontname"])
                if contrast_ratio(colour, back) < needed - 0.05:
                    low.append(f"page {page.page_number}: {word['text']!r} {colour} on {back} "
                               f"{contrast_ratio(colour, back):.2f} < {needed}")
    assert not low, "\n".join(low[:10])


def _hex(colour) -> str | None:
    if colour is None:
        return None
    values = list(colour) if isinstance(colour, (tuple, list)) else [colour]
    if len(values) == 1:
        values = values * 3
    if len(values) != 3:
        return None
    return "".join(f"{round(float(v) * 255):02X}" for v in values)


def _surrounding(image, word, scale: float) -> str:
    """The most common colour of the pixels in a thin ring just outside the word's box."""
    x0, x1 = int(word["x0"] * scale) - 3, int(word["x1"] * scale) + 3
    top, bottom = int(word["top"] * scale) - 3, int(word["bottom"] * scale) + 3
    pixels = collections.Counter()
    for x in range(max(x0, 0), min(x1, image.width)):
        for y in (top, bottom):
            if 0 <= y < image.height:
                pixels[image.getpixel((x, y))] += 1
    for y in range(max(top, 0), min(bottom, image.height)):
        for x in (x0, x1):
            if 0 <= x < image.width:
                pixels[image.getpixel((x, y))] += 1
    (r, g, b), _ = pixels.most_common(1)[0]
    return f"{r:02X}{g:02X}{b:02X}"


@pytest.mark.slow
@LIBREOFFICE
def test_a_handout_puts_each_slide_on_a_page_with_its_speaker_notes(pdfs):
    import pdfplumber

    slides = Presentation(io.BytesIO(deck("30-60-90-day-plan-notes"))).slides
    with pdfplumber.open(io.BytesIO(pdfs["handout"])) as document:
        assert len(document.pages) == len(slides)
        assert document.pages[0].height > document.pages[0].width  # a notes page, portrait
        assert "Say why first" in (document.pages[0].extract_text() or "")


@pytest.mark.slow
@LIBREOFFICE
def test_the_same_deck_gives_the_same_pdf_bytes(pdfs):
    assert pdfs["again"] == pdfs["lrp-brainstorming"]



@pytest.mark.slow
@LIBREOFFICE
def test_build_writes_the_pdf_and_records_it_in_the_manifest(tmp_path):
    import hashlib
    import json

    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "lrp-brainstorming.yaml").write_bytes(PLANS["lrp-brainstorming"].read_bytes())
    run = planforge("build", "-f", "pdf", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    pdf = tmp_path / "decks" / "lrp-brainstorming.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    manifest = json.loads((tmp_path / "decks" / ".planforge-manifest.json").read_text())
    recorded = manifest["plans"]["lrp-brainstorming"]["outputs"]
    assert recorded == {"lrp-brainstorming.pdf": hashlib.sha256(pdf.read_bytes()).hexdigest()}
    assert "up to date" in planforge("build", "-f", "pdf", cwd=tmp_path).stdout
    assert planforge("build", "-f", "pdf", "--check", cwd=tmp_path).returncode == 0
