"""Plans nobody on the project wrote (tests/plans/) as LibreOffice draws their decks.

Every plan is rendered once and all decks are converted once, by two LibreOffice runs at the same time, one a core
(shared by the xdist workers through a lock file); the checks then read the rendered pages: no overlapping words,
nothing off the slide or over the footer, content slides that fill their body, and every shortened title kept whole
in the speaker notes.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from pptx import Presentation

from deckpdf import (
    SOFFICE, Page, converted_once, lines_through_words, off_page, overlapping_words, read_pdf,
)
from planforge.loading import load_plan
from planforge.render.deck import layout, render
from planforge.render.deck.slides.roadmap import ROW_MAX
from planforge.render.deck.theme import BUILTIN
from planforge.text import plain

ROOT = Path(__file__).resolve().parents[1]
PLANS = sorted((ROOT / "tests" / "plans").glob("*.yaml"))
BODY = BUILTIN.place.body
FOOTER_TOP = BODY.bottom
CONTENT_KINDS = {"groups", "table", "statement", "cards", "outcomes", "roadmap", "agenda", "stack"}
LARGEST = {"table": BUILTIN.sizes.table, "outcomes": BUILTIN.sizes.table, "statement": BUILTIN.sizes.statement}
"""The largest size each kind of slide sets its body text in (the theme's body size for the others)."""
# A slide spanning less than MIN_FILL of the body is allowed only with a reason `_sparse_reason` states: never text
# only at the top of a half-empty slide.
MIN_FILL = 0.60

pytestmark = [pytest.mark.slow, pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")]


def _convert_all(folder: Path) -> None:
    """Render every corpus plan and convert the decks to PDF in two LibreOffice calls at once, one a core, each
    given about half of the slides (one call converts one deck at a time)."""
    decks: list[tuple[int, str]] = []
    for plan in PLANS:
        document = load_plan(plan).document
        pptx = folder / f"{plan.stem}.pptx"
        pptx.write_bytes(render(document))
        slides = [{"kind": s.kind, "title": s.title, "continued": s.continued} for s in layout(document)]
        (folder / f"{plan.stem}.json").write_text(json.dumps(slides))
        decks.append((len(slides), str(pptx)))
    halves: list[list[str]] = [[], []]
    loads = [0, 0]
    for count, pptx in sorted(decks, reverse=True):
        lighter = loads.index(min(loads))
        halves[lighter].append(pptx)
        loads[lighter] += count
    calls = []
    for half in (half for half in halves if half):
        profile = tempfile.mkdtemp(prefix="planforge-corpus-lo-")
        calls.append(subprocess.Popen([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                                       "pdf", "--outdir", str(folder), *half],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
    for call in calls:
        _, said = call.communicate(timeout=600)
        assert call.returncode == 0, said.decode(errors="replace")


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> dict[str, dict]:
    """Plan name → its deck, slide layouts and rendered pages (converted once for all xdist workers)."""
    shared = converted_once(tmp_path_factory, "planforge-corpus", _convert_all)
    result = {}
    for plan in PLANS:
        pdf = shared / f"{plan.stem}.pdf"
        assert pdf.exists(), f"LibreOffice did not convert {plan.name}"
        result[plan.stem] = {
            "pptx": Presentation(str(shared / f"{plan.stem}.pptx")),
            "slides": json.loads((shared / f"{plan.stem}.json").read_text()),
            "pages": read_pdf(pdf),
        }
    return result


NAMES = [plan.stem for plan in PLANS]


def test_the_corpus_is_broad():
    # At least twelve plans, both kinds, and scripts beyond Latin.
    texts = [plan.read_text(encoding="utf-8") for plan in PLANS]
    assert len(PLANS) >= 12
    assert any("kind: strategy" in t for t in texts) and any("kind: 30-60-90" in t for t in texts)
    assert any(any("\u3040" <= c <= "\u30ff" for c in t) for t in texts), "no Japanese plan"
    assert any(any("\u4e00" <= c <= "\u9fff" for c in t) for t in texts), "no Chinese characters"
    assert any(": |" in t for t in texts), "no literal block"


@pytest.mark.parametrize("name", NAMES)
def test_libreoffice_draws_every_slide(corpus, name):
    deck = corpus[name]
    assert len(deck["pages"]) == len(deck["pptx"].slides) == len(deck["slides"])
    assert all(page.words for page in deck["pages"])


@pytest.mark.parametrize("name", NAMES)
def test_no_two_words_overlap(corpus, name):
    problems = []
    for page in corpus[name]["pages"]:
        problems += [f"slide {page.number}: {a.text!r} / {b.text!r}" for a, b in overlapping_words(page)]
    assert not problems, "\n".join(problems[:10])


@pytest.mark.parametrize("name", NAMES)
def test_no_line_runs_through_a_word(corpus, name):
    problems = [f"slide {page.number}: {word.text!r} crossed by the line at {graphic[:2]}"
                for page in corpus[name]["pages"] for word, graphic in lines_through_words(page)]
    assert not problems, "\n".join(problems[:10])


@pytest.mark.parametrize("name", NAMES)
def test_nothing_is_off_the_slide(corpus, name):
    problems = [problem for page in corpus[name]["pages"] for problem in off_page(page)]
    assert not problems, "\n".join(problems[:10])


def _footer_words(slide) -> set[str]:
    """Words the footer shapes hold (source line, page number): the only text allowed below the body."""
    words: set[str] = set()
    for shape in slide.shapes:
        if shape.name in ("Source", "Page number") and shape.has_text_frame:
            words.update(shape.text_frame.text.split())
    return words


@pytest.mark.parametrize("name", NAMES)
def test_nothing_runs_over_the_footer_or_page_number(corpus, name):
    deck = corpus[name]
    problems = []
    for page, slide, info in zip(deck["pages"], deck["pptx"].slides, deck["slides"]):
        if info["kind"] in ("cover", "divider"):
            continue
        allowed = _footer_words(slide)
        for word in page.words:
            if word.bottom > FOOTER_TOP + 1 and word.text not in allowed:
                problems.append(f"slide {page.number}: {word.text!r} reaches {word.bottom:.0f} pt")
    assert not problems, "\n".join(problems[:10])


def _extent(page: Page) -> tuple[float, float]:
    """Where the slide's content starts and ends in the body (points from the top of the slide)."""
    tops = [w.top for w in page.words if BODY.y - 2 <= w.top < FOOTER_TOP]
    bottoms = [w.bottom for w in page.words if BODY.y - 2 <= w.top < FOOTER_TOP]
    for _x0, top, _x1, bottom in page.graphics:
        if BODY.y - 2 <= top and bottom <= FOOTER_TOP + 2:
            tops.append(top)
            bottoms.append(bottom)
    return min(tops, default=BODY.y), max(bottoms, default=BODY.y)


def _fill(page: Page) -> float:
    """How much of the body height the slide's content spans."""
    top, bottom = _extent(page)
    return (bottom - top) / BODY.h


def _body_size(page: Page) -> float:
    sizes = [w.size for w in page.words if BODY.y - 6 <= w.top < FOOTER_TOP]
    return max(sizes, default=0.0)


def _rows_at_tallest(slide) -> bool:
    """Whether a roadmap's rows are at the tallest row height (the striped bands show it)."""
    bands = [shape.height / 12700 for shape in slide.shapes if re.fullmatch(r"Row \d+", shape.name)]
    return bool(bands) and all(abs(height - ROW_MAX) < 0.01 for height in bands)


def _sparse_reason(info: dict, page: Page, next_info: dict | None, slide=None) -> str | None:
    """Why a content slide may span less than MIN_FILL of its body, or None when it may not."""
    if info["kind"] == "roadmap" and slide is not None and _rows_at_tallest(slide):
        # True of one block only: two blocks' rows at the tallest height already reach 63 % of the body.
        return (f"a roadmap draws one row per block of weeks, here at the tallest row height ({ROW_MAX:g} pt): "
                "the plan has no more blocks")
    if info["continued"] and not (next_info and next_info["continued"]):
        return "it is the last part of a slide that continues: a table breaks only where the next row does not fit"
    top, bottom = _extent(page)
    centred = abs((top + bottom) / 2 - (BODY.y + BODY.h / 2)) <= 0.06 * BODY.h
    largest = _body_size(page) >= LARGEST.get(info["kind"], BUILTIN.sizes.body) - 0.05
    if centred and largest:
        return "the plan has nothing more for it: its text is at the largest size and centred in the body"
    return None


@pytest.mark.parametrize("name", NAMES)
def test_content_slides_fill_their_body(corpus, name):
    deck = corpus[name]
    slides = deck["slides"]
    problems = []
    for index, (page, info) in enumerate(zip(deck["pages"], slides)):
        if info["kind"] not in CONTENT_KINDS:
            continue
        fill = _fill(page)
        following = slides[index + 1] if index + 1 < len(slides) else None
        if fill < MIN_FILL and _sparse_reason(info, page, following, deck["pptx"].slides[index]) is None:
            problems.append(f"slide {page.number} ({info['kind']}, {info['title'][:40]!r}): body {fill:.0%} full "
                            f"at {_body_size(page):g} pt")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", NAMES)
def test_a_shortened_title_is_whole_in_the_speaker_notes(corpus, name):
    deck = corpus[name]
    problems = []
    for number, (slide, info) in enumerate(zip(deck["pptx"].slides, deck["slides"]), start=1):
        shown = slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""
        full = plain(info["title"])
        if shown.endswith("…") and shown.rstrip(" …") != full:
            notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
            if " ".join(full.split()) not in " ".join(notes.split()):
                problems.append(f"slide {number}: {shown[:50]!r} shortened, full title not in the notes")
    assert not problems, "\n".join(problems)


def test_a_right_to_left_plan_is_set_from_the_right(corpus):
    # LibreOffice sets the Arabic deck's paragraphs right to left: every content slide's title ends at the title
    # box's right edge and none starts at its left edge. (Its tables keep their column order: LibreOffice does not
    # read a:tblPr rtl, PowerPoint does.)
    title = BUILTIN.place.title
    for page in corpus["ar-water-utility-strategy"]["pages"][1:]:
        words = [w for w in page.words if title.y - 2 <= w.top <= title.bottom and w.size >= 18]
        assert words, f"slide {page.number} shows no title"
        assert max(w.x1 for w in words) >= title.x + title.w - 3, f"slide {page.number}: title not set from the right"
        assert min(w.x0 for w in words) > title.x + 3, f"slide {page.number}: title starts at the left edge"
