"""Findings as text (like ruff), JSON, or GitHub Actions annotations; one formatter per name."""

from __future__ import annotations

import json
from typing import Callable

from planforge.console import annotation, printable
from planforge.lint.engine import Finding


def text(findings: list[Finding]) -> str:
    """Return `path:line:column: CODE message` lines, each followed by its hint."""
    return "".join(printable(f"{f.location()}: {f.code} {f.message}") + "\n  hint: " + printable(f.hint) + "\n"
                   for f in findings)


def as_json(findings: list[Finding]) -> str:
    """Return the findings as a JSON list of objects."""
    rows = [
        {"path": f.path, "line": f.line, "column": f.column, "code": f.code, "severity": f.severity,
         "message": f.message, "hint": f.hint}
        for f in findings
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def github(findings: list[Finding]) -> str:
    """Return GitHub Actions workflow commands that annotate each finding in the pull request."""
    return "".join(annotation(f.severity, f.path, f.line, f.column, f.code, f"{f.code} {f.message} ({f.hint})")
                   for f in findings)


FORMATS: dict[str, Callable[[list[Finding]], str]] = {"text": text, "json": as_json, "github": github}
"""Output format name → function that formats a list of findings."""
