"""Where plans are found and where their outputs go; imports nothing heavy so up-to-date builds stay fast."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

PLAN_SUFFIXES = (".yaml", ".yml")


def discover(paths: Iterable[Path | str]) -> list[Path]:
    """Return the plan files named by `paths` (files as given, folders searched for *.yaml/*.yml), sorted."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in PLAN_SUFFIXES and p.is_file()))
        else:
            found.append(path)
    unique: dict[Path, None] = {}
    for p in found:
        unique.setdefault(p, None)
    return list(unique)


def output_path(out: Path, plan: Path, suffix: str) -> Path:
    """Return `<out>/<plan stem><suffix>`, refusing names and symlinks that would write outside `out`."""
    name = plan.stem + suffix
    if not plan.stem or plan.stem.startswith(".") or any(c in name for c in '/\\\0') or Path(name).name != name:
        from planforge.errors import OutputError, Problem

        raise OutputError([Problem(plan, None, None, f"plan name `{plan.stem}` cannot name an output file",
                                   "rename the plan file to letters, digits, '-' or '_' (not starting with '.')")])
    target = out / name
    inside(out, target, plan)
    return target


def inside(out: Path, target: Path, source: Path | str) -> None:
    """Refuse `target` when it (or a symlink it is) resolves outside the output folder `out`."""
    root = out.resolve()
    resolved = target.resolve()
    if root not in resolved.parents:
        from planforge.errors import OutputError, Problem

        raise OutputError([Problem(source, None, None, f"output {target} points outside {out} (to {resolved})",
                                   f"remove the symlink {target}; planforge only writes inside the output folder")])
