"""A note's section tree → a strategy: areas from numbered objectives, lists of goals or top-level sections."""

from __future__ import annotations

import re
from typing import Any

from planforge.importing.draft import Draft, bullet, join_sentences
from planforge.importing.gather import block_bullets, flat_texts, row_text, section_bullets
from planforge.importing.notes import Item, ItemList, Labelled, Notes, Paragraph, Table, bare
from planforge.importing.outline import (
    AREA_CONTAINERS, AREA_PARTS, KEY_RESULT, NUMBERED_AREA, STRATEGY_DOCUMENT, Section, classify, names, tree,
)
from planforge.importing.strategy import kpis_in

_NAMED = re.compile(r"^\*\*(?P<name>[^*]+?)\*\*\s*(?:[:.!–—-]\s*)?(?P<rest>.*)$")
_SPLIT = re.compile(r"^(?P<name>[^:—–]{2,80}?)(?::\s+|\s+[—–]\s+)(?P<rest>\S.*)$")
_UNIT = (r"%|k|m|bn|ms|s|sec|secs|seconds?|min|mins|minutes?|h|hrs?|hours?|days?|jours?|weeks?|semaines?|months?|"
         r"mois|years?|ans?|pts?|points?|x|users?|customers?|clients?|abonn[ée]s|services?|teams?|[€$£]")
_NUMBER = rf"[+\-−~≈]?(?:[$€£]\s?)?\d(?:[\d,]*\d)?(?:\.\d+)?(?:/\d+)?(?:\s?(?:{_UNIT})(?![\w]))?"
_FROM_TO = re.compile(rf"\bfrom\s+(?P<baseline>{_NUMBER})\s+to\s+(?P<target>{_NUMBER})|\bde\s+(?P<baseline2>{_NUMBER})"
                      rf"\s+[àa]\s+(?P<target2>{_NUMBER})|(?P<baseline3>{_NUMBER})\s*(?:→|->|=>|⇒)\s*(?P<target3>{_NUMBER})",
                      re.I)
_TARGET = re.compile(rf"(?P<target>(?:[<>≤≥]=?\s?)?{_NUMBER})(?![\w.])", re.I)
_BASELINE = re.compile(rf"\((?:today|currently|now|baseline|aujourd'hui|actuellement)\s*:?\s*(?P<baseline>{_NUMBER})\)", re.I)
_HORIZON = re.compile(r"\b(?:by|before|until|within|in|d'ici|avant|en|fin)\s+(?:the\s+)?(?:end\s+of\s+)?"
                      r"(?:fin\s+)?(?:(?:Q[1-4]|H[12]|FY)\s?'?\d{0,4}|20\d\d|\w+\s+(?:months?|weeks?|years?|mois|ans?|semaines?))"
                      r"(?:\s+20\d\d)?", re.I)


class OutlineStrategy:
    """Places a note's sections in a strategy; what has no place is kept under `notes:` with its heading."""

    def __init__(self, notes: Notes, draft: Draft):
        self.notes = notes
        self.draft = draft
        self.executive_summary: list = []
        self.next_steps: list = []
        self.areas: list[dict] = []

    def run(self) -> dict:
        """Return the strategy's fields."""
        title, root = tree(self.notes)
        self.executive_summary.extend(block_bullets(root.blocks))
        areas = area_sections(root)
        for section in root.children:
            self._section(section, areas)
        self.found = bool(self.areas)
        """Whether the notes have areas of their own (none were made up)."""
        if not self.areas:
            self.draft.warn(None, "the notes have no areas (objectives, goals, pillars or sections of their own)",
                            "give each area a heading, e.g. `## Objective 1: …`")
            self.areas.append({"name": self.draft.fill_in(("areas", 0, "name"), None, "name for an area"),
                               "vision": self.draft.fill_in(("areas", 0, "vision"), None, "vision for the area")})
        strategy: dict[str, Any] = {"kind": "strategy", "title": title}
        if self.executive_summary:
            strategy["executive_summary"] = self.executive_summary
        strategy["areas"] = self.areas
        if self.next_steps:
            strategy["next_steps"] = self.next_steps
        return strategy

    def _section(self, section: Section, areas: list[Section]) -> None:
        if section in areas:
            self.areas.append(self._area(section, len(self.areas)))
            return
        inner = [s for s in section.walk() if s in areas]
        if inner:
            # A section holding areas ("Goals" over each goal): its own text introduces them.
            for value in block_bullets(section.blocks):
                self.executive_summary.append(_prefixed(section.title, value))
            for child in section.children:
                self._section(child, areas)
            return
        if self.areas and classify(section.title, {"kpis": AREA_PARTS["kpis"]}):
            self._document_kpis(section)
            return
        part = classify(section.title, STRATEGY_DOCUMENT)
        if part is None:
            self.draft.unplaced_section(section, f"the section “{section.title}” has no place in a strategy")
            return
        target = self.executive_summary if part == "executive_summary" else self.next_steps
        bullets = section_bullets(section)
        if not bullets:
            target.append(f"**{section.title}**")
        for index, value in enumerate(bullets):
            target.append(_prefixed(section.title, value) if index == 0 and part == "executive_summary"
                          and not names(section.title, ("summary", "resume", "synthese")) else value)

    def _document_kpis(self, section: Section) -> None:
        """Give each of the strategy's own metrics to the area whose words it shares most (else the first area)."""
        collected: dict[str, Any] = {"kpis": [], "_outcomes": []}
        self._blocks_into(collected, section.blocks, "kpis")
        for child in section.children:
            self._blocks_into(collected, child.blocks, "kpis")
        for found in collected["kpis"]:
            words = _words(found["metric"])
            best = max(self.areas, key=lambda area: len(words & _words(area["name"] + " " + area.get("vision", ""))))
            best.setdefault("kpis", []).append(found)
        if collected["_outcomes"]:
            first = self.areas[0]
            first["outcomes"] = "\n\n".join([first["outcomes"], *collected["_outcomes"]] if first.get("outcomes")
                                             else collected["_outcomes"])

    # -----------------------------------------------------------------------------------------------------------

    def _area(self, section: Section, number: int) -> dict:
        name = NUMBERED_AREA.sub("", bare(section.title)).strip() or bare(section.title)
        area: dict[str, Any] = {"name": name, "_vision": [], "objectives": [], "_summary": [], "initiatives": [],
                                "_privacy": [], "_outcomes": [], "kpis": [], "_quotes": set()}
        self._blocks_into(area, section.blocks, default="objectives")
        for child in section.children:
            self._part(area, child)
        return self._finish(area, section, number)

    def _blocks_into(self, area: dict, blocks: list, default: str) -> None:
        """Place blocks in an area: key results as KPIs, prose as vision, lists in `default` (or in the part a line
        such as "Initiatives:" before them names)."""
        named = None
        for block in blocks:
            if isinstance(block, ItemList):
                for item in block.items:
                    self._item(area, item, named or default)
                named = None
            elif isinstance(block, Labelled) and (part := classify(block.label, AREA_PARTS)):
                self._texts(area, part, [block.rest], block)
            elif isinstance(block, Paragraph) and not KEY_RESULT.match(block.text) and (
                    found := _plain_label(block.text)):
                part, rest = found
                if rest:  # "Privacy: retargeting audiences only from …"
                    self._texts(area, part, [rest], block)
                else:  # "Initiatives:" over a list
                    named = _LIST_OF[part]
            elif isinstance(block, (Paragraph, Labelled)):
                if KEY_RESULT.match(block.text):
                    area["kpis"].append(kpi(block.text, self.draft, block.line))
                elif default == "initiatives" and isinstance(block, Paragraph) and block.lead:
                    area["initiatives"].append(_initiative(Item(block.text, block.line), self.draft))
                else:
                    area[{"objectives": "_vision", "initiatives": "_summary"}.get(default, default)].append(block.text)
                    if isinstance(block, Paragraph) and block.quote:
                        area["_quotes"].add(block.text)
            elif isinstance(block, Table):
                self._table(area, block, default)

    def _item(self, area: dict, item: Item, default: str) -> None:
        if KEY_RESULT.match(item.text):
            area["kpis"].append(kpi(item.text, self.draft, item.line))
            for child in item.children:
                self._item(area, child, "initiatives")
        elif default == "initiatives":
            area["initiatives"].append(_initiative(item, self.draft))
        elif default == "kpis":
            area["kpis"].append(kpi(item.text, self.draft, item.line))
            area["_outcomes"].extend(t for child in item.children for t in child.flat())
        elif default in ("_vision", "_privacy", "_outcomes", "_summary"):
            area[default].append(join_sentences(item.flat()))
        else:
            area["objectives"].append(bullet(item))

    def _texts(self, area: dict, part: str, texts: list[str], block: Any) -> None:
        key = {"vision": "_vision", "privacy": "_privacy", "outcomes": "_outcomes", "risks": "_outcomes",
               "initiatives": "_summary", "objectives": "objectives", "kpis": "_outcomes"}[part]
        area[key].extend(texts)
        if part in ("kpis", "outcomes"):
            area["kpis"].extend(kpis_in(" ".join(texts)))

    def _table(self, area: dict, table: Table, default: str) -> None:
        headers = [classify(h, {"metric": ("metric", "kpi", "measure", "indicator", "key result", "kr", "indicateur"),
                                "baseline": ("baseline", "today", "current", "actuel", "base"),
                                "target": ("target", "goal", "cible", "objectif"),
                                "horizon": ("horizon", "by when", "deadline", "date", "when", "echeance")})
                   for h in table.header]
        if "metric" in headers and "target" in headers:
            for row in table.rows:
                found = {}
                for field, cell in zip(headers, row):
                    text = join_sentences([t for item in cell for t in item.flat()])
                    if field and text:
                        found[field] = text
                if "metric" in found:
                    found.setdefault("target", self.draft.fill_in((), table.line, f"target for “{found['metric']}”"))
                    area["kpis"].append(found)
            return
        for row in table.rows:
            if text := row_text(table.header, row):
                self._item(area, Item(text, table.line), default)

    def _part(self, area: dict, section: Section) -> None:
        part = classify(section.title, AREA_PARTS)
        if part in ("vision", "privacy", "outcomes", "risks"):
            key = {"vision": "_vision", "privacy": "_privacy", "outcomes": "_outcomes", "risks": "_outcomes"}[part]
            texts = flat_texts(section)
            if part == "risks":
                texts = [f"**{section.title}:** {join_sentences(texts)}"] if texts else []
            area[key].extend(texts)
            if part == "outcomes":
                area["kpis"].extend(kpis_in(" ".join(texts)))
                self._blocks_into(area, [b for b in section.blocks if isinstance(b, Table)], "kpis")
        elif part == "kpis":
            self._blocks_into(area, section.blocks, "kpis")
            for child in section.children:
                self._part(area, child)
        elif part == "objectives":
            self._blocks_into(area, section.blocks, "objectives")
            for child in section.children:
                self._part(area, child)
        elif part == "initiatives":
            self._blocks_into(area, section.blocks, "initiatives")
            for child in section.children:
                area["initiatives"].append(_section_initiative(child, self.draft))
        else:
            area["initiatives"].append(_section_initiative(section, self.draft))

    def _finish(self, raw: dict, section: Section, number: int) -> dict:
        area: dict[str, Any] = {"name": raw["name"]}
        # The note's own words state the vision; quotations it cites follow them.
        own = [text for text in raw["_vision"] if text not in raw["_quotes"]]
        vision = "\n\n".join(own + [text for text in raw["_vision"] if text in raw["_quotes"]])
        if not vision and raw["name"] != bare(section.title) and not raw["objectives"]:
            vision = bare(section.title)  # "Objective 1: Trustworthy dashboards": the objective states where to go
        if not vision and raw["objectives"]:
            first = raw["objectives"].pop(0)
            vision = first if isinstance(first, str) else join_sentences([first["text"], *first["items"]])
        area["vision"] = vision or self.draft.fill_in(("areas", number, "vision"), section.line,
                                                      f"vision for “{raw['name']}”")
        if raw["objectives"]:
            area["objectives"] = raw["objectives"]
        if raw["_summary"]:
            area["initiatives_summary"] = "\n\n".join(raw["_summary"])
        if raw["initiatives"]:
            area["initiatives"] = raw["initiatives"]
        if raw["_privacy"]:
            area["privacy"] = "\n\n".join(raw["_privacy"])
        if raw["_outcomes"]:
            area["outcomes"] = "\n\n".join(raw["_outcomes"])
        if raw["kpis"]:
            area["kpis"] = _unique(raw["kpis"])
        return area


_LABEL_PARTS = {part: AREA_PARTS[part] for part in ("privacy", "initiatives", "kpis", "objectives", "outcomes")}
_LIST_OF = {"privacy": "_privacy", "initiatives": "initiatives", "kpis": "kpis", "objectives": "objectives",
            "outcomes": "_outcomes"}
"""Where the items of a list go that a plain label line names."""


def _plain_label(text: str) -> tuple[str, str] | None:
    """The area part and the rest of a line that opens with a plain label naming one ("Privacy: …", "Initiatives:"),
    else None; a label is at most three words."""
    label, colon, rest = text.partition(":")
    if not colon or not label.strip() or len(bare(label).split()) > 3 or "**" in label or "](" in label:
        return None
    part = classify(bare(label), _LABEL_PARTS)
    return (part, rest.strip()) if part else None


def area_sections(root: Section) -> list[Section]:
    """Return the sections that are the strategy's areas, in order."""
    numbered = [s for s in root.walk() if s is not root and NUMBERED_AREA.match(bare(s.title))]
    if numbered:
        return _outermost(numbered)
    containers = [s for s in root.walk() if s is not root and s.children and names(s.title, AREA_CONTAINERS)
                  and classify(s.title, STRATEGY_DOCUMENT) is None and len(s.title.split()) <= 4]
    if containers:
        return [child for container in _outermost(containers) for child in container.children]
    top = root.children
    while len(top) == 1 and top[0].children:
        top = top[0].children
    return [s for s in top if classify(s.title, STRATEGY_DOCUMENT) is None]


def _outermost(sections: list[Section]) -> list[Section]:
    chosen = set(map(id, sections))
    result = []
    for section in sections:
        node = section.parent
        while node is not None and id(node) not in chosen:
            node = node.parent
        if node is None:
            result.append(section)
    return result


def kpi(text: str, draft: Draft, line: int) -> dict:
    """Return a key result as a KPI: the metric as written; baseline, target and horizon where it states them."""
    metric = text.strip()
    plain = bare(metric)
    found: dict[str, Any] = {"metric": metric}
    if match := _FROM_TO.search(plain):
        found["baseline"] = (match["baseline"] or match["baseline2"] or match["baseline3"]).strip()
        found["target"] = (match["target"] or match["target2"] or match["target3"]).strip()
    else:
        if baseline := _BASELINE.search(plain):
            found["baseline"] = baseline["baseline"].strip()
            plain_rest = plain[: baseline.start()] + plain[baseline.end():]
        else:
            plain_rest = plain
        rest = _HORIZON.sub(" ", re.sub(r"(?i)^(?:kr|key\s+results?|r[ée]sultats?\s+cl[ée]s?|rc)\s*\d+(?:[.,]\d+)?", "",
                                        plain_rest))
        numbers = [m["target"].strip() for m in _TARGET.finditer(rest) if m["target"].strip()]
        if numbers:
            found["target"] = numbers[-1]
    if horizon := _HORIZON.search(plain):
        found["horizon"] = horizon[0].strip()
    if "target" not in found:
        found["target"] = draft.fill_in((), line, f"target for “{plain[:60]}”")
    return found


def _initiative(item: Item, draft: Draft) -> dict:
    """Read a bullet as an initiative: `**Name**: description`, `Name — description`, or a name over sub-bullets."""
    text = item.text
    details = [t for child in item.children for t in child.flat()]
    if match := _NAMED.match(text):
        name, rest = match["name"].strip().rstrip(":"), match["rest"].strip()
    elif match := _SPLIT.match(bare(text)):
        name, rest = match["name"].strip(), match["rest"].strip()
    else:
        name, rest = text, ""
    description = join_sentences([p for p in (rest, *details) if p])
    if not description:
        description = draft.fill_in((), item.line, f"description of the initiative “{bare(name)[:60]}”")
    return {"name": name, "description": description}


def _section_initiative(section: Section, draft: Draft) -> dict:
    texts = flat_texts(section)
    description = join_sentences(texts) if texts else draft.fill_in((), section.line,
                                                                     f"description of “{section.title}”")
    return {"name": section.title, "description": description}


def _words(text: str) -> set[str]:
    return {word for word in re.findall(r"[a-z0-9]+", bare(text).lower().replace("-", " ")) if len(word) > 3}


def _prefixed(title: str, value: Any) -> Any:
    if isinstance(value, str):
        return f"**{title}:** {value}"
    return {"text": f"**{title}:** {value['text']}", "items": value["items"]}


def _unique(kpis: list[dict]) -> list[dict]:
    seen: set[tuple] = set()
    result = []
    for found in kpis:
        key = (bare(found["metric"]).lower(), found["target"])
        if key not in seen:
            seen.add(key)
            result.append(found)
    return result
