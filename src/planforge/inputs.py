"""The one way planforge reads an input file: a regular file only, its size checked before a bounded read, and a
symlink inside a folder refused when it resolves outside that folder. Every refusal is a located message.

Written with `os` alone (no pathlib, no dataclasses): an up-to-date build hashes its plans through this.
"""

from __future__ import annotations

import os
import stat

KIB = 1024
MIB = 1024 * KIB

MAX_PLAN_BYTES = MIB
"""Real plans are tens of kilobytes; a megabyte with a mistake in it takes seconds to report (the reference reader
is pure Python), and a plan that size is beyond any deck."""
MAX_TEMPLATE_FILE_BYTES = MIB
"""One file of a user's templates folder (a Jinja template or the stylesheet: the packaged ones are a few KB)."""
MAX_TEMPLATE_FILES = 1_000
"""Files a user's templates folder may hold (planforge uses a dozen)."""
MAX_DECK_TEMPLATE_BYTES = 50 * MIB
"""A company .pptx (compressed); a template with embedded media beyond this belongs elsewhere."""
MAX_CONFIG_BYTES = MIB
"""A pyproject.toml or planforge.toml."""


class InputRefused(Exception):
    """A file planforge will not read: what is wrong with it and how to fix it (see `refusal`)."""

    def __init__(self, path, message: str, hint: str):
        super().__init__(f"{os.fspath(path)}: {message}")
        self.path, self.message, self.hint = path, message, hint


def read_bytes(path, limit: int, *, what: str = "file", root=None, error=None) -> bytes:
    """Return the bytes of the regular file `path`, at most `limit` of them.

    `what` names the file in messages ("plan", "template"…). When `root` is given and `path` lies inside that
    folder, the file must also resolve inside it (a symlink pointing out is refused). `error` is the PlanforgeError
    class to raise; without it, InputRefused is raised (for callers that must not import the error classes).
    """
    try:
        return _read(path, limit, what, root)
    except InputRefused as refused:
        if error is None:
            raise
        raise refusal(refused, error) from None


def refusal(refused: InputRefused, error):
    """Return the PlanforgeError of class `error` saying why the file was refused."""
    from planforge.errors import Problem

    return error([Problem(refused.path, None, None, refused.message, refused.hint)])


def check_inside(path, root, what: str = "file") -> None:
    """Raise InputRefused when `path`, lying inside the folder `root`, resolves (through a symlink) outside it."""
    folder = os.path.realpath(root)
    if not _within(os.path.abspath(path), os.path.abspath(root)) and not _within(os.path.abspath(path), folder):
        return  # not inside the folder by its name: taken as the user named it
    resolved = os.path.realpath(path)
    if not _within(resolved, folder):
        raise InputRefused(path, f"the {what} is a symlink to {resolved}, outside {os.fspath(root)}",
                           f"planforge reads only files inside {os.fspath(root)}; copy the file there instead")


def _within(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # another drive (Windows)
        return False


def _read(path, limit: int, what: str, root) -> bytes:
    if root is not None:
        check_inside(path, root, what)
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        try:  # a socket cannot be opened at all (ENXIO): say what it is
            mode = os.stat(path).st_mode
        except OSError:
            mode = None
        if mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
            raise InputRefused(path, f"is {_kind(mode)}, not a regular file", f"give the path of a {what} file") from None
        raise _os_refusal(path, exc, what) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputRefused(path, "is a folder, not a file", f"give the path of a {what} file")
        if not stat.S_ISREG(info.st_mode):
            raise InputRefused(path, f"is {_kind(info.st_mode)}, not a regular file",
                               f"give the path of a {what} file")
        if info.st_size > limit:
            raise InputRefused(path, f"file is {info.st_size:,} bytes; a {what} may be at most {limit:,} bytes",
                               f"use a smaller {what}" if what != "plan" else
                               "split the plan into several files; a plan this large would not fit in a deck anyway")
        if hasattr(os, "O_NONBLOCK"):
            os.set_blocking(fd, True)
        chunks, size = [], 0
        while size <= limit:  # bounded: a file that grows while it is read stops one byte past the limit
            chunk = os.read(fd, min(limit + 1 - size, MIB))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise InputRefused(path, f"the {what} grew past {limit:,} bytes while it was read",
                               f"use a smaller {what}, and do not write to it during a build")
        return b"".join(chunks)
    except OSError as exc:
        raise _os_refusal(path, exc, what) from None
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a named pipe (FIFO)"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "a special file"


def _os_refusal(path, exc: OSError, what: str) -> InputRefused:
    import errno

    if exc.errno == errno.ENOENT:
        if os.path.islink(path):
            return InputRefused(path, f"the {what} is a symlink to {os.readlink(path)}, which does not exist",
                                "fix or remove the symlink")
        return InputRefused(path, "no such file", f"check the path of the {what}")
    if exc.errno == errno.ELOOP:
        return InputRefused(path, "is a symlink loop", "fix or remove the symlink")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return InputRefused(path, "cannot read the file: permission denied",
                            "make the file readable (e.g. `chmod u+r`)")
    if exc.errno == errno.EISDIR:
        return InputRefused(path, "is a folder, not a file", f"give the path of a {what} file")
    return InputRefused(path, f"cannot read the file: {exc.strerror or exc}",
                        "check the path and that the file is readable")
