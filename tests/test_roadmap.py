"""The roadmap's layout (slides/roadmap.py), checked on its boxes before anything is drawn: labels inside the body,
their bars or rows, never over one another, no phase line through a bar or a label, the same chart twice as large on
a 1920 × 1080 master, rows that grow to use the body when there are few blocks."""

from __future__ import annotations

from dataclasses import replace

import pytest

from planforge.model import PlanFile
from planforge.render.deck import measure
from planforge.render.deck.slides.roadmap import HEADER, ROW_MAX, ROW_MIN, chart_pages
from planforge.render.deck.storyline import Roadmap, RoadmapBlock, RoadmapPhase
from planforge.render.deck.storyline.plan import _roadmap
from planforge.render.deck.theme import BUILTIN, Box, Placements, Sizes
from roadmap_plans import CASES

TOLERANCE = 0.01

pytestmark = pytest.mark.filterwarnings("ignore::planforge.errors.PlanforgeWarning")  # names shortened: expected


def _large_theme():
    """The built-in design on a 1920 × 1080 slide, placed and sized as a company master of that size is."""
    place = BUILTIN.place
    placements = Placements(*(getattr(place, f).scaled(2) if getattr(place, f) is not None and f != "title_rule_y"
                              else (None if getattr(place, f) is None else getattr(place, f) * 2)
                              for f in Placements.__dataclass_fields__))
    sizes = Sizes(**{name: value * 2 for name, value in vars(BUILTIN.sizes).items()})
    return replace(BUILTIN, width=1920, height=1080, unit=2.0, sizes=sizes, placements=placements)


LARGE = _large_theme()


def _roadmap_of(name: str) -> Roadmap:
    return _roadmap(PlanFile.model_validate(CASES[name]).root)


def _inside(inner, outer, slack: float = TOLERANCE) -> bool:
    return (inner.x >= outer.x - slack and inner.y >= outer.y - slack and inner.right <= outer.right + slack
            and inner.bottom <= outer.bottom + slack)


def _apart(a, b) -> bool:
    return a.right <= b.x + TOLERANCE or b.right <= a.x + TOLERANCE or a.bottom <= b.y + TOLERANCE or \
        b.bottom <= a.y + TOLERANCE


def _labels(chart):
    """Every text the chart sets, with its box: (what, label box, text lines, size, bold)."""
    found = [("header", h.box, [h.text], h.size, h.bold) for h in chart.headers]
    found += [(f"week {n}", w.box, [w.text], w.size, w.bold) for n, w in chart.weeks]
    for index, phase in enumerate(chart.phases):
        if phase.paras:
            found.append((f"phase {index + 1}", phase.label_box, None, phase.size, True))
    for index, row in enumerate(chart.rows):
        found.append((f"name {index + 1}", row.name.box, measure.wrap(row.name.text, row.name.size, row.name.box.w,
                                                                      bold=True), row.name.size, True))
        if row.weeks is not None:
            found.append((f"weeks {index + 1}", row.weeks.box, [row.weeks.text], row.weeks.size, True))
    return found


@pytest.mark.parametrize("theme", [BUILTIN, LARGE], ids=["960x540", "1920x1080"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_no_label_leaves_its_place_meets_another_or_has_a_line_through_it(name, theme):
    body = theme.place.body
    for chart in chart_pages(theme, _roadmap_of(name)):
        labels = _labels(chart)
        for what, box, lines, size, bold in labels:
            assert _inside(box, body), f"{what} outside the body"
            assert size >= 10 * theme.unit - TOLERANCE, f"{what} at {size} pt"
            if lines is not None:
                # Measured as set: every line as wide as its box at most, all lines as tall as it at most.
                assert all(measure.text_width(line, size, bold=bold) <= box.w + TOLERANCE for line in lines), what
                assert len(lines) * measure.line_height(size) <= box.h + TOLERANCE, what
        for index, (what, box, *_rest) in enumerate(labels):
            for other, other_box, *_rest2 in labels[index + 1:]:
                assert _apart(box, other_box), f"{what} over {other}"
        for index, row in enumerate(chart.rows):
            assert _inside(row.name.box, row.band), f"name {index + 1} out of its row"
            assert _inside(row.bar, row.band), f"bar {index + 1} out of its row"
            if row.weeks is not None:
                assert _inside(row.weeks.box, row.band), f"weeks {index + 1} out of its row"
                assert row.weeks.box == row.bar or _apart(row.weeks.box, row.bar), f"weeks {index + 1} half on its bar"
        obstacles = [box for _what, box, *_rest in labels] + [row.bar for row in chart.rows]
        for x, top, bottom in chart.lines:
            assert top < bottom
            for box in obstacles:
                crosses = box.x - TOLERANCE < x < box.right + TOLERANCE and top < box.bottom and bottom > box.y
                assert not crosses, f"the phase line at x={x:.1f} runs through {box}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_on_a_1920_master_the_chart_is_the_same_twice_as_large(name):
    small, large = chart_pages(BUILTIN, _roadmap_of(name)), chart_pages(LARGE, _roadmap_of(name))
    assert len(small) == len(large)
    for one, two in zip(small, large):
        assert [r.name.text for r in one.rows] == [r.name.text for r in two.rows]
        pairs = [(a.box, b.box, a.size, b.size) for a, b in zip(one.headers, two.headers)]
        pairs += [(a.box, b.box, a.size, b.size) for (_n, a), (_m, b) in zip(one.weeks, two.weeks)]
        pairs += [(a.box, b.box, a.size, b.size) for a, b in zip(one.phases, two.phases)]
        pairs += [(a.label_box, b.label_box, a.size, b.size) for a, b in zip(one.phases, two.phases)]
        for a, b in zip(one.rows, two.rows):
            pairs += [(a.band, b.band, 1, 2), (a.bar, b.bar, 1, 2), (a.name.box, b.name.box, a.name.size, b.name.size)]
            assert (a.weeks is None) == (b.weeks is None)
            if a.weeks is not None:
                pairs.append((a.weeks.box, b.weeks.box, a.weeks.size, b.weeks.size))
        assert len(one.weeks) == len(two.weeks) and len(one.lines) == len(two.lines)
        for small_box, large_box, small_size, large_size in pairs:
            assert large_box == pytest.approx(small_box.scaled(2), abs=0.05)
            assert large_size == pytest.approx(small_size * 2)
        for a, b in zip(one.lines, two.lines):
            assert b == pytest.approx(tuple(v * 2 for v in a), abs=0.05)


def _rows_height(chart) -> float:
    return chart.rows[-1].band.bottom - chart.rows[0].band.y


@pytest.mark.parametrize("name", sorted(CASES))
def test_rows_grow_with_few_blocks_and_are_one_height_on_every_slide(name):
    body = BUILTIN.place.body
    charts = chart_pages(BUILTIN, _roadmap_of(name))
    heights = {round(row.band.h, 6) for chart in charts for row in chart.rows}
    assert len(heights) == 1
    (height,) = heights
    assert ROW_MIN <= height <= ROW_MAX
    room = body.h - HEADER
    # Rows are as tall as the body allows, up to the tallest row height.
    assert height == pytest.approx(min(ROW_MAX, room / max(len(chart.rows) for chart in charts)))
    sizes = {row.name.size for chart in charts for row in chart.rows}
    assert len(sizes) == 1, "names are set in one size on every slide"


def test_two_blocks_fill_most_of_the_body_and_one_block_has_its_tallest_row():
    body = BUILTIN.place.body
    (two,) = chart_pages(BUILTIN, _roadmap_of("two-blocks"))
    assert (two.rows[-1].band.bottom - body.y) / body.h >= 0.6
    (one,) = chart_pages(BUILTIN, _roadmap_of("one-block-one-week"))
    assert one.rows[0].band.h == ROW_MAX


def _weeks_roadmap(spans) -> Roadmap:
    phases = (RoadmapPhase("Days 1–30", None, 1, 30), RoadmapPhase("Days 31–90", None, 31, 90))
    return Roadmap(phases, tuple(RoadmapBlock(f"Block {i}", a, b, f"Weeks {a}–{b}" if a != b else f"Week {a}")
                                 for i, (a, b) in enumerate(spans)))


def test_a_bar_label_goes_inside_then_right_then_left_then_shortened():
    (chart,) = chart_pages(BUILTIN, _weeks_roadmap([(1, 6), (1, 1), (13, 13)]))
    wide, first, last = chart.rows
    assert wide.weeks.box == wide.bar and wide.weeks.text == "Weeks 1–6"
    # A one-week bar cannot hold "Week 1": beside it on the right; at the end of the axis, on the left.
    assert first.weeks.text == "Week 1" and first.weeks.box.x > first.bar.right and first.weeks.align == "left"
    assert last.weeks.text == "Week 13" and last.weeks.box.right < last.bar.x and last.weeks.align == "right"
    # Twenty-six weeks: the scale and the bars say "W3"; a one-week bar is too narrow even for that.
    (chart, *_more) = chart_pages(BUILTIN, _weeks_roadmap([(3, 3), (26, 26)]))
    assert [week.text for _n, week in chart.weeks][:2] == ["W1", "W2"]
    assert chart.rows[0].weeks.text == "W3" and chart.rows[0].weeks.box != chart.rows[0].bar
    # No room on either side (a bar over the whole axis too narrow for its words): cut by measure, or left out.
    narrow = replace(BUILTIN, placements=replace(BUILTIN.place, body=replace(BUILTIN.place.body, w=330)))
    (chart,) = chart_pages(narrow, _weeks_roadmap([(1, 26)]))
    weeks = chart.rows[0].weeks
    assert weeks is None or (weeks.box == chart.rows[0].bar and weeks.text == "W1–26")


def test_a_phase_line_stops_at_a_bar_it_would_cross_and_goes_on_below():
    (chart,) = chart_pages(BUILTIN, _weeks_roadmap([(1, 2), (3, 6), (7, 8)]))
    (x, _top, _bottom), *_rest = chart.lines
    crossing = chart.rows[1].bar
    assert crossing.x < x < crossing.right
    segments = [(top, bottom) for lx, top, bottom in chart.lines if lx == x]
    assert len(segments) == 2 and segments[0][1] < crossing.y and segments[1][0] > crossing.bottom
    assert segments[0][0] == chart.rows[0].band.y and segments[1][1] == chart.rows[-1].band.bottom


def test_a_heading_too_long_for_the_label_column_is_shortened_as_it_is_set_in_bold():
    from planforge.render.deck.slides.roadmap import _header

    narrow = Box(36, 116, 120, 18)
    label = _header(BUILTIN, "Blocs de semaines consécutives du plan", narrow)
    assert label.text.endswith("…") and label.bold
    assert measure.text_width(label.text, label.size, bold=True) <= narrow.w * measure.WIDTH_SAFETY


def test_a_phase_line_beside_a_bar_it_does_not_cross_runs_on():
    # The example plan's bars end 2 pt before a phase boundary and start 2 pt after it: nothing to cut.
    phases = (RoadmapPhase("Days 1–28", None, 1, 28), RoadmapPhase("Days 29–56", None, 29, 56))
    blocks = tuple(RoadmapBlock(f"Block {a}", a, a + 1, f"Weeks {a}–{a + 1}") for a in (1, 3, 5, 7))
    (chart,) = chart_pages(BUILTIN, Roadmap(phases, blocks))
    x = chart.lines[0][0]
    assert chart.rows[1].bar.right < x < chart.rows[2].bar.x
    assert [(top, bottom) for lx, top, bottom in chart.lines if lx == x] == \
        [(chart.rows[0].band.y, chart.rows[-1].band.bottom)]


@pytest.mark.parametrize("name", sorted(CASES) + ["construction"])
def test_phase_labels_share_one_size_and_never_break_a_phase_name(name):
    if name == "construction":
        from pathlib import Path

        from planforge.loading import load_plan

        path = Path(__file__).parent / "plans" / "construction-six-phases-20-blocks.yaml"
        content = _roadmap(load_plan(path).document)
    else:
        content = _roadmap_of(name)
    for chart in chart_pages(BUILTIN, content):
        assert len({phase.size for phase in chart.phases}) == 1
        for phase in chart.phases:
            if phase.paras:
                name_para = phase.paras[0]
                assert len(measure.wrap(name_para.text, phase.size, phase.label_box.w, bold=True)) == 1


def test_a_phase_too_narrow_for_its_name_shows_its_days():
    phases = tuple(RoadmapPhase(f"Days {a}–{a + 29}", "Theme", a, a + 29) for a in range(1, 180, 30))
    narrow = replace(BUILTIN, placements=replace(BUILTIN.place, body=replace(BUILTIN.place.body, w=560)))
    (chart,) = chart_pages(narrow, Roadmap(phases, (RoadmapBlock("Block", 1, 26, "Weeks 1–26"),)))
    shown = [phase.paras[0].text if phase.paras else None for phase in chart.phases]
    assert "121–150" in shown and not any(text and text.endswith("…") for text in shown)


def test_a_bar_says_its_weeks_in_the_short_form_of_the_plan_language():
    from planforge.i18n import using

    with using("ja"):
        (chart, *_more) = chart_pages(BUILTIN, _weeks_roadmap([(1, 2), (26, 26)]))
    assert [row.weeks.text for row in chart.rows] == ["第1–2週", "第26週"]
