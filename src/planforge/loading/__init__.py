"""Plan files → validated models: bytes checks, round-trip YAML, Pydantic, every problem located."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ruamel.yaml.comments import CommentedMap

from planforge.loading.limits import MAX_ALIAS_USES, MAX_BYTES, MAX_DEPTH, MAX_PROBLEMS
from planforge.loading.reading import decode_text, read_plan_bytes, read_text
from planforge.loading.validation import locate, to_plain, validate
from planforge.loading.yaml_tree import parse_yaml, round_trip_yaml, yaml_events

__all__ = [
    "MAX_ALIAS_USES", "MAX_BYTES", "MAX_DEPTH", "MAX_PROBLEMS", "LoadedPlan", "discover", "load_plan", "locate",
    "parse_yaml", "decode_text", "read_plan_bytes", "read_text", "round_trip_yaml", "to_plain", "validate", "yaml_events",
]


@dataclass(frozen=True)
class LoadedPlan:
    """A validated plan with the YAML tree it came from, for locating things later."""

    path: Path
    document: Any
    tree: CommentedMap
    text: str

    def position(self, loc: Iterable[str | int]) -> tuple[int | None, int | None]:
        """Return the 1-based (line, column) of the value at `loc` in the plan file."""
        line, column, _ = locate(self.tree, tuple(loc))
        return line, column


def load_plan(path: Path | str, data: bytes | None = None) -> LoadedPlan:
    """Read, parse and validate one plan file; raise PlanError listing every problem.

    With `data`, those bytes are the plan (a build hashes the bytes it read and loads the same bytes)."""
    path = Path(path)
    text = read_text(path) if data is None else decode_text(path, data)
    tree = parse_yaml(path, text)
    document = validate(path, tree, text)
    if document.lang is None:
        from planforge.project import project_language

        # A plan that names no language takes its project's (pyproject.toml [tool.planforge] lang, planforge.toml).
        if default := project_language(path):
            document = document.model_copy(update={"lang": default})
    from planforge.project import project_deck_layouts

    if layouts := project_deck_layouts(path):
        # The plan's own `deck.layouts` win over the project's, role by role.
        merged = {**layouts, **document.deck.layouts}
        document = document.model_copy(update={"deck": document.deck.model_copy(update={"layouts": merged})})
    return LoadedPlan(path=path, document=document, tree=tree, text=text)


def discover(paths: Iterable[Path | str]) -> list[Path]:
    """Return the plan files named by `paths`, as `planforge build` finds them (see `planforge.paths.plan_files`)."""
    # Imported here: loading a plan does not need it, and the content hash of builds covers what loading imports.
    from planforge.paths import discover as find_plans

    return find_plans(paths)
