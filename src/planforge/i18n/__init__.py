"""The language a plan is rendered in: its fixed labels from gettext catalogues, and the locale that formats values.

Code marks a label with `_("Executive summary")` (or `N_()` where it is defined before any language is chosen, then
`_()` where it is shown); templates use Jinja's i18n extension (`{{ _("Owner") }}`, `{% trans %}`). A render runs
inside `using(tag)`, so the labels come out in the plan's language without passing it through every function.
The catalogues are the `.po` files under `locale/<language>[_<Script>]/LC_MESSAGES/`, read (compiled) when a language is first
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


_RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ku", "ps", "sd", "syr", "ug", "ur",
                            "yi"})
"""Languages written right to left when no script is named (CLDR's character order)."""
_OFFICE_REGIONS = {"ar": "SA"}
"""Regions Office proofs a language in by default where CLDR's likely one differs (Arabic: ar-SA, not ar-EG)."""
_RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg"})


@dataclass(frozen=True)
class Language:
    """A plan's language: the tag it was given, its gettext catalogue and whether the plan chose it."""

    tag: str
    """The BCP 47 tag, e.g. "fr-CA"; "en" for a plan that names none."""
    translations: _gettext.NullTranslations
    explicit: bool = False
    """The plan or its project named the language (so outputs declare it even when it is English)."""
    catalogue: str | None = None
    """The catalogue the labels come from ("fr", "zh_Hans"); None for English labels."""

    @property
    def labels_code(self) -> str:
        """The language the labels are written in ("zh" for zh-CN; "en" when they fall back to English), which
        decides their typography."""
        return self.catalogue.split("_")[0] if self.catalogue else "en"

    @property
    def direction(self) -> str:
        """"rtl" for a language written right to left (Arabic, Hebrew, Persian, Urdu …), else "ltr"."""
        script = next((part for part in self.tag.split("-")[1:] if len(part) == 4), "").title()
        return "rtl" if script in _RTL_SCRIPTS or (not script and self.code in _RTL_LANGUAGES) else "ltr"

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

        if self.code in _OFFICE_REGIONS:
            return f"{self.code}-{_OFFICE_REGIONS[self.code]}"
        likely = get_global("likely_subtags").get(self.code, "")
        region = likely.split("_")[-1] if likely.count("_") >= 1 else ""
        return f"{self.code}-{region}" if region.isalpha() and region.isupper() else self.tag

    def gettext(self, message: str) -> str:
        """The label in this language, with its typography (French no-break spaces)."""
        from planforge.i18n.typography import typeset

        return typeset(self.translations.gettext(message), self.labels_code)

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        """The singular or plural label for `number`, in this language."""
        from planforge.i18n.typography import typeset

        return typeset(self.translations.ngettext(singular, plural, number), self.labels_code)


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


def colon(space: bool = False) -> str:
    """The colon after a label in the current language (":", French "\u00a0:", Japanese and Chinese "："), with
    the space after it when `space` and the language puts one there."""
    from planforge.i18n.typography import colon as typeset_colon

    return typeset_colon(_current.get().labels_code, space)


def join_phrase(*parts: str) -> str:
    """Join the parts of a generated phrase as the current language does (spaces; none in Japanese or Chinese)."""
    from planforge.i18n.typography import join_phrase as join

    return join(parts, _current.get().labels_code)


def N_(message: str) -> str:
    """Mark a label for the catalogues without translating it yet (for constants defined at import time)."""
    return message


def catalogues() -> list[str]:
    """The catalogues planforge ships, by folder name under locale/ ("de", "fr", "zh_Hans" ...)."""
    return sorted(path.parent.parent.name for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def catalogue_for(tag: str) -> str | None:
    """The catalogue whose labels suit the BCP 47 tag `tag`, or None (English labels).

    A catalogue named with a script (`zh_Hans`) serves only tags written in that script, explicitly (`zh-Hans-CN`)
    or by the region's custom (`zh-CN`, `zh-SG`, a bare `zh`); `zh-TW`, `zh-HK` and `zh-Hant` are Traditional
    Chinese and get none of the Simplified labels. A catalogue named by the language alone (`fr`) serves every tag
    of that language.
    """
    code = tag.split("-")[0].lower()
    if code == "en":
        return None
    if (LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po").is_file():
        return code
    scripts = [name for name in catalogues() if name.startswith(code + "_")]
    if not scripts:
        return None
    script = _script(tag)
    return f"{code}_{script}" if f"{code}_{script}" in scripts else None


def _script(tag: str) -> str | None:
    """The script a tag is written in, stated (`zh-Hant`) or the likeliest for its language and region (CLDR)."""
    from babel.core import Locale, UnknownLocaleError, get_global

    try:
        parsed = Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        return None
    if parsed.script:
        return parsed.script
    likely = get_global("likely_subtags").get("_".join(filter(None, (parsed.language, parsed.territory))))
    likely = likely or get_global("likely_subtags").get(parsed.language, "")
    parts = likely.split("_")
    return parts[1] if len(parts) > 2 else None


def has_catalogue(code: str) -> bool:
    """Whether planforge has labels for the BCP 47 tag (or bare language subtag) `code`; English needs none."""
    return code.split("-")[0].lower() == "en" or catalogue_for(code) is not None


def language(tag: str | None, explicit: bool | None = None) -> Language:
    """The Language for a BCP 47 tag (None: English); a language without a catalogue gets English labels."""
    if not tag:
        return ENGLISH
    return _language(tag, bool(explicit if explicit is not None else True))


@functools.lru_cache(maxsize=32)
def _language(tag: str, explicit: bool) -> Language:
    name = catalogue_for(tag)
    if name is None:
        return Language(tag, _gettext.NullTranslations(), explicit)
    return Language(tag, _catalogue(name), explicit, name)


_warned: set[str] = set()


@contextlib.contextmanager
def using(tag: str | None) -> Iterator[Language]:
    """Write labels in the language `tag` (None: English) until the block ends."""
    chosen = language(tag)
    if chosen.code != "en" and chosen.catalogue is None and chosen.tag not in _warned:
        # One warning per language tag and process: every label falling back would say the same thing.
        _warned.add(chosen.tag)
        from planforge.errors import PlanforgeWarning

        warnings.warn(f"planforge has no labels in language {tag!r}; they are in English (values are still "
                      f"formatted for {tag!r}; planforge has labels in {', '.join(_shown(catalogues()))})",
                      PlanforgeWarning, stacklevel=3)
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


def _shown(names: list[str]) -> list[str]:
    """Catalogue names as language tags ("zh_Hans" → "zh-Hans"), English first."""
    return ["en", *(name.replace("_", "-") for name in names)]


@functools.lru_cache(maxsize=8)
def _catalogue(name: str) -> _gettext.NullTranslations:
    """Compile a language's .po catalogue in memory (about 0.1 s with Babel's import, once per process)."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    path = LOCALE_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=name, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)
