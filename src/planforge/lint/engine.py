"""Run the rules over plan files and collect findings, minus what the project, the file or a line switches off."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planforge.errors import PlanforgeError
from planforge.lint.config import LintConfig, noqa_lines
from planforge.lint.registry import LOAD_FAILURE, RULES, Severity


@dataclass(frozen=True)
class Finding:
    """One lint finding at a place in a plan file."""

    path: str
    line: int | None
    column: int | None
    code: str
    severity: Severity
    message: str
    hint: str

    def location(self) -> str:
        """Return `path:line:column`, leaving out what is unknown."""
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


def lint_file(path: Path, config: LintConfig = LintConfig()) -> list[Finding]:
    """Lint one plan file; a plan that does not load gives one PF001 finding per load problem."""
    from planforge.lint.context import LintContext
    from planforge.loading import load_plan

    try:
        plan = load_plan(path)
    except PlanforgeError as error:
        load = RULES[LOAD_FAILURE]
        return [
            Finding(str(problem.path), problem.line, problem.column, load.code, load.severity, problem.message,
                    problem.hint)
            for problem in error.problems
        ]
    ctx = LintContext(plan)
    ctx.deck_template = config.deck_template
    ignored = config.ignore | set(plan.document.lint.ignore)
    noqa = noqa_lines(plan.text)
    findings = []
    for rule in RULES.values():
        if rule.check is None or rule.code in ignored:
            continue
        for hit in rule.check(ctx):
            if any(line in noqa and (noqa[line] is None or rule.code in noqa[line])
                   for line in (hit.line, hit.value_line) if line is not None):
                continue
            findings.append(Finding(str(path), hit.line, hit.column, rule.code, rule.severity, hit.message,
                                    hit.hint or rule.hint))
    return sorted(set(findings), key=_order)


def _order(finding: Finding) -> tuple:
    return (finding.line or 0, finding.column or 0, finding.code, finding.message)
