"""Bytes → text: size cap, encodings, NUL and control characters, each refusal located."""

from __future__ import annotations

import os
from pathlib import Path

try:  # ruamel.yaml.clib: libyaml's reader, several times as fast as ruamel's pure-Python one
    from _ruamel_yaml import CParser
except ImportError:  # not installed (or no wheel for this platform): every file takes the reference reader
    CParser = None

from planforge.errors import PlanError, Problem
from planforge.inputs import read_bytes
from planforge.loading.limits import MAX_BYTES, START_HINT


def read_text(path: Path, root: Path | None = None) -> str:
    """Return the file's text, refusing what is missing, not a regular file, too big, binary, not UTF-8 or empty.

    With `root`, a plan inside that folder that is a symlink out of it is refused too."""
    return decode_text(path, read_plan_bytes(path, root))


def read_plan_bytes(path: Path, root: Path | None = None) -> bytes:
    """Return a plan file's bytes: one bounded read of a regular file (see `planforge.inputs`).

    A plan inside `root` (default: the working directory, the project) must not be a symlink leading out of it."""
    # Checked before reading (by the open file's size), so a huge file costs nothing and a FIFO does not hang.
    return read_bytes(path, MAX_BYTES, what="plan", root=root if root is not None else os.getcwd(), error=PlanError)


def decode_text(path: Path, data: bytes) -> str:
    """Return a plan's bytes as text, refusing what is binary, not UTF-8 or empty, each refusal located."""
    if (encoding := _wide_encoding(data)) is not None:
        raise PlanError([Problem(path, 1, 1, f"file is {encoding} text, not UTF-8",
                                 "re-save the file with UTF-8 encoding (e.g. Notepad: Save As → Encoding: UTF-8)")])
    if b"\x00" in data:
        line, column = _byte_position(data, data.index(b"\x00"))
        raise PlanError([Problem(path, line, column, "file contains a NUL byte, so it is binary, not a YAML plan",
                                 "save the plan as plain UTF-8 text (or remove the NUL byte)")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(data, exc.start)
        raise PlanError([Problem(
            path, line, column, f"file is not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded",
            "re-save the file with UTF-8 encoding (it was probably saved as Latin-1 or Windows-1252)",
        )]) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise PlanError([Problem(path, 1, 1, "file is empty", START_HINT)])
    if all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise PlanError([Problem(path, 1, 1, "file holds only comments, no plan", START_HINT)])
    return text


_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"),
              (b"\xfe\xff", "UTF-16"))


def _wide_encoding(data: bytes) -> str | None:
    """Return "UTF-16" or "UTF-32" when the bytes are text in that encoding (by its byte order mark, or by a
    first character, plain ASCII in every plan, spread over several bytes with NUL bytes), else None."""
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            return name
    head = data[:4]
    if len(head) == 4 and (head[0] and not any(head[1:]) or head[3] and not any(head[:3])):
        return "UTF-32"
    if len(head) >= 2 and 0 < max(head[:2]) < 0x80 and not all(head[:2]):
        return "UTF-16"
    return None


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """Return the 1-based (line, column) of a byte offset; the column counts bytes."""
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return line, column
