"""The templates' text filters: plan text with inline markup as escaped HTML or Markdown (lines, paragraphs, table
cells, bullet lists, links), and the wording both formats share (dates, week spans, the language's colon)."""

from __future__ import annotations

import datetime
import re
from typing import Any, Callable

from jinja2 import pass_eval_context
from markupsafe import Markup, escape

from planforge import i18n
from planforge.i18n.formatting import (
    format_date,
    format_list,
    format_number,
    format_quantity,
    weeks_label,
)
from planforge.text import Run, plain, runs


class MarkdownText(str):
    """Markdown that is already escaped; the Markdown templates output it as it is."""


# ---------------------------------------------------------------- HTML

def inline_html(text: str) -> Markup:
    """Return text as escaped HTML with `**bold**` as <strong> and `*italic*` as <em>."""
    return Markup("").join(_html_run(run) for run in runs(text))


def _html_run(run: Run) -> Markup:
    html = escape(run.text)
    if run.italic:
        html = Markup("<em>%s</em>") % html
    if run.bold:
        html = Markup("<strong>%s</strong>") % html
    if run.link:
        html = Markup('<a href="%s" rel="noopener noreferrer">%s</a>') % (run.link, html)
    return html


def html_paragraphs(text: str) -> Markup:
    """Return text as HTML paragraphs, one per blank-line-separated block."""
    return Markup("\n").join(Markup("<p>%s</p>") % inline_html(block) for block in paragraphs(text))


def url_text(url: str) -> Markup:
    """Return a web address exactly as written, escaped for HTML (an address is not plan text: `*` stays `*`)."""
    return escape(url)


def plain_text(text: str) -> Markup:
    """Return text without inline markup, escaped for HTML (for <title> and attribute values)."""
    return escape("".join(run.text for run in runs(text)))


# ---------------------------------------------------------------- Markdown

# Characters that start inline Markdown (GFM) constructs anywhere in a line: code, emphasis, links, raw HTML,
# table cells, strikethrough and GitHub's $math$.
_MD_INLINE = re.compile(r"([\\`*_\[\]<|~$])")
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_BREAKING_SPACE = re.compile(r"[^\S\u00a0\u2007\u202f]+")
# What would start a block (heading, quote, list, thematic break) when it opens a line.
_MD_LINE_START = re.compile(r"^([#>+=-]|\d+(?=[.)]))")


def md_inline(text: str, bold: bool = False, italic: bool = False) -> MarkdownText:
    """Return text as one line of Markdown: metacharacters escaped, its bold and italic kept (or forced on)."""
    # No-break spaces do not collapse: French "Objectifs :" must keep its colon on the word's line.
    pieces = _styled(runs(_BREAKING_SPACE.sub(" ", text).strip(" ")), bold, italic)
    line = "".join(_md_run_before_link(pieces, index) for index in range(len(pieces)))
    match = _MD_LINE_START.match(line)
    if match:
        line = (match.group(1) + "\\" + line[match.end():]) if match.group(1).isdigit() else "\\" + line
    return MarkdownText(line)


def _styled(pieces: list[Run], bold: bool, italic: bool) -> list[Run]:
    """Return runs with bold and/or italic switched on throughout, neighbours of one style merged."""
    if not (bold or italic):
        return pieces
    merged: list[Run] = []
    for run in pieces:
        run = Run(run.text, run.bold or bold, run.italic or italic, run.link)
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].link) == (run.bold, run.italic, run.link):
            run = Run(merged.pop().text + run.text, run.bold, run.italic, run.link)
        merged.append(run)
    return merged


def _md_escape(text: str) -> str:
    return _MD_ENTITY.sub("\\\\&", _MD_INLINE.sub(r"\\\1", text))


def _md_run_before_link(pieces: list[Run], index: int) -> str:
    """One run as Markdown; a `!` right before a link is escaped, or the link would read as an image."""
    markdown = _md_run(pieces, index)
    if markdown.endswith("!") and index + 1 < len(pieces) and pieces[index + 1].link:
        markdown = markdown[:-1] + "\\!"
    return markdown


def _md_run(pieces: list[Run], index: int) -> str:
    """Return one styled run as Markdown, with emphasis delimiters outside its surrounding spaces."""
    run = pieces[index]
    if run.link:
        # The label keeps its style inside the brackets; the address is written as it is.
        label = _md_run([Run(run.text, run.bold, run.italic)], 0)
        return f"[{label}]({run.link})"
    body = run.text.strip()
    if not body or not (run.bold or run.italic):
        return _md_escape(run.text)
    lead = run.text[: len(run.text) - len(run.text.lstrip())]
    trail = run.text[len(run.text.rstrip()):]
    before = lead[-1:] or _neighbour(pieces, index - 1, -1)
    after = trail[:1] or _neighbour(pieces, index + 1, 0)
    escaped = _md_escape(body)
    if _emphasis_parses(before, body, after):
        marker = "*" * (2 * run.bold + run.italic)
        return f"{lead}{marker}{escaped}{marker}{trail}"
    # Where `*` delimiters would not parse as emphasis (CommonMark's flanking rules), raw tags always do.
    if run.italic:
        escaped = f"<em>{escaped}</em>"
    if run.bold:
        escaped = f"<strong>{escaped}</strong>"
    return f"{lead}{escaped}{trail}"


def _neighbour(pieces: list[Run], index: int, position: int) -> str | None:
    """Return the character next to a run from its neighbour; None for a styled neighbour, "" at the line's ends."""
    if index < 0 or index >= len(pieces):
        return ""
    neighbour = pieces[index]
    if neighbour.link:
        return "[" if position == 0 else ")"
    if neighbour.bold or neighbour.italic:
        return None
    return neighbour.text[position]


def _emphasis_parses(before: str | None, body: str, after: str | None) -> bool:
    """Return whether `*` delimiters around `body` open and close emphasis between `before` and `after`."""
    if before is None or after is None:
        return False  # delimiters touching another emphasis run merge with its delimiters
    opens = not _is_punctuation(body[0]) or before == "" or before.isspace() or _is_punctuation(before)
    closes = not _is_punctuation(body[-1]) or after == "" or after.isspace() or _is_punctuation(after)
    return opens and closes


def _is_punctuation(char: str) -> bool:
    return not char.isalnum() and not char.isspace()


def paragraphs(text: str) -> list[str]:
    """Split text into paragraphs at blank lines."""
    return [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]


def md_paragraphs(text: str) -> MarkdownText:
    """Return text as Markdown paragraphs separated by blank lines."""
    return MarkdownText("\n\n".join(md_inline(block) for block in paragraphs(text)))


def md_cell(text: str, bold: bool = False) -> MarkdownText:
    """Return text for a GFM table cell: one line, paragraphs separated by <br><br>."""
    return MarkdownText("<br><br>".join(md_inline(block, bold=bold) for block in paragraphs(text)))


def md_bullets(bullets: list[Any], numbered: bool = False) -> MarkdownText:
    """Return bullets as a Markdown list, sub-bullets nested under their bullet."""
    return MarkdownText("\n".join(_bullet_lines(bullets, numbered, lambda marker: " " * (len(marker) + 1) + "- ")))


def md_cell_bullets(bullets: list[Any], numbered: bool = False) -> MarkdownText:
    """Return bullets for a GFM table cell as the seeds write them: `- item<br>  • sub-item`, or `1. item`."""
    return MarkdownText("<br>".join(_bullet_lines(bullets, numbered, lambda marker: "&nbsp;&nbsp;• ")))


def _bullet_lines(bullets: list[Any], numbered: bool, sub_prefix) -> list[str]:
    """One line per bullet (`-` or `1.`) and per sub-bullet, which `sub_prefix(marker)` opens."""
    lines = []
    for number, bullet in enumerate(bullets, start=1):
        marker = f"{number}." if numbered else "-"
        lines.append(f"{marker} {md_inline(bullet.text)}")
        lines.extend(f"{sub_prefix(marker)}{md_inline(item)}" for item in bullet.items)
    return lines


_WEB_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)


def is_web_url(text: str) -> bool:
    """Return whether text is a single http(s) address that is safe to link to."""
    return isinstance(text, str) and bool(_WEB_URL.fullmatch(text))


def md_link(url: str) -> MarkdownText:
    """Return a web address as a Markdown autolink, anything else (e.g. a 'TBD' placeholder) as text."""
    return MarkdownText(f"<{url}>") if is_web_url(url) else md_inline(url)


# ---------------------------------------------------------------- wording shared by both formats

@pass_eval_context
def colon(eval_ctx: Any, space: bool = False) -> str:
    """The colon after a label, as the language spaces it (":" in English, " :" in French, "：" in Japanese and
    Chinese), with the space after it when `space` (`{{ label }}{{ colon(space=True) }}{{ value }}`); shown as it
    is (not as text, which loses a space at its end)."""
    text = i18n.colon(space)
    return Markup(escape(text)) if eval_ctx.autoescape else MarkdownText(text)


def md_label(label: str, marks: str = "**") -> MarkdownText:
    """A label in bold (or `marks="*"`: italic) with its colon and the space after it, as Markdown: `**Owner:** `,
    `**Responsable :** `; Japanese and Chinese put the full-width colon after the bold (`**担当**：`), where
    CommonMark still closes the bold and no space is needed, and leave an italic label upright (`担当：`)."""
    text = str(md_inline(label))
    mark = i18n.colon()
    if i18n.colon(space=True) == mark:  # a full-width colon: outside the bold, no space
        marks = "" if marks == "*" else marks  # Japanese and Chinese type has no italics (only a slanted fake)
        return MarkdownText(f"{marks}{text}{marks}{mark}")
    return MarkdownText(f"{marks}{text}{mark}{marks} ")


def date_text(value: datetime.date | str | None) -> str | None:
    """Return a date in the plan's language ('20 September 2025', '6 octobre 2025'); text as written."""
    return format_date(value)


def week_span(block: Any) -> str:
    """Return a week block's span, e.g. 'Weeks 1–2' or 'Week 5', in the plan's language."""
    return weeks_label(block.first_week, block.last_week)


def period(text: str) -> str:
    """Return the full stop that ends a reference part, or nothing when the text already ends a sentence."""
    return "" if plain(text).rstrip().endswith((".", "?", "!")) else "."


FILTERS: dict[str, Callable[..., Any]] = {
    "paragraphs": html_paragraphs,
    "plain": plain_text,
    "url": url_text,
    "md": md_inline,
    "md_paragraphs": md_paragraphs,
    "md_cell": md_cell,
    "md_bullets": md_bullets,
    "md_cell_bullets": md_cell_bullets,
    "md_link": md_link,
    "md_label": md_label,
    "date_text": date_text,
    "number": format_number,
    "quantity": format_quantity,
    "and_list": format_list,
    "week_span": week_span,
    "week_label": lambda number: weeks_label(number, number),
    "period": period,
}
"""Filters the templates use. Unfiltered `{{ text }}` is already escaped with its bold and italic kept
(`templating._finalize`)."""
