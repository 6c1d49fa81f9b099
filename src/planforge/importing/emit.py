"""Plan fields → commented round-trip YAML text: schema line, where each part came from, folded paragraphs."""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString

WIDTH = 118
"""Lines of the written plan stay within this many characters where the text allows."""

# Fields holding paragraphs: written as folded blocks (`>-`) so long prose reads like prose.
PROSE_KEYS = {"vision", "initiatives_summary", "privacy", "outcomes", "description", "week_breakdown_intro",
              "mitigation", "notes"}


def dump(data: dict, header: list[str], section_comments: dict[str, str], line_comments: dict[tuple, str]) -> str:
    """Return the plan as YAML: `header` comment lines first, a comment above top-level keys, comments on lines."""
    tree = _node(data, indent=0, key=None)
    tree.yaml_set_start_comment("\n".join(header))
    for key, comment in section_comments.items():
        if key in tree:
            tree.yaml_set_comment_before_after_key(key, before="\n" + comment, indent=0)
    for path, comment in line_comments.items():
        parent: Any = tree
        for segment in path[:-1]:
            parent = parent[segment]
        if isinstance(parent, CommentedSeq):
            parent.yaml_add_eol_comment(comment, path[-1])
        elif path[-1] in parent:
            parent.yaml_add_eol_comment(comment, path[-1])
    yaml = YAML(typ="rt", pure=True)
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = WIDTH
    out = io.StringIO()
    yaml.dump(tree, out)
    # ruamel leaves a space at the end of wrapped plain lines; outside block scalars it means nothing.
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines()) + "\n"


def _node(value: Any, indent: int, key: str | None) -> Any:
    """Build ruamel nodes; `indent` is the column where this value's keys or dashes start."""
    if isinstance(value, dict):
        node = CommentedMap()
        for child_key, child in value.items():
            node[child_key] = _node(child, indent + 2, child_key)
        return node
    if isinstance(value, list):
        node = CommentedSeq()
        for item in value:
            node.append(_node(item, indent + 2, key))
        return node
    # A paragraph that does not fit after its key goes into a folded block below it.
    if isinstance(value, str) and key in PROSE_KEYS and indent + len(key) + len(value) > WIDTH and "\n" not in value:
        return _folded(value, WIDTH - indent)
    return value


def _folded(text: str, width: int) -> FoldedScalarString:
    """Return text as a folded block scalar broken at spaces into lines of at most `width` characters."""
    scalar = FoldedScalarString(text)
    folds = []
    line_start = 0
    last_space = None
    for index, char in enumerate(text):
        if char == " " and index + 1 < len(text) and text[index + 1] != " " and (index == 0 or text[index - 1] != " "):
            if index - line_start > width and last_space is not None:
                folds.append(last_space)
                line_start = last_space + 1
            last_space = index
    if len(text) - line_start > width and last_space is not None and last_space > line_start:
        folds.append(last_space)
    scalar.fold_pos = folds  # type: ignore[attr-defined]
    return scalar
