"""Which rules are switched off: per project (pyproject.toml or planforge.toml), per file, per line."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from planforge.errors import PlanforgeError, Problem

CODE = re.compile(r"^[A-Z]{2}\d{3}$")
_NOQA = re.compile(r"#\s*planforge:\s*noqa\b:?((?:[\s,]*[A-Z]{2}\d{3})*)", re.IGNORECASE)


@dataclass(frozen=True)
class LintConfig:
    """Project-wide lint settings and where they came from."""

    ignore: frozenset[str] = frozenset()
    source: Path | None = None
    unknown: tuple[str, ...] = field(default=())


class ConfigError(PlanforgeError):
    """A project lint configuration that cannot be read."""


def find_config(start: Path) -> LintConfig:
    """Return the lint settings of the nearest planforge.toml or pyproject.toml with [tool.planforge] from `start` up."""
    from planforge.lint.registry import RULES

    for folder in (start.resolve(), *start.resolve().parents):
        for name in ("planforge.toml", "pyproject.toml"):
            path = folder / name
            if not path.is_file():
                continue
            data = _read_toml(path)
            tool = data.get("tool", {}).get("planforge")
            if name == "pyproject.toml" and tool is None:
                continue
            section = (tool or {}).get("lint") or data.get("lint") or {}
            codes = section.get("ignore", [])
            if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
                raise ConfigError([Problem(path, None, None, "lint `ignore` must be a list of rule codes",
                                           'write e.g. ignore = ["PF105", "PF201"]')])
            unknown = tuple(c for c in codes if c.upper() not in RULES)
            return LintConfig(frozenset(c.upper() for c in codes), path, unknown)
    return LintConfig()


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, column = (int(match[1]), int(match[2])) if match else (None, None)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError([Problem(path, line, column, f"cannot parse TOML: {message}", "check the TOML syntax")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Problem(path, None, None, f"cannot read the file: {exc}", "check the file")]) from None


def noqa_lines(text: str) -> dict[int, frozenset[str] | None]:
    """Map 1-based line numbers to the codes a `# planforge: noqa CODE…` comment switches off (None: all)."""
    lines: dict[int, frozenset[str] | None] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _NOQA.search(line)
        if match:
            codes = re.findall(r"[A-Z]{2}\d{3}", match[1].upper())
            lines[number] = frozenset(codes) if codes else None
    return lines
