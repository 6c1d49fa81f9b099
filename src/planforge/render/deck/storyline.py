"""Which slides a plan becomes, in what order, with their action titles and content (no layout here)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import singledispatch
from typing import Sequence

from planforge.i18n import N_, _, current, ngettext
from planforge.i18n.typography import typeset
from planforge.i18n.formatting import format_date, format_quantity, weeks_label
from planforge.model import Plan306090, Strategy
from planforge.model.common import Bullet, SlideSpec
from planforge.render.deck.measure import Para
from planforge.text import plain

Item = tuple[Para, ...]
"""A bullet with its sub-bullets: the unit that is never split across slides."""


@dataclass(frozen=True)
class Group:
    """A labelled list (e.g. "Key actions" and its bullets); no heading means a full-width block."""

    heading: str | None
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Groups:
    """Labelled rows of bullets or paragraphs."""

    groups: tuple[Group, ...]


@dataclass(frozen=True)
class Table:
    """A table: header cells, rows of cells (each cell a list of items) and relative column widths."""

    header: tuple[str, ...]
    rows: tuple[tuple[tuple[Item, ...], ...], ...]
    weights: tuple[float, ...]
    label_column: bool = True
    """The first column names its row (set bold, in the dark colour)."""


@dataclass(frozen=True)
class Outcomes:
    """Paragraph rows followed by a table (an area's outcomes and its KPIs)."""

    groups: Groups
    table: Table | None


@dataclass(frozen=True)
class Statement:
    """A one-sentence message set large, with rows that support it below."""

    statement: str
    groups: Groups
    loc: tuple | None = None
    """Where the plan writes the statement."""


@dataclass(frozen=True)
class Card:
    """One card: a heading and its items."""

    heading: str
    items: tuple[Item, ...]
    loc: tuple | None = None
    """Where the plan writes the heading."""


@dataclass(frozen=True)
class Cards:
    """A lead paragraph over a row of cards (an area's initiatives)."""

    lead: tuple[Item, ...]
    cards: tuple[Card, ...]


@dataclass(frozen=True)
class RoadmapPhase:
    """A phase bar on the roadmap."""

    name: str
    theme: str | None
    start_day: int
    end_day: int


@dataclass(frozen=True)
class RoadmapBlock:
    """A row of the roadmap: a block of weeks."""

    label: str
    first_week: int
    last_week: int
    detail: str | None = None
    loc: tuple | None = None
    """Where the plan writes the label."""


@dataclass(frozen=True)
class Roadmap:
    """Phases over days and week blocks over weeks, drawn on one time axis."""

    phases: tuple[RoadmapPhase, ...]
    blocks: tuple[RoadmapBlock, ...]


@dataclass(frozen=True)
class Cover:
    """The title slide."""

    title: str
    subtitle: str | None
    lines: tuple[str, ...]
    audience: str | None = None

    def paras(self) -> list[Para]:
        """Subtitle, who the plan is for, then the who/when lines, one paragraph each."""
        audience = (f"{typeset(_('Audience') + ':', current().code)} {self.audience}",) if self.audience else ()
        return [Para(line) for line in ((self.subtitle,) if self.subtitle else ()) + audience + self.lines]


@dataclass(frozen=True)
class Divider:
    """A section divider."""

    number: str
    name: str
    subtitle: str | None = None


@dataclass(frozen=True)
class Agenda:
    """The agenda: numbered entries with an optional one-line description each."""

    entries: tuple[tuple[str, str | None], ...]
    locs: tuple[tuple | None, ...] = ()
    """Where the plan writes each entry's name."""


@dataclass(frozen=True)
class Stack:
    """Short parts sharing one slide, top to bottom; `separate` are the slides they make when they do not fit."""

    parts: tuple["Slide", ...]
    separate: tuple["Slide", ...]


@dataclass(frozen=True)
class Slide:
    """One slide of the storyline (a long one may become several slides when laid out)."""

    kind: str
    """The builder that lays it out, e.g. "groups", "table", "roadmap"."""
    title: str
    section: int | None
    content: object
    kicker: str | None = None
    """A short label over the title naming the part of the plan the slide covers."""
    notes: str | None = None
    source: str | None = None
    topic_at: tuple | None = None
    """For a content slide whose title is a topic planforge made up, where the plan's wording of the slide (the
    mapping that takes its `title`) belongs; None when the plan gives the title or the slide takes none."""


def topic_titled(story: "Storyline") -> list[Slide]:
    """The content slides of `story` that show a made-up topic title instead of the plan's action title."""
    return [slide for slide in story.slides if slide.topic_at is not None]


@dataclass(frozen=True)
class Storyline:
    """The slides in order and the sections the tracker shows."""

    sections: tuple[str, ...]
    slides: tuple[Slide, ...] = field(default_factory=tuple)


def storyline(document) -> Storyline:
    """Return the storyline of any plan document."""
    return _storyline(document)


@singledispatch
def _storyline(document) -> Storyline:
    raise TypeError(f"no deck storyline for {type(document).__name__}")


# --- content helpers -------------------------------------------------------------------------------------------


Sourced = tuple[Sequence[Bullet], Sequence[tuple]]
"""Bullets with where the plan writes each one (model locations, in the same order)."""


def at(loc: tuple, bullets: Sequence[Bullet]) -> Sourced:
    """Bullets written as the list at `loc`."""
    return bullets, [(*loc, index) for index in range(len(bullets))]


def bullet_items(sourced: Sourced, numbered: bool = False) -> tuple[Item, ...]:
    """Bullets (with sub-bullets) as items; numbered lists count from 1."""
    items = []
    for index, (bullet, loc) in enumerate(zip(*sourced), start=1):
        head = Para(bullet.text, 0, "number" if numbered else "bullet", index, loc=loc)
        subs = (Para(text, 1, "bullet", loc=(*loc, "items", sub)) for sub, text in enumerate(bullet.items))
        items.append((head, *subs))
    return tuple(items)


def text_items(text: str | None, loc: tuple | None = None) -> tuple[Item, ...]:
    """A paragraph as one item per sentence group: paragraphs split at blank lines, never mid-sentence."""
    if not text:
        return ()
    return tuple((Para(part.strip(), loc=loc),) for part in re.split(r"\n\s*\n", text) if part.strip())


# A sentence ends at . ! or ? followed by a capital, except after abbreviations such as "e.g." or "vs.".
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bvs\.)(?<!\bcf\.)\s+(?=[A-Z“\"*])")


def sentences(text: str) -> list[str]:
    """Split prose into its sentences, each kept word for word."""
    return [part for part in _SENTENCE_END.split(" ".join(text.split())) if part]


def sentence_items(text: str | None, loc: tuple | None = None) -> tuple[Item, ...]:
    """Prose as one bullet per sentence, so a paragraph reads as a list on a slide."""
    if not text:
        return ()
    return tuple((Para(sentence, 0, "bullet", loc=loc),) for sentence in sentences(text))


def _spec(spec: SlideSpec | None) -> dict:
    return {"notes": spec.notes, "source": spec.source} if spec else {}


def _title(spec: SlideSpec | None, default: str) -> str:
    return spec.title if spec and spec.title else default


def _topic(spec: SlideSpec | None, loc: tuple) -> dict:
    """`topic_at` for a content slide worded by `spec` (written at `loc`): set when the plan gives no title."""
    return {} if spec and spec.title else {"topic_at": loc}


def _group(heading: str, sourced: Sourced, numbered: bool = False) -> list[Group]:
    return [Group(heading, bullet_items(sourced, numbered))] if sourced[0] else []


def _first(*candidates: Sourced) -> Sourced:
    """The first of the candidates that has bullets (e.g. a slide's own wording, else the plan's full text)."""
    return next((c for c in candidates if c[0]), ((), ()))


# --- 30-60-90 day plan ---------------------------------------------------------------------------------------

PLAN_SECTIONS = (N_("Summary"), N_("Phases"), N_("Roadmap"), N_("Weeks"), N_("Risks"), N_("References"),
                 N_("Appendix"))
"""The tracker's sections of a 30-60-90 plan (in English; shown translated)."""


@_storyline.register
def _plan_storyline(plan: Plan306090) -> Storyline:
    section = {name: index for index, name in enumerate(PLAN_SECTIONS)}
    story = plan.storyline
    slides: list[Slide] = [_plan_cover(plan)]

    summary = plan.executive_summary
    groups = (_group(_("Purpose"), at(("executive_summary", "purpose"), summary.purpose))
              + _group(_("Key outcomes"), at(("executive_summary", "key_outcomes"), summary.key_outcomes)))
    if groups:
        slides.append(Slide("groups", _title(story.executive_summary, _("Executive summary")), section["Summary"],
                            Groups(tuple(groups)), **_spec(story.executive_summary),
                            **_topic(story.executive_summary, ("storyline", "executive_summary"))))

    span = _plan_span(plan)
    glance = _("{days}-day plan at a glance").format(days=span) if span else _("Phased plan at a glance")
    slides.append(Slide("table", _title(story.phase_summary, glance), section["Summary"],
                        _phase_summary_table(plan, condensed=True), kicker=_("30-60-90 day summary"),
                        **_spec(story.phase_summary), **_topic(story.phase_summary, ("storyline", "phase_summary"))))

    for number, phase in enumerate(plan.phases):
        wording, here = phase.slide, ("phases", number)
        groups = (_group(_("Objectives"), _first(at((*here, "slide", "objectives"), wording.objectives),
                                                 at((*here, "key_objectives"), phase.key_objectives)))
                  + _group(_("Key actions"), _first(at((*here, "slide", "key_actions"), wording.key_actions),
                                                    at((*here, "focus_areas"), phase.focus_areas)),
                           numbered=bool(wording.key_actions))
                  + _group(_("Success metrics") if wording.success_metrics else _("Expected outcomes"),
                           _first(at((*here, "slide", "success_metrics"), wording.success_metrics),
                                  at((*here, "expected_outcomes"), phase.expected_outcomes))))
        kicker = _("{name}: {theme}").format(name=phase.name, theme=phase.theme) if phase.theme else phase.name
        slides.append(Slide("groups", _title(wording, kicker), section["Phases"], Groups(tuple(groups)),
                            kicker=kicker, **_spec(wording), **_topic(wording, (*here, "slide"))))

    if plan.week_blocks:
        phases, blocks = len(plan.phases), len(plan.week_blocks)
        default = _("Roadmap: {phases}, {blocks}").format(
            phases=ngettext("{n} phase", "{n} phases", phases).format(n=phases),
            blocks=ngettext("{n} block of weeks", "{n} blocks of weeks", blocks).format(n=blocks))
        slides.append(Slide("roadmap", _title(story.roadmap, default), section["Roadmap"], _roadmap(plan),
                            kicker=_("Week-by-week overview"), **_spec(story.roadmap),
                            **_topic(story.roadmap, ("storyline", "roadmap"))))

    for number, block in enumerate(plan.week_blocks):
        wording, here = block.slide, ("week_blocks", number)
        label = _("{weeks}: {name}").format(weeks=weeks_label(block.first_week, block.last_week),
                                            name=wording.label or block.title)
        groups = (_group(_("Primary objectives"), _first(at((*here, "slide", "objectives"), wording.objectives),
                                                         _all(block, here, "primary_objectives")))
                  + _group(_("Key deliverables"), _first(at((*here, "slide", "deliverables"), wording.deliverables),
                                                         _all(block, here, "deliverables")))
                  + _group(_("Success metrics"),
                           _first(at((*here, "slide", "success_metrics"), wording.success_metrics),
                                  _all(block, here, "success_metrics"))))
        if groups:
            slides.append(Slide("groups", _title(wording, label), section["Weeks"], Groups(tuple(groups)),
                                kicker=label, **_spec(wording), **_topic(wording, (*here, "slide"))))

    if plan.pitfalls:
        slides.append(Slide("table", _title(story.pitfalls, _("Potential pitfalls and how to mitigate them")),
                            section["Risks"], _pitfall_table(plan, condensed=True),
                            kicker=_("Pitfalls and mitigations"), **_spec(story.pitfalls),
                            **_topic(story.pitfalls, ("storyline", "pitfalls"))))

    if plan.references:
        items = tuple((Para(_reference(r), 0, "number", i, loc=("references", i - 1)),)
                      for i, r in enumerate(plan.references, start=1))
        slides.append(Slide("groups", _title(story.references, _("References")), section["References"],
                            Groups((Group(None, items),)), kicker=_("References"), **_spec(story.references)))

    slides.extend(_plan_appendix(plan, section["Appendix"]))
    return Storyline(tuple(_(name) for name in PLAN_SECTIONS), tuple(slides))


def _plan_span(plan: Plan306090) -> str | None:
    """The plan's span in days, e.g. "30-60-90", for up to four phases; None for more."""
    return "-".join(str(p.end_day) for p in plan.phases) if len(plan.phases) <= 4 else None


def _text(value) -> str | None:
    """A plan text field as a string, None when it is empty."""
    return str(value) if value else None


def _plan_cover(plan: Plan306090) -> Slide:
    # The date is worded as the page and the document word it (one formatting function for every output).
    lines = tuple(str(v) for v in (plan.role, plan.organisation, plan.owner, format_date(plan.date))
                  if v)
    return Slide("cover", plan.title, None, Cover(plan.title, plan.subtitle, lines, _text(plan.audience)), **_spec(plan.storyline.title))


def _all(block, here: tuple, field_name: str) -> Sourced:
    """The block's bullets of one field, week after week."""
    sourced = [(bullet, (*here, "weeks", number, field_name, index)) for number, week in enumerate(block.weeks)
               for index, bullet in enumerate(getattr(week, field_name))]
    return [bullet for bullet, _ in sourced], [loc for _, loc in sourced]


def _phase_summary_table(plan: Plan306090, condensed: bool) -> Table:
    rows = []
    for number, phase in enumerate(plan.phases):
        wording, here = phase.slide, ("phases", number)
        objectives = at((*here, "key_objectives"), phase.key_objectives)
        outcomes = at((*here, "expected_outcomes"), phase.expected_outcomes)
        if condensed:
            objectives = _first(at((*here, "slide", "summary_objectives"), wording.summary_objectives), objectives)
            outcomes = _first(at((*here, "slide", "summary_outcomes"), wording.summary_outcomes), outcomes)
        cells = [((Para(phase.name, loc=(*here, "name")),),), bullet_items(objectives, numbered=True)]
        if not condensed:
            cells.append(bullet_items(at((*here, "focus_areas"), phase.focus_areas)))
        cells.append(bullet_items(outcomes))
        rows.append(tuple(cells))
    if condensed:
        return Table((_("Timeframe"), _("Key objectives"), _("Expected outcomes")), tuple(rows), (1.0, 2.6, 2.6))
    return Table((_("Timeframe"), _("Key objectives"), _("Focus areas"), _("Expected outcomes")), tuple(rows),
                 (1.0, 2.2, 3.0, 2.4))


def _pitfall_table(plan: Plan306090, condensed: bool) -> Table:
    rows = []
    for index, pitfall in enumerate(plan.pitfalls, start=1):
        here = ("pitfalls", index - 1)
        # The condensed table shows the brief wording where the plan has it.
        name_at = (*here, "brief", "pitfall") if condensed and pitfall.brief.pitfall else (*here, "pitfall")
        mitigation_at = ((*here, "brief", "mitigation") if condensed and pitfall.brief.mitigation
                         else (*here, "mitigation"))
        name = (pitfall.brief.pitfall or pitfall.pitfall) if condensed else pitfall.pitfall
        mitigation = (pitfall.brief.mitigation or pitfall.mitigation) if condensed else pitfall.mitigation
        rows.append((((Para(f"{index}. {name}", loc=name_at),),), ((Para(mitigation, loc=mitigation_at),),)))
    header = (_("Pitfall"), _("Mitigation")) if condensed else (_("Pitfall"), _("Mitigation strategy"))
    return Table(header, tuple(rows), (1.0, 1.6))


def _reference(reference) -> str:
    year = f" ({reference.year})" if reference.year else ""
    parts = [f"{reference.authors}{year}. *{reference.title}.*"]
    if reference.publisher:
        parts.append(f"{reference.publisher}.")
    if reference.url and reference.url.lower().startswith(("http://", "https://")):
        parts.append(reference.url)
    return " ".join(parts)


def _roadmap(plan: Plan306090) -> Roadmap:
    phases = tuple(RoadmapPhase(p.name, p.theme, p.start_day, p.end_day) for p in plan.phases)
    blocks = tuple(
        RoadmapBlock(b.slide.label or b.title, b.first_week, b.last_week, weeks_label(b.first_week, b.last_week),
                     ("week_blocks", number, *(("slide", "label") if b.slide.label else ("title",))))
        for number, b in enumerate(plan.week_blocks)
    )
    return Roadmap(phases, blocks)


_ELEMENTS = (
    (N_("Primary objectives"), "primary_objectives"),
    (N_("Key actions"), "key_actions"),
    (N_("Meetings / stakeholders"), "stakeholders"),
    (N_("Documents / deliverables"), "deliverables"),
    (N_("Success metrics"), "success_metrics"),
)


def _plan_appendix(plan: Plan306090, section: int) -> list[Slide]:
    story = plan.storyline.appendix
    intro = plan.week_breakdown_intro
    slides = [Slide("divider", _title(story, _("Appendix: week-by-week detail")), section,
                    Divider("A", _("Appendix"), intro), **_spec(story))]
    span = _plan_span(plan)
    in_full = (_("{days}-day summary in full: objectives, focus areas and outcomes").format(days=span) if span
               else _("Phased summary in full: objectives, focus areas and outcomes"))
    slides.append(Slide("table", in_full, section,
                        _phase_summary_table(plan, condensed=False), kicker=_("Appendix: 30-60-90 day summary")))
    for block_number, block in enumerate(plan.week_blocks):
        label = _("{weeks}: {name}").format(weeks=weeks_label(block.first_week, block.last_week), name=block.title)
        header = (_("Element"), *(weeks_label(w.week, w.week) for w in block.weeks))
        rows = []
        for name, field_name in _ELEMENTS:
            cells = [bullet_items(at(("week_blocks", block_number, "weeks", number, field_name),
                                     getattr(week, field_name))) for number, week in enumerate(block.weeks)]
            if any(cells):
                rows.append((((Para(_(name)),),), *cells))
        weights = (1.0, *([3.0] * len(block.weeks)))
        slides.append(Slide("table", label, section, Table(header, tuple(rows), weights),
                            kicker=_("Appendix: {label}").format(label=label)))
    if plan.pitfalls:
        slides.append(Slide("table", _("Potential pitfalls and mitigation strategies in full"), section,
                            _pitfall_table(plan, condensed=False), kicker=_("Appendix: pitfalls")))
    return slides


# --- strategy ------------------------------------------------------------------------------------------------


@_storyline.register
def _strategy_storyline(strategy: Strategy) -> Storyline:
    sections = (_("Summary"), *(area.short or area.name for area in strategy.areas)) + ((_("Next steps"),) if strategy.next_steps
                                                                          else ())
    story = strategy.storyline
    lines = tuple(str(v) for v in (strategy.organisation, strategy.horizon, strategy.owner,
                                   format_date(strategy.date)) if v)
    slides: list[Slide] = [Slide("cover", strategy.title, None, Cover(strategy.title, strategy.subtitle, lines, _text(strategy.audience)),
                                 **_spec(story.title))]

    if strategy.executive_summary:
        summary = Groups((Group(None, bullet_items(at(("executive_summary",), strategy.executive_summary))),))
    else:
        summary = Groups(tuple(Group(area.name, _area_messages(area, ("areas", number)))
                               for number, area in enumerate(strategy.areas)))
    slides.append(Slide("groups", _title(story.executive_summary, _("Executive summary")), 0, summary,
                        **_spec(story.executive_summary),
                        **_topic(story.executive_summary, ("storyline", "executive_summary"))))

    entries = tuple((area.name, area.slides.vision.title or _first_sentence(area.vision)) for area in strategy.areas)
    locs: tuple[tuple | None, ...] = tuple(("areas", number, "name") for number in range(len(strategy.areas)))
    if strategy.next_steps:
        entries += ((_("Next steps"), None),)
        locs += (("next_steps",),)
    slides.append(Slide("agenda", _title(story.agenda, _("Agenda")), 0, Agenda(entries, locs), **_spec(story.agenda)))

    for number, area in enumerate(strategy.areas, start=1):
        slides.extend(_area_slides(area, number, number))

    if strategy.next_steps:
        slides.append(Slide("groups", _title(story.next_steps, _("Next steps")), len(sections) - 1,
                            Groups((Group(None, bullet_items(at(("next_steps",), strategy.next_steps),
                                                             numbered=True)),)),
                            kicker=_("Next steps"), **_spec(story.next_steps),
                            **_topic(story.next_steps, ("storyline", "next_steps"))))
    return Storyline(sections, tuple(slides))


def _first_sentence(text: str) -> str:
    return sentences(plain(text))[0] if plain(text).strip() else ""


def _area_messages(area, here: tuple) -> tuple[Item, ...]:
    """An area's key messages for a derived executive summary: its slides' action titles, else its vision."""
    titles = [(getattr(area.slides, name).title, (*here, "slides", name, "title"))
              for name in ("vision", "initiatives", "outcomes", "privacy") if getattr(area.slides, name).title]
    if titles:
        return tuple((Para(title, 0, "bullet", loc=loc),) for title, loc in titles)
    first_sentence = re.split(r"(?<=[.!?])\s+", plain(area.vision))[0]
    return ((Para(first_sentence, 0, "bullet", loc=(*here, "vision")),),)


def _area_slides(area, number: int, section: int) -> list[Slide]:
    slides, here = area.slides, ("areas", number - 1)
    result = [Slide("divider", _title(slides.divider, area.name), section,
                    Divider(f"{number:02d}", area.name, slides.divider.title), **_spec(slides.divider))]

    vision = _("{area}: vision and objectives").format(area=area.name)
    result.append(Slide("statement", _title(slides.vision, vision), section,
                        _statement(area.vision, _group(_("Objectives"), at((*here, "objectives"), area.objectives)),
                                   (*here, "vision")),
                        kicker=vision, **_spec(slides.vision), **_topic(slides.vision, (*here, "slides", "vision"))))

    if area.initiatives or area.initiatives_summary:
        cards = tuple(Card(initiative.name, _initiative_items(initiative, (*here, "initiatives", index)),
                           (*here, "initiatives", index, "name"))
                      for index, initiative in enumerate(area.initiatives))
        initiatives = _("{area}: key initiatives").format(area=area.name)
        result.append(Slide("cards", _title(slides.initiatives, initiatives), section,
                            Cards(text_items(area.initiatives_summary, (*here, "initiatives_summary")), cards),
                            kicker=initiatives, **_spec(slides.initiatives),
                            **_topic(slides.initiatives, (*here, "slides", "initiatives"))))

    if area.privacy:
        privacy = _("{area}: privacy and compliance").format(area=area.name)
        result.append(Slide("statement", _title(slides.privacy, privacy), section,
                            _statement(area.privacy, [], (*here, "privacy")),
                            kicker=privacy, **_spec(slides.privacy),
                            **_topic(slides.privacy, (*here, "slides", "privacy"))))
    if area.outcomes or area.kpis:
        groups = Groups((Group(_("Expected outcomes"), sentence_items(area.outcomes, (*here, "outcomes"))),)
                        if area.outcomes else ())
        title = _("{area}: expected outcomes and KPIs").format(area=area.name)
        result.append(Slide("outcomes", _title(slides.outcomes, title), section,
                            Outcomes(groups, _kpi_table(area.kpis, (*here, "kpis"))),
                            kicker=_("{area}: outcomes and KPIs").format(area=area.name),
                            **_spec(slides.outcomes), **_topic(slides.outcomes, (*here, "slides", "outcomes"))))

    return _share(result, area, here)


def _share(result: list[Slide], area, here: tuple) -> list[Slide]:
    """Let an area's short parts without titles of their own share the slide before them: the privacy text as a
    row and KPIs without outcome text as a table, under the initiatives (or the vision); laid out apart when they
    do not fit together."""
    slides = area.slides
    trailing: list[Slide] = []
    merged: list[Slide] = []
    for slide in result:
        if slide.kind == "statement" and area.privacy and slide.content.loc == (*here, "privacy") \
                and not (slides.privacy.title or slides.privacy.notes or slides.privacy.source):
            trailing.append(Slide("groups", slide.title, slide.section, Groups((Group(
                _("Privacy and compliance"), sentence_items(area.privacy, (*here, "privacy"))),))))
            merged.append(slide)
        elif slide.kind == "outcomes" and not area.outcomes and slide.content.table is not None \
                and not (slides.outcomes.title or slides.outcomes.notes or slides.outcomes.source):
            trailing.append(Slide("table", slide.title, slide.section, slide.content.table))
            merged.append(slide)
    leader = next((s for s in reversed(result) if s.kind in ("cards", "statement")
                   and not any(s is m for m in merged)), None)
    if leader is None or not trailing:
        return result
    stack = Slide("stack", leader.title, leader.section, Stack((leader, *trailing), (leader, *merged)),
                  leader.kicker, leader.notes, leader.source, leader.topic_at)
    return [stack if s is leader else s for s in result if not any(s is m for m in merged)]


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
    return " ".join(parts)


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
