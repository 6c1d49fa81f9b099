"""YAML's syntax errors in plain words: each at its line and column, with a hint (the traps with the line quoted)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml.error import MarkedYAMLError

from planforge.errors import Problem
from planforge.loading import traps


def text_position(text: str, offset: int) -> tuple[int, int]:
    """Return the 1-based (line, column) of a character offset in `text`."""
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


_SYNTAX_HINT = "check the YAML near this point: indentation, a missing `: `, an unclosed quote or bracket"
_TOKEN_WORDS = {"<stream end>": "the end of the file", "<block end>": "the end of the block",
                "<block mapping start>": "`key: value`", "<block sequence start>": "`- ` list",
                "<scalar>": "text", "-": "`- ` list item", "?": "`key: value`"}


def syntax_problem(path: Path, text: str, exc: MarkedYAMLError) -> Problem:
    """Turn one of ruamel's syntax errors into a located problem in plain words, with a hint."""
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    context = (exc.context or "").strip()
    mark = exc.problem_mark or exc.context_mark
    opened = exc.context_mark
    lines = text.splitlines()

    def at(m: Any, message: str, hint: str) -> Problem:
        return Problem(path, m.line + 1 if m else None, m.column + 1 if m else None, message, hint)

    if "duplicate key" in problem:
        key = problem.split('"')[1] if problem.count('"') >= 2 else "?"
        return at(mark, f"duplicate key `{key}`", "a key may appear once in a mapping; merge the two entries or rename one")
    if problem.startswith("found character '\\t'"):
        return at(mark, "tab character used for indentation", "indent with spaces; YAML does not allow tabs there")
    if "that cannot start any token" in problem:
        char = problem.split("'")[1] if problem.count("'") >= 2 else "?"
        return at(mark, *traps.reserved_start(lines, mark, char))
    if context == "while scanning a quoted scalar" and opened is not None:
        quote = _char_at(lines, opened) or '"'
        return at(opened, "quoted text starting here is never closed", f"add the closing {quote} at the end of the text")
    if "unknown escape character" in problem:
        char = problem.split("'")[1] if problem.count("'") >= 2 else "?"
        return at(mark, f"`\\{char}` is not a valid escape in double-quoted text",
                  "write `\\\\` for a backslash, or use single quotes, which have no escapes")
    if context in ("while parsing a flow sequence", "while parsing a flow mapping") and opened is not None:
        close = "]" if "sequence" in context else "}"
        bracket = "[" if close == "]" else "{"
        if "<stream end>" in problem:
            return at(opened, f"`{bracket}` opened here is never closed", f"add the closing `{close}` after the last entry")
        return at(mark, f"expected `,` or `{close}` inside the `{bracket}` opened at line {opened.line + 1}",
                  f"separate entries with `, `, close with `{close}`, and quote entries that contain `: ` or `,`")
    if context == "while scanning a simple key" and opened is not None:
        # Text continued from a line whose ` : ` made it a key: the cause is on that line, not on this one.
        above = next((number for number in range(opened.line - 1, -1, -1) if lines[number].strip()), None)
        if above is not None and (colon := traps.colon_in_text(lines[above])) is not None:
            return Problem(path, above + 1, colon + 1, *traps.colon_problem(lines[above], colon))
        return at(opened, "this line is neither `key: value` nor a `- ` list item",
                  "add `: ` after the key, or indent the line if it continues the text above")
    if problem == "mapping values are not allowed here" and mark is not None:
        line = lines[mark.line] if mark.line < len(lines) else ""
        if ": " in line[:mark.column]:
            return at(mark, f"a second `{' : ' if line[mark.column - 1:mark.column] == ' ' else ': '}` on this line "
                            "starts a mapping inside a value", f"put the text in quotes: {traps.quoted(line)}")
        indent = len(line) - len(line.lstrip())
        return Problem(path, mark.line + 1, indent + 1,
                       "this `key: value` line is indented more than the lines it belongs with",
                       "indent keys of the same mapping by the same number of spaces")
    if problem.startswith("expected <block end>, but found") and mark is not None:
        found = problem.removeprefix("expected <block end>, but found").strip().strip("'")
        before = lines[mark.line][:mark.column].rstrip() if mark.line < len(lines) else ""
        if found == "<scalar>" and before.endswith(('"', "'")):
            return at(mark, "text follows the closing quote of a value",
                      "put the whole value inside the quotes, or remove the quotes")
        return at(mark, f"unexpected {_TOKEN_WORDS.get(found, f'`{found}`')} here: its indentation does not match "
                        "the lines above", "indent entries of the same mapping or list by the same number of spaces")
    if problem.startswith("expected the node content, but found"):
        found = problem.rsplit(" ", 1)[-1].strip("'")
        return at(mark, *traps.reserved_start(lines, mark, found))
    for token, words in _TOKEN_WORDS.items():
        problem = problem.replace(f"'{token}'", words)
    return at(mark, problem, _SYNTAX_HINT)


def _char_at(lines: list[str], mark: Any) -> str | None:
    if mark.line < len(lines) and mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return None
