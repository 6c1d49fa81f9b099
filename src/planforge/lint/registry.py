"""Lint rules by code: each has a severity, a one-line summary, a fix hint and a check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator, Literal

if TYPE_CHECKING:
    from planforge.lint.context import Hit, LintContext

Severity = Literal["error", "warning"]
ERROR: Severity = "error"
WARNING: Severity = "warning"

Check = Callable[["LintContext"], Iterator["Hit"]]


@dataclass(frozen=True)
class Rule:
    """One lint rule: a stable code, what it finds, how to fix it, and the check that finds it."""

    code: str
    name: str
    severity: Severity
    summary: str
    hint: str
    check: Check | None


RULES: dict[str, Rule] = {}
"""Every rule by its code, e.g. 'PF101'."""


def rule(code: str, name: str, severity: Severity, summary: str, hint: str) -> Callable[[Check], Check]:
    """Register the decorated check as the rule `code`."""

    def register(check: Check) -> Check:
        if code in RULES:
            raise ValueError(f"lint rule {code} is registered twice")
        RULES[code] = Rule(code, name, severity, summary, hint, check)
        return check

    return register


LOAD_FAILURE = "PF001"
RULES[LOAD_FAILURE] = Rule(
    LOAD_FAILURE, "plan-does-not-load", ERROR, "The plan cannot be read, parsed or validated.",
    "fix the problem; `planforge validate` reports the same", None,
)
