"""PF1xx: placeholders the author has not yet filled in."""

from __future__ import annotations

import re
from typing import Iterator

from planforge.lint.context import Hit, LintContext
from planforge.lint.registry import ERROR, WARNING, rule

PERCENT = re.compile(r"(?<![\w%])[XYZN]%")
MARKER = re.compile(r"\b(?:TBD|TBC|TODO|FIXME|XXX)\b")
QUESTION = re.compile(r"\?{3,}")
# What authors write where a reference's web address should go.
_MISSING_URL = re.compile(r"^_?(?:link|url|tbd|tbc|todo|\?+|-+|n/?a)_?$", re.IGNORECASE)


def _is_url(loc: tuple) -> bool:
    return len(loc) == 3 and loc[0] == "references" and loc[2] == "url"


def _each(ctx: LintContext, pattern: re.Pattern[str], message: str) -> Iterator[Hit]:
    for loc, _ in ctx.texts():
        if _is_url(loc):
            continue
        yield from ctx.matches(loc, pattern, message)


@rule("PF101", "percent-placeholder", ERROR, "A figure such as X%, Y% or Z% is still a placeholder.",
      "replace it with the real figure, e.g. 15%, or a range such as 10–15%")
def percent_placeholder(ctx: LintContext) -> Iterator[Hit]:
    """Find every X%, Y%, Z% (and N%) in the plan's text."""
    yield from _each(ctx, PERCENT, "unresolved placeholder `{token}`")


@rule("PF102", "todo-marker", ERROR, "Text still says TBD, TBC, TODO, FIXME or XXX.",
      "write the missing content, or remove the marker")
def todo_marker(ctx: LintContext) -> Iterator[Hit]:
    """Find every TBD/TODO-style marker in the plan's text."""
    yield from _each(ctx, MARKER, "unresolved placeholder `{token}`")


@rule("PF103", "question-marks", ERROR, "Text holds `???` where something is still unknown.",
      "find out and write the answer, or remove the question marks")
def question_marks(ctx: LintContext) -> Iterator[Hit]:
    """Find every run of three or more question marks."""
    yield from _each(ctx, QUESTION, "unresolved placeholder `{token}`")


@rule("PF104", "link-placeholder", ERROR, "A reference's address is a placeholder such as 'Link'.",
      "paste the web address, or remove `url:` if the work has none")
def link_placeholder(ctx: LintContext) -> Iterator[Hit]:
    """Find references whose url says 'Link', 'TBD' or similar instead of an address."""
    for index, reference in enumerate(getattr(ctx.document, "references", [])):
        if reference.url is not None and _MISSING_URL.match(reference.url.strip()):
            yield ctx.hit(("references", index, "url"), f"reference {index + 1} has the placeholder `{reference.url}` instead of an address")


@rule("PF105", "reference-without-url", WARNING, "A reference has no web address.",
      "add `url:` so readers can find the source")
def reference_without_url(ctx: LintContext) -> Iterator[Hit]:
    """Find references with no url at all."""
    for index, reference in enumerate(getattr(ctx.document, "references", [])):
        if reference.url is None:
            yield ctx.hit(("references", index), f"reference {index + 1} (“{reference.title}”) has no address")
