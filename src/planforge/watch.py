"""`planforge watch`: build, then rebuild whenever a plan or a template changes."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from planforge.build import BuildRequest
from planforge.paths import PLAN_SUFFIXES


def watched_paths(request: BuildRequest) -> list[Path]:
    """Return the files and folders whose changes can change the outputs."""
    paths = list(request.paths)
    if request.templates_dir is not None:
        paths.append(request.templates_dir)
    if request.deck_template is not None:
        paths.append(request.deck_template)
    return [path for path in paths if path.exists()]


def relevant(request: BuildRequest) -> Callable[[object, str], bool]:
    """Return a watchfiles filter keeping plan files, templates and the deck template, never the outputs."""
    out = request.out.resolve()
    templates = request.templates_dir.resolve() if request.templates_dir is not None else None
    deck = request.deck_template.resolve() if request.deck_template is not None else None

    def keep(_change: object, raw: str) -> bool:
        path = Path(raw).resolve()
        if path == out or out in path.parents:
            return False
        if templates is not None and templates in path.parents:
            return not path.name.startswith(".")
        return path == deck or path.suffix in PLAN_SUFFIXES

    return keep


def watch(request: BuildRequest, rebuild: Callable[[list[str]], None], stop_event=None) -> None:
    """Call `rebuild([])` once, then `rebuild(changed paths)` after each batch of relevant changes.

    The build itself is incremental (content hashes), so a rebuild only renders the plans a change affects: the
    plan that was saved, or every plan when a template changed.
    """
    from watchfiles import watch as watch_changes

    rebuild([])
    for changes in watch_changes(*watched_paths(request), watch_filter=relevant(request), stop_event=stop_event):
        rebuild(sorted({path for _, path in changes}))
