"""The McKinsey-style deck: storyline → measured layout → native PowerPoint shapes → reproducible .pptx bytes."""

from __future__ import annotations

from dataclasses import dataclass

from planforge.i18n import using
from planforge.render import RenderOptions
from planforge.render.deck.measure import measuring_with
from planforge.render.deck.linebreak import hyphenating_in
from planforge.render.deck.package import pin_properties, to_bytes
from planforge.render.deck.slides import Deck
from planforge.render.deck.storyline import storyline
from planforge.render.deck.template import builtin_base, company_base
from planforge.render.deck.template_package import keeping_external_links


@dataclass(frozen=True)
class SlideLayout:
    """One slide of the deck as `render` lays it out."""

    number: int
    """Its slide number, from 1."""
    kind: str
    """How it is laid out: "cover", "groups", "table", "roadmap", "divider"..."""
    title: str
    """The action title as the slide shows it (before any shortening to fit), " (cont.)" on a continuation."""
    continued: bool
    """It holds content that did not fit the slide before it."""
    loc: tuple | None
    """For a continued slide, where the plan writes the first thing moved onto it (a model location such as
    ("phases", 0, "key_objectives", 13)); None otherwise, or when the plan does not write it (a label)."""


def render(document, options: RenderOptions | None = None) -> bytes:
    """Render a plan document as an editable 16:9 deck and return the .pptx bytes."""
    return to_bytes(_draw(document, options or RenderOptions()))


def topic_titles(document) -> int:
    """How many content slides of the deck show a topic title planforge made up, not one from the plan (the build
    counts them; `planforge lint` says where, PF204)."""
    from planforge.render.deck.storyline import topic_titled

    return len(topic_titled(storyline(document)))


def audit(document, options: RenderOptions | None = None) -> list:
    """The accessibility problems of the deck `render` makes of the document
    (`planforge.render.deck.accessibility.Finding`s, slide by slide)."""
    from planforge.render.deck import accessibility

    return accessibility.audit(_draw(document, options or RenderOptions()))


def _draw(document, options: RenderOptions):
    """The presentation `render` saves: every slide drawn, the properties pinned."""
    base = _base(options, document)
    with using(document.lang) as language, measuring_with(base.theme.measure_family), \
            hyphenating_in(_language(document)):
        deck = Deck(base, storyline(document), ghost=options.ghost)
        deck.build()
    pin_properties(base.presentation, document.title, document.owner,
                   language.office_tag if language.explicit else None)
    return base.presentation


def layout(document, options: RenderOptions | None = None) -> list[SlideLayout]:
    """Every slide `render` makes of the document, in order, laid out by the same code without drawing them."""
    options = options or RenderOptions()
    base = _base(options, document)
    with using(document.lang), measuring_with(base.theme.measure_family), \
            hyphenating_in(_language(document)):
        pages = Deck(base, storyline(document), ghost=options.ghost).pages()
    return [SlideLayout(number, page.slide.kind, page.title, page.continuation,
                        page.first if page.continuation else None)
            for number, page in enumerate(pages, start=1)]


def _base(options: RenderOptions, document):
    if not options.deck_template:
        return builtin_base()
    # The command line's choice of layout wins over the plan's and the project's (`deck: {layouts: …}`).
    named = dict(getattr(getattr(document, "deck", None), "layouts", None) or {})
    source = "the plan's or project's deck.layouts" if named else options.layouts_source
    if options.deck_layouts:
        named.update(dict(options.deck_layouts))
        source = options.layouts_source if not named.keys() - dict(options.deck_layouts).keys() else \
            f"{options.layouts_source} or the plan's or project's deck.layouts"
    with keeping_external_links(options.keep_external_links):
        return company_base(options.deck_template, layouts=named, font_dirs=options.font_dirs,
                            layouts_source=source)


def _language(document) -> str | None:
    """The plan's language, when it names one (for hyphenation)."""
    language = getattr(document, "lang", None)
    return str(language) if language else None


def slide_titles(document) -> list[str]:
    """The storyline's action titles in order (one per storyline slide, before any continuation)."""
    with using(document.lang):
        return [slide.title for slide in storyline(document).slides]
