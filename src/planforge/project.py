"""The project's planforge settings: the nearest planforge.toml, or pyproject.toml with [tool.planforge]."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planforge.errors import PlanforgeError, Problem


class ConfigError(PlanforgeError):
    """A project configuration that cannot be read."""


@dataclass(frozen=True)
class ProjectConfig:
    """The settings table of a project (`[tool.planforge]`, or the top level of planforge.toml) and its file."""

    settings: dict[str, Any] = field(default_factory=dict)
    source: Path | None = None

    def section(self, name: str) -> dict[str, Any]:
        """One sub-table of the settings (e.g. `lint`, `deck`), empty when absent."""
        value = self.settings.get(name)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise ConfigError([Problem(self.source, None, None, f"`{name}` must be a table of settings",
                                       f"write it as a [{name}] table (or [tool.planforge.{name}] in pyproject.toml)")])
        return value

    @property
    def lang(self) -> str | None:
        """The project's default plan language (`lang = "fr-CA"`), or None for English."""
        value = self.settings.get("lang")
        if value is None:
            return None
        from planforge.i18n import TAG

        if not isinstance(value, str) or not TAG.fullmatch(value):
            raise ConfigError([Problem(self.source, None, None, f"`lang` must be a BCP 47 language tag, got {value!r}",
                                       'write it as lang = "en", "en-CA", "fr" or "fr-CA"')])
        return value

    def formats(self, known: list[str]) -> list[str] | None:
        """The formats a build makes by default (`formats = ["md", "html", "pptx", "pdf"]`), None when not set."""
        value = self.settings.get("formats")
        if value is None:
            return None
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise ConfigError([Problem(self.source, None, None, f"`formats` must be a list of format names, got "
                                       f"{value!r}", f"write it as formats = {known!r}")])
        unknown = [v for v in value if v.strip().lower() not in known]
        if unknown:
            raise ConfigError([Problem(self.source, None, None, f"`formats` names unknown formats: "
                                       f"{', '.join(map(repr, unknown))}", f"choose from {', '.join(known)}")])
        wanted = {v.strip().lower() for v in value}
        return [name for name in known if name in wanted]


ROLES = ("content", "cover", "divider", "blank")


def project_deck_layouts(plan: Path) -> dict[str, str]:
    """The project's `deck.layouts` (slide role → company layout name) for a plan file, checked."""
    config = find_project_config(Path(plan).parent)
    layouts = config.section("deck").get("layouts", {})
    if not isinstance(layouts, dict) or not all(
            isinstance(role, str) and role in ROLES and isinstance(name, str) and name.strip()
            for role, name in layouts.items()):
        raise ConfigError([Problem(config.source, None, None, "`deck.layouts` must map slide roles to layout names",
                                   f"write e.g. [deck.layouts] content = \"Titre seul\"; roles are {', '.join(ROLES)}")])
    return dict(layouts)


def project_language(plan: Path) -> str | None:
    """The default language of the project a plan file belongs to (its nearest planforge settings)."""
    return find_project_config(Path(plan).parent).lang


def find_project_config(start: Path) -> ProjectConfig:
    """Return the settings of the nearest planforge.toml, or pyproject.toml with [tool.planforge], from `start` up."""
    start = start.resolve()
    for folder in (start, *start.parents):
        for name in ("planforge.toml", "pyproject.toml"):
            path = folder / name
            if not path.is_file():
                continue
            data = read_toml(path)
            tool = data.get("tool")
            settings = tool.get("planforge") if isinstance(tool, dict) else None
            if settings is None:
                if name == "pyproject.toml":
                    continue
                settings = data  # planforge.toml: the settings are the whole file
            if not isinstance(settings, dict):
                raise ConfigError([Problem(path, None, None, "[tool.planforge] must be a table of settings",
                                           "write it as a [tool.planforge] table")])
            return ProjectConfig(settings, path)
    return ProjectConfig()


def read_toml(path: Path) -> dict:
    """Parse a TOML file; a syntax or reading error is a ConfigError at its line and column."""
    from planforge.inputs import MAX_CONFIG_BYTES, read_bytes

    data = read_bytes(path, MAX_CONFIG_BYTES, what="project configuration", root=path.parent, error=ConfigError)
    try:
        return tomllib.loads(data.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, column = (int(match[1]), int(match[2])) if match else (None, None)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError([Problem(path, line, column, f"cannot parse TOML: {message}", "check the TOML syntax")]) from None
    except UnicodeDecodeError as exc:
        raise ConfigError([Problem(path, None, None, f"the file is not UTF-8: {exc.reason}",
                                   "save it as UTF-8 text")]) from None
