"""Guards for tests of things that must finish: a hang fails the test instead of stalling the suite."""

from __future__ import annotations

import contextlib
import signal


@contextlib.contextmanager
def hang_guard(seconds: int):
    """Fail with TimeoutError when the block is still running after `seconds`."""

    def expired(signum, frame):
        raise TimeoutError(f"still running after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
