"""Values written in the current language's conventions (Babel/CLDR): dates, numbers, percentages, amounts, lists.

Every output formats through these, so the title slide, the HTML page and the Markdown say a date or a number alike.
"""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal
from typing import Any, Iterable

from planforge.i18n import _, current

_ENGLISH_DATE = "d MMMM y"
"""Plans without a region-specific English (the default) keep the day-month-year dates planforge always wrote."""

CURRENCY_SYMBOLS = {"$": None, "€": "EUR", "£": "GBP", "¥": "JPY"}
"""Units written as a currency symbol; `$` is the dollar of the plan's region (Canadian in fr-CA), else the US's."""


@functools.lru_cache(maxsize=32)
def babel_locale(tag: str):
    """The Babel locale for a BCP 47 tag; English formatting when CLDR does not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def _locale():
    return babel_locale(current().tag)


def format_date(value: datetime.date | str | None) -> str | None:
    """A date in the current language ("6 octobre 2025", "20 September 2025"); text such as 'Q3 2025' as written."""
    if not isinstance(value, datetime.date):
        return value
    from babel.dates import format_date as babel_date

    language = current()
    pattern = _ENGLISH_DATE if language.tag.lower() == "en" else "long"
    return babel_date(value, pattern, locale=_locale())


def format_number(value: int | float) -> str:
    """A number with the language's grouping and decimal signs ("2 500 000", "2,500,000", "0,5")."""
    from babel.numbers import format_decimal

    return format_decimal(_exact(value), locale=_locale(), decimal_quantization=False)


def format_percent(value: int | float) -> str:
    """A number of percent, e.g. 12 → "12 %" in French, "12%" in English."""
    from babel.numbers import format_percent as babel_percent

    return babel_percent(_exact(value) / 100, locale=_locale(), decimal_quantization=False)


def format_amount(value: int | float, currency: str) -> str:
    """An amount of money in a currency (ISO code), without cents when it has none ("2 500 000 $", "$2,500,000"),
    else with the currency's digits and never rounded ("$312.40", not "$312.4"; "$0.005" stays)."""
    from babel.numbers import format_currency

    locale, exact = _locale(), _exact(value)
    if exact == int(exact):
        pattern = locale.currency_formats["standard"].pattern.split(";")[0].replace("0.00", "0.##")
        return format_currency(exact, currency, pattern, locale=locale, currency_digits=False)
    return format_currency(exact, currency, locale=locale, decimal_quantization=False)


def format_quantity(value: Any, unit: str | None = None) -> str:
    """A KPI value: a number formatted with its unit (%, a currency, or a word such as 'days'); text as written."""
    if isinstance(value, str) or value is None:
        return value if unit is None or value is None else f"{value}\u00a0{unit}"
    if unit is None:
        return format_number(value)
    if unit == "%":
        return format_percent(value)
    currency = _currency(unit)
    if currency:
        return format_amount(value, currency)
    return f"{format_number(value)}\u00a0{unit}"


def _currency(unit: str) -> str | None:
    if unit in CURRENCY_SYMBOLS:
        return CURRENCY_SYMBOLS[unit] or _dollar()
    from babel.numbers import get_currency_name

    if len(unit) == 3 and unit.isalpha() and unit.isupper():
        try:
            get_currency_name(unit, locale="en")
            return unit
        except Exception:  # not an ISO currency: an ordinary unit
            return None
    return None


def _dollar() -> str:
    from babel.numbers import get_territory_currencies

    territory = _locale().territory
    found = get_territory_currencies(territory) if territory else []
    return found[0] if found and found[0].endswith("D") else "USD"


def format_list(items: Iterable[str], style: str = "standard") -> str:
    """Items joined as the language lists them ("a, b et c"; "a, b, and c")."""
    from babel.lists import format_list as babel_list

    return babel_list(list(items), style=style, locale=_locale())


def _exact(value: int | float) -> Decimal | int:
    """A float as the decimal it was written as (0.1 stays 0.1, not 0.1000000000000000055...)."""
    return Decimal(repr(value)) if isinstance(value, float) else value


def weeks_label(first: int, last: int) -> str:
    """'Weeks 1–2', or 'Week 3' for a one-week block, in the current language."""
    if first == last:
        return _("Week {number}").format(number=first)
    return _("Weeks {first}–{last}").format(first=first, last=last)
