"""Errors planforge reports to its user: each names a place in a file, what is wrong and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file."""

    path: Path | str
    line: int | None
    column: int | None
    message: str
    hint: str = ""

    def location(self) -> str:
        """Return `path:line:column`, leaving out what is unknown."""
        parts = [str(self.path)]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class PlanforgeError(Exception):
    """An error the user can fix; the CLI prints it without a traceback."""

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem("planforge", None, None, problems)]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class PlanError(PlanforgeError):
    """A plan file that cannot be read, parsed or validated."""


class TemplateError(PlanforgeError):
    """A Jinja or PowerPoint template that cannot be used."""


class OutputError(PlanforgeError):
    """An output that cannot be written."""


class PlanforgeWarning(UserWarning):
    """Something the user should know that does not stop the build (e.g. a missing template layout)."""
