"""Pitfalls and references as notes list them: tables, bullets, bold-led paragraphs, prose, links."""

from __future__ import annotations

import re

from planforge.importing.day_plan import _reference
from planforge.importing.draft import Draft, join_sentences
from planforge.importing.gather import flat_texts
from planforge.importing.notes import ItemList, Labelled, Paragraph, Table, bare
from planforge.importing.outline import PLAN_DOCUMENT, Section, names

_SPLIT = re.compile(r"^(?P<head>.+?)(?::\s+|\s+(?:[—–-]|→|->|=>)\s+)(?P<rest>\S.*)$")
_BY = re.compile(r"^(?P<title>.+?)\s+by\s+(?P<authors>[^.]+?)\.?$", re.I)


def pitfalls_in(section: Section, draft: Draft, before: int) -> list[dict]:
    """Return the pitfalls a section lists (table rows, bullets, bold-led paragraphs, prose about risks); a table
    that names no pitfalls is kept under `notes:`."""
    found: list[dict] = []
    rest: list = []
    other: Paragraph | None = None
    """A line such as "Action items:" that opens something else: it and what follows are no pitfalls."""
    for block in section.blocks:
        if other is None and isinstance(block, Paragraph) and _opens_other(block.text):
            other = block
        if other is not None:
            rest.append(block)
        elif isinstance(block, Table) and block.header and names(block.header[0], PLAN_DOCUMENT["pitfalls"]):
            for row in block.rows:
                cells = [" • ".join(t for item in cell for t in item.flat()) for cell in row]
                if cells and cells[0]:
                    found.append({"pitfall": cells[0], "mitigation": " — ".join(c for c in cells[1:] if c)})
        elif isinstance(block, ItemList):
            for item in block.items:
                text = item.text
                mitigation = join_sentences([t for child in item.children for t in child.flat()])
                if not mitigation and (split := _SPLIT.match(text)):
                    text, mitigation = split["head"], split["rest"]
                found.append({"pitfall": text, "mitigation": mitigation})
        elif isinstance(block, Paragraph) and block.lead:
            lead = block.text[: block.text.index("**", 2) + 2] if block.text.startswith("**") else block.lead
            found.append({"pitfall": lead, "mitigation": block.text[len(lead):].strip(" .:–—-")})
        elif isinstance(block, (Paragraph, Labelled)):
            found.extend(_prose_pitfalls(block.text))
        else:
            rest.append(block)
    for child in section.children:
        found.append({"pitfall": child.title, "mitigation": join_sentences(flat_texts(child))})
    for index, pitfall in enumerate(found):
        if not pitfall["mitigation"]:
            pitfall["mitigation"] = draft.fill_in(("pitfalls", before + index, "mitigation"), section.line,
                                                  f"mitigation for “{bare(pitfall['pitfall'])}”")
    if found and rest:
        draft.unplaced_section(Section(section.title, section.level, rest[0].line, rest),
                               f"“{bare(other.text)}” under “{section.title}” opens no pitfalls" if other else
                               f"a table under “{section.title}” names no pitfalls")
    return found


def _opens_other(text: str) -> bool:
    """Tell whether a line is a short label that opens a list of something else ("Action items:", "Links: …")."""
    label, colon, _ = bare(text).partition(":")
    return bool(colon) and len(label.split()) <= 3 and not names(label, PLAN_DOCUMENT["pitfalls"]) and not names(
        label, ("mitigat", "solution", "response", "parade", "attenuation"))


def references_in(section: Section, draft: Draft, before: int) -> list[dict]:
    """Return the references a section lists: 'Authors (Year). Title.', a link with its title, 'Title by Author'."""
    found: list[dict] = []
    items = [item for b in section.blocks if isinstance(b, ItemList) for item in b.items]
    items += [b for b in section.blocks if isinstance(b, (Paragraph, Labelled))]
    for item in items:
        text = item.text
        reference = _reference(text) or _link_reference(text)
        if reference is None:
            by = _BY.match(bare(text))
            reference = {"title": by["title"], "authors": by["authors"]} if by else {
                "title": text, "authors": draft.fill_in(("references", before + len(found), "authors"), item.line,
                                                        f"authors of “{bare(text)[:60]}”")}
        found.append(reference)
    for child in section.children:
        found.extend(references_in(child, draft, before + len(found)))
    return found


_RISK_WORDS = ("risk", "could", "might", "may ", "danger", "threat", "worry", "concern", "risque", "pourrait")


def _prose_pitfalls(text: str) -> list[dict]:
    """Read prose about risks: each sentence naming a risk opens a pitfall; the sentences after it mitigate it."""
    found: list[dict] = []
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z“\"*])", text):
        if not found or names(sentence, _RISK_WORDS):
            head, _, tail = sentence.partition("; ")
            found.append({"pitfall": head if tail else sentence, "mitigation": tail})
        else:
            found[-1]["mitigation"] = join_sentences([t for t in (found[-1]["mitigation"], sentence) if t])
    return found


def _link_reference(text: str) -> dict | None:
    """Read '[Title](https://host/…)' or 'Title (https://host/…)' — a link as the notes write it — into a reference
    named after its site."""
    text = bare(text)
    match = (re.fullmatch(r"\[(?P<title>[^\]]+)\]\((?P<url>https?://[^)\s]+)\)\s*(?P<rest>.*)", text)
             or re.fullmatch(r"(?P<title>.+?)\s*\((?P<url>https?://[^)\s]+)\)\s*(?P<rest>.*)", text))
    if not match:
        return None
    host = re.sub(r"^www\.", "", match["url"].split("/")[2])
    reference = {"title": match["title"].strip(" .—–-"), "authors": host, "url": match["url"]}
    if match["rest"].strip(" .—–-"):
        reference["publisher"] = match["rest"].strip(" .—–-")
    return reference
