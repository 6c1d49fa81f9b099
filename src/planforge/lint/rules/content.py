"""PF3xx: content that is missing, incomplete, inconsistent or too dense for one cell."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Iterator

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from planforge.lint.context import Hit, LintContext, models
from planforge.lint.registry import ERROR, WARNING, rule
from planforge.lint.rules.placeholders import MARKER, PERCENT, QUESTION
from planforge.model import Kpi, Pitfall, Week
from planforge.model.common import Bullet
from planforge.text import plain

MAX_BULLETS = 5
DAYS_PER_WEEK = 7
_NUMBER = re.compile(r"\d")
_NON_ANSWER = re.compile(r"^(?:n/?a|none|nothing|tbd|tbc|todo|-+|\?+|\.+|same|see above)$", re.IGNORECASE)


def _has_placeholder(text: str) -> bool:
    return any(p.search(text) for p in (PERCENT, MARKER, QUESTION))


def _kpis(ctx: LintContext) -> Iterator[tuple[tuple, Kpi]]:
    for loc, model in models(ctx.document):
        if isinstance(model, Kpi):
            yield loc, model


@rule("PF301", "kpi-without-number", WARNING, "A KPI's target has no number.",
      "give the target as a figure, e.g. '+15%' or '4.5 / 5', so progress can be measured")
def kpi_without_number(ctx: LintContext) -> Iterator[Hit]:
    """Find KPI targets with no digit (placeholders such as X% are PF101's)."""
    for loc, kpi in _kpis(ctx):
        if isinstance(kpi.target, str) and not _NUMBER.search(kpi.target) and not _has_placeholder(kpi.target):
            yield ctx.hit((*loc, "target"), f"KPI “{plain(kpi.metric)}” has no number in its target “{plain(kpi.target)}”")


@rule("PF302", "kpi-without-horizon", WARNING, "A KPI has no horizon, and neither has the strategy.",
      "add `horizon:` to the KPI (e.g. 'FY2027') or to the strategy (e.g. 'three years')")
def kpi_without_horizon(ctx: LintContext) -> Iterator[Hit]:
    """Find KPIs with no horizon of their own when the document sets none either."""
    if getattr(ctx.document, "horizon", None):
        return
    for loc, kpi in _kpis(ctx):
        if kpi.horizon is None:
            yield ctx.hit(loc, f"KPI “{plain(kpi.metric)}” has no horizon (by when?)")


@rule("PF303", "pitfall-without-mitigation", ERROR, "A pitfall's mitigation says nothing (e.g. 'TBD', 'n/a', '-').",
      "write what you will do to prevent or contain the risk")
def pitfall_without_mitigation(ctx: LintContext) -> Iterator[Hit]:
    """Find pitfalls whose mitigation is a non-answer or just repeats the pitfall."""
    for loc, model in models(ctx.document):
        if not isinstance(model, Pitfall):
            continue
        for field, mitigation in (("mitigation", model.mitigation), ("brief", model.brief.mitigation)):
            if mitigation is None:
                continue
            text = plain(mitigation).strip()
            where = (*loc, field) if field == "mitigation" else (*loc, "brief", "mitigation")
            if _NON_ANSWER.match(text) or text.lower().rstrip(".") == plain(model.pitfall).lower().rstrip("."):
                yield ctx.hit(where, f"pitfall “{plain(model.pitfall)}” has no real mitigation (“{text}”)")


def _is_empty(node: Any) -> bool:
    if node is None:
        return True
    if isinstance(node, (CommentedMap, CommentedSeq)):
        return len(node) == 0
    return isinstance(node, str) and not node.strip()


def _empty_keys(node: Any, loc: tuple) -> Iterator[tuple]:
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            if _is_empty(value):
                yield (*loc, key)
            else:
                yield from _empty_keys(value, (*loc, key))
    elif isinstance(node, CommentedSeq):
        for index, value in enumerate(node):
            yield from _empty_keys(value, (*loc, index))


@rule("PF304", "empty-section", WARNING, "A section is written but has nothing in it.",
      "fill it in, or remove the key so the outputs leave the section out")
def empty_section(ctx: LintContext) -> Iterator[Hit]:
    """Find keys written with an empty value, weeks with nothing planned, and areas with no initiatives or outcomes."""
    for loc in _empty_keys(ctx.tree, ()):
        if loc[0] not in ("lint", "notes"):
            yield ctx.key_hit(loc, f"`{loc[-1]}` is empty")
    for loc, model in models(ctx.document):
        if isinstance(model, Week) and not any(
            getattr(model, field) for field in type(model).model_fields if field != "week"
        ):
            yield ctx.hit(loc, f"week {model.week} has nothing planned")
    for index, area in enumerate(getattr(ctx.document, "areas", [])):
        # The area has no such key to remove: the hint says which keys to add.
        if not area.initiatives and not area.initiatives_summary:
            yield replace(ctx.hit(("areas", index, "name"), f"area “{plain(area.name)}” has no key initiatives"),
                          hint="add `initiatives:` to the area (each with `name:` and `description:`), or "
                               "`initiatives_summary:`")
        if not area.outcomes and not area.kpis:
            yield replace(ctx.hit(("areas", index, "name"),
                                  f"area “{plain(area.name)}” has no expected outcomes or KPIs"),
                          hint="add `outcomes:` or `kpis:` (each with `metric:` and `target:`) to the area")


@rule("PF305", "week-blocks-overlap", ERROR, "Two week blocks cover the same week.",
      "renumber the weeks so each week belongs to one block")
def week_blocks_overlap(ctx: LintContext) -> Iterator[Hit]:
    """Find week blocks that start before the previous block has ended."""
    blocks = getattr(ctx.document, "week_blocks", [])
    for index in range(1, len(blocks)):
        previous, block = blocks[index - 1], blocks[index]
        if block.first_week <= previous.last_week:
            yield ctx.hit(("week_blocks", index, "weeks", 0, "week"),
                          f"“{plain(block.title)}” starts at week {block.first_week}, but "
                          f"“{plain(previous.title)}” runs to week {previous.last_week}")


@rule("PF306", "week-blocks-gap", WARNING, "Weeks are missing between week blocks or before the first.",
      "add the missing weeks, or renumber the blocks so they follow on")
def week_blocks_gap(ctx: LintContext) -> Iterator[Hit]:
    """Find weeks that no block covers between the first week and the last block."""
    blocks = getattr(ctx.document, "week_blocks", [])
    expected = 1
    for index, block in enumerate(blocks):
        if block.first_week > expected:
            missing = f"week {expected}" if block.first_week == expected + 1 else f"weeks {expected}–{block.first_week - 1}"
            yield ctx.hit(("week_blocks", index, "weeks", 0, "week"),
                          f"{missing} {'is' if missing.startswith('week ') else 'are'} in no block "
                          f"(“{plain(block.title)}” starts at week {block.first_week})")
        expected = max(expected, block.last_week + 1)


@rule("PF307", "week-outside-phases", WARNING, "A week starts after the last phase has ended.",
      "extend the last phase's `end_day`, or drop the week")
def week_outside_phases(ctx: LintContext) -> Iterator[Hit]:
    """Find weeks whose first day lies beyond the phases' last day."""
    phases = getattr(ctx.document, "phases", [])
    if not phases:
        return
    last_day = max(phase.end_day for phase in phases)
    for block_index, block in enumerate(ctx.document.week_blocks):
        for week_index, week in enumerate(block.weeks):
            first_day = (week.week - 1) * DAYS_PER_WEEK + 1
            if first_day > last_day:
                yield ctx.hit(("week_blocks", block_index, "weeks", week_index, "week"),
                              f"week {week.week} starts on day {first_day}, after the last phase ends (day {last_day})")


@rule("PF308", "phases-not-consecutive", WARNING, "Phases overlap or leave days between them.",
      "make each phase start the day after the previous one ends, the first on day 1")
def phases_not_consecutive(ctx: LintContext) -> Iterator[Hit]:
    """Find phases that do not follow on day by day from day 1."""
    expected = 1
    for index, phase in enumerate(getattr(ctx.document, "phases", [])):
        if phase.start_day != expected:
            problem = "overlaps the previous phase" if phase.start_day < expected else "leaves a gap"
            yield ctx.hit(("phases", index, "start_day"),
                          f"“{plain(phase.name)}” starts on day {phase.start_day} and {problem} (expected day {expected})")
        expected = phase.end_day + 1


def _bullet_lists(obj: Any, loc: tuple = ()) -> Iterator[tuple[tuple, list[Bullet]]]:
    if isinstance(obj, list) and obj and all(isinstance(item, Bullet) for item in obj):
        yield loc, obj
    if isinstance(obj, list):
        for index, item in enumerate(obj):
            yield from _bullet_lists(item, (*loc, index))
    elif hasattr(type(obj), "model_fields"):
        for name in type(obj).model_fields:
            yield from _bullet_lists(getattr(obj, name), (*loc, name))


@rule("PF309", "too-many-bullets", WARNING, f"A cell or list has more than {MAX_BULLETS} bullets.",
      "merge or cut bullets, or move detail to the appendix or speaker notes")
def too_many_bullets(ctx: LintContext) -> Iterator[Hit]:
    """Find bullet lists (and sub-bullet lists) longer than five."""
    for loc, bullets in _bullet_lists(ctx.document):
        if len(bullets) > MAX_BULLETS:
            yield ctx.hit(loc, f"`{loc[-1]}` has {len(bullets)} bullets (at most {MAX_BULLETS})")
        for index, bullet in enumerate(bullets):
            if len(bullet.items) > MAX_BULLETS:
                yield ctx.hit((*loc, index, "items"),
                              f"“{plain(bullet.text)}” has {len(bullet.items)} sub-bullets (at most {MAX_BULLETS})")


@rule("PF310", "unplaced-notes", WARNING, "The plan keeps imported text that no output shows.",
      "move each note into the section it belongs to, then delete it from `notes:`")
def unplaced_notes(ctx: LintContext) -> Iterator[Hit]:
    """Find text under `notes:` (what `planforge import` could not place)."""
    for index, _ in enumerate(getattr(ctx.document, "notes", [])):
        yield ctx.hit(("notes", index), "imported text not placed in the plan; no output shows it")
