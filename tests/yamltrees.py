"""Comparing the two YAML readers of `planforge.loading`: libyaml's fast path and ruamel's reference reader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from planforge.errors import PlanError
from planforge.loading.yaml_tree import _fast_tree, _reference_tree


def difference(reference: Any, fast: Any, where: str = "$") -> str | None:
    """Where two round-trip trees differ in a value, its type or attributes, or a position; None when they do not.

    The one position allowed to differ is that of an empty value (`key:` alone), which nothing reads: such a value
    is located at its key.
    """
    if type(reference) is not type(fast):
        return f"{where}: {type(reference).__name__} vs {type(fast).__name__}"
    if isinstance(reference, (CommentedMap, CommentedSeq)):
        if (reference.lc.line, reference.lc.col) != (fast.lc.line, fast.lc.col):
            return f"{where}: starts at {reference.lc.line, reference.lc.col} vs {fast.lc.line, fast.lc.col}"
        keys = list(reference) if isinstance(reference, CommentedMap) else range(len(reference))
        if list(keys) != (list(fast) if isinstance(fast, CommentedMap) else list(range(len(fast)))):
            return f"{where}: keys or length differ"
        for key in keys:
            ours, theirs = (reference.lc.data or {}).get(key), (fast.lc.data or {}).get(key)
            if reference[key] is None and ours is not None and theirs is not None:
                ours, theirs = ours[:2], theirs[:2]
            if ours != theirs:
                return f"{where}[{key!r}]: at {ours} vs {theirs}"
            found = difference(reference[key], fast[key], f"{where}[{key!r}]")
            if found:
                return found
        return None
    if reference != fast:
        return f"{where}: {reference!r} vs {fast!r}"
    attributes = getattr(reference, "__dict__", {}), getattr(fast, "__dict__", {})
    if attributes[0] != attributes[1]:
        return f"{where}: attributes {attributes[0]} vs {attributes[1]}"
    return None


def readers_disagree(path: Path, text: str) -> str | None:
    """Why the fast path's tree of `text` is not the reference reader's; None when it is, or when it defers.

    The fast path may always hand a file on (return None); what it must never do is accept a file the reference
    reader refuses, or return a different tree.
    """
    fast = _fast_tree(path, text)
    try:
        reference = _reference_tree(path, text)
    except PlanError as error:
        return None if fast is None else f"the reference reader refuses it ({error.problems[0]}), libyaml accepts it"
    return None if fast is None else difference(reference, fast)
