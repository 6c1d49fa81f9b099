"""A note's blocks as a tree of sections, and the words (English and French) that say what a section is."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from planforge.importing.notes import Block, Heading, ItemList, Label, Notes, Separator, bare

LABEL_DEPTH = 7
"""Bold-line labels nest under the heading they follow, below any `#` level."""


@dataclass
class Section:
    """A heading (or bold label) with the blocks before its first sub-section and its sub-sections."""

    title: str
    level: int
    line: int
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    parent: Section | None = field(default=None, repr=False)

    def walk(self):
        """Yield this section and every section below it, in the note's order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def path(self) -> list[str]:
        """Return the titles from the top section down to this one."""
        titles = []
        node: Section | None = self
        while node is not None and node.level > 0:
            titles.append(node.title)
            node = node.parent
        return titles[::-1]


def tree(notes: Notes, skip_title: bool = True) -> tuple[str | None, Section]:
    """Return the note's title (its first level-1 heading, when it opens the note) and its section tree."""
    root = Section("", 0, 1)
    title = None
    stack = [root]
    label_level = LABEL_DEPTH
    for block in notes.blocks:
        if isinstance(block, Heading):
            if skip_title and title is None and block.level == 1 and not root.children:
                title = block.text
                continue
            level = block.level
        elif isinstance(block, Label):
            level = LABEL_DEPTH  # a bold line nests under the heading before it; bold lines in a row are siblings
        elif isinstance(block, Separator):
            # A rule ends the sections above it: what follows, until the next heading, is the note's own text.
            del stack[1:]
            continue
        elif isinstance(block, ItemList) and _outline_list(block):
            # A list whose items name periods or numbered objectives is an outline: each item is a section.
            for item in block.items:
                section = Section(bare(item.text).rstrip(":").strip(), stack[-1].level + 1, item.line, parent=stack[-1])
                if item.children:
                    section.blocks.append(ItemList(item.children, item.line))
                stack[-1].children.append(section)
            continue
        else:
            stack[-1].blocks.append(block)
            continue
        while len(stack) > 1 and stack[-1].level >= level:
            stack.pop()
        section = Section(bare(block.text).rstrip(":").strip(), level, block.line, parent=stack[-1])
        stack[-1].children.append(section)
        stack.append(section)
    return title, root


def _outline_list(block: ItemList) -> bool:
    """Tell whether a list is an outline: two or more items, most naming a period or a numbered objective, with
    sub-items of their own."""
    heads = [item for item in block.items if item.children and (
        period(item.text) is not None or NUMBERED_AREA.match(bare(item.text)))]
    return len(heads) >= 2 and len(heads) * 2 > len(block.items)


# ---------------------------------------------------------------------------------------------------------------
# Words


def fold(text: str) -> str:
    """Return text lower-cased, without accents or markup, for matching words in English and French."""
    text = unicodedata.normalize("NFKD", bare(text).lower())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("’", "'")


def names(text: str, words: tuple[str, ...]) -> bool:
    """Tell whether any of `words` starts a word of `text` (accents and case ignored)."""
    folded = fold(text)
    return any(re.search(rf"(?<![a-z]){re.escape(word)}", folded) for word in words)


def classify(text: str, table: dict[str, tuple[str, ...]]) -> str | None:
    """Return the first key of `table` one of whose words `text` names, or None."""
    for key, words in table.items():
        if names(text, words):
            return key
    return None


_NUMBER_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "next": None,
    "premier": 1, "premiere": 1, "1er": 1, "1re": 1, "deuxieme": 2, "second": 2, "seconde": 2, "2e": 2,
    "troisieme": 3, "3e": 3, "quatrieme": 4, "4e": 4, "cinquieme": 5, "sixieme": 6,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
}
_ORDINAL = "|".join(sorted((re.escape(w) for w in _NUMBER_WORDS if _NUMBER_WORDS[w]), key=len, reverse=True))
_TO = r"(?:-|–|—|to|through|thru|a|au|jusqu'a|/)"
_DAY = r"(?:days?|jours?|j)"
_WEEK = r"(?:weeks?|wks?|semaines?|sem\.?)"
_MONTH = r"(?:months?|mois)"
_DAY_RANGE = re.compile(rf"\b{_DAY}\s*(\d+)\s*{_TO}\s*(\d+)\b")
_RANGE_DAYS = re.compile(rf"\b(\d+)\s*{_TO}\s*(\d+)\s*{_DAY}\b")
_FIRST_DAYS = re.compile(rf"\b(?:first|premiers?|premieres?|les)\s+(\d+)\s+{_DAY}\b|\b(\d+)\s+premiers\s+jours\b")
_DAYS_MARK = re.compile(rf"^(?:(?:by|at|after|until|on|d'ici|au|a)\s+(?:the\s+)?(?:end\s+of\s+)?(?:le\s+|la\s+)?)?"
                        rf"(?:(?:day|jour|j)\s*(\d+)\b|(\d+)(?:\s*-\s*|\s+){_DAY}\b)")
_MONTH_N = re.compile(rf"\b{_MONTH}\s+(\d+)(?:\s*{_TO}\s*(\d+))?\b")
_MONTH_ORD = re.compile(rf"\b({_ORDINAL})\s+{_MONTH}\b")
_PHASE_N = re.compile(r"\b(?:phase|stage|etape|step)\s+(\d+|[ivx]+)\b")
_WEEK_RANGE = re.compile(rf"\b{_WEEK}\s*(\d+)(?:\s*{_TO}\s*(\d+))?\b")
_WEEK_ORD = re.compile(rf"\b({_ORDINAL})\s+{_WEEK}\b")
_QUARTER = re.compile(r"\b(?:q|quarter|trimestre)\s*([1-4])\b")

MAX_DAY = 1000
_FIRST_MARK = 10
"""'Day 30' marks the end of a phase; 'Day 1' is the first day, not a phase of one day."""
MAX_WEEK = 200


@dataclass(frozen=True)
class Period:
    """What a heading says about time: days (first, last), weeks, or a phase number whose days are not given."""

    days: tuple[int, int] | None = None
    weeks: tuple[int, int] | None = None
    phase: int | None = None
    milestone: int | None = None
    """'30 Days', 'Day 60', 'Jour 90': the day a goal is due by, which ends a phase starting after the one before."""
    rest: str = ""
    """The heading's words after the period: 'Days 1–30: Learn' → 'Learn'."""


def _ordered(first: int, last: int, limit: int) -> tuple[int, int] | None:
    first, last = min(first, last), max(first, last)
    return (first, last) if 1 <= first and last <= limit else None


def period(title: str) -> Period | None:
    """Return the days, weeks or phase number a heading names ('Days 1–30', 'Month 2', 'Semaines 3 à 4'), or None."""
    text = fold(title)
    found: tuple[re.Match, Period] | None = None
    if match := _DAY_RANGE.search(text) or _RANGE_DAYS.search(text):
        days = _ordered(int(match[1]), int(match[2]), MAX_DAY)
        found = (match, Period(days=days)) if days else None
    elif match := _FIRST_DAYS.search(text):
        days = _ordered(1, int(match[1] or match[2]), MAX_DAY)
        found = (match, Period(days=days)) if days else None
    elif match := _MONTH_N.search(text):
        first, last = int(match[1]), int(match[2] or match[1])
        days = _ordered((first - 1) * 30 + 1, last * 30, MAX_DAY)
        found = (match, Period(days=days)) if days else None
    elif match := _MONTH_ORD.search(text):
        month = _NUMBER_WORDS[match[1]]
        found = (match, Period(days=((month - 1) * 30 + 1, month * 30)))
    elif match := _WEEK_RANGE.search(text):
        weeks = _ordered(int(match[1]), int(match[2] or match[1]), MAX_WEEK)
        found = (match, Period(weeks=weeks)) if weeks else None
    elif match := _WEEK_ORD.search(text):
        week = _NUMBER_WORDS[match[1]]
        found = (match, Period(weeks=(week, week)))
    elif (match := _DAYS_MARK.search(text.strip())) and (match[2] or int(match[1]) >= _FIRST_MARK):
        day = int(match[1] or match[2])
        found = (match, Period(milestone=day)) if 1 <= day <= MAX_DAY else None
    elif match := _PHASE_N.search(text):
        number = _roman(match[1])
        found = (match, Period(phase=number)) if number else None
    elif match := _QUARTER.search(text):
        quarter = int(match[1])
        found = (match, Period(days=((quarter - 1) * 90 + 1, quarter * 90)))
    if found is None:
        return None
    match, result = found
    # Days in brackets after "Phase 1" name the phase's days: "Phase 1 (Days 1-30)".
    if result.phase is not None and (inner := _DAY_RANGE.search(text[match.end():])):
        days = _ordered(int(inner[1]), int(inner[2]), MAX_DAY)
        result = Period(days=days, phase=result.phase) if days else result
        match = inner
    return Period(result.days, result.weeks, result.phase, result.milestone, rest_after(title, match.end(), text))


def _roman(text: str) -> int | None:
    if text.isdigit():
        return int(text) if 0 < int(text) <= 12 else None
    values = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
    return values.get(text)


def rest_after(title: str, end: int, folded: str) -> str:
    """Return the title's words after position `end` of its folded form (lengths match but for accents)."""
    plain = bare(title)
    # Folding drops combining accents only, so positions match when the title has none; else search by words.
    if len(fold(plain)) == len(plain):
        rest = plain[end:]
    else:
        rest = plain[len(plain) - len(folded[end:]):] if len(folded[end:]) <= len(plain) else ""
    rest = re.sub(r"^\s*\)?\s*(?:\(\s*[^)]*\))?", "", rest)
    return rest.strip(" :–—-.,()\"“”'").strip()


# Sections of a 30-60-90 plan, by the words their headings use.
PLAN_DOCUMENT = {
    "pitfalls": ("pitfall", "risk", "challenge", "obstacle", "mistake", "trap", "concern", "go wrong", "avoid",
                 "watch out", "risque", "ecueil", "piege", "defi", "difficult", "eviter", "vigilance"),
    "references": ("reference", "resource", "reading", "further", "source", "bibliograph", "see also", "link",
                   "ressource", "lecture", "lien"),
    "week_intro": ("week-by-week", "week by week", "weekly", "semaine par semaine"),
    "key_outcomes": ("outcome", "success", "result", "deliverable", "resultat", "reussite", "livrable",
                     "measure", "metric", "kpi", "indicat"),
    "purpose": ("overview", "summary", "introduction", "intro", "purpose", "context", "background", "about",
                "why", "motivation", "conclusion", "apercu", "resume", "contexte", "pourquoi", "synthese",
                "objectif du plan", "vision", "mission", "approach", "approche", "principle", "principe", "goal",
                "objective", "objecti", "but"),
}
PHASE_PARTS = {
    "theme": ("theme", "focus:", "thème"),
    "expected_outcomes": ("outcome", "result", "deliverable", "success", "indicator", "milestone", "metric", "kpi",
                          "measure", "check-in", "checkpoint", "review", "resultat", "livrable", "reussite",
                          "indicateur", "jalon", "bilan", "mesure", "by the end", "a la fin"),
    "key_objectives": ("objective", "goal", "priorit", "aim", "objectif", "but"),
    "focus_areas": ("focus", "activit", "action", "task", "learn", "meeting", "relationship", "stakeholder", "todo",
                    "to do", "to-do", "tache", "apprendre", "rencontre", "axe"),
}
WEEK_PARTS = {
    "primary_objectives": ("objective", "goal", "priorit", "focus", "objectif", "but"),
    "stakeholders": ("meeting", "stakeholder", "people", "who", "relationship", "partner", "reunion", "rencontre",
                     "partie prenante", "interlocut"),
    "deliverables": ("deliverable", "document", "output", "artifact", "artefact", "livrable"),
    "success_metrics": ("success", "metric", "kpi", "measure", "indicator", "milestone", "check", "done when",
                        "reussite", "indicateur", "mesure", "jalon"),
    "key_actions": ("action", "activit", "task", "todo", "to do", "to-do", "step", "tache", "etape"),
}
# Sections of a strategy, by the words their headings use.
STRATEGY_DOCUMENT = {
    "next_steps": ("next step", "roadmap", "timeline", "schedule", "milestone", "plan", "prochaine", "etapes suivantes",
                   "calendrier", "feuille de route", "echeancier", "jalon"),
    "executive_summary": ("summary", "overview", "introduction", "intro", "executive", "context", "background",
                          "motivation", "why", "purpose", "mission", "vision", "north star", "ambition", "rationale",
                          "conclusion", "risk", "resume", "synthese", "contexte", "pourquoi", "apercu", "raison",
                          "etoile", "risque"),
}
AREA_PARTS = {
    "vision": ("vision", "mission", "why", "purpose", "ambition", "pourquoi", "raison d'etre"),
    "privacy": ("privacy", "compliance", "regulat", "legal", "gdpr", "security", "confidential", "conformite",
                "rgpd", "securite", "reglement", "juridique", "data protection", "personal data",
                "protection des donnees", "donnees personnelles", "vie privee"),
    "kpis": ("key result", "kr", "kpi", "metric", "measure", "indicator", "target", "resultats cles", "resultat cle",
             "indicateur", "mesure", "cible"),
    "outcomes": ("outcome", "result", "goal", "impact", "benefit", "success", "resultat", "benefice", "reussite"),
    "objectives": ("objective", "objectif", "aim", "but"),
    "initiatives": ("initiative", "improvement", "pillar", "project", "workstream", "stream", "action", "strateg",
                    "program", "priorit", "epic", "bet", "chantier", "pilier", "projet", "amelioration", "levier"),
    "risks": ("risk", "pitfall", "challenge", "obstacle", "concern", "dependenc", "risque", "defi", "ecueil"),
}
AREA_CONTAINERS = ("goal", "objective", "pillar", "priorit", "area", "domain", "theme", "workstream", "stream",
                   "focus", "initiative", "okr", "bet", "objectif", "axe", "pilier", "domaine", "chantier", "but")
NUMBERED_AREA = re.compile(r"^(?:objective|goal|pillar|priority|area|theme|okr|objectif|but|axe|pilier|priorit[ée]|"
                           r"chantier|domaine)\s*(?:#\s*)?(\d+|[ivx]+)\b\s*[:.–—-]?\s*", re.I)
KEY_RESULT = re.compile(r"^(?:\*\*)?(?:kr|key\s+results?|r[ée]sultats?\s+cl[ée]s?|rc)\s*(?:#\s*)?\d+(?:[.,]\d+)?(?:\*\*)?\s*[:.–—-]?"
                        r"(?:\*\*)?\s*", re.I)
