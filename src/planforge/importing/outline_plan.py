"""A note's section tree → a 30-60-90 plan: phase headings by days, months or milestones, weeks inside or beside them."""

from __future__ import annotations

import re
from typing import Any

from planforge.importing.day_plan import _without_empty
from planforge.importing.outline_lists import pitfalls_in, references_in
from planforge.importing.draft import Draft, bullet, join_sentences
from planforge.importing.gather import block_bullets, flat_texts, row_text, section_bullets
from planforge.importing.notes import Labelled, Notes, Paragraph, Table, bare
from planforge.importing.outline import (
    MAX_DAY, PHASE_PARTS, PLAN_DOCUMENT, WEEK_PARTS, Period, Section, classify, names, period, tree,
)

_SHORT_THEME = 12
_LONG = 160
"""Objectives longer than this many characters are shown by their lead on the summary slide."""
_LEAD_WORDS = 16


class OutlinePlan:
    """Places a note's sections in a 30-60-90 plan; what has no place is kept under `notes:` with its heading."""

    def __init__(self, notes: Notes, draft: Draft):
        self.notes = notes
        self.draft = draft
        self.phases: dict[tuple[int, int], dict] = {}
        self.blocks: dict[tuple[int, int], dict] = {}
        self.purpose: list = []
        self.key_outcomes: list = []
        self.pitfalls: list[dict] = []
        self.references: list[dict] = []
        self.intro: list[str] = []
        self.milestones: list[int] = []
        self.block_phase: dict[int, tuple[int, int]] = {}
        """The phase (its days) each week was written under, by week number."""

    # -----------------------------------------------------------------------------------------------------------

    def run(self) -> dict:
        """Return the plan's fields."""
        title, root = tree(self.notes)
        self.title = title
        self.milestones = sorted({p.milestone for s in root.walk() if s is not root and not self._in_phase(s)
                                  and (p := period(s.title)) and p.milestone})
        self.purpose.extend(block_bullets(root.blocks))
        for section in root.children:
            self._section(section, group=None)
        self.found = bool(self.phases or self.blocks)
        """Whether the notes have phases or weeks of their own (none were made up)."""
        return self._finish()

    def _in_phase(self, section: Section) -> bool:
        node = section.parent
        while node is not None and node.level > 0:
            if self._phase_days(node) is not None:
                return True
            node = node.parent
        return False

    def _phase_days(self, section: Section) -> tuple[int, int] | None:
        found = period(section.title)
        if found is None:
            return None
        if found.days:
            return found.days
        if found.milestone and found.milestone in self.milestones and not names(section.title, ("check", "review",
                                                                                              "bilan", "point")):
            index = self.milestones.index(found.milestone)
            return (self.milestones[index - 1] + 1 if index else 1, found.milestone)
        if found.phase:
            start = (found.phase - 1) * 30 + 1
            return (min(start, MAX_DAY), min(start + 29, MAX_DAY))
        return None

    def _section(self, section: Section, group: str | None) -> None:
        """Place a section outside any phase: a phase, a week block, a document part, or a group of phases."""
        days = self._phase_days(section)
        found = period(section.title)
        if days is not None:
            self._phase_section(section, days, group)
            return
        if found is not None and found.weeks:
            self._week_section(section, found, None)
            return
        if any(self._phase_days(s) or ((p := period(s.title)) and p.weeks) for s in section.walk() if s is not section):
            # A section holding phases groups them ("Initiative Goals" over "30 Days", "60 Days", …).
            texts = [t for value in block_bullets(section.blocks) for t in _all_texts(value)]
            if texts:
                self.key_outcomes.append({"text": f"**{section.title}**", "items": texts})
            for child in section.children:
                self._section(child, group=section.title)
            return
        part = classify(section.title, PLAN_DOCUMENT)
        if part == "pitfalls" and (found := pitfalls_in(section, self.draft, len(self.pitfalls))):
            self.pitfalls.extend(found)
            return
        if part == "references":
            self.references.extend(references_in(section, self.draft, len(self.references)))
        elif part == "week_intro":
            self._week_intro(section)
        elif part in ("purpose", "key_outcomes"):
            target = self.purpose if part == "purpose" else self.key_outcomes
            bullets = section_bullets(section)
            if bullets:
                target.append({"text": f"**{section.title}**", "items": [_text(b) for b in bullets]}
                              if len(bullets) > 1 else f"**{section.title}:** {_text(bullets[0])}")
            else:
                target.append(section.title)
        else:
            self.draft.unplaced_section(section, f"the section “{section.title}” has no place in a 30-60-90 plan")

    # -----------------------------------------------------------------------------------------------------------
    # Phases and weeks

    def _phase(self, days: tuple[int, int], name: str, line: int) -> dict:
        if days not in self.phases:
            self.phases[days] = {"name": name, "start_day": days[0], "end_day": days[1], "theme": None,
                                 "key_objectives": [], "focus_areas": [], "expected_outcomes": [], "_line": line}
        return self.phases[days]

    def _phase_section(self, section: Section, days: tuple[int, int], group: str | None) -> None:
        found = period(section.title) or Period()
        name = _name(section.title, found.rest)
        phase = self._phase(days, name, section.line)
        if found.rest and not phase["theme"]:
            phase["theme"] = found.rest
        elif found.rest and bare(found.rest) not in bare(phase["theme"]):
            phase["theme"] = f"{phase['theme']}; {found.rest}"
        if group:
            items = [t for b in self._phase_part_bullets(section, phase) for t in _all_texts(b)]
            if items:
                phase["key_objectives"].append({"text": f"**{group}**", "items": items})
            return
        for value in self._phase_part_bullets(section, phase):
            phase["key_objectives"].append(value)

    def _phase_part_bullets(self, section: Section, phase: dict) -> list:
        """Place a phase section's labelled parts in the phase; return the rest as objective bullets."""
        objectives: list = []
        self._phase_blocks(section.blocks, phase, objectives)
        for child in section.children:
            self._phase_child(child, phase, objectives)
        return objectives

    def _phase_blocks(self, blocks: list, phase: dict, objectives: list) -> None:
        kept = []
        for block in blocks:
            if isinstance(block, Table) and self._week_table(block, None, phase.get("theme") or phase["name"]):
                for row in block.rows:
                    if found := period(row_text([], row[:1])):
                        self.block_phase.update({week: (phase["start_day"], phase["end_day"])
                                                 for week in range(found.weeks[0], found.weeks[1] + 1)})
                continue
            if isinstance(block, Labelled) and classify(block.label, PHASE_PARTS) == "theme":
                if phase["theme"] and len(block.rest.split()) > _SHORT_THEME:
                    phase["focus_areas"].append(block.text)  # a sentence is no theme: the heading names it
                else:
                    phase["theme"] = join_sentences([t for t in (phase["theme"], block.rest) if t])
            elif isinstance(block, Paragraph) and not block.lead and not block.text.rstrip().endswith(":"):
                phase["focus_areas"].append(block.text)
            else:
                kept.append(block)
        objectives.extend(block_bullets(kept))

    def _phase_child(self, child: Section, phase: dict, objectives: list) -> None:
        found = period(child.title)
        if found is not None and found.weeks:
            self._week_section(child, found, phase)
            return
        field = classify(child.title, PHASE_PARTS)
        if field is None and classify(child.title, {"pitfalls": PLAN_DOCUMENT["pitfalls"]}) and (
                found := pitfalls_in(child, self.draft, len(self.pitfalls))):
            self.pitfalls.extend(found)  # "### Risks" under a phase lists the plan's pitfalls, as at the top level
            return
        if field == "theme":
            rest = re.sub(r"(?i)^\W*th[eè]me\W*", "", bare(child.title)).strip()
            if rest:
                phase["theme"] = join_sentences([t for t in (phase["theme"], rest) if t])
            self._phase_blocks(child.blocks, phase, objectives)
            for grandchild in child.children:
                self._phase_child(grandchild, phase, objectives)
            return
        if field == "key_objectives" or field is None and not child.children:
            target = objectives if field == "key_objectives" else phase["focus_areas"]
            bullets = section_bullets(child)
            if field is None:
                target.append({"text": f"**{child.title}**", "items": [t for b in bullets for t in _all_texts(b)]}
                              if bullets else child.title)
            else:
                target.extend(bullets)
            return
        if field is None:
            phase["focus_areas"].append({"text": f"**{child.title}**", "items": flat_texts(child)})
            return
        if field == "expected_outcomes" and child.children and not child.blocks:
            for grandchild in child.children:
                texts = flat_texts(grandchild)
                phase[field].append({"text": f"**{child.title}: {grandchild.title}**", "items": texts}
                                    if texts else grandchild.title)
            return
        phase[field].extend(section_bullets(child))

    def _week_section(self, section: Section, found: Period, phase: dict | None) -> None:
        first, last = found.weeks
        title = found.rest or (phase and phase.get("theme")) or None
        block = self._block((first, last), title, section.line)
        week = block["_weeks"].setdefault(first, {"week": first})
        for table in (b for b in section.blocks if isinstance(b, Table)):
            if self._week_table(table, block):
                continue
            week.setdefault("key_actions", []).extend(t for row in table.rows if (t := row_text(table.header, row)))
        week.setdefault("key_actions", []).extend(block_bullets([b for b in section.blocks if not isinstance(b, Table)]))
        for child in section.children:
            field = classify(child.title, WEEK_PARTS)
            bullets = section_bullets(child)
            if field is None:
                week.setdefault("key_actions", []).append(
                    {"text": f"**{child.title}**", "items": [t for b in bullets for t in _all_texts(b)]}
                    if bullets else child.title)
            else:
                week.setdefault(field, []).extend(bullets)

    def _block(self, weeks: tuple[int, int], title: str | None, line: int) -> dict:
        if weeks not in self.blocks:
            self.blocks[weeks] = {"title": title, "_weeks": {}, "_line": line}
        elif title and not self.blocks[weeks]["title"]:
            self.blocks[weeks]["title"] = title
        return self.blocks[weeks]

    def _week_table(self, table: Table, block: dict | None, title: str | None = None) -> bool:
        """Read a table with a week per row ('Week | Focus | Actions') or per column ('Element | Week 1 | Week 2');
        without a block to fill, the table is one block named `title`."""
        columns = [period(h) for h in table.header[1:]]
        if columns and all(c is not None and c.weeks for c in columns):
            target = block or self._block((columns[0].weeks[0], columns[-1].weeks[1]), title, table.line)
            for row in table.rows:
                field = classify(row_text([], row[:1]), WEEK_PARTS) or "key_actions"
                for column, cell in zip(columns, row[1:]):
                    week = target["_weeks"].setdefault(column.weeks[0], {"week": column.weeks[0]})
                    week.setdefault(field, []).extend(bullet(item) for item in cell)
            return True
        rows = [(period(row_text([], row[:1])) if row and row[0] else None, row) for row in table.rows]
        if not rows or not all(found is not None and found.weeks for found, _ in rows):
            return False
        fields = [classify(h, WEEK_PARTS) or "key_actions" for h in table.header[1:]]
        span = (min(f.weeks[0] for f, _ in rows), max(f.weeks[1] for f, _ in rows))
        for found, row in rows:
            target = block or self._block(span, title, table.line) if title or len(rows) > 1 else \
                self._block(found.weeks, found.rest or None, table.line)
            week = target["_weeks"].setdefault(found.weeks[0], {"week": found.weeks[0]})
            for field, header, cell in zip(fields, table.header[1:], row[1:]):
                texts = [bullet(item) for item in cell]
                if field == "key_actions" and header and not names(header, WEEK_PARTS["key_actions"]) and texts:
                    texts = [{"text": f"**{header}**", "items": [t for b in texts for t in _all_texts(b)]}]
                week.setdefault(field, []).extend(texts)
        return True

    def _week_intro(self, section: Section) -> None:
        self.intro.extend(b.text for b in section.blocks if isinstance(b, (Paragraph, Labelled)))
        for table in (b for b in section.blocks if isinstance(b, Table)):
            if not self._week_table(table, None):
                self.draft.unplaced_section(Section(section.title, section.level, table.line, [table]),
                                            "a table that names no weeks")
        for child in section.children:
            self._section(child, group=None)

    # -----------------------------------------------------------------------------------------------------------

    def _finish(self) -> dict:
        plan: dict[str, Any] = {"kind": "30-60-90", "title": self.title}
        executive = {"purpose": self.purpose, "key_outcomes": self.key_outcomes}
        if any(executive.values()):
            plan["executive_summary"] = {k: v for k, v in executive.items() if v}
        blocks = self._blocks()
        plan["phases"] = self._phases(blocks)
        if self.intro:
            plan["week_breakdown_intro"] = join_sentences(self.intro)
        if blocks:
            plan["week_blocks"] = blocks
        if self.pitfalls:
            plan["pitfalls"] = self.pitfalls
        if self.references:
            plan["references"] = self.references
        return plan

    def _blocks(self) -> list[dict]:
        result = []
        last = 0
        for index, (weeks, block) in enumerate(sorted(self.blocks.items())):
            first = max(weeks[0], last + 1)
            end = max(weeks[1], first, max(block["_weeks"], default=first))
            if first > weeks[0]:
                self.draft.warn(block["_line"], f"weeks {weeks[0]}–{weeks[1]} overlap the weeks before them",
                                "check the week numbers")
            weeks_list = [_without_empty(block["_weeks"].get(n, {"week": n})) for n in range(first, end + 1)]
            extra = [w for n, w in block["_weeks"].items() if n < first]
            for week in extra:  # weeks an earlier block already holds: their text joins this block's first week
                for key, value in week.items():
                    if key != "week":
                        weeks_list[0].setdefault(key, []).extend(value)
            title = block["title"] or self.draft.fill_in(("week_blocks", index, "title"), block["_line"],
                                                         f"name for weeks {first}–{end}")
            result.append({"title": title, "weeks": weeks_list})
            last = end
        return result

    def _phases(self, blocks: list[dict]) -> list[dict]:
        if not self.phases:
            last_week = max((b["weeks"][-1]["week"] for b in blocks), default=12)
            for number in range(max(1, -(-last_week * 7 // 30))):
                start, end = number * 30 + 1, min(MAX_DAY, number * 30 + 30)
                phase = self._phase((start, end), f"Days {start}–{end}", 1)
                phase["key_objectives"] = [f"**{_span(b)}:** {b['title']}" for b in blocks
                                           if start <= b["weeks"][0]["week"] * 7 - 6 <= end]
            if self.phases:
                self.draft.warn(None, "the notes name weeks but no phases; wrote phases of 30 days holding them",
                                "check the phases")
        phases = []
        for index, (_, phase) in enumerate(sorted(self.phases.items())):
            if not phase["key_objectives"]:
                phase["key_objectives"] = self._week_objectives(phase, blocks)
            if not phase["key_objectives"]:
                if phase["focus_areas"]:
                    phase["key_objectives"], phase["focus_areas"] = phase["focus_areas"], []
                else:
                    phase["key_objectives"] = [self.draft.fill_in(
                        ("phases", index, "key_objectives"), phase["_line"], f"key objectives for {phase['name']}")]
            if any(len(_text(o)) > _LONG for o in phase["key_objectives"]):
                # The summary slide and table show each objective by its lead words; the phase keeps them whole.
                phase["slide"] = {"summary_objectives": [_lead(o) for o in phase["key_objectives"]]}
            phases.append(_without_empty(phase))
        return phases


    def _week_objectives(self, phase: dict, blocks: list[dict]) -> list:
        """Return the primary objectives of the weeks a phase spans, as 'Week N: objective'."""
        found = []
        for block in blocks:
            for week in block["weeks"]:
                days = (phase["start_day"], phase["end_day"])
                if self.block_phase.get(week["week"], days) == days and days[0] <= week["week"] * 7 - 6 <= days[1] \
                        or self.block_phase.get(week["week"]) == days:
                    found += [f"**Week {week['week']}:** {_text(o)}" for o in week.get("primary_objectives", [])]
        return found


def _lead(value: Any) -> str:
    """Return an objective's lead: its opening bold words, else its first sentence, else its first words."""
    text = value if isinstance(value, str) else value["text"]
    if match := re.match(r"^\*\*(?P<lead>[^*]+)\*\*", text):
        return match["lead"].strip().rstrip(":")
    sentence = re.split(r"(?<=[.!?])\s", bare(text), maxsplit=1)[0]
    words = sentence.split()
    return sentence if len(words) <= _LEAD_WORDS else " ".join(words[:_LEAD_WORDS]) + " …"


def _span(block: dict) -> str:
    first, last = block["weeks"][0]["week"], block["weeks"][-1]["week"]
    return f"Week {first}" if first == last else f"Weeks {first}–{last}"


def _name(title: str, rest: str) -> str:
    """Return a phase heading without its theme: 'Days 1–30: Learn' → 'Days 1–30'."""
    text = bare(title)
    if rest and text.endswith(rest):
        text = text[: -len(rest)]
    return text.strip(" :–—-.,") or bare(title)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else join_sentences([value["text"], *value["items"]])


def _all_texts(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [value["text"], *value["items"]]


def _grouped(title: str, value: Any) -> Any:
    return f"**{title}:** {value}" if isinstance(value, str) else value
