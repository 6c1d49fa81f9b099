"""Read rendered documents back as a person sees them: Markdown through markdown-it-py, HTML through html5lib, decks
through python-pptx."""

from __future__ import annotations

import html
import io
import re
import xml.etree.ElementTree as ET

import html5lib
from markdown_it import MarkdownIt

from planforge.render.templating import WEEK_ELEMENTS

# Elements that start a new line of text; everything else (strong, em, a, span) flows inline.
BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul",
}
HIDDEN = {"head", "script", "style", "template"}


def markdown_parser() -> MarkdownIt:
    """Return a parser for GitHub-flavoured Markdown as GitHub reads it (tables, strikethrough, inline HTML)."""
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def markdown_to_html(text: str) -> str:
    """Return the HTML a GFM reader makes of Markdown."""
    return markdown_parser().render(text)


def parse_html(text: str) -> ET.Element:
    """Parse HTML as a browser would, with plain tag names."""
    return html5lib.parse(text, namespaceHTMLElements=False)


def visible_text(root: ET.Element) -> str:
    """Return the text a reader sees, one line per block, spaces normalised within lines."""
    parts: list[str] = []
    _walk(root, parts)
    lines = "".join(parts).split("\n")
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def _walk(element: ET.Element, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in HIDDEN:
        if element.tail:
            parts.append(element.tail)
        return
    block = tag in BLOCKS
    if block:
        parts.append("\n")
    if element.text:
        parts.append(element.text)
    for child in element:
        _walk(child, parts)
    if block:
        parts.append("\n")
    if element.tail:
        parts.append(element.tail)


def expected_tables(document) -> list[tuple[int, list[str]]]:
    """Return (columns, first cell of each body row) of each table a document's Markdown and HTML should have."""
    if document.kind == "strategy":
        return [(4, [kpi.metric for kpi in area.kpis]) for area in document.areas if area.kpis]
    phases = [phase.name for phase in document.phases]
    numbered_risks = [f"{n}. {p.brief.pitfall or p.pitfall}" for n, p in enumerate(document.pitfalls, 1)]
    tables = []
    if any(p.slide.summary_objectives or p.slide.summary_outcomes for p in document.phases):
        tables.append((3, phases))
    if any(p.brief.pitfall or p.brief.mitigation for p in document.pitfalls):
        tables.append((2, numbered_risks))
    has_focus = any(p.focus_areas for p in document.phases)
    tables.append((4 if has_focus else 3, phases))
    for block in document.week_blocks:
        elements = [label for field, label in WEEK_ELEMENTS if any(getattr(w, field) for w in block.weeks)]
        tables.append((1 + len(block.weeks), elements))
    if document.pitfalls:
        tables.append((2, [f"{n}. {p.pitfall}" for n, p in enumerate(document.pitfalls, 1)]))
    return tables


def deck_texts(data: bytes, spoken: bool = False) -> list[str]:
    """Every text the deck shows: shapes, table cells, per slide in order (`spoken`: also the speaker notes and the
    alternative text a screen reader says)."""
    from pptx import Presentation

    texts = []
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts.extend(cell.text for row in shape.table.rows for cell in row.cells)
        if spoken:
            texts.extend(html.unescape(alt.decode()) for alt in re.findall(rb' descr="([^"]*)"', slide.part.blob))
            if slide.has_notes_slide:
                texts.append(slide.notes_slide.notes_text_frame.text)
    return texts
