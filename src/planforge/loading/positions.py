"""The round-trip YAML tree: plain copies of it, and where a model location (`loc`) is written in the file."""

from __future__ import annotations

import datetime
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq


def to_plain(node: Any) -> Any:
    """Return a copy of a round-trip YAML tree made of plain dicts (with text keys), lists, scalars and dates."""
    if isinstance(node, dict):
        return {str(k): to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, str):
        return str(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, (datetime.date, datetime.datetime)):
        return node
    return str(node)


def start_of(node: Any) -> tuple[int | None, int | None]:
    """The 1-based (line, column) where a tree node starts, when the reader recorded it."""
    lc = getattr(node, "lc", None)
    if lc is None or lc.line is None:
        return None, None
    return lc.line + 1, lc.col + 1


def key_in(mapping: CommentedMap, segment: Any) -> Any:
    """Return the key of `mapping` that `segment` names (keys such as `2026:` arrive as text), or None."""
    if segment in mapping:
        return segment
    return next((k for k in mapping if str(k) == segment), None)


def locate(tree: Any, loc: tuple) -> tuple[int | None, int | None, tuple]:
    """Follow a `loc` of keys and list indexes through the YAML tree; return (line, column, loc actually found).

    The position is that of the deepest value found; an empty value (`key:` alone) is located at its key.
    Segments that match nothing (e.g. a missing key) are skipped.
    """
    node = tree
    line, column = start_of(tree)
    found: list[str | int] = []
    for segment in loc:
        if isinstance(node, CommentedMap) and (key := key_in(node, segment)) is not None:
            value_line, value_col = node.lc.key(key) if node[key] is None else node.lc.value(key)
            line, column = value_line + 1, value_col + 1
            node = node[key]
            found.append(segment)
        elif isinstance(node, CommentedSeq) and isinstance(segment, int) and 0 <= segment < len(node):
            item_line, item_col = node.lc.item(segment)
            line, column = item_line + 1, item_col + 1
            node = node[segment]
            found.append(segment)
    return line, column, tuple(found)


def node_at(tree: Any, found: tuple) -> Any:
    """The node at a location `locate` found in the tree."""
    node = tree
    for segment in found:
        node = node[key_in(node, segment) if isinstance(node, CommentedMap) else segment]
    return node


def key_position(tree: Any, loc: tuple) -> tuple[int | None, int | None]:
    """Return the position of the key `loc[-1]` itself in its mapping."""
    _, _, found = locate(tree, loc[:-1])
    parent = node_at(tree, found)
    if isinstance(parent, CommentedMap) and (key := key_in(parent, loc[-1])) is not None:
        line, column = parent.lc.key(key)
        return line + 1, column + 1
    line, column, _ = locate(tree, loc[:-1])
    return line, column
