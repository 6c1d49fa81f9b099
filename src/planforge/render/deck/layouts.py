"""Which of a company template's layouts each slide role uses, and why.

Roles: `cover` (the title slide), `divider` (section dividers), `content` (every other slide) and `blank`. A role
is filled, in order, by the layout named for it (plan, project config or command line), by the layout's `type`
(language-independent: `title`, `secHead`, `titleOnly`, `obj`, `blank` …), by its name in any of many languages,
then by structure (a title placeholder and the largest free body area). A cover or closing layout is never used
for content, and every layout chosen has a real title placeholder.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from pptx.enum.shapes import PP_PLACEHOLDER

ROLES = ("content", "cover", "divider", "blank")
ROLE_USE = {
    "content": "every content slide (action title, tracker, body, footer)",
    "cover": "the title slide",
    "divider": "section dividers",
    "blank": "slides in planforge's own design when a role has no layout",
}
TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)

ROLE_TYPES = {
    "cover": ("title",),
    "divider": ("secHead",),
    "content": ("titleOnly", "obj", "tx", "twoObj", "objOnly", "txAndObj", "objTx"),
    "blank": ("blank",),
}
"""Role → layout types (`p:sldLayout/@type`) that suit it, best first."""

ROLE_NAMES = {
    "cover": ("title slide", "diapositive de titre", "slide de titulo", "diapositivo de titulo",
              "diapositiva de titulo", "titelfolie", "diapositiva titolo", "titeldia", "slajd tytulowy",
              "タイトル スライド", "标题幻灯片", "제목 슬라이드", "titulo da apresentacao", "cover", "capa", "couverture",
              "portada", "deckblatt", "title & subtitle", "title and subtitle"),
    "divider": ("section header", "section title", "section divider", "en-tete de section", "cabecalho da secao",
                "encabezado de seccion", "abschnittsuberschrift", "intestazione sezione", "sectiekop",
                "naglowek sekcji", "セクション見出し", "节标题", "구역 머리글", "divider", "chapter", "section",
                "secao", "seccion", "abschnitt", "kapitel", "chapitre", "capitulo"),
    "content": ("title only", "titre seul", "somente titulo", "apenas titulo", "solo titulo", "solo el titulo",
                "nur titel", "alleen titel", "tylko tytul", "タイトルのみ", "仅标题", "제목만", "title and content",
                "titre et contenu", "titulo e conteudo", "titulo y contenido", "titel und inhalt",
                "titolo e contenuto", "titel en inhoud", "tytul i zawartosc", "タイトルとコンテンツ", "标题和内容",
                "제목 및 내용", "content", "contenu", "conteudo", "contenido", "inhalt", "contenuto", "body",
                "bullet", "text"),
    "blank": ("blank", "vide", "em branco", "en blanco", "leer", "vuota", "leeg", "pusty", "白紙", "空白", "빈 화면",
              "vazio", "empty"),
}
"""Role → words its layouts are named with, in many languages (compared without case and accents), best first."""

CLOSING_NAMES = ("end", "closing", "thank", "obrigad", "merci", "gracias", "danke", "grazie", "fin", "ende", "q&a",
                 "questions", "contact", "agradec", "ありがとう", "谢谢", "감사")
"""Words that mark a closing slide: never used for content."""


@dataclass(frozen=True)
class Choice:
    """The layout a role uses (None: planforge's own design) and why, in words."""

    role: str
    layout: Any
    reason: str


def normalise(name: str) -> str:
    """A layout name compared without case, accents or extra spaces."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def layout_type(layout) -> str:
    """The layout's `type` attribute (`cust` when it has none)."""
    return layout._element.get("type", "cust")


def title_placeholder(layout):
    """The layout's title placeholder, or None."""
    return next((ph for ph in layout.placeholders if ph.placeholder_format.type in TITLE_TYPES), None)


def is_closing(layout) -> bool:
    """Whether the layout's name marks it as a closing slide (thank you, end, contact …)."""
    words = normalise(layout.name).replace("-", " ").split()
    name = normalise(layout.name)
    return any(word in words or (len(word) > 4 and word in name) or (not word.isascii() and word in name)
               for word in map(normalise, CLOSING_NAMES))


def _name_rank(layout, role: str) -> int | None:
    name = normalise(layout.name)
    for rank, word in enumerate(normalise(word) for word in ROLE_NAMES[role]):
        if name == word:
            return rank
        if word in name and (not word.isascii() or len(word) > 3 or word in name.split()):
            return len(ROLE_NAMES[role]) + rank
    return None


def choose(layouts: Sequence, explicit: dict[str, str], free_area: Callable[[Any], float],
           explicit_source: str = "settings") -> dict[str, Choice]:
    """The layout of every role: named, by type, by name, else by structure (see the module's docstring)."""
    chosen: dict[str, Choice] = {}
    for role in ("content", "cover", "divider", "blank"):
        if role in explicit:
            layout = find_named(layouts, explicit[role])
            if layout is not None:
                chosen[role] = Choice(role, layout, f"named in {explicit_source}")
                continue
        master = chosen["content"].layout.slide_master if chosen.get("content") and chosen["content"].layout else None
        chosen[role] = _automatic(layouts, role, free_area, master, chosen)
    return chosen


def find_named(layouts: Sequence, name: str):
    """The layout with this name (compared without case and accents), or None."""
    wanted = normalise(name)
    return next((layout for layout in layouts if normalise(layout.name) == wanted), None)


def _usable(layout, role: str) -> bool:
    if role == "blank":
        return True
    if title_placeholder(layout) is None:
        return False
    if role == "content":
        # A centre title marks a cover or closing slide, whatever the layout is called.
        return (layout_type(layout) not in ("title", "secHead") and not is_closing(layout)
                and title_placeholder(layout).placeholder_format.type != PP_PLACEHOLDER.CENTER_TITLE
                and _name_rank(layout, "cover") is None and _name_rank(layout, "divider") is None)
    return not is_closing(layout)


def _automatic(layouts: Sequence, role: str, free_area, master, chosen: dict[str, Choice]) -> Choice:
    taken = {id(c.layout) for c in chosen.values() if c.layout is not None}
    candidates = [layout for layout in layouts if _usable(layout, role) and id(layout) not in taken]
    if role != "content":
        # A layout the name or type gives to another role is not this role's (a cover is no divider).
        candidates = [layout for layout in candidates
                      if not any(other != role and _typed(layout, other) for other in ("cover", "divider"))]

    def same_master_first(layout) -> int:
        return 0 if master is None or layout.slide_master is master else 1

    typed = [layout for layout in candidates if layout_type(layout) in ROLE_TYPES[role]]
    if typed:
        best = min(typed, key=lambda layout: (same_master_first(layout), ROLE_TYPES[role].index(layout_type(layout)),
                                              -free_area(layout) if role == "content" else 0))
        return Choice(role, best, f"its type is {layout_type(best)!r}")
    named = [(rank, layout) for layout in candidates if (rank := _name_rank(layout, role)) is not None]
    if named:
        rank, best = min(named, key=lambda pair: (same_master_first(pair[1]), pair[0],
                                                  -free_area(pair[1]) if role == "content" else 0))
        return Choice(role, best, f"its name {best.name!r} reads as {role}")
    if role == "content":
        structural = [layout for layout in candidates if not _typed(layout, "cover") and not _typed(layout, "divider")]
        if structural:
            best = max(structural, key=lambda layout: (free_area(layout), -same_master_first(layout)))
            return Choice(role, best, f"it has a title placeholder and the largest free body area "
                                      f"({free_area(best):,.0f} pt²)")
    return Choice(role, None, "no layout's type or name matches")


def _typed(layout, role: str) -> bool:
    return layout_type(layout) in ROLE_TYPES[role] or _name_rank(layout, role) is not None
