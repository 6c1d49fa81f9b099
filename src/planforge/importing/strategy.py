"""Notes of a strategy vision → strategy fields: one area per repeated set of vision / initiatives / outcomes sections."""

from __future__ import annotations

import re
from typing import Any

from planforge.importing.draft import ACTION_TITLE, Draft, action_title, bullet, classify, join_sentences
from planforge.importing.notes import (
    Block, Heading, Item, ItemList, Label, Labelled, Notes, Paragraph, Separator, Table, bare, unwrap,
)

AREA_SECTIONS = {
    "vision": ("vision", "mission"),
    "initiatives": ("initiative", "improvement", "pillar", "priorit"),
    "privacy": ("privacy", "compliance", "regulat"),
    "outcomes": ("outcome", "long-term goal", "kpi", "metric", "result"),
}
DOCUMENT_SECTIONS = {
    "executive_summary": ("executive summary", "summary", "introduction"),
    "next_steps": ("next step",),
}
KPI_COLUMNS = {
    "metric": ("metric", "kpi", "measure", "indicator"),
    "baseline": ("baseline", "today", "current"),
    "target": ("target", "goal"),
    "horizon": ("horizon", "by when", "timeline", "deadline", "date"),
}
# Section → the slide of AreaSlides whose action title an "Action Title" line under it sets.
SLIDE_OF_SECTION = {None: "divider", "vision": "vision", "initiatives": "initiatives", "privacy": "privacy",
                    "outcomes": "outcomes"}
_NAMED = re.compile(r"^\*\*(?P<name>[^*]+?)\*\*\s*(?::|–|—|-)\s*(?P<rest>\S.*)$|^\*\*(?P<name2>[^*]+?):\*\*\s*(?P<rest2>\S.*)$")
_SHORT_NAME_WORDS = 8

# KPIs stated in prose, e.g. "reduce operational costs by Y%" or "a X% increase in organic search traffic".
_TARGET = r"(?:[XYZN]%|[+\-−]?\d+(?:[.,]\d+)?\s?%|[+\-−]?\$\d[\d,.]*\s?[kKmMbB]?n?)"
_VERBS = {"reduc": "Reduction in", "lower": "Reduction in", "cut": "Reduction in", "decreas": "Decrease in",
          "increas": "Increase in", "rais": "Increase in", "lift": "Increase in", "grow": "Growth in",
          "improv": "Improvement in", "boost": "Boost in"}
_KPI_PATTERNS = [
    re.compile(rf"\b(?:a|an)\s+(?P<target>{_TARGET})\s+(?P<metric>(?:increase|reduction|improvement|boost|decrease|growth|"
               rf"rise|drop|lift|uplift|gain|cut)\s+in\s+[^,;.]+?)(?=\s*(?:[,;.]|$)|\s+within\b|\s+by\s+(?:FY|20\d\d|Q[1-4]|the end))"),
    re.compile(rf"\b(?P<verb>{'|'.join(_VERBS)})\w*\s+(?P<metric>[^,;.]+?)\s+by\s+(?P<target>{_TARGET})"),
    re.compile(rf"\b(?:achieve|reach|hit|deliver|attain)\s+(?:(?:a|an|the)\s+)?(?P<metric>[^,;.]+?)\s+of\s+(?P<target>{_TARGET})"),
]
_HORIZON = re.compile(r"\b(?:within|over)\s+(?:the\s+)?(?:next\s+)?(?:\w+\s+){0,2}(?:years?|months?|quarters?|weeks?)\b"
                      r"|\bby\s+(?:the\s+end\s+of\s+)?(?:FY\s?\d{2,4}|Q[1-4]\s+20\d\d|20\d\d)\b")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"*])")


class StrategyImport:
    """Walks the blocks of strategy notes, opening an area wherever the vision/initiatives/outcomes sections repeat."""

    def __init__(self, notes: Notes, draft: Draft):
        self.notes = notes
        self.draft = draft
        self.title: str | None = None
        self.areas: list[dict] = []
        self.area: dict | None = None
        self.section: str | None = None
        """The section of the current area (or document) that prose and lists go to."""
        self.document_section: str | None = None
        self.unknown: str | None = None
        self.pending_name: tuple[str, int] | None = None
        self.closed = True
        """Whether the next area section opens a new area (after a separator or an area name)."""
        self.executive_summary: list = []
        self.next_steps: list = []
        self.storyline: dict[str, dict] = {}

    def run(self) -> dict:
        """Return the strategy's fields, in the order the plan format lists them."""
        for block in self.notes.blocks:
            self._block(block)
        return self._finish()

    def _block(self, block: Block) -> None:
        if isinstance(block, Heading) and block.level == 1 and self.title is None:
            self.title = block.text
        elif isinstance(block, Separator):
            self.closed, self.section, self.document_section, self.unknown = True, None, None, None
        elif isinstance(block, (Heading, Label)):
            self._heading(block.text, block.line, isinstance(block, Heading))
        elif isinstance(block, Labelled) and ACTION_TITLE.match(block.label):
            self._action_title(block)
        elif isinstance(block, Labelled) and classify(block.label, AREA_SECTIONS) and not self.unknown:
            # "**Privacy and Compliance:** text" on one line: a section and its first paragraph.
            self._heading(block.label, block.line, False)
            self._content(Paragraph(block.rest, block.line))
        else:
            self._content(block)

    def _heading(self, text: str, line: int, is_heading: bool) -> None:
        section = classify(text, AREA_SECTIONS)
        document = classify(text, DOCUMENT_SECTIONS)
        self.unknown = None
        if document and not section:
            self.document_section, self.section = document, None
            self.closed = True
            return
        if section:
            self.document_section = None
            if self.area is None or self.closed or (section == "vision" and self.area.get("_vision")):
                self._open_area(line)
            self.section = section
            self.area.setdefault(f"_{section}", [])
            return
        if is_heading or self.closed or self.area is None:
            # A heading that names no section names the next area, e.g. "## Care team".
            self._name_next_area(text, line)
            return
        self.unknown, self.section, self.document_section = text, None, None
        self.draft.unplaced(Label(text, line), f"the section “{text}” has no place in a strategy")

    def _name_next_area(self, text: str, line: int) -> None:
        if self.pending_name is not None:
            self.draft.unplaced(Paragraph(self.pending_name[0], self.pending_name[1]), "text before an area could not be placed")
        self.pending_name = (text, line)
        self.closed, self.section, self.document_section = True, None, None

    def _open_area(self, line: int) -> None:
        if self.pending_name is not None:
            name, name_line = self.pending_name
        else:
            name, name_line = self.draft.fill_in(("areas", len(self.areas), "name"), line, "name for an area"), line
        self.area = {"name": name, "_line": name_line, "_slides": {}}
        self.areas.append(self.area)
        self.pending_name, self.closed = None, False

    def _content(self, block: Block) -> None:
        if self.unknown:
            self.draft.unplaced(block, f"text under “{self.unknown}” could not be placed")
        elif self.document_section:
            target = self.executive_summary if self.document_section == "executive_summary" else self.next_steps
            if isinstance(block, ItemList):
                target.extend(bullet(item) for item in block.items)
            elif isinstance(block, (Paragraph, Labelled)):
                target.append(block.text)
            else:
                self.draft.unplaced(block, "a table in a document section could not be placed")
        elif self.section and self.area is not None and not self.closed:
            self.area[f"_{self.section}"].append(block)
        elif isinstance(block, Paragraph) and self.pending_name is None and len(block.text.split()) <= _SHORT_NAME_WORDS \
                and not block.text.rstrip("*").endswith((".", ":")):
            self._name_next_area(block.text, block.line)
        else:
            self.draft.unplaced(block, "text outside any section could not be placed")

    def _action_title(self, block: Labelled) -> None:
        title = action_title(block)
        if self.area is not None and not self.closed:
            slide = SLIDE_OF_SECTION[self.section]
            spec = self.area["_slides"].setdefault(slide, {})
        elif self.document_section == "executive_summary":
            spec = self.storyline.setdefault("executive_summary", {})
        elif self.document_section == "next_steps":
            spec = self.storyline.setdefault("next_steps", {})
        else:
            self.draft.unplaced(block, "an action title that follows no slide of the strategy")
            return
        if "title" in spec:
            self.draft.unplaced(block, "a second action title for one slide")
        else:
            spec["title"] = title

    # -----------------------------------------------------------------------------------------------------------
    # Putting the strategy together

    def _finish(self) -> dict:
        if not self.areas:
            self.draft.warn(None, "the notes have no area sections (vision, initiatives, outcomes)",
                            "give each area a **Product Vision and Objectives** section")
            self._open_area(self.pending_name[1] if self.pending_name else 1)
        elif self.pending_name is not None:
            self.draft.unplaced(Paragraph(*self.pending_name), "text after the last area could not be placed")
        strategy: dict[str, Any] = {"kind": "strategy", "title": self.title}
        if self.executive_summary:
            strategy["executive_summary"] = self.executive_summary
        strategy["areas"] = [self._area(index, area) for index, area in enumerate(self.areas)]
        if self.next_steps:
            strategy["next_steps"] = self.next_steps
        if self.storyline:
            strategy["storyline"] = self.storyline
        return strategy

    def _area(self, index: int, raw: dict) -> dict:
        area: dict[str, Any] = {"name": raw["name"]}
        kpis: list[dict] = []
        vision_text, objectives = self._prose_and_bullets(raw.get("_vision", []), "vision")
        area["vision"] = vision_text or self.draft.fill_in(("areas", index, "vision"), raw["_line"], f"vision for “{bare(raw['name'])}”")
        if objectives:
            area["objectives"] = objectives
        summary, initiatives = self._initiatives(raw.get("_initiatives", []))
        if summary:
            area["initiatives_summary"] = summary
            kpis += kpis_in(summary)
        if initiatives:
            area["initiatives"] = initiatives
        privacy, privacy_bullets = self._prose_and_bullets(raw.get("_privacy", []), "privacy")
        if privacy or privacy_bullets:
            area["privacy"] = join_sentences(([privacy] if privacy else []) + [_text(b) for b in privacy_bullets])
        outcomes, table_kpis = self._outcomes(raw.get("_outcomes", []))
        if outcomes:
            area["outcomes"] = outcomes
            kpis += kpis_in(outcomes)
        kpis = table_kpis or _unique(kpis)
        if kpis:
            area["kpis"] = kpis
        if raw["_slides"]:
            area["slides"] = raw["_slides"]
        return area

    def _prose_and_bullets(self, blocks: list[Block], section: str) -> tuple[str | None, list]:
        prose: list[str] = []
        bullets: list = []
        for block in blocks:
            if isinstance(block, (Paragraph, Labelled)):
                prose.append(block.text)
            elif isinstance(block, ItemList):
                bullets.extend(bullet(item) for item in block.items)
            else:
                self.draft.unplaced(block, f"a table in the {section} section could not be placed")
        return (join_sentences(prose) if prose else None), bullets

    def _initiatives(self, blocks: list[Block]) -> tuple[str | None, list[dict]]:
        """Return the lead prose and the initiatives: bullets named like `**Paid Marketing**: …`."""
        prose: list[str] = []
        initiatives: list[dict] = []
        for block in blocks:
            items = block.items if isinstance(block, ItemList) else []
            if isinstance(block, (Paragraph, Labelled)):
                prose.append(block.text)
            elif isinstance(block, Table):
                self.draft.unplaced(block, "a table in the initiatives section could not be placed")
            for item in items:
                initiative = _initiative(item)
                if initiative is not None:
                    initiatives.append(initiative)
                else:
                    prose.append(_text(bullet(item)))
        return (join_sentences(prose) if prose else None), initiatives

    def _outcomes(self, blocks: list[Block]) -> tuple[str | None, list[dict]]:
        prose: list[str] = []
        table_kpis: list[dict] = []
        for block in blocks:
            if isinstance(block, (Paragraph, Labelled)):
                prose.append(block.text)
            elif isinstance(block, ItemList):
                prose.extend(_text(bullet(item)) for item in block.items)
            elif isinstance(block, Table):
                table_kpis += self._kpi_table(block)
        return (join_sentences(prose) if prose else None), table_kpis

    def _kpi_table(self, table: Table) -> list[dict]:
        fields = [classify(header, KPI_COLUMNS) for header in table.header]
        if "metric" not in fields or "target" not in fields:
            self.draft.unplaced(table, "a table without Metric and Target columns could not be placed")
            return []
        kpis = []
        for row, line in zip(table.rows, table.row_lines):
            kpi = {}
            for field, header, cell in zip(fields, table.header, row):
                text = join_sentences([t for item in cell for t in item.flat()])
                if field and text:
                    kpi[field] = text
                elif text:
                    self.draft.unplaced(Table([header], [[cell]], line, [line]), f"the KPI column “{header}” has no place")
            if "metric" in kpi and "target" in kpi:
                kpis.append(kpi)
            elif kpi:
                self.draft.unplaced(Table(table.header, [row], line, [line]), "a KPI row without metric and target")
        return kpis


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return join_sentences([value["text"], *value["items"]])


def _initiative(item: Item) -> dict | None:
    """Read a bullet `**Name**: description` (or `**Name:** description`) as an initiative."""
    match = _NAMED.match(item.text)
    if match:
        name = (match["name"] or match["name2"]).strip().rstrip(":")
        description = (match["rest"] or match["rest2"]).strip()
    elif item.children and re.fullmatch(r"\*\*[^*]+\*\*:?|[^.]{1,80}:?", item.text):
        name, description = unwrap(item.text.rstrip(":")).rstrip(":"), ""
    else:
        return None
    parts = [description] if description else []
    parts += [text for child in item.children for text in child.flat()]
    if not parts:
        return None
    return {"name": name, "description": join_sentences(parts)}


def kpis_in(text: str) -> list[dict]:
    """Return the KPIs a paragraph states ('reduce costs by Y% within the next three years'), in order."""
    kpis: list[dict] = []
    for sentence in _SENTENCE.split(bare(text)):
        found: list[tuple[int, int, dict]] = []
        for pattern in _KPI_PATTERNS:
            for match in pattern.finditer(sentence):
                if any(start < match.end() and match.start() < end for start, end, _ in found):
                    continue
                metric = re.sub(r"^(?:the|our)\s+", "", match["metric"].strip())
                if "verb" in match.groupdict() and match["verb"]:
                    metric = f"{_VERBS[match['verb'].lower()]} {metric}"
                found.append((match.start(), match.end(), {"metric": metric[0].upper() + metric[1:],
                                                           "target": match["target"].replace(" ", "")}))
        horizons = list(_HORIZON.finditer(sentence))
        for start, _, kpi in sorted(found, key=lambda f: f[0]):
            # A KPI's horizon is the first one stated after it ("… by 4% by FY2027"), else the last one before it.
            after = [h for h in horizons if h.start() >= start]
            before = [h for h in horizons if h.start() < start]
            horizon = after[0] if after else (before[-1] if before else None)
            if horizon:
                kpi["horizon"] = horizon[0]
            kpis.append(kpi)
    return kpis


def _unique(kpis: list[dict]) -> list[dict]:
    seen: set[tuple] = set()
    result = []
    for kpi in kpis:
        key = (kpi["metric"].lower(), kpi["target"])
        if key not in seen:
            seen.add(key)
            result.append(kpi)
    return result
