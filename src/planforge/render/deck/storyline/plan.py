"""The storyline of a 30-60-90 day plan."""

from __future__ import annotations

from dataclasses import replace

from planforge.i18n import N_, _, ngettext
from planforge.i18n.formatting import format_date, weeks_label
from planforge.model import Plan306090
from planforge.render.deck.measure import Para
from planforge.render.deck.storyline.content import (
    Sourced, at, bullet_items, first_of, group_of, spec_fields, text_or_none, title_or, topic_of, worded,
)
from planforge.render.deck.storyline.parts import (
    Cover, Divider, Group, Groups, Roadmap, RoadmapBlock, RoadmapPhase, Slide, Storyline, Table,
)
PLAN_SECTIONS = (N_("Summary"), N_("Phases"), N_("Roadmap"), N_("Weeks"), N_("Risks"), N_("References"),
                 N_("Appendix"))
"""The tracker's sections of a 30-60-90 plan (in English; shown translated)."""


def plan_storyline(plan: Plan306090) -> Storyline:
    section = {name: index for index, name in enumerate(PLAN_SECTIONS)}
    story = plan.storyline
    slides: list[Slide] = [_plan_cover(plan)]

    summary = plan.executive_summary
    groups = (group_of(_("Purpose"), at(("executive_summary", "purpose"), summary.purpose))
              + group_of(_("Key outcomes"), at(("executive_summary", "key_outcomes"), summary.key_outcomes)))
    if groups:
        slides.append(Slide("groups", title_or(story.executive_summary, _("Executive summary")), section["Summary"],
                            Groups(tuple(groups)), **spec_fields(story.executive_summary),
                            **topic_of(story.executive_summary, ("storyline", "executive_summary"))))

    span = _plan_span(plan)
    glance = _("{days}-day plan at a glance").format(days=span) if span else _("Phased plan at a glance")
    slides.append(Slide("table", title_or(story.phase_summary, glance), section["Summary"],
                        _phase_summary_table(plan, condensed=True), kicker=_summary_kicker(span),
                        **spec_fields(story.phase_summary), **topic_of(story.phase_summary, ("storyline", "phase_summary"))))

    for number, phase in enumerate(plan.phases):
        wording, here = phase.slide, ("phases", number)
        groups = (group_of(_("Objectives"), first_of(at((*here, "slide", "objectives"), wording.objectives),
                                                 at((*here, "key_objectives"), phase.key_objectives)))
                  + group_of(_("Key actions") if wording.key_actions else _("Focus areas"),
                           first_of(at((*here, "slide", "key_actions"), wording.key_actions),
                                    at((*here, "focus_areas"), phase.focus_areas)),
                           numbered=bool(wording.key_actions))
                  + group_of(_("Success metrics") if wording.success_metrics else _("Expected outcomes"),
                           first_of(at((*here, "slide", "success_metrics"), wording.success_metrics),
                                  at((*here, "expected_outcomes"), phase.expected_outcomes))))
        kicker = _("{name}: {theme}").format(name=phase.name, theme=phase.theme) if phase.theme else phase.name
        slides.append(Slide("groups", title_or(wording, kicker), section["Phases"], Groups(tuple(groups)),
                            kicker=kicker, **spec_fields(wording), **topic_of(wording, (*here, "slide"))))

    if plan.week_blocks:
        phases, blocks = len(plan.phases), len(plan.week_blocks)
        default = _("Roadmap: {phases}, {blocks}").format(
            phases=ngettext("{n} phase", "{n} phases", phases).format(n=phases),
            blocks=ngettext("{n} block of weeks", "{n} blocks of weeks", blocks).format(n=blocks))
        slides.append(Slide("roadmap", title_or(story.roadmap, default), section["Roadmap"], _roadmap(plan),
                            kicker=_("Week-by-week overview"), **spec_fields(story.roadmap),
                            **topic_of(story.roadmap, ("storyline", "roadmap"))))

    for number, block in enumerate(plan.week_blocks):
        wording, here = block.slide, ("week_blocks", number)
        label = _("{weeks}: {name}").format(weeks=weeks_label(block.first_week, block.last_week),
                                            name=wording.label or block.title)
        groups = (group_of(_("Primary objectives"), first_of(at((*here, "slide", "objectives"), wording.objectives),
                                                         _all(block, here, "primary_objectives")))
                  + group_of(_("Key deliverables"), first_of(at((*here, "slide", "deliverables"), wording.deliverables),
                                                         _all(block, here, "deliverables")))
                  + group_of(_("Success metrics"),
                           first_of(at((*here, "slide", "success_metrics"), wording.success_metrics),
                                  _all(block, here, "success_metrics"))))
        if groups:
            slides.append(Slide("groups", title_or(wording, label), section["Weeks"], Groups(tuple(groups)),
                                kicker=label, **spec_fields(wording), **topic_of(wording, (*here, "slide"))))

    if plan.pitfalls:
        slides.append(Slide("table", title_or(story.pitfalls, _("Potential pitfalls and how to mitigate them")),
                            section["Risks"], _pitfall_table(plan, condensed=True),
                            kicker=_("Pitfalls and mitigations"), **spec_fields(story.pitfalls),
                            **topic_of(story.pitfalls, ("storyline", "pitfalls"))))

    if plan.references:
        items = tuple((Para(_reference(r), 0, "number", i, loc=("references", i - 1)),)
                      for i, r in enumerate(plan.references, start=1))
        slides.append(Slide("groups", title_or(story.references, _("References")), section["References"],
                            Groups((Group(None, items),)), kicker=_("References"), **spec_fields(story.references)))

    slides.extend(_plan_appendix(plan, section["Appendix"]))
    # The tracker names the sections the deck has (a plan without week blocks has no roadmap or weeks).
    used = sorted({slide.section for slide in slides if slide.section is not None})
    renumber = {old: new for new, old in enumerate(used)}
    slides = [replace(slide, section=renumber[slide.section]) if slide.section is not None else slide
              for slide in slides]
    return Storyline(tuple(_(PLAN_SECTIONS[index]) for index in used), tuple(slides))


def _plan_span(plan: Plan306090) -> str | None:
    """The plan's span in days, e.g. "30-60-90", for up to four phases; None for more."""
    return "-".join(str(p.end_day) for p in plan.phases) if len(plan.phases) <= 4 else None


def _summary_kicker(span: str | None, appendix: bool = False) -> str:
    """The phase summary's kicker, naming the plan's span (a 180-day plan is no 30-60-90 day plan)."""
    if span == "30-60-90":
        return _("Appendix: 30-60-90 day summary") if appendix else _("30-60-90 day summary")
    if span:
        return (_("Appendix: {days}-day summary") if appendix else _("{days}-day summary")).format(days=span)
    return _("Appendix: phase summary") if appendix else _("Phase summary")


def _plan_cover(plan: Plan306090) -> Slide:
    # The date is worded as the page and the document word it (one formatting function for every output).
    lines = tuple(str(v) for v in (plan.role, plan.organisation, plan.owner, format_date(plan.date))
                  if v)
    return Slide("cover", plan.title, None, Cover(plan.title, plan.subtitle, lines, text_or_none(plan.audience)), **spec_fields(plan.storyline.title))


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
            objectives = first_of(at((*here, "slide", "summary_objectives"), wording.summary_objectives), objectives)
            outcomes = first_of(at((*here, "slide", "summary_outcomes"), wording.summary_outcomes), outcomes)
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
    """The appendix: what the deck shows only in brief, in full (nothing, and no divider, when it shows it all)."""
    story = plan.storyline.appendix
    intro = plan.week_breakdown_intro
    default = _("Appendix: week-by-week detail") if plan.week_blocks else _("Appendix")
    divider = Slide("divider", title_or(story, default), section,
                    Divider("A", _("Appendix"), intro, optional=not worded(story)), **spec_fields(story))
    slides = []
    span = _plan_span(plan)
    in_full = (_("{days}-day summary in full: objectives, focus areas and outcomes").format(days=span) if span
               else _("Phased summary in full: objectives, focus areas and outcomes"))
    if any(p.focus_areas or p.slide.summary_objectives or p.slide.summary_outcomes for p in plan.phases):
        slides.append(Slide("table", in_full, section,
                            _phase_summary_table(plan, condensed=False),
                            kicker=_summary_kicker(span, appendix=True)))
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
    if any(p.brief.pitfall or p.brief.mitigation for p in plan.pitfalls):
        slides.append(Slide("table", _("Potential pitfalls and mitigation strategies in full"), section,
                            _pitfall_table(plan, condensed=False), kicker=_("Appendix: pitfalls")))
    return [divider, *slides] if slides or worded(story) else []


