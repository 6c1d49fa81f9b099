"""Atomic file writes: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import os
import re
import signal
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from planforge.errors import OutputError, Problem

ABANDONED_AFTER = 600
"""Seconds after which a temporary file of ours is taken as left by a killed process (a write takes milliseconds)."""


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename."""
    write_together([(Path(path), data)])


def write_together(files: list[tuple[Path, bytes]]) -> None:
    """Write several files all or nothing: each to a temporary file beside it first, and only once every one is
    written in full (a full disk shows there), rename them all into place. A failure leaves every file as it was."""
    with _holding_ctrl_c():
        staged: list[tuple[str, Path]] = []
        try:
            for path, data in files:
                staged.append((_stage(Path(path), data), Path(path)))
            for tmp, path in staged:
                os.replace(tmp, path)  # same folder: cannot run out of space
        except BaseException as exc:
            for tmp, _ in staged:
                try:
                    os.unlink(tmp)
                except OSError:  # renamed already, or gone
                    pass
            if isinstance(exc, OSError):
                raise OutputError([Problem(getattr(exc, "planforge_path", path), None, None,
                                           f"cannot write: {exc.strerror}",
                                           "check free disk space and permissions of the output folder")]) from None
            raise


@contextmanager
def _holding_ctrl_c():
    """Deliver Ctrl+C only once the block is over: between creating the temporary file and renaming or removing it
    there are moments no `except` covers, and a write takes milliseconds."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread can set handlers
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: received.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            signal.raise_signal(signal.SIGINT)  # as it would have been, now that the file is whole


def _stage(path: Path, data: bytes) -> str:
    """Write `data` to a new temporary file beside `path`, flushed to disk; return its name."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError([Problem(path, None, None, f"cannot write: {exc.strerror}",
                                   "check that the output folder exists and is writable")]) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            exc.planforge_path = path  # the file whose write failed, for the message
        raise
    return tmp


@contextmanager
def folder_lock(folder: Path, waiting=None):
    """Hold an advisory lock on the output folder itself (no lock file is left in it) for the block: builds into
    one folder write outputs and the manifest one at a time. `waiting()` is called when another build holds it."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks this way; builds there run unlocked
        yield
        return
    try:
        os.makedirs(folder, exist_ok=True)
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise OutputError([Problem(folder, None, None, f"cannot use the output folder: {exc.strerror}",
                                   "check that it is a folder you can write to")]) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting()
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def remove_abandoned(folder: Path) -> None:
    """Remove the temporary files killed writes left in `folder` (SIGKILL or a power cut skip the cleanup)."""
    cutoff = time.time() - ABANDONED_AFTER
    try:
        entries = list(os.scandir(folder))
    except OSError:  # no folder yet, or not readable: writing will say so
        return
    for entry in entries:
        if _TEMPORARY.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
            try:
                if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                    os.unlink(entry.path)
            except OSError:  # gone already, or not ours to remove: the build goes on
                pass


_TEMPORARY = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")
"""The names `write_atomic` gives its temporary files: `.NAME.` and eight characters from mkstemp, then `.tmp`."""


def write_output(path: Path, data: bytes) -> None:
    """Write a file the user named with `-o`: a regular file (or a new one) is replaced atomically; a device or
    FIFO (`/dev/null`, `/dev/stdout`) is written to as a stream, never replaced; a symlink is followed; a missing
    folder is an error, not created."""
    import stat

    path = Path(path)
    try:
        info = os.stat(path)  # follows symlinks
    except FileNotFoundError:
        if os.path.islink(path):
            raise OutputError([Problem(path, None, None, f"is a symlink to {os.readlink(path)}, which does not exist",
                                       "fix or remove the symlink, or choose another -o")]) from None
        folder = path.parent
        if not folder.is_dir():
            raise OutputError([Problem(path, None, None, f"the folder {folder} does not exist",
                                       f"create it first (mkdir -p {folder}), or choose another -o")]) from None
        write_atomic(path, data)
        return
    except OSError as exc:
        raise OutputError([Problem(path, None, None, f"cannot write: {exc.strerror}", "choose another -o")]) from None
    real = os.path.realpath(path)
    if stat.S_ISDIR(info.st_mode):
        raise OutputError([Problem(path, None, None, "is a folder", "give a file name, e.g. -o folder/plan.html")])
    if not stat.S_ISREG(info.st_mode) or real.startswith(("/proc/", "/dev/")):
        try:  # a device, FIFO or the terminal: what is there stays, and gets the bytes
            with open(path, "wb") as stream:
                stream.write(data)
        except OSError as exc:
            raise OutputError([Problem(path, None, None, f"cannot write: {exc.strerror}", "choose another -o")]) from None
        return
    write_atomic(Path(real), data)  # the symlink stays; the file it points to is replaced
