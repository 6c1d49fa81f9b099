"""Inline markup in plan text: what becomes bold or italic, and what stays as written."""

from __future__ import annotations

import pytest

from planforge.text import plain, runs


@pytest.mark.parametrize("text, expected", [
    ("Build **trust** early", [("Build ", False, False), ("trust", True, False), (" early", False, False)]),
    ("*Action:* do it", [("Action:", False, True), (" do it", False, False)]),
    ("***both***", [("both", True, True)]),
    ("**a *b* c**", [("a ", True, False), ("b", True, True), (" c", True, False)]),
    ("a*b*c", [("a", False, False), ("b", False, True), ("c", False, False)]),
    # Asterisks that do not touch the text they would style are literal, as in Markdown.
    ("5 * 3 * 2", [("5 * 3 * 2", False, False)]),
    ("* *", [("* *", False, False)]),
    ("** not bold **", [("** not bold **", False, False)]),
    ("a * b", [("a * b", False, False)]),
    ("*unclosed", [("*unclosed", False, False)]),
])
def test_runs(text, expected):
    assert [(run.text, run.bold, run.italic) for run in runs(text)] == expected


@pytest.mark.parametrize("text", ["5 * 3 * 2", "* *", "** not bold **", "rate * 2 = *x*"])
def test_no_character_of_the_plan_is_lost_but_the_markers_of_real_emphasis(text):
    assert plain(text).replace(" ", "") == text.replace(" ", "").replace("*x*", "x")


@pytest.mark.parametrize("text, expected", [
    ("see [the book](https://a.example/b) now",
     [("see ", False, None), ("the book", False, "https://a.example/b"), (" now", False, None)]),
    ("**read [this](https://x.example) first**",
     [("read ", True, None), ("this", True, "https://x.example"), (" first", True, None)]),
    ("[**bold label**](mailto:pm@example.com)", [("bold label", True, "mailto:pm@example.com")]),
    # Only web and mail addresses link: anything else is shown exactly as written.
    ("[run](javascript:alert(1))", [("[run](javascript:alert(1))", False, None)]),
    ("[local](file:///etc/passwd)", [("[local](file:///etc/passwd)", False, None)]),
    ("[no address]()", [("[no address]()", False, None)]),
    ("[a](https://one.example)[b](https://two.example)",
     [("a", False, "https://one.example"), ("b", False, "https://two.example")]),
])
def test_links_show_their_label_and_keep_their_address(text, expected):
    assert [(run.text, run.bold, run.link) for run in runs(text)] == expected


def test_a_links_plain_text_is_its_label():
    assert plain("see [the book](https://a.example/b)") == "see the book"
