"""Bounds on what a user's template may cost: CPU time for one render, and the size of every value it builds
(`~` and `+` joins, string methods that pad or repeat, big integers). Used by `templating.Sandbox`."""

from __future__ import annotations

import contextlib
import signal
import threading
from typing import Any

from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SecurityError

MAX_RENDER_SECONDS = 30.0
"""CPU seconds one template render may take: the largest plan allowed renders its HTML in about 1.3 s; a loop
that writes nothing (`{% for i in range(99999) %}{% for j in range(99999) %}…`) would run for hours."""
MAX_VALUE_CHARS = 50_000_000
"""Most items one value a template builds may hold (as many as the output bound allows in all)."""
MAX_INT_BITS = 100_000
"""Largest integer a template may compute (about 30,000 digits): a power or product past it takes seconds in C,
where no time bound can stop it."""
_WIDENING_METHODS = {"zfill": 0, "ljust": 0, "rjust": 0, "center": 0, "expandtabs": 0}
"""String methods whose argument (by position) is the width of what they build."""


class RenderTimeout(Exception):
    """A template used more than MAX_RENDER_SECONDS of CPU time."""


@contextlib.contextmanager
def cpu_time_limit(seconds: float | None = None):
    """Raise RenderTimeout inside the running code once the block has used `seconds` of CPU time (default
    MAX_RENDER_SECONDS); only where signals can be handled (the main thread; build workers run there too)."""
    seconds = MAX_RENDER_SECONDS if seconds is None else seconds
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum, frame):
        raise RenderTimeout(f"rendering took more than {seconds:g} s of CPU time; a loop that never ends, or "
                            "one nested too deep?")

    previous = signal.signal(signal.SIGVTALRM, expired)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


def checked_value(value: Any) -> Any:
    """Return `value`, refusing a string or sequence longer than MAX_VALUE_CHARS or an integer past MAX_INT_BITS."""
    if isinstance(value, (str, list, tuple)) and len(value) > MAX_VALUE_CHARS:
        raise SecurityError(f"the template built a value of {len(value):,} items; at most {MAX_VALUE_CHARS:,}")
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise SecurityError("the template computed a number too big to show")
    return value


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse `left <operator> right` when its result would be too big, before it is computed."""
    if operator == "+":
        if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)) and \
                len(left) + len(right) > MAX_VALUE_CHARS:
            raise SecurityError(f"`+` would make a value of {len(left) + len(right):,} items")
    if not (_is_int(left) and _is_int(right)):
        return
    if operator == "*" and left.bit_length() + right.bit_length() > MAX_INT_BITS:
        raise SecurityError("`*` would make a number too big to show")
    if operator == "**" and right > 0 and abs(left) > 1 and left.bit_length() * right > MAX_INT_BITS:
        raise SecurityError(f"`** {right}` would make a number too big to show")


def check_call(obj: Any, args: tuple, kwargs: dict) -> None:
    """Refuse a call to a string method that would build a huge string (`zfill`, `ljust`, `replace`, `join`…)."""
    owner = getattr(obj, "__self__", None)
    name = getattr(obj, "__name__", "")
    if not isinstance(owner, str):
        return
    if name in _WIDENING_METHODS:
        width = args[0] if args else next(iter(kwargs.values()), 0)
        if _is_int(width) and (width > 10_000 if name != "expandtabs" else width * owner.count("\t") > 10_000):
            raise SecurityError(f"`{name}({width})` asks for a width above 10,000")
    elif name == "replace" and len(args) >= 2:
        check_replace(owner, args[0], args[1])
    elif name == "join" and args and isinstance(args[0], (list, tuple)):
        items = args[0]
        size = sum(len(item) for item in items if isinstance(item, str)) + len(owner) * max(len(items) - 1, 0)
        if size > MAX_VALUE_CHARS:
            raise SecurityError(f"`join` would make a string of {size:,} characters")


def check_replace(text: Any, old: Any, new: Any) -> None:
    """Refuse a replacement (the `replace` method or filter) whose result would pass MAX_VALUE_CHARS."""
    if not (isinstance(text, str) and isinstance(old, str) and isinstance(new, str)):
        return
    count = len(text) + 1 if not old else text.count(old)
    if len(text) + count * max(len(new) - len(old), 0) > MAX_VALUE_CHARS:
        raise SecurityError("`replace` would make a string too long")


def bounded_replace_filter(replace):
    """Jinja's `replace` filter, refusing what `check_replace` refuses."""
    import functools

    @functools.wraps(replace)  # keeps Jinja's pass_eval_context marker
    def bounded(eval_ctx, value, old, new, count=None):
        check_replace(str(value), str(old), str(new))
        return replace(eval_ctx, value, old, new, count)

    return bounded


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator with every `~` join checked: `{% set ns.s = ns.s ~ ns.s %}` in a loop doubles a
    string past a gigabyte while writing nothing."""

    def visit_Concat(self, node, frame) -> None:
        self.write("environment.checked_value(")
        super().visit_Concat(node, frame)
        self.write(")")
