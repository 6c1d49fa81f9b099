"""Bounds and shared wording of plan loading."""

import datetime
from typing import Any

from planforge.inputs import MAX_PLAN_BYTES as MAX_BYTES  # noqa: F401 (the bound lives with the reader)
MAX_DEPTH = 40
MAX_PROBLEMS = 50
MAX_ALIAS_USES = 1_000
KIND_LINE = "`kind: strategy` or `kind: 30-60-90`"
START_HINT = f"write a plan whose first line is {KIND_LINE}"


def describe_value(value: Any) -> str:
    """A value as a message names it: `true` (a true/false value), the number `3`, the text "…"."""
    if isinstance(value, bool):
        return f"`{str(value).lower()}` (a true/false value)"
    if isinstance(value, (int, float)):
        return f"the number `{value}`"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"the date `{value}`"
    text = str(value)
    return f'the text "{text if len(text) <= 40 else text[:37] + "..."}"'
