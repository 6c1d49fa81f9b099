"""PF2xx: action titles, which state each slide's message as one short full sentence."""

from __future__ import annotations

import re
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
