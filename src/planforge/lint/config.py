"""Which rules are switched off: per project (pyproject.toml or planforge.toml), per file, per line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from planforge.errors import Problem
from planforge.project import ConfigError, find_project_config

CODE = re.compile(r"^[A-Z]{2}\d{3}$")
_NOQA = re.compile(r"#\s*planforge:\s*noqa\b:?((?:[\s,]*[A-Z]{2}\d{3})*)", re.IGNORECASE)


@dataclass(frozen=True)
class LintConfig:
    """Project-wide lint settings and where they came from."""

    ignore: frozenset[str] = frozenset()
    source: Path | None = None
    unknown: tuple[str, ...] = field(default=())
    deck_template: Path | None = None
    """The company .pptx the deck's accessibility rules (PF5xx) draw the deck in (`lint --deck-template`)."""


def find_config(start: Path) -> LintConfig:
    """Return the lint settings of the project `start` is in (see `planforge.project`)."""
    from planforge.lint.registry import RULES

    project = find_project_config(start)
    if project.source is None:
        return LintConfig()
    path = project.source
    codes = project.section("lint").get("ignore", [])
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise ConfigError([Problem(path, None, None, "lint `ignore` must be a list of rule codes",
                                   'write e.g. ignore = ["PF105", "PF201"]')])
    unknown = tuple(c for c in codes if c.upper() not in RULES)
    return LintConfig(frozenset(c.upper() for c in codes), path, unknown)


def noqa_lines(text: str) -> dict[int, frozenset[str] | None]:
    """Map 1-based line numbers to the codes a `# planforge: noqa CODE…` comment switches off (None: all)."""
    lines: dict[int, frozenset[str] | None] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _NOQA.search(line)
        if match:
            codes = re.findall(r"[A-Z]{2}\d{3}", match[1].upper())
            lines[number] = frozenset(codes) if codes else None
    return lines
