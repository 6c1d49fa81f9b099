"""The YAML traps people fall into writing plain text: what YAML made of the line, and the line in quotes.

A plain (unquoted) value that starts with `*` is an alias to YAML, `&` an anchor, `!` a tag, `@` `` ` `` `%` are
reserved; ` : ` inside text (French spacing) makes a `key: value`; ` #` starts a comment that silently drops the rest
of the line; `+31` is the number 31. Each is reported at the line that causes it, with that line written in quotes.
"""

from __future__ import annotations

import re
from typing import Any

# A line's lead-in before its value: indentation, list dashes, and a `key: ` when the line has one.
_LEAD = re.compile(r"^(?P<lead>\s*(?:-\s+)*(?:[A-Za-z_][\w-]*\s*:\s+)?)(?P<value>.*?)\s*$")


def quoted(line: str, column: int | None = None) -> str:
    """The line with its value (from `column`, else after the key or dash) in double quotes, for a hint."""
    start = column if column is not None else value_column(line)
    lead = line[:start].strip()
    value = line[start:].rstrip().replace("\\", "\\\\").replace('"', '\\"')
    return f'`{lead} "{value}"`' if lead else f'`"{value}"`'


def value_column(line: str) -> int:
    """Where the value of a `key: value` or `- value` line starts (0-based)."""
    return _LEAD.match(line).end("lead")


def line_of(lines: list[str], mark: Any) -> str:
    return lines[mark.line] if mark is not None and mark.line < len(lines) else ""


def star_text(lines: list[str], mark: Any, alias: str) -> tuple[str, str] | None:
    """An alias that is really text starting with `*` or `**` (bold or italic): message and hint, else None."""
    line = line_of(lines, mark)
    rest = line[mark.column + 1 + len(alias):].strip()
    if not (alias.startswith("*") or alias.endswith("*") or rest[:1].isalnum()):
        return None  # `*name` alone, or in a flow list: a real alias
    styled = "bold" if line[mark.column:].startswith("**") else "italic"
    return (f"text that starts with `*` is read by YAML as an alias (`*{alias}`), not as {styled}",
            f"put the text in quotes: {quoted(line, mark.column)}")


def anchor_text(lines: list[str], mark: Any, anchor: str) -> str | None:
    """For an anchor followed by text on its line (`- &partners first`), the quoted line: the `&` may be text."""
    line = line_of(lines, mark)
    rest = line[mark.column + 1 + len(anchor):].strip()
    return quoted(line, mark.column) if rest[:1].isalnum() else None


def tag_text(lines: list[str], mark: Any, tag: str) -> str | None:
    """For a `!tag` followed by text on its line (`- !important thing`), the quoted line: the `!` may be text."""
    line = line_of(lines, mark)
    if tag.startswith("!!") or not line[mark.column:].startswith("!"):
        return None
    rest = line[mark.column + len(tag):].strip()
    return quoted(line, mark.column) if rest[:1].isalnum() else None


def reserved_start(lines: list[str], mark: Any, char: str) -> tuple[str, str]:
    """Text starting with a character YAML reserves (`@`, `` ` ``, `%`)."""
    line = line_of(lines, mark)
    shown = "`` ` ``" if char == "`" else f"`{char}`"
    return (f"a value cannot start with {shown}: YAML reserves it",
            f"put the text in quotes: {quoted(line, mark.column)}")


_COMMENT_IN_TEXT = re.compile(r"\s+#(?=\S)")


def comment_in_text(lines: list[str], end: Any) -> tuple[int, str, str] | None:
    """A ` #` right after plain text (`#1`, `#team`) that YAML reads as a comment, dropping the rest of the line:
    its column, message and hint, else None."""
    line = line_of(lines, end)
    match = _COMMENT_IN_TEXT.match(line[end.column:])
    if not match:
        return None
    column = end.column + match.end() - 1
    dropped = line[column:].rstrip()
    return (column, f"` #` starts a YAML comment: `{dropped}` is dropped from the text",
            f"put the text in quotes: {quoted(line)}")


_TEXT_COLON = re.compile(r"\S\s*:(?=\s|$)")


def colon_in_text(line: str) -> int | None:
    """The column of a `:` inside the text of a `- text` or `key: text` line that YAML takes for a key's colon (the
    words before it are not a plan key: they hold a space, as "La confiance est la condition :" does), else None."""
    start = value_column(line)
    value = line[start:]
    if not value or value[0] in "\"'|>[{#&*!":
        return None
    match = _TEXT_COLON.search(value)
    if not match:
        return None
    key = value[:match.end() - 1].rstrip()
    if not re.search(r"\s", key):
        return None  # one word: a key written where text was meant is another mistake
    return start + match.end() - 1


def colon_problem(line: str, column: int) -> tuple[str, str]:
    """Message and hint for a colon inside text."""
    spaced = column > 0 and line[column - 1] == " "
    return (f"the `{' : ' if spaced else ': '}` in this text makes YAML read the words before it as a key",
            f"put the text in quotes: {quoted(line)}")


def signed_number(lines: list[str], mark: Any, value: Any) -> str | None:
    """The text as written when a plain scalar YAML read as a number starts with `+` (`+31`), else None."""
    line = line_of(lines, mark)
    written = line[mark.column:].split(" #")[0].strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and written.startswith("+"):
        return written
    return None


def comma_problem(node: Any, key: str) -> tuple[str, str] | None:
    """Message and hint when a `,` in the text of a `{key: value, …}` mapping ended it, so that the words after the
    comma became a key of their own (`{description: Rates, fines and fees paid online.}`), else None."""
    keys = list(node)
    index = keys.index(key)
    if node[key] is not None or not index or not node.fa.flow_style() or not isinstance(node[keys[index - 1]], str):
        return None
    before = keys[index - 1]
    text = f"{node[before]}, {key}".replace("\\", "\\\\").replace('"', '\\"')
    return (f"the `,` in the text of `{before}` ends it inside `{{…}}`, so YAML reads “{key}” as another key",
            f'put the text in quotes: `{before}: "{text}"`')


QUANTITY_KEYS = ("baseline", "target")
"""Keys whose values may be numbers or text: a signed number there is kept as the text it was written as."""


def tree_traps(path: Any, tree: Any, lines: list[str]) -> list:
    """Problems of a tree YAML read without error but not as meant: text with a colon read as a one-entry mapping
    (its key holds spaces, which no plan key does). Also keeps `+31` under baseline/target as the text "+31"."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from planforge.errors import Problem

    problems = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CommentedMap):
            for key in list(node):
                value = node[key]
                if isinstance(key, str) and re.search(r"\s", key.strip()):
                    line_number, column = node.lc.key(key)
                    line = lines[line_number] if line_number < len(lines) else ""
                    colon = colon_in_text(line)
                    if colon is not None:
                        problems.append(Problem(path, line_number + 1, colon + 1, *colon_problem(line, colon)))
                        continue
                    if (comma := comma_problem(node, key)) is not None:
                        problems.append(Problem(path, line_number + 1, column + 1, *comma))
                        continue
                if key in QUANTITY_KEYS and isinstance(value, (int, float)) and not isinstance(value, bool):
                    line_number, column = node.lc.value(key)
                    mark = type("Mark", (), {"line": line_number, "column": column})
                    if (written := signed_number(lines, mark, value)) is not None:
                        node[key] = written
                stack.append(value)
        elif isinstance(node, CommentedSeq):
            stack.extend(node)
    return problems


_QUOTE_HINT = re.compile(r'^(put it in quotes to keep it as text: `(?:- |[^`]*?: ))"[^`]*"`$')


def as_written(problem: Any, lines: list[str]) -> Any:
    """The problem with its "put it in quotes" hint showing the value as the file writes it (`"+31"`, not `"31"`)."""
    match = _QUOTE_HINT.match(problem.hint or "")
    if not match or problem.line is None or problem.column is None or problem.line > len(lines):
        return problem
    written = lines[problem.line - 1][problem.column - 1:].split(" #")[0].strip()
    if not written or written[0] in "\"'[{":
        return problem
    from dataclasses import replace

    return replace(problem, hint=f'{match.group(1)}"{written}"`')
