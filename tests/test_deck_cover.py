"""The built-in title slide: title, subtitle, audience and who/when lines as one stack inside the slide, titles
balanced (no lone word or year on the last line), the plan's audience shown."""

from __future__ import annotations

import datetime
import io
import subprocess

import pytest
from pptx import Presentation

from deckpdf import SOFFICE, read_pdf
from planforge.model import PlanFile
from planforge.render import RenderOptions
from planforge.render.deck import measure, render
from planforge.render.deck.slides.covers import balanced_width

PT = 12700
SLIDE_HEIGHT = 540.0
MARGIN = 24.0
"""No cover text may come closer than this to the slide's bottom edge."""

LONG = "Turning a regional logistics network into the most reliable same-day delivery partner for independent " \
       "retailers in Northern Europe 2026–2030"


def strategy(**fields) -> dict:
    data = {"kind": "strategy", "title": "Test strategy",
            "areas": [{"name": "Network", "vision": "Every depot ships same-day."}]}
    data.update(fields)
    return data


PLANS = {
    "long-title": strategy(title=LONG, organisation="Nordlys Freight", date=datetime.date(2026, 3, 2)),
    "year-range": strategy(title="Cloud and Platform Strategy 2026–2028", organisation="Harbour Bank",
                           owner="Strategy Office", date="2025-10-06"),
    "audience": strategy(title="Loop Analytics Product Strategy", audience="Board of directors",
                         date="Spring 2026"),
    "long-everything": strategy(
        title=LONG,
        subtitle="A strategy for the board, the works council and every depot manager who will carry it through "
                 "the next five years, with the budget, the people and the milestones it needs",
        organisation="Nordlys Freight and Distribution Services Cooperative",
        owner="Office of the Chief Strategy Officer and the Network Transformation Team",
        audience="Supervisory board, works council, depot managers and the regional customer advisory panels",
        horizon="five years, reviewed every spring by the board and the works council together",
        date=datetime.date(2026, 3, 2)),
}


def deck_bytes(data: dict) -> bytes:
    return render(PlanFile.model_validate(data).root, RenderOptions())


@pytest.fixture(scope="module")
def covers() -> dict:
    return {name: Presentation(io.BytesIO(deck_bytes(data))).slides[0] for name, data in PLANS.items()}


def shape(slide, name: str):
    return next(s for s in slide.shapes if s.name == name)


def box(s) -> tuple[float, float]:
    return s.top / PT, (s.top + s.height) / PT


def title_lines(slide) -> list[str]:
    """The title's lines as the deck measures them in its box (the text is one string; the box width balances it)."""
    title = slide.shapes.title
    size = title.text_frame.paragraphs[0].runs[0].font.size.pt
    return measure.wrap(title.text_frame.text, size, title.width / PT, bold=True)


def balanced(text: str, size: float, width: float) -> list[str]:
    return measure.wrap(text, size, balanced_width(text, size, width, bold=True), bold=True)


@pytest.mark.parametrize("name", list(PLANS))
def test_the_cover_is_one_stack_inside_the_slide(covers, name):
    slide = covers[name]
    accent, title, below = shape(slide, "Accent"), slide.shapes.title, shape(slide, "Subtitle")
    assert box(accent)[1] <= box(title)[0]
    assert box(title)[1] <= box(below)[0]
    assert box(accent)[0] >= MARGIN
    assert box(below)[1] <= SLIDE_HEIGHT - MARGIN
    # Each box is as tall as its text measures, so the text itself ends inside the slide.
    paras = [p.text for p in below.text_frame.paragraphs]
    size = below.text_frame.paragraphs[0].runs[0].font.size.pt
    measured = measure.block_height([measure.Para(p) for p in paras],
                                    measure.TextStyle(size, space_before=size * 0.4), below.width / PT)
    assert measured <= below.height / PT + 0.5


def test_a_long_title_moves_the_stack_up_instead_of_pushing_the_date_off_the_slide(covers):
    slide = covers["long-everything"]
    below = shape(slide, "Subtitle")
    assert below.text_frame.paragraphs[-1].text == "2 March 2026"
    assert box(below)[1] <= SLIDE_HEIGHT - MARGIN
    assert len(title_lines(slide)) == 3


def test_a_title_ending_in_a_year_range_keeps_the_range_whole(covers):
    lines = title_lines(covers["year-range"])
    assert lines == ["Cloud and Platform", "Strategy 2026–2028"]


def test_balanced_titles_have_no_lone_word_on_the_last_line(covers):
    lines = title_lines(covers["long-title"])
    assert len(lines) > 1 and all(len(line.split()) > 1 for line in lines)
    widths = [measure.text_width(line, 40, bold=True) for line in lines]
    assert max(widths) - min(widths) < 0.25 * max(widths)


def test_balance_picks_the_most_even_break_and_leaves_one_line_alone():
    assert balanced_width("Short title", 40, 691) == 691
    assert balanced("30-60-90 Day Plan for a New Marketing Product Management Role", 40, 691) == \
        ["30-60-90 Day Plan for a", "New Marketing Product", "Management Role"]
    # The break is chosen at the size given, in as many lines as the full width needs.
    assert balanced("Customer Experience Strategy 2026–2028", 40, 691) == ["Customer Experience", "Strategy 2026–2028"]
    assert balanced("Cloud and Platform Strategy 2026–2028", 40, 691) == ["Cloud and Platform", "Strategy 2026–2028"]


def test_the_audience_is_on_the_cover(covers):
    below = shape(covers["audience"], "Subtitle")
    assert [p.text for p in below.text_frame.paragraphs] == ["Audience: Board of directors", "Spring 2026"]


@pytest.mark.slow
def test_no_cover_text_passes_the_slide_bottom_in_libreoffice(tmp_path):
    decks = []
    for name, data in PLANS.items():
        path = tmp_path / f"{name}.pptx"
        path.write_bytes(deck_bytes(data))
        decks.append(path)
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, decks)],
                   check=True, capture_output=True, timeout=240)
    pages = {path.stem: read_pdf(path.with_suffix(".pdf"))[0] for path in decks}
    for name, cover in pages.items():
        assert cover.words, name
        lowest = max(word.bottom for word in cover.words)
        assert lowest <= cover.height - MARGIN, (name, lowest)
        assert max(word.x1 for word in cover.words) <= cover.width - MARGIN, name
    # LibreOffice wraps the balanced title where the deck measured it: the year range stays whole on line two.
    title = [word for word in pages["year-range"].words if word.size > 30]
    last_line = [word.text for word in title if abs(word.top - title[-1].top) < 2]
    assert last_line == ["Strategy", "2026–2028"], [word.text for word in title]
    for name in ("audience", "long-everything"):
        assert "Audience:" in [word.text for word in pages[name].words], name
