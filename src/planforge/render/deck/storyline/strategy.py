"""The storyline of a strategy vision."""

from __future__ import annotations

import re

from planforge.i18n import _, join_phrase
from planforge.i18n.formatting import format_date, format_quantity
from planforge.model import Strategy
from planforge.render.deck.measure import Para
from planforge.render.deck.storyline.content import (
    at, bullet_items, group_of, sentence_items, sentences, spec_fields, text_items, text_or_none, title_or, topic_of,
    worded,
)
from planforge.render.deck.storyline.parts import (
    Agenda, Card, Cards, Cover, Divider, Group, Groups, Item, Outcomes, Slide, Stack, Statement, Storyline, Table,
)
from planforge.text import plain

MIN_AGENDA_ENTRIES = 3
"""An agenda of fewer entries says nothing the tracker does not: left out unless the plan words it."""


def strategy_storyline(strategy: Strategy) -> Storyline:
    sections = (_("Summary"), *(area.short or area.name for area in strategy.areas)) + ((_("Next steps"),) if strategy.next_steps
                                                                          else ())
    story = strategy.storyline
    lines = tuple(str(v) for v in (strategy.organisation, strategy.horizon, strategy.owner,
                                   format_date(strategy.date)) if v)
    slides: list[Slide] = [Slide("cover", strategy.title, None, Cover(strategy.title, strategy.subtitle, lines, text_or_none(strategy.audience)),
                                 **spec_fields(story.title))]

    if strategy.executive_summary:
        summary = Groups((Group(None, bullet_items(at(("executive_summary",), strategy.executive_summary))),))
    else:
        summary = Groups(tuple(Group(area.name, _area_messages(area, ("areas", number)))
                               for number, area in enumerate(strategy.areas)))
    slides.append(Slide("groups", title_or(story.executive_summary, _("Executive summary")), 0, summary,
                        **spec_fields(story.executive_summary),
                        **topic_of(story.executive_summary, ("storyline", "executive_summary"))))

    entries = tuple((area.name, area.slides.vision.title or _first_sentence(area.vision)) for area in strategy.areas)
    locs: tuple[tuple | None, ...] = tuple(("areas", number, "name") for number in range(len(strategy.areas)))
    if strategy.next_steps:
        entries += ((_("Next steps"), None),)
        locs += (("next_steps",),)
    # An executive summary made of the areas' first sentences already is the agenda, word for word.
    summary_is_agenda = not strategy.executive_summary and not any(
        _part_titles(area, ("areas", number)) for number, area in enumerate(strategy.areas))
    if (len(entries) >= MIN_AGENDA_ENTRIES and not summary_is_agenda) or worded(story.agenda):
        slides.append(Slide("agenda", title_or(story.agenda, _("Agenda")), 0, Agenda(entries, locs),
                            **spec_fields(story.agenda)))

    for number, area in enumerate(strategy.areas, start=1):
        area_slides = _area_slides(area, number, number)
        if len(strategy.areas) == 1 and area_slides[0].content.optional:
            area_slides = area_slides[1:]  # one area: no divider between it and the summary
        slides.extend(area_slides)

    if strategy.next_steps:
        slides.append(Slide("groups", title_or(story.next_steps, _("Next steps")), len(sections) - 1,
                            Groups((Group(None, bullet_items(at(("next_steps",), strategy.next_steps),
                                                             numbered=True)),)),
                            kicker=_("Next steps"), **spec_fields(story.next_steps),
                            **topic_of(story.next_steps, ("storyline", "next_steps"))))
    return Storyline(sections, tuple(slides))


def _first_sentence(text: str) -> str:
    return sentences(plain(text))[0] if plain(text).strip() else ""


def _area_messages(area, here: tuple) -> tuple[Item, ...]:
    """An area's key messages for a derived executive summary: its slides' action titles, else its vision."""
    titles = _part_titles(area, here)
    if titles:
        return tuple((Para(title, 0, "bullet", loc=loc),) for title, loc in titles)
    return ((Para(_first_sentence(area.vision), 0, "bullet", loc=(*here, "vision")),),)


def _part_titles(area, here: tuple) -> list[tuple[str, tuple]]:
    """The action titles the plan gives the area's parts, with where it writes each."""
    return [(getattr(area.slides, name).title, (*here, "slides", name, "title"))
            for name in ("vision", "initiatives", "outcomes", "privacy") if getattr(area.slides, name).title]


def _area_slides(area, number: int, section: int) -> list[Slide]:
    """The area's divider and its parts (vision, initiatives, privacy, outcomes), each part with its own wording in
    the plan opening a slide and the parts without sharing the slide before them, when they fit."""
    slides, here = area.slides, ("areas", number - 1)
    divider = Slide("divider", title_or(slides.divider, area.name), section,
                    Divider(f"{number:02d}", area.name, optional=not worded(slides.divider)),
                    **spec_fields(slides.divider))
    parts: list[tuple[Slide, tuple[Slide, ...], bool]] = []
    """Each part: its slide on its own, the slides it is as a part of another slide, whether the plan words it."""

    vision = _("{area}: vision and objectives").format(area=area.name)
    leader = Slide("statement", title_or(slides.vision, vision), section,
                   _statement(area.vision, group_of(_("Objectives"), at((*here, "objectives"), area.objectives)),
                              (*here, "vision")),
                   kicker=vision, **spec_fields(slides.vision), **topic_of(slides.vision, (*here, "slides", "vision")))
    parts.append((leader, (leader,), worded(slides.vision)))

    if area.initiatives or area.initiatives_summary:
        cards = tuple(Card(initiative.name, _initiative_items(initiative, (*here, "initiatives", index)),
                           (*here, "initiatives", index, "name"))
                      for index, initiative in enumerate(area.initiatives))
        initiatives = _("{area}: key initiatives").format(area=area.name)
        alone = Slide("cards", title_or(slides.initiatives, initiatives), section,
                      Cards(text_items(area.initiatives_summary, (*here, "initiatives_summary")), cards),
                      kicker=initiatives, **spec_fields(slides.initiatives),
                      **topic_of(slides.initiatives, (*here, "slides", "initiatives")))
        parts.append((alone, (alone,), worded(slides.initiatives)))

    if area.privacy:
        privacy = _("{area}: privacy and compliance").format(area=area.name)
        alone = Slide("statement", title_or(slides.privacy, privacy), section,
                      _statement(area.privacy, [], (*here, "privacy")),
                      kicker=privacy, **spec_fields(slides.privacy),
                      **topic_of(slides.privacy, (*here, "slides", "privacy")))
        row = Slide("groups", alone.title, section, Groups((Group(
            _("Privacy and compliance"), sentence_items(area.privacy, (*here, "privacy"))),)))
        parts.append((alone, (row,), worded(slides.privacy)))

    if area.outcomes or area.kpis:
        groups = Groups((Group(_("Expected outcomes"), sentence_items(area.outcomes, (*here, "outcomes"))),)
                        if area.outcomes else ())
        table = _kpi_table(area.kpis, (*here, "kpis"))
        title = _("{area}: expected outcomes and KPIs").format(area=area.name)
        alone = Slide("outcomes", title_or(slides.outcomes, title), section, Outcomes(groups, table),
                      kicker=_("{area}: outcomes and KPIs").format(area=area.name),
                      **spec_fields(slides.outcomes), **topic_of(slides.outcomes, (*here, "slides", "outcomes")))
        shared = ((Slide("groups", alone.title, section, groups),) if area.outcomes else ()) + \
            ((Slide("table", alone.title, section, table),) if table is not None else ())
        parts.append((alone, shared, worded(slides.outcomes)))

    runs: list[list[tuple[Slide, tuple[Slide, ...], bool]]] = []
    for part in parts:
        if part[2] or not runs:
            runs.append([part])
        else:
            runs[-1].append(part)
    result = [divider]
    for run in runs:
        first = run[0][0]
        if len(run) == 1:
            result.append(first)
            continue
        whole = len(run) == len(parts) and first.topic_at is not None
        title = _("{area} at a glance").format(area=area.name) if whole else first.title
        result.append(Slide("stack", title, section, Stack(tuple(shared for _, shared, _ in run),
                                                           tuple(alone for alone, _, _ in run)),
                            area.name if whole else first.kicker, first.notes, first.source, first.topic_at))
    return result


def _statement(text: str, extra: list[Group], loc: tuple) -> Statement:
    """Prose as a statement (its first sentence) over the remaining sentences as bullets."""
    first, *rest = sentences(text)
    rest_items = tuple((Para(sentence, 0, "bullet", loc=loc),) for sentence in rest)
    groups = ([Group(None, rest_items)] if rest_items else []) + extra
    return Statement(first, Groups(tuple(groups)), loc)


def _initiative_items(initiative, here: tuple) -> tuple[Item, ...]:
    items = list(text_items(initiative.description, (*here, "description")))
    if initiative.owner:
        items.append((Para(_("*Owner:* {owner}").format(owner=initiative.owner), loc=(*here, "owner")),))
    for index, kpi in enumerate(initiative.kpis):
        items.append((Para(_kpi_sentence(kpi), 0, "bullet", loc=(*here, "kpis", index)),))
    return tuple(items)


def _kpi_sentence(kpi) -> str:
    target, baseline = format_quantity(kpi.target, kpi.unit), format_quantity(kpi.baseline, kpi.unit)
    parts = [_("{metric}: **{target}**").format(metric=kpi.metric, target=target)]
    if kpi.baseline is not None:
        parts.append(_("from {baseline}").format(baseline=baseline))
    if kpi.horizon:
        # "by FY2028", "by Q4 2026", "by 2029"; a phrase ("within three years") reads on its own.
        dated = re.match(r"(FY|Q[1-4]\b|H[12]\b|\d)", kpi.horizon)
        parts.append(_("by {horizon}").format(horizon=kpi.horizon) if dated else kpi.horizon)
    return join_phrase(*parts)


def _kpi_table(kpis, here: tuple) -> Table | None:
    if not kpis:
        return None
    columns = [(_("KPI"), "metric", 3.0), (_("Baseline"), "baseline", 1.0), (_("Target"), "target", 1.2),
               (_("Horizon"), "horizon", 1.6)]
    present = [c for c in columns if c[1] in ("metric", "target") or any(getattr(k, c[1]) is not None for k in kpis)]
    rows = tuple(
        tuple(((_kpi_cell(kpi, attr, (*here, index)),),) for _, attr, _ in present) for index, kpi in enumerate(kpis)
    )
    return Table(tuple(c[0] for c in present), rows, tuple(c[2] for c in present))


def _kpi_cell(kpi, attr: str, here: tuple) -> Para:
    value = getattr(kpi, attr)
    if attr in ("baseline", "target") and value is not None:
        value = format_quantity(value, kpi.unit)
    return Para(value, loc=(*here, attr)) if value else Para("—", loc=here)
