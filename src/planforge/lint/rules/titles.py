"""PF2xx: action titles, which state each slide's message as one short full sentence."""

from __future__ import annotations

import re
import warnings
from typing import Iterator

from planforge.lint.context import Hit, LintContext, models
from planforge.lint.lexicons import WORD, counts_characters, lexicon
from planforge.lint.lexicons.en import TOPICS, VERBS, is_verb  # noqa: F401 (the English lexicon, as it was here)
from planforge.lint.registry import WARNING, rule
from planforge.model.common import SlideSpec
from planforge.text import plain

MAX_TITLE_WORDS = 20
MAX_TITLE_CHARACTERS = 40
"""For Chinese, Japanese and Korean titles, which have no spaces to count words by: about as long as 20 words read."""


def action_titles(ctx: LintContext) -> Iterator[tuple[tuple, str]]:
    """Yield (loc, title) for every action title the plan writes (the title slide's is the document title)."""
    for loc, model in models(ctx.document):
        if isinstance(model, SlideSpec) and model.title is not None and loc != ("storyline", "title"):
            yield (*loc, "title"), model.title


def topic_reason(title: str, lang: str | None = None) -> str | None:
    """Return why a title reads as a topic rather than a sentence, or None when it reads as a sentence (or is in a
    language lint has no lexicon for)."""
    words_of = lexicon(lang)
    if words_of is None:
        return None
    text = plain(title).strip()
    words = WORD.findall(text)
    bare = re.sub(r"[^\w&\s'’]", " ", text.lower())
    bare = " ".join(bare.split())
    if bare in words_of.topics or bare.endswith(" overview") or "(overview)" in text.lower():
        return "names a topic"
    if len(words) < 3:
        return "is too short to state a message"
    if not any(words_of.is_verb(word) for word in words):
        return "has no verb"
    return None


@rule("PF201", "title-is-topic", WARNING, "An action title names a topic instead of stating the slide's message.",
      "write the slide's conclusion as a sentence with a verb, e.g. 'Pilots cut handling time by 12%'")
def title_is_topic(ctx: LintContext) -> Iterator[Hit]:
    """Find action titles that are topics (no verb, or words such as 'Overview' or 'Next steps')."""
    for loc, title in action_titles(ctx):
        reason = topic_reason(title, ctx.document.lang)
        if reason:
            yield ctx.hit(loc, f"action title “{plain(title)}” {reason}; it should be a full sentence")


@rule("PF202", "title-too-long", WARNING,
      f"An action title has more than {MAX_TITLE_WORDS} words ({MAX_TITLE_CHARACTERS} characters in Chinese, "
      "Japanese or Korean).",
      "keep the message and cut the rest: at most 20 words, ideally 10–15")
def title_too_long(ctx: LintContext) -> Iterator[Hit]:
    """Find action titles longer than the word limit (character limit for CJK titles)."""
    for loc, title in action_titles(ctx):
        text = plain(title)
        if counts_characters(ctx.document.lang, text):
            count = sum(1 for char in text if char.isalnum())
            if count > MAX_TITLE_CHARACTERS:
                yield ctx.hit(loc, f"action title has {count} characters (at most {MAX_TITLE_CHARACTERS})")
            continue
        count = len(text.split())
        if count > MAX_TITLE_WORDS:
            yield ctx.hit(loc, f"action title has {count} words (at most {MAX_TITLE_WORDS})")


@rule("PF203", "title-full-stop", WARNING, "An action title ends with a full stop.",
      "remove the full stop; slide titles do not end with one")
def title_full_stop(ctx: LintContext) -> Iterator[Hit]:
    """Find action titles ending with a full stop (an ellipsis is left alone)."""
    for loc, title in action_titles(ctx):
        text = plain(title).rstrip()
        if text.endswith(".") and not text.endswith(".."):
            yield ctx.hit(loc, "action title ends with a full stop")


@rule("PF204", "topic-title", WARNING,
      "A content slide shows a topic title planforge made up, because the plan gives the slide no action title.",
      "add the slide's `title:` where the finding points, stating the slide's message as a sentence")
def topic_title(ctx: LintContext) -> Iterator[Hit]:
    """Find content slides titled by the storyline's fallback (e.g. "Digital lending: vision and objectives"), at the
    mapping in the file that would hold their `title`, with a hint naming the keys to add there."""
    from planforge.i18n import using
    from planforge.render.deck.storyline import storyline, topic_titled

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # English labels for a language without a catalogue are no lint finding
        with using(ctx.document.lang):
            slides = topic_titled(storyline(ctx.document))
    for slide in slides:
        written = slide.topic_at
        while written and not ctx.written(written):
            written = written[:-1]
        missing = (*slide.topic_at[len(written):], "title")
        if not written:
            line, column = 1, 1
        elif isinstance(written[-1], int):
            line, column = ctx.plan.position(written)
        else:
            hit = ctx.key_hit(written, "")
            line, column = hit.line, hit.column
        where = f"under `{written[-1]}:`" if written and not isinstance(written[-1], int) else \
            ("to this item" if written else "at the top level")
        yield Hit(line, column, f"slide “{plain(slide.title)}” has a topic title, not an action title from the plan",
                  hint=f"add `{_flow(missing)}` {where}, stating the slide's message as a sentence")


def _flow(keys: tuple) -> str:
    """Keys as the YAML to write, e.g. `slides: {vision: {title: …}}`."""
    text = f"{keys[-1]}: …"
    for key in reversed(keys[:-1]):
        text = f"{key}: {{{text}}}"
    return text
