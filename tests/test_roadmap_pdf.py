"""Roadmaps as LibreOffice draws them: no line through a label, no label out of its bar or row, over another word
or off the slide, for the generated plans of roadmap_plans.py (on the built-in design, on 1920 × 1080 masters and on
a 4:3 one), the example plan and every 30-60-90 plan of tests/plans with week blocks.

Only the roadmap slides are kept, and all decks are converted in ONE LibreOffice run shared by the xdist workers
through a lock file (as in test_corpus.py).
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
import warnings
from pathlib import Path

import pytest
from pptx import Presentation

from company_template import hostile_template
from deckpdf import SOFFICE, converted_once, overlapping_words, read_pdf
from planforge.loading import load_plan
from planforge.model import PlanFile
from planforge.render import RenderOptions
from planforge.render.deck import layout, render
from roadmap_plans import CASES, ON_LARGE_MASTERS

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "templates-real"
MASTERS = {name: REAL / f"{stem}.pptx" for name, stem in (("keynote", "keynote-apex"), ("four-three", "officer-fr-4x3"))
           if (REAL / f"{stem}.pptx").exists()}
"""Real masters the hard cases are rendered on too: a keynote-derived 1920 × 1080 one and a narrow 4:3 one."""
PLANS = [ROOT / "plans" / "30-60-90-day-plan.yaml"] + [
    path for path in sorted((ROOT / "tests" / "plans").glob("*.yaml")) if "\nweek_blocks:" in path.read_text("utf-8")]
CHROME = re.compile(r"Tracker \d+|Kicker|Source|Page number")
"""Text shapes every content slide has; every other text box of a roadmap slide is one of the chart's labels."""
SLACK = 1.0
"""Points a word's box may pass its shape's edge by (glyph boxes are not the shape's line boxes)."""

pytestmark = [pytest.mark.slow, pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")]


def _decks(folder: Path) -> dict[str, tuple]:
    """Name → (document, template) of every deck checked."""
    decks = {f"plan-{path.stem}": (load_plan(path).document, None) for path in PLANS}
    decks |= {name: (PlanFile.model_validate(plan).root, None) for name, plan in CASES.items()}
    masters = [*MASTERS.items(), ("generated-1920", hostile_template(folder / "generated-1920.pptx", "keynote-size"))]
    for label, template in masters:
        decks |= {f"{name}-{label}": (PlanFile.model_validate(CASES[name]).root, template)
                  for name in ON_LARGE_MASTERS}
    return decks


def _convert_all(folder: Path) -> None:
    """Render every deck keeping only its roadmap slides, and convert them all in one LibreOffice call."""
    paths = []
    for name, (document, template) in _decks(folder).items():
        options = RenderOptions(deck_template=template)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # shortened names and missing template fonts are expected here
            data = render(document, options)
            kinds = [slide.kind for slide in layout(document, options)]
        pptx = folder / f"{name}.pptx"
        pptx.write_bytes(data)
        presentation = Presentation(str(pptx))
        ids = presentation.slides._sldIdLst
        for slide_id, kind in zip(list(ids), kinds):
            if kind != "roadmap":
                presentation.part.drop_rel(slide_id.rId)
                ids.remove(slide_id)
        presentation.save(str(pptx))
        paths.append(str(pptx))
    (folder / "decks.json").write_text(json.dumps([Path(path).stem for path in paths]))
    profile = tempfile.mkdtemp(prefix="planforge-roadmap-lo-")
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), *paths], check=True, capture_output=True, timeout=300)


@pytest.fixture(scope="session")
def roadmaps(tmp_path_factory) -> dict[str, list[tuple]]:
    """Deck name → (slide, rendered page) of each of its roadmap slides (converted once for all xdist workers)."""
    shared = converted_once(tmp_path_factory, "planforge-roadmaps", _convert_all)
    result = {}
    for name in json.loads((shared / "decks.json").read_text()):
        slides = Presentation(str(shared / f"{name}.pptx")).slides
        pages = read_pdf(shared / f"{name}.pdf")
        assert len(pages) == len(slides) >= 1, name
        result[name] = list(zip(slides, pages))
    return result


def _names() -> list[str]:
    names = [f"plan-{path.stem}" for path in PLANS] + sorted(CASES)
    return names + [f"{name}-{label}" for label in [*MASTERS, "generated-1920"] for name in ON_LARGE_MASTERS]


def _box(shape) -> tuple[float, float, float, float]:
    return (shape.left / 12700, shape.top / 12700, (shape.left + shape.width) / 12700,
            (shape.top + shape.height) / 12700)


def _inside(word, box, slack: float) -> bool:
    x0, top, x1, bottom = box
    return word.x0 >= x0 - slack and word.top >= top - slack and word.x1 <= x1 + slack and word.bottom <= bottom + slack


def _apart(word, box, slack: float) -> bool:
    x0, top, x1, bottom = box
    return word.x1 <= x0 + slack or word.x0 >= x1 - slack or word.bottom <= top + slack or word.top >= bottom - slack


def _labels(slide) -> list:
    """The chart's text boxes: not placeholders (the title), not the chrome, not empty."""
    return [shape for shape in slide.shapes if shape.has_text_frame and not shape.is_placeholder
            and not CHROME.fullmatch(shape.name) and shape.text_frame.text.strip()]


def label_words(slide, page) -> list[tuple]:
    """(word, name of the label shape it is in, that shape's box) for every word of the roadmap's labels."""
    shapes = [(shape.name, _box(shape)) for shape in _labels(slide)]
    found = []
    for word in page.words:
        middle = ((word.x0 + word.x1) / 2, (word.top + word.bottom) / 2)
        owner = next(((name, box) for name, box in shapes
                      if box[0] <= middle[0] <= box[2] and box[1] <= middle[1] <= box[3]), None)
        if owner is not None:
            found.append((word, *owner))
    return found


def label_problems(slide, page) -> list[str]:
    """Label words of one rendered roadmap that leave their shape or that a drawn line or shape edge runs through."""
    problems = []
    for word, name, box in label_words(slide, page):
        if not _inside(word, box, SLACK):
            problems.append(f"{word.text!r} runs out of {name}")
        for graphic in page.graphics:
            # A bar or stripe holds a label whole or not at all; a line (a box with no width) never touches one.
            if not (_inside(word, graphic, 0.0) or _apart(word, graphic, 0.5)):
                problems.append(f"{word.text!r} ({name}) crossed by a graphic at "
                                f"({graphic[0]:.0f}, {graphic[1]:.0f})–({graphic[2]:.0f}, {graphic[3]:.0f})")
    return problems


@pytest.mark.parametrize("name", _names())
def test_no_line_runs_through_a_roadmap_label_and_no_label_leaves_its_place(roadmaps, name):
    problems = [f"slide {page.number}: {problem}" for slide, page in roadmaps[name]
                for problem in label_problems(slide, page)]
    assert not problems, "\n".join(problems[:12])


@pytest.mark.parametrize("name", _names())
def test_no_roadmap_label_is_over_another_word_or_off_the_slide(roadmaps, name):
    problems = []
    for slide, page in roadmaps[name]:
        labels = {id(word) for word, _name, _box in label_words(slide, page)}
        problems += [f"slide {page.number}: {a.text!r} / {b.text!r}" for a, b in overlapping_words(page)
                     if id(a) in labels or id(b) in labels]
        problems += [f"slide {page.number}: {word.text!r} off the slide" for word in page.words if id(word) in labels
                     and (word.x0 < -0.5 or word.top < -0.5 or word.x1 > page.width + 0.5 or
                          word.bottom > page.height + 0.5)]
    assert not problems, "\n".join(problems[:12])


def test_every_label_shape_is_drawn(roadmaps):
    # The checks above look at the words inside the label shapes: make sure they find them.
    for name, slides in roadmaps.items():
        for slide, page in slides:
            names = {shape.name for shape in _labels(slide)}
            assert any(n.startswith("Name of block ") for n in names) and "Heading of the phases" in names, name
            assert len(label_words(slide, page)) > len(names), name
