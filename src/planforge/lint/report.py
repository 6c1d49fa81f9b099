"""Findings as text (like ruff), JSON, or GitHub Actions annotations; one formatter per name."""

from __future__ import annotations

import json
from typing import Callable

from planforge.lint.engine import Finding


def text(findings: list[Finding]) -> str:
    """Return `path:line:column: CODE message` lines, each followed by its hint."""
    return "".join(f"{f.location()}: {f.code} {f.message}\n  hint: {f.hint}\n" for f in findings)


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
    lines = []
    for f in findings:
        properties = [f"file={_property(f.path)}"]
        if f.line is not None:
            properties.append(f"line={f.line}")
            if f.column is not None:
                properties.append(f"col={f.column}")
        properties.append(f"title={_property(f.code)}")
        lines.append(f"::{f.severity} {','.join(properties)}::{_data(f'{f.code} {f.message} ({f.hint})')}\n")
    return "".join(lines)


def _data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")


FORMATS: dict[str, Callable[[list[Finding]], str]] = {"text": text, "json": as_json, "github": github}
"""Output format name → function that formats a list of findings."""
