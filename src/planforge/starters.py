"""Starter plans for `planforge new`: a commented plan of each kind that validates as written."""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

from planforge.errors import PlanforgeError, Problem
from planforge.paths import PLAN_SUFFIXES
from planforge.writing import write_atomic

KINDS = {"strategy": "strategy", "30-60-90": "30-60-90", "plan": "30-60-90"}
"""Names accepted on the command line → the starter (and plan `kind`) they stand for."""

SCHEMA_FILE = Path("schema/planforge.schema.json")
"""Where `planforge schema` writes the JSON Schema, relative to the project folder."""


def starter_text(kind: str, title: str, schema: str) -> str:
    """Return the starter plan of `kind` titled `title`, its first line pointing editors at `schema`."""
    text = resources.files("planforge").joinpath("starters", f"{KINDS[kind]}.yaml").read_text(encoding="utf-8")
    # A JSON string is a valid YAML double-quoted scalar, so any title stays one value.
    text = text.replace("__TITLE__", json.dumps(title, ensure_ascii=False))
    return f"# yaml-language-server: $schema={schema}\n{text}"


def schema_reference(folder: Path) -> tuple[str, bool]:
    """Return (path of the JSON Schema relative to `folder`, whether it exists).

    The schema is looked for in `folder` and each folder above it; when there is none, the reference points where
    `planforge schema` run in the current folder would write it.
    """
    start = folder.resolve()
    for candidate in (start, *start.parents):
        if (candidate / SCHEMA_FILE).is_file():
            return Path(os.path.relpath(candidate / SCHEMA_FILE, start)).as_posix(), True
    fallback = Path.cwd().resolve() / SCHEMA_FILE
    return Path(os.path.relpath(fallback, start)).as_posix(), fallback.is_file()


def write_starter(kind: str, name: str, folder: Path) -> tuple[Path, bool]:
    """Write a new starter plan `<folder>/<name>.yaml`; return (its path, whether the schema it names exists)."""
    if kind not in KINDS:
        raise PlanforgeError([Problem(kind, None, None, f"unknown kind `{kind}`", "use `strategy` or `30-60-90`")])
    stem = name.removesuffix(Path(name).suffix) if Path(name).suffix in PLAN_SUFFIXES else name
    if not stem or stem.startswith(".") or any(c in stem for c in "/\\\0") or stem in (".", ".."):
        raise PlanforgeError([Problem(name, None, None, "not a usable plan name",
                                      "use letters, digits, '-' and '_', e.g. product-strategy-2026")])
    path = folder / f"{stem}.yaml"
    if path.exists() or path.is_symlink():
        raise PlanforgeError([Problem(path, None, None, "already exists; planforge new never overwrites a file",
                                      "choose another name, or delete the file first")])
    folder.mkdir(parents=True, exist_ok=True)
    schema, found = schema_reference(folder)
    title = stem.replace("-", " ").replace("_", " ").strip().capitalize() or stem
    write_atomic(path, starter_text(kind, title, schema).encode("utf-8"))
    return path, found
