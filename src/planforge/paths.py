"""Where plans are found and where their outputs go.

Written with os.path rather than pathlib: an up-to-date build runs this and nothing heavier, and importing pathlib
alone costs about a third of Python's own start-up.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

PLAN_SUFFIXES = (".yaml", ".yml")
DEFAULT_PLANS = "plans"
DEFAULT_OUT = "decks"
DEFAULT_TEMPLATES = "templates"
"""A `templates/` folder in the working directory, when present, overrides the packaged templates file by file."""


def plan_files(paths: Iterable[os.PathLike | str]) -> list[str]:
    """Return the plan files named by `paths`: files as given, folders searched for *.yaml/*.yml.

    Within a folder, hidden files and folders (`.git`, `.venv`, …) are skipped. The result keeps the order of
    `paths`, folders' files sorted, each file once.
    """
    found: list[str] = []
    for raw in paths:
        path = os.path.normpath(os.fspath(raw))
        if not os.path.isdir(path):
            found.append(path)
            continue
        inside_folder = []
        seen = {os.path.realpath(path)}
        for folder, dirs, names in os.walk(path, followlinks=True):
            # A symlinked folder is searched once: a symlink loop would otherwise list its plans over and over.
            kept = []
            for name in dirs:
                real = os.path.realpath(os.path.join(folder, name))
                if not name.startswith(".") and real not in seen:
                    seen.add(real)
                    kept.append(name)
            dirs[:] = kept
            inside_folder.extend(
                os.path.join(folder, name) for name in names
                # Anything but a folder: a FIFO, socket or dangling symlink named like a plan is reported, not skipped.
                if not name.startswith(".") and os.path.splitext(name)[1] in PLAN_SUFFIXES
                and not os.path.isdir(os.path.join(folder, name))
            )
        found.extend(sorted(inside_folder, key=lambda p: p.split(os.sep)))
    return list(dict.fromkeys(found))


def discover(paths: Iterable[os.PathLike | str]):
    """Return the plan files named by `paths` as Path objects (see `plan_files`)."""
    from pathlib import Path

    return [Path(p) for p in plan_files(paths)]


def default_templates(templates_dir: os.PathLike | str | None) -> str | None:
    """Return the templates folder to use: the one given, else ./templates when it exists, else none."""
    if templates_dir is not None:
        return os.fspath(templates_dir)
    return DEFAULT_TEMPLATES if os.path.isdir(DEFAULT_TEMPLATES) else None


def plan_name(plan: os.PathLike | str) -> str:
    """Return the name a plan's outputs get: its file name without the suffix."""
    return os.path.splitext(os.path.basename(os.fspath(plan)))[0]


def output_path(out, plan, suffix: str):
    """Return `<out>/<plan name><suffix>` as a Path, refusing names and symlinks that would write outside `out`."""
    from pathlib import Path

    stem = plan_name(plan)
    name = stem + suffix
    if not stem or stem.startswith(".") or any(c in name for c in "/\\\0") or os.path.basename(name) != name:
        from planforge.errors import OutputError, Problem

        raise OutputError([Problem(plan, None, None, f"plan name `{stem}` cannot name an output file",
                                   "rename the plan file to letters, digits, '-' or '_' (not starting with '.')")])
    target = Path(out) / name
    inside(out, target, plan)
    return target


def inside(out, target, source) -> None:
    """Refuse `target` when it (or a symlink it is) resolves outside the output folder `out`."""
    root = os.path.realpath(out)
    resolved = os.path.realpath(target)
    if not resolved.startswith(root.rstrip(os.sep) + os.sep):
        from planforge.errors import OutputError, Problem

        raise OutputError([Problem(source, None, None, f"output {target} points outside {out} (to {resolved})",
                                   f"remove the symlink {target}; planforge only writes inside the output folder")])


def project_files(folder: str) -> tuple[tuple[str, bytes], ...]:
    """The files that may hold the project settings of plans in `folder`, with their bytes, nearest first.

    Bytes, not parsed settings, so that a no-op build stays clear of TOML and `planforge.project`: the build hashes
    them (a change rebuilds the project's plans), and a setting none of them names needs no parsing. It errs
    towards more: a pyproject.toml that names planforge is counted, and the search goes on above it unless it has a
    `tool.planforge` table (`project.find_project_config` is the reader that decides).
    """
    found: list[tuple[str, bytes]] = []
    current = folder
    while True:
        planforge_toml = os.path.join(current, "planforge.toml")
        if os.path.isfile(planforge_toml):
            found.append((planforge_toml, _read_bounded(planforge_toml)))
            break
        pyproject = os.path.join(current, "pyproject.toml")
        if os.path.isfile(pyproject):
            data = _read_bounded(pyproject)
            if b"planforge" in data:
                found.append((pyproject, data))
                if b"tool.planforge" in data:
                    break
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    return tuple(found)


def _read_bounded(path: str) -> bytes:
    """A project file's bytes (read as `planforge.inputs` reads every input), or a marker when it is refused:
    loading reports why."""
    from planforge.inputs import MAX_CONFIG_BYTES, InputRefused, read_bytes

    try:
        return read_bytes(path, MAX_CONFIG_BYTES, what="project configuration")
    except InputRefused as refused:
        return f"<refused: {refused.message}>".encode()
