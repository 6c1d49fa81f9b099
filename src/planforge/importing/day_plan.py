"""Notes of a 30-60-90 day plan → plan fields: phase table, week tables, pitfalls, references, slide outline."""

from __future__ import annotations

import re
from typing import Any

from planforge.importing.draft import (
    ACTION_TITLE, DAY_RANGE, MAX_DAY, SLIDE, WEEK_RANGE, Draft, action_title, bullet, classify, day_range, is_label,
    join_sentences, label_text, name_after, week_range,
)
from planforge.importing.notes import (
    Block, Heading, Item, ItemList, Label, Labelled, Notes, Paragraph, Separator, Table, bare, unwrap,
)

PHASE_COLUMNS = {
    "theme": ("theme",),
    "key_objectives": ("objective", "goal", "priorit"),
    "focus_areas": ("focus",),
    "expected_outcomes": ("outcome", "result", "deliverable"),
}
WEEK_ROWS = {
    "primary_objectives": ("objective", "goal", "priorit"),
    "key_actions": ("action", "activit", "task"),
    "stakeholders": ("meeting", "stakeholder", "people"),
    "deliverables": ("document", "deliverable", "output"),
    "success_metrics": ("metric", "success", "kpi", "measure"),
}
PHASE_SLIDE_SECTIONS = {
    "objectives": ("objective", "goal"),
    "key_actions": ("action",),
    "success_metrics": ("metric", "success", "kpi", "measure"),
}
BLOCK_SLIDE_SECTIONS = {
    "objectives": ("objective", "goal"),
    "deliverables": ("deliverable", "document", "output"),
    "success_metrics": ("metric", "success", "kpi", "measure"),
}
EXECUTIVE_SECTIONS = {"purpose": ("purpose", "why", "context", "goal of"), "key_outcomes": ("outcome", "result")}
SUMMARY_COLUMNS = {"summary_objectives": ("objective", "goal"), "summary_outcomes": ("outcome", "result")}
_REFERENCE_MARKED = re.compile(
    r"^\*\*(?P<authors>.+?)\s*\((?P<year>\d{4})\)\.?\s*\*+(?P<title>.+?)\*+\s*(?P<rest>.*)$"
)
_REFERENCE_PLAIN = re.compile(r"^(?P<authors>[^()]+?)\s*\((?P<year>\d{4})\)\.?\s*(?P<title>.+?)\.\s+(?P<rest>.*)$")
_URL = re.compile(r"https?://\S+")
_NUMBER = re.compile(r"^(\d+)[.)]\s*")


def _slide_kind(heading: str) -> tuple[str, Any]:
    """Classify a 'Slide N: …' heading: (kind, key), e.g. ('phase', (1, 30)) or ('block', (1, 2))."""
    lowered = heading.lower()
    if "executive summary" in lowered:
        return "executive_summary", None
    if days := day_range(heading):
        return "phase", days
    if (weeks := week_range(heading)) and "week-by-week" not in lowered:
        return "block", weeks
    if "pitfall" in lowered or "risk" in lowered:
        return "pitfalls", None
    if "reference" in lowered or "source" in lowered:
        return "references", None
    if "appendix" in lowered:
        return "appendix", None
    if "overview" in lowered or "timeline" in lowered or "roadmap" in lowered or "week-by-week" in lowered:
        return "roadmap", None
    if "summary" in lowered or "high-level" in lowered or "30-60-90" in lowered:
        return "phase_summary", None
    return "unknown", heading


class DayPlanImport:
    """Walks the blocks of 30-60-90 notes in order, placing each in the plan or under `notes:`."""

    def __init__(self, notes: Notes, draft: Draft):
        self.notes = notes
        self.draft = draft
        self.title: str | None = None
        self.executive: dict[str, list] = {"purpose": [], "key_outcomes": []}
        self.phases: list[dict] = []
        self.blocks: list[dict] = []
        self.intro: list[str] = []
        self.pitfalls: list[dict] = []
        self.references: list[dict] = []
        self.storyline: dict[str, dict] = {}
        self.lines: dict[str, int] = {}
        """Line of the notes each part of the plan came from, for comments."""
        self.context: tuple[str, Any] = ("start", None)
        self.slide: dict | None = None
        """The slide spec (title, notes) the current 'Slide N' section fills."""
        self.pending_block: tuple[str, tuple[int, int] | None, int] | None = None

    # -----------------------------------------------------------------------------------------------------------
    # Walking the notes

    def run(self) -> dict:
        """Return the plan's fields, in the order the plan format lists them."""
        for block in self.notes.blocks:
            self._block(block)
        return self._finish()

    def _block(self, block: Block) -> None:
        if isinstance(block, Heading) and block.level == 1 and self.title is None:
            self.title = block.text
            return
        if isinstance(block, (Heading, Label)):
            self._section(block.text, block.line)
            return
        if isinstance(block, Separator):
            self.context, self.slide = ("start", None), None
            return
        if isinstance(block, Labelled) and ACTION_TITLE.match(block.label):
            self._action_title(block)
            return
        kind, key = self.context
        handler = getattr(self, f"_in_{kind}", None)
        if handler is None or not handler(block, key):
            self._elsewhere(block)

    def _section(self, text: str, line: int) -> None:
        """Start the section a heading or bold label names."""
        self.slide = None
        lowered = text.lower()
        if match := SLIDE.match(text):
            kind, key = _slide_kind(match[2])
            self.context = ("slide_" + kind, key)
            self.slide = self._slide_spec(kind, key, match[2], line)
            return
        if (weeks := week_range(text)) and "week-by-week" not in lowered:
            self.context = ("week_block", None)
            self.pending_block = (name_after(text, WEEK_RANGE), weeks, line)
            return
        if "week-by-week" in lowered or "weekly" in lowered:
            self.context = ("intro", None)
            self.lines.setdefault("week_blocks", line)
        elif "summary" in lowered and ("30-60-90" in lowered or "high-level" in lowered or "phase" in lowered):
            self.context = ("phase_table", None)
            self.lines.setdefault("phases", line)
        elif "executive summary" in lowered:
            self.context = ("executive", None)
        elif "pitfall" in lowered or "risk" in lowered:
            self.context = ("pitfall_table", None)
            self.lines.setdefault("pitfalls", line)
        elif lowered.startswith("reference") or lowered in ("sources", "bibliography", "further reading"):
            self.context = ("references", None)
            self.lines.setdefault("references", line)
        else:
            self.context = ("unknown", text)
            self.draft.unplaced(Label(text, line), f"the notes' section “{text}” has no place in a 30-60-90 plan")

    def _elsewhere(self, block: Block) -> None:
        """Place a block that its section does not take: a table recognised by its columns, else `notes:`."""
        if isinstance(block, Table):
            if self._table_by_header(block):
                return
        if self.slide is not None and _slide_extra(self.slide, block):
            return
        where = self.context[1] if self.context[0] == "unknown" else None
        self.draft.unplaced(block, f"text under “{where}” could not be placed" if where else "text could not be placed")

    def _table_by_header(self, table: Table) -> bool:
        first = bare(table.header[0]).lower() if table.header else ""
        if any(re.match(r"week\s+\d+", bare(h), re.I) for h in table.header[1:]):
            self.pending_block = self.pending_block or (None, None, table.line)
            return self._in_week_block(table, None)
        if any(word in first for word in ("timeframe", "phase", "period", "days")):
            return self._in_phase_table(table, None)
        if "pitfall" in first or "risk" in first:
            return self._in_pitfall_table(table, None)
        return False

    # -----------------------------------------------------------------------------------------------------------
    # The document part of the notes

    def _in_start(self, block: Block, _key: Any) -> bool:
        return self._table_by_header(block) if isinstance(block, Table) else False

    def _in_unknown(self, block: Block, _key: Any) -> bool:
        return False

    def _in_phase_table(self, block: Block, _key: Any) -> bool:
        if not isinstance(block, Table):
            return False
        self.lines.setdefault("phases", block.line)
        for row, line in zip(block.rows, block.row_lines):
            if not row or not row[0]:
                self.draft.unplaced(Table(block.header, [row], line, [line]), "a phase row has no timeframe")
                continue
            name_items = row[0]
            name = bare(name_items[0].text)
            phase = self._phase(name, line)
            if len(name_items) > 1:
                earlier = [phase["theme"]] if phase.get("theme") else []
                phase["theme"] = join_sentences(earlier + [item.text for item in name_items[1:]])
            for header, cell in zip(block.header[1:], row[1:]):
                field = classify(header, PHASE_COLUMNS)
                if not cell:
                    continue
                if field == "theme":
                    phase["theme"] = join_sentences([item.text for item in cell])
                elif field is not None:
                    phase[field].extend(bullet(item) for item in cell)
                else:
                    text = join_sentences([t for item in cell for t in item.flat()])
                    self.draft.unplaced(Paragraph(f"{name} — {header}: {text}", line),
                                        f"the column “{header}” has no place in a phase")
        return True

    def _phase(self, name: str, line: int) -> dict:
        """Return the phase a timeframe names, creating it (days from the name, else following the last)."""
        days = day_range(name)
        for phase in self.phases:
            if (days and (phase["start_day"], phase["end_day"]) == days) or bare(phase["name"]) == name:
                return phase
        if days is None:
            start = self.phases[-1]["end_day"] + 1 if self.phases else 1
            days = (min(start, MAX_DAY), min(start + 29, MAX_DAY))
            self.draft.warn(line, f"cannot read days from the timeframe “{name}”; assumed days {days[0]}–{days[1]}",
                            "check `start_day` and `end_day`")
        phase = {"name": name, "start_day": days[0], "end_day": days[1], "theme": None, "key_objectives": [],
                 "focus_areas": [], "expected_outcomes": [], "slide": {}, "_line": line}
        self.phases.append(phase)
        return phase

    def _in_intro(self, block: Block, _key: Any) -> bool:
        if isinstance(block, (Paragraph, Labelled)):
            self.intro.append(block.text)
            return True
        if isinstance(block, Table):
            return self._table_by_header(block)
        return False

    def _in_week_block(self, block: Block, _key: Any) -> bool:
        if not isinstance(block, Table):
            return False
        title, weeks, line = self.pending_block or (None, None, block.line)
        self.lines.setdefault("week_blocks", line)
        columns = [week_range(h) for h in block.header[1:]]
        by_week: dict[int, dict] = {}
        if columns and all(c is not None for c in columns):
            for row, row_line in zip(block.rows, block.row_lines):
                field = classify(bare(row[0][0].text) if row and row[0] else "", WEEK_ROWS)
                if field is None:
                    self.draft.unplaced(Table(block.header, [row], row_line, [row_line]),
                                        "a week-table row with this label has no place in a week")
                    continue
                for column, cell in zip(columns, row[1:]):
                    week = by_week.setdefault(column[0], {"week": column[0]})
                    week.setdefault(field, []).extend(bullet(item) for item in cell)
        else:
            # Weeks down the side, elements across the top.
            fields = [classify(h, WEEK_ROWS) for h in block.header[1:]]
            for row, row_line in zip(block.rows, block.row_lines):
                number = week_range(row[0][0].text) if row and row[0] else None
                if number is None:
                    self.draft.unplaced(Table(block.header, [row], row_line, [row_line]), "a week-table row names no week")
                    continue
                week = by_week.setdefault(number[0], {"week": number[0]})
                for field, header, cell in zip(fields, block.header[1:], row[1:]):
                    if field is None:
                        if cell:
                            self.draft.unplaced(Table([header], [[cell]], row_line, [row_line]),
                                                f"the column “{header}” has no place in a week")
                        continue
                    week.setdefault(field, []).extend(bullet(item) for item in cell)
        if not by_week:
            self.draft.unplaced(block, "a week table without week numbers")
            return True
        numbers = sorted(by_week)
        weeks = (numbers[0], numbers[-1])
        if title is None:
            title = self.draft.fill_in(("week_blocks", len(self.blocks), "title"), line, f"name for weeks {weeks[0]}–{weeks[1]}")
        block_dict = self._block_for(weeks, title, line)
        block_dict["weeks"] = [by_week.get(n, {"week": n}) for n in range(weeks[0], weeks[1] + 1)]
        self.pending_block = None
        return True

    def _block_for(self, weeks: tuple[int, int], title: str | None, line: int) -> dict:
        """Return the week block covering `weeks`, creating it if needed."""
        for existing in self.blocks:
            if existing["_weeks"] == weeks:
                if title and not existing.get("title"):
                    existing["title"] = title
                return existing
        created = {"title": title, "weeks": [], "slide": {}, "_weeks": weeks, "_line": line}
        self.blocks.append(created)
        return created

    def _in_pitfall_table(self, block: Block, _key: Any) -> bool:
        if not isinstance(block, Table):
            return False
        self.lines.setdefault("pitfalls", block.line)
        for row, line in zip(block.rows, block.row_lines):
            pitfall, mitigation = self._pitfall_row(block, row, line)
            if pitfall is None:
                continue
            self.pitfalls.append({"pitfall": pitfall, "mitigation": mitigation, "brief": {}, "_line": line})
        return True

    def _pitfall_row(self, block: Table, row: list[list[Item]], line: int) -> tuple[str | None, str | None]:
        """Return (pitfall, mitigation) of a pitfall-table row; extra columns go to `notes:`."""
        if not row or not row[0]:
            self.draft.unplaced(Table(block.header, [row], line, [line]), "a pitfall row has no pitfall")
            return None, None
        pitfall = _NUMBER.sub("", unwrap(join_sentences([item.text for item in row[0]])))
        cell = row[1] if len(row) > 1 else []
        mitigation = join_sentences([text for item in cell for text in item.flat()]) or None
        if mitigation is None:
            mitigation = self.draft.fill_in(("pitfalls", len(self.pitfalls), "mitigation"), line, f"mitigation for “{bare(pitfall)}”")
        for header, extra in zip(block.header[2:], row[2:]):
            if extra:
                text = join_sentences([t for item in extra for t in item.flat()])
                self.draft.unplaced(Paragraph(f"{bare(pitfall)} — {header}: {text}", line),
                                    f"the column “{header}” has no place in a pitfall")
        return pitfall, mitigation

    def _in_references(self, block: Block, _key: Any) -> bool:
        if not isinstance(block, (ItemList, Paragraph)):
            return False
        items = block.items if isinstance(block, ItemList) else [Item(block.text, block.line)]
        for item in items:
            reference = _reference(item.text)
            if reference is None:
                self.draft.unplaced(item, "a reference without “Authors (Year). Title.” could not be read")
            else:
                self.references.append(reference)
        return True

    def _in_executive(self, block: Block, _key: Any) -> bool:
        return self._executive(block)

    def _executive(self, block: Block) -> bool:
        if isinstance(block, Paragraph):
            self.executive["purpose"].append(block.text)
            return True
        if not isinstance(block, ItemList):
            return False
        for item in block.items:
            if is_label(item) and (field := classify(label_text(item), EXECUTIVE_SECTIONS)):
                self.executive[field].extend(bullet(child) for child in item.children)
            elif is_label(item):
                self.draft.unplaced(item, f"the executive summary has no section “{label_text(item)}”")
            else:
                self.executive["purpose"].append(bullet(item))
        return True

    # -----------------------------------------------------------------------------------------------------------
    # The slide outline

    def _slide_spec(self, kind: str, key: Any, heading: str, line: int) -> dict | None:
        """Return the slide spec a 'Slide N' heading fills (creating phases and blocks it names)."""
        if kind == "phase":
            phase = self._phase(bare(DAY_RANGE.search(bare(heading))[0]) if DAY_RANGE.search(bare(heading)) else heading, line)
            theme = name_after(heading, DAY_RANGE)
            if theme and not phase.get("theme"):
                phase["theme"] = theme
            elif theme and bare(phase["theme"]) != theme:
                self.draft.unplaced(Paragraph(theme, line), f"the slide names phase “{phase['name']}” differently")
            return phase["slide"]
        if kind == "block":
            name = name_after(heading, WEEK_RANGE) or None
            block = self._block_for(key, name, line)
            if name and block["title"] and bare(block["title"]) != name:
                block["slide"]["label"] = name
            return block["slide"]
        if kind in ("executive_summary", "phase_summary", "roadmap", "pitfalls", "references", "appendix"):
            self.lines.setdefault(f"storyline.{kind}", line)
            return self.storyline.setdefault(kind, {})
        self.draft.unplaced(Label(heading, line), "a slide of a kind a 30-60-90 plan has not")
        return None

    def _action_title(self, block: Labelled) -> None:
        title = action_title(block)
        if self.slide is None:
            self.draft.unplaced(block, "an action title that follows no slide of the plan")
        elif "title" in self.slide:
            self.draft.unplaced(block, "a second action title for one slide")
        else:
            self.slide["title"] = title

    def _in_slide_executive_summary(self, block: Block, _key: Any) -> bool:
        return self._executive(block)

    def _in_slide_phase_summary(self, block: Block, _key: Any) -> bool:
        if not isinstance(block, Table):
            return False
        for row, line in zip(block.rows, block.row_lines):
            if not row or not row[0]:
                continue
            phase = self._phase(bare(row[0][0].text), line)
            for header, cell in zip(block.header[1:], row[1:]):
                field = classify(header, SUMMARY_COLUMNS)
                if field is None:
                    if cell:
                        self.draft.unplaced(Table([header], [[cell]], line, [line]),
                                            f"the summary slide's column “{header}” has no place")
                    continue
                phase["slide"].setdefault(field, []).extend(bullet(item) for item in cell)
        return True

    def _in_slide_phase(self, block: Block, _key: Any) -> bool:
        return self._slide_sections(block, PHASE_SLIDE_SECTIONS)

    def _in_slide_block(self, block: Block, _key: Any) -> bool:
        return self._slide_sections(block, BLOCK_SLIDE_SECTIONS)

    def _slide_sections(self, block: Block, sections: dict[str, tuple[str, ...]]) -> bool:
        """Place a slide's labelled bullet lists ('**Objective:**' and its bullets) in the slide spec."""
        if not isinstance(block, ItemList) or self.slide is None:
            return False
        first_field = next(iter(sections))
        for item in block.items:
            if is_label(item):
                field = classify(label_text(item), sections)
                if field is None:
                    self.draft.unplaced(item, f"the slide section “{label_text(item)}” has no place on this slide")
                    continue
                self.slide.setdefault(field, []).extend(bullet(child) for child in item.children)
            else:
                self.slide.setdefault(first_field, []).append(bullet(item))
        return True

    def _in_slide_roadmap(self, block: Block, _key: Any) -> bool:
        if not isinstance(block, ItemList):
            return False
        for item in block.items:
            weeks = week_range(item.text)
            if weeks is None:
                self.draft.unplaced(item, "a roadmap line that names no weeks")
                continue
            name = name_after(item.text, WEEK_RANGE) or None
            found = self._block_for(weeks, name, item.line)
            if name and found["title"] and bare(found["title"]) != name:
                found["slide"]["label"] = name
        return True

    def _in_slide_pitfalls(self, block: Block, _key: Any) -> bool:
        if not isinstance(block, Table):
            return False
        for index, (row, line) in enumerate(zip(block.rows, block.row_lines)):
            pitfall, mitigation = self._pitfall_row(block, row, line)
            if pitfall is None:
                continue
            number = _NUMBER.match(bare(row[0][0].text))
            position = int(number[1]) - 1 if number else index
            if position < len(self.pitfalls):
                target = self.pitfalls[position]
            else:
                target = {"pitfall": pitfall, "mitigation": mitigation, "brief": {}, "_line": line}
                self.pitfalls.append(target)
                continue
            if bare(target["pitfall"]) != bare(pitfall):
                target["brief"]["pitfall"] = pitfall
            if bare(target["mitigation"]) != bare(mitigation):
                target["brief"]["mitigation"] = mitigation
        return True

    def _in_slide_references(self, block: Block, key: Any) -> bool:
        return self._in_references(block, key)

    def _in_slide_appendix(self, block: Block, _key: Any) -> bool:
        return False

    def _in_slide_unknown(self, block: Block, _key: Any) -> bool:
        return False

    # -----------------------------------------------------------------------------------------------------------
    # Putting the plan together

    def _finish(self) -> dict:
        plan: dict[str, Any] = {"kind": "30-60-90", "title": self.title}
        if self.title and (role := re.search(r"\bfor (?:a|an|the) (?:new )?(.+?) role\b", self.title, re.I)):
            plan["role"] = role[1][0].upper() + role[1][1:]
        executive = {k: v for k, v in self.executive.items() if v}
        if executive:
            plan["executive_summary"] = executive
        plan["phases"] = self._phases()
        if self.intro:
            plan["week_breakdown_intro"] = join_sentences(self.intro)
        if self.blocks:
            plan["week_blocks"] = self._blocks()
        if self.pitfalls:
            plan["pitfalls"] = [_without_empty(p) for p in self.pitfalls]
        if self.references:
            plan["references"] = self.references
        storyline = {k: v for k, v in self.storyline.items() if v}
        if storyline:
            plan["storyline"] = storyline
        return plan

    def _phases(self) -> list[dict]:
        if not self.phases:
            last_week = max((b["_weeks"][1] for b in self.blocks), default=12)
            end = min(MAX_DAY, max(30, -(-last_week * 7 // 30) * 30))
            self._phase(f"Days 1–{end}", 1)
            self.draft.warn(None, f"the notes have no phases; wrote one phase, Days 1–{end}",
                            "split it into the phases you plan, e.g. Days 1–30, 31–60, 61–90")
        self.phases.sort(key=lambda p: p["start_day"])
        for index, phase in enumerate(self.phases):
            if not phase["key_objectives"]:
                if phase["slide"].get("objectives"):
                    phase["key_objectives"] = phase["slide"].pop("objectives")
                else:
                    phase["key_objectives"] = [self.draft.fill_in(
                        ("phases", index, "key_objectives"), phase["_line"], f"key objectives for {phase['name']}"
                    )]
        return [_without_empty(p) for p in self.phases]

    def _blocks(self) -> list[dict]:
        self.blocks.sort(key=lambda b: b["_weeks"])
        for index, block in enumerate(self.blocks):
            first, last = block["_weeks"]
            if not block["weeks"]:
                block["weeks"] = [{"week": n} for n in range(first, last + 1)]
                self.draft.warn(block["_line"], f"weeks {first}–{last} have no week-by-week table; their weeks are empty",
                                "add what happens each week")
            if not block.get("title"):
                block["title"] = block["slide"].pop("label", None) or self.draft.fill_in(
                    ("week_blocks", index, "title"), block["_line"], f"name for weeks {first}–{last}"
                )
        return [_without_empty(b) for b in self.blocks]


def _slide_extra(slide: dict, block: Block) -> bool:
    """Keep a slide's prose as its speaker notes and a `**Source:**` line as its source line."""
    if isinstance(block, Labelled) and block.label.lower() in ("source", "sources"):
        field, text = "source", block.rest
    elif isinstance(block, Labelled) and "notes" in block.label.lower():
        field, text = "notes", block.rest
    elif isinstance(block, Paragraph):
        field, text = "notes", block.text
    else:
        return False
    slide[field] = join_sentences([slide[field], text]) if slide.get(field) else text
    return True


def _without_empty(value: Any) -> Any:
    """Drop empty lists, mappings and None, and the importer's own `_` keys, from nested plan fields."""
    if isinstance(value, dict):
        cleaned = {k: _without_empty(v) for k, v in value.items() if not k.startswith("_")}
        return {k: v for k, v in cleaned.items() if v not in (None, [], {}, "")}
    if isinstance(value, list):
        return [_without_empty(v) for v in value]
    return value


def _reference(text: str) -> dict | None:
    """Read 'Authors (Year). *Title.* Publisher. Link' (markup as the notes write it) into a reference."""
    match = _REFERENCE_MARKED.match(text) or _REFERENCE_PLAIN.match(bare(text))
    if not match:
        return None
    rest = bare(match["rest"]).strip()
    url = None
    if found := _URL.search(rest):
        url, rest = found[0].rstrip(".,;"), (rest[: found.start()] + rest[found.end():]).strip()
    elif re.search(r"\bLink$", rest):
        url, rest = "Link", rest[: -len("Link")].strip()
    reference = {"authors": bare(match["authors"]), "year": int(match["year"]),
                 "title": bare(match["title"]).strip().removesuffix(".").strip()}
    if rest.strip(" ."):
        reference["publisher"] = rest.strip().removesuffix(".").strip()
    if url:
        reference["url"] = url
    return reference
