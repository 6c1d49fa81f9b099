"""What lint knows of each language: which titles name a topic, which words are verbs (PF201), and how to count a
title's length (words, or characters for Chinese, Japanese and Korean, PF202)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

from planforge.lint.lexicons import en, fr


@dataclass(frozen=True)
class Lexicon:
    """A language's topic names and verb test."""

    topics: frozenset[str]
    is_verb: Callable[[str], bool]


LEXICONS = {"en": Lexicon(frozenset(en.TOPICS), en.is_verb), "fr": Lexicon(frozenset(fr.TOPICS), fr.is_verb)}
"""Languages PF201 checks, by language subtag; titles in any other language are not checked for verbs."""

CJK_LANGUAGES = {"zh", "ja", "ko", "yue"}
"""Languages written without spaces between words: a title's length is counted in characters."""


def language_code(lang: str | None) -> str:
    """The language subtag of a plan's `lang` ("fr" for "fr-CA"); English when the plan names none."""
    return (lang or "en").split("-")[0].lower()


def lexicon(lang: str | None) -> Lexicon | None:
    """The lexicon of a plan's language, or None when lint knows none."""
    return LEXICONS.get(language_code(lang))


WORD = re.compile(r"[^\W\d_][\w'’-]*")
"""A word: a letter, then letters, digits, apostrophes and hyphens (accented letters included)."""


def is_cjk(char: str) -> bool:
    """Whether a character is a Chinese, Japanese or Korean letter (ideograph, kana, hangul)."""
    name = unicodedata.name(char, "")
    return name.startswith(("CJK UNIFIED", "CJK COMPATIBILITY IDEOGRAPH", "HIRAGANA", "KATAKANA", "HANGUL"))


def counts_characters(lang: str | None, text: str) -> bool:
    """Whether a title's length is counted in characters: a CJK plan, or a title mostly in CJK script."""
    letters = [char for char in text if char.isalnum()]
    return language_code(lang) in CJK_LANGUAGES or (bool(letters) and
                                                    sum(map(is_cjk, letters)) * 2 > len(letters))
