"""What planforge prints on a terminal: problems as `file:line:column: message` with a hint (and, in GitHub Actions,
as annotations on the lines of the pull request), and a build's outcome. Free of Typer, so the launcher can run a
build without loading the command-line framework."""

from __future__ import annotations

import os
import re
import sys

from planforge.errors import PlanforgeError


def rich_console(stderr: bool = False):
    """A Rich console for planforge's messages (no syntax highlighting, no emoji codes, long lines kept whole).

    Emoji codes are off because messages hold locations: Rich would print `file:100:3` as `file💯3`."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True, emoji=False)


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
"""Characters that must not reach a terminal or a CI log as they are: control characters (a newline would start a
line of the plan's choosing, such as a GitHub workflow command; ESC starts terminal escape sequences) and the
bidirectional controls that reorder what is shown."""


def printable(text: object) -> str:
    """Return text with every control and bidi character written as an escape (`\\n`, `\\x1b`, `\\u202e`)."""
    return _UNSAFE.sub(_escaped, str(text))


def _escaped(match: re.Match) -> str:
    char = match.group()
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if char in named:
        return named[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


_BACKSLASHES_BEFORE_BRACKET = re.compile(r"(\\+)(?=\[(?![a-z#/@][^\[]*?\]))")


def escape(text: object) -> str:
    """Return user text (a path, a message, plan text) ready for Rich: neutralised, and its markup escaped."""
    from rich.markup import escape as escape_markup

    # Rich takes the last backslash before any "[" as an escape, but its escape() adds one only before a tag.
    return escape_markup(_BACKSLASHES_BEFORE_BRACKET.sub(r"\1\\", printable(text)))


def print_problems(error: PlanforgeError) -> None:
    """Print each problem as `file:line:column: message` with its hint."""
    console = rich_console(stderr=True)
    for problem in error.problems:
        console.print(f"[bold red]{escape(problem.location())}[/]: {escape(problem.message)}")
        if problem.hint:
            console.print(f"  [dim]hint:[/] {escape(problem.hint)}")
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in error.problems:
            message = f"{problem.message} ({problem.hint})" if problem.hint else problem.message
            sys.stdout.write(annotation("error", str(problem.path), problem.line, problem.column, "planforge", message))
        sys.stdout.flush()


def print_warnings(messages) -> None:
    """Print each warning once as `warning: message` (never Python's warning lines with their source)."""
    console = rich_console(stderr=True)
    for message in dict.fromkeys(str(m) for m in messages):
        console.print(f"[yellow]warning:[/] {escape(message)}")


def annotation(severity: str, path: str, line: int | None, column: int | None, title: str, message: str) -> str:
    """Return a GitHub Actions workflow command that shows `message` on the file's line in the pull request."""
    properties = [f"file={_property(path)}"]
    if line is not None:
        properties.append(f"line={line}")
        if column is not None:
            properties.append(f"col={column}")
    properties.append(f"title={_property(title)}")
    return f"::{severity} {','.join(properties)}::{_data(message)}\n"


def _data(value: str) -> str:
    return printable(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _property(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")


def run_build(request, workers: int | None = None) -> int:
    """Build (or check) as `request` says, print progress, problems and a summary; return the exit code."""
    from planforge.build import build as build_plans
    from planforge.freshness import up_to_date_message
    from planforge.progress import print_summary, progress_for_output

    from planforge.render.libreoffice import ToolMissing

    progress = progress_for_output()
    result = missing = None
    try:
        result = build_plans(request, progress, workers)
    except KeyboardInterrupt:
        pass
    except ToolMissing as error:
        missing = error
    finally:
        progress.close()
    if missing is not None:
        rich_console(stderr=True).print(f"[red]{escape(str(missing))}[/]")
        return 2
    if result is None:
        rich_console(stderr=True).print("[yellow]interrupted[/]: every file written is complete; previous outputs stay")
        return 130
    print_warnings(result.warnings)  # once per template, not once per plan
    for job in result.jobs:
        if job.failed:
            print_problems(PlanforgeError(job.problems))
    if result.problems:
        print_problems(PlanforgeError(result.problems))
    console = rich_console()
    if request.check:
        for job in result.stale:
            for path, reason in job.stale:
                console.print(f"[yellow]stale[/] {escape(str(path))}: {escape(reason)}")
        if result.stale:
            plans = [job for job in result.jobs if not job.deleted]
            stale = [job for job in result.stale if not job.deleted]
            deleted = len(result.stale) - len(stale)
            summary = [f"{len(stale)} of {len(plans)} plan(s) out of date"] if stale else []
            summary += [f"outputs of {deleted} deleted plan(s) left over"] if deleted else []
            console.print(f"{'; '.join(summary)}; run `planforge build`")
        elif not result.failed:
            console.print(escape(up_to_date_message(len(result.jobs), request.out)))
        return 1 if result.stale or result.failed else 0
    if result.jobs and all(job.status == "up to date" for job in result.jobs):
        console.print(escape(up_to_date_message(len(result.jobs), request.out)))
    elif result.jobs:
        print_summary(result)
    if topics := result.topic_titles:
        # One line for the whole build: lint says where each one is (PF204).
        rich_console(stderr=True).print(escape(
            f"{topics} slide{'s have topic titles' if topics != 1 else ' has a topic title'}; "
            "`planforge lint` shows where"))
    return 1 if result.failed else 0
