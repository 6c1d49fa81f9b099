"""The language a plan is rendered in: its fixed labels from gettext catalogues, and the locale that formats values.

Code marks a label with `_("Executive summary")` (or `N_()` where it is defined before any language is chosen, then
`_()` where it is shown); templates use Jinja's i18n extension (`{{ _("Owner") }}`, `{% trans %}`). A render runs
inside `using(tag)`, so the labels come out in the plan's language without passing it through every function.
The catalogues are the `.po` files under `locale/<language>/LC_MESSAGES/`, read (compiled) when a language is first
used; see README "Plans in other languages".
"""

from __future__ import annotations

import contextlib
import functools
import gettext as _gettext
import re
import warnings
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

DOMAIN = "planforge"
LOCALE_DIR = Path(__file__).parent / "locale"
"""Catalogues: locale/<language>/LC_MESSAGES/planforge.po."""

DEFAULT = "en"
"""The language of a plan that names none (and of a project that names none)."""

TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?(?:-[A-Za-z\d]{5,8})*$")
"""BCP 47 tags planforge reads: language, optional script and region, variants (`fr`, `fr-CA`, `zh-Hant-TW`)."""


@dataclass(frozen=True)
class Language:
    """A plan's language: the tag it was given, its gettext catalogue and whether the plan chose it."""

    tag: str
    """The BCP 47 tag, e.g. "fr-CA"; "en" for a plan that names none."""
    translations: _gettext.NullTranslations
    explicit: bool = False
    """The plan or its project named the language (so outputs declare it even when it is English)."""

    @property
    def code(self) -> str:
        """The language subtag in lower case, e.g. "fr" for "fr-CA"."""
        return self.tag.split("-")[0].lower()

    @property
    def locale_name(self) -> str:
        """The tag as Babel/CLDR names locales, e.g. "fr_CA"."""
        return self.tag.replace("-", "_")

    @functools.cached_property
    def office_tag(self) -> str:
        """The tag Office proofs text in, with a region ("fr" → "fr-FR", English by default "en-US")."""
        if "-" in self.tag:
            return self.tag
        from babel.core import get_global

        likely = get_global("likely_subtags").get(self.code, "")
        region = likely.split("_")[-1] if likely.count("_") >= 1 else ""
        return f"{self.code}-{region}" if region.isalpha() and region.isupper() else self.tag

    def gettext(self, message: str) -> str:
        """The label in this language, with its typography (French no-break spaces)."""
        from planforge.i18n.typography import typeset

        return typeset(self.translations.gettext(message), self.code)

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        """The singular or plural label for `number`, in this language."""
        from planforge.i18n.typography import typeset

        return typeset(self.translations.ngettext(singular, plural, number), self.code)


class _DefaultEnglish(Language):
    @property
    def office_tag(self) -> str:
        return "en-US"  # what decks have always said; needs no Babel


ENGLISH = _DefaultEnglish(DEFAULT, _gettext.NullTranslations())

_current: ContextVar[Language] = ContextVar("planforge_language", default=ENGLISH)


def current() -> Language:
    """The language labels are being written in (English outside `using`)."""
    return _current.get()


def _(message: str) -> str:
    """Translate a fixed label into the current language."""
    return _current.get().gettext(message)


def ngettext(singular: str, plural: str, number: int) -> str:
    """Translate a label that depends on a count (`ngettext("{n} phase", "{n} phases", n).format(n=n)`)."""
    return _current.get().ngettext(singular, plural, number)


def N_(message: str) -> str:
    """Mark a label for the catalogues without translating it yet (for constants defined at import time)."""
    return message


def has_catalogue(code: str) -> bool:
    """Whether planforge ships a catalogue for the language subtag `code` (English needs none)."""
    return code == "en" or (LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()


def language(tag: str | None, explicit: bool | None = None) -> Language:
    """The Language for a BCP 47 tag (None: English); a language without a catalogue gets English labels."""
    if not tag:
        return ENGLISH
    return _language(tag, bool(explicit if explicit is not None else True))


@functools.lru_cache(maxsize=32)
def _language(tag: str, explicit: bool) -> Language:
    code = tag.split("-")[0].lower()
    if code == "en" or not has_catalogue(code):
        return Language(tag, _gettext.NullTranslations(), explicit)
    return Language(tag, _catalogue(code), explicit)


_warned: set[str] = set()


@contextlib.contextmanager
def using(tag: str | None) -> Iterator[Language]:
    """Write labels in the language `tag` (None: English) until the block ends."""
    chosen = language(tag)
    if not has_catalogue(chosen.code) and chosen.code not in _warned:
        # One warning per language and process: every label falling back would say the same thing.
        _warned.add(chosen.code)
        from planforge.errors import PlanforgeWarning

        warnings.warn(f"planforge has no labels in language {tag!r}; they are in English (values are still "
                      f"formatted for {tag!r})", PlanforgeWarning, stacklevel=3)
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


@functools.lru_cache(maxsize=8)
def _catalogue(code: str) -> _gettext.NullTranslations:
    """Compile a language's .po catalogue in memory (about 0.1 s with Babel's import, once per process)."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    path = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=code, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)
