"""In headless Chromium, at phone to wide-desktop widths, no text or table of the HTML page is clipped or sticks out of
its card or column, even with a 60-character address and 40-character compounds in cards and table cells."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from golden_documents import render

FIXTURES = Path(__file__).parent / "fixtures" / "html"
PLANS = sorted(FIXTURES.glob("*.yaml"))
WIDTHS = (360, 390, 1280, 1600)

# Run in the page after layout: what is clipped or sticks out, and the width the page was laid out at.
CHECK = """(function () {
  const found = [];
  const page = document.documentElement;
  const name = el => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).trim().split(/\\s+/).join(".") : "");
  const out = (what, el, text, detail) => found.push({what, el: name(el), text: (text || "").trim().slice(0, 70), detail});
  const hidden = el => {
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === "none" || s.visibility === "hidden" || s.position === "absolute" || s.position === "fixed") return true;
    }
    return false;
  };
  const inner = el => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return {left: r.left + parseFloat(s.borderLeftWidth), right: r.right - parseFloat(s.borderRightWidth)};
  };
  if (page.scrollWidth > page.clientWidth + 1) out("page wider than the window", page, "", page.scrollWidth + " > " + page.clientWidth);
  for (const el of document.body.querySelectorAll("*")) {
    if (hidden(el)) continue;
    const s = getComputedStyle(el);
    // A box that scrolls or clips sideways and has more than it shows: a clipped table, card or list.
    if (s.overflowX !== "visible" && el.scrollWidth > el.clientWidth + 1)
      out("clipped", el, el.textContent, el.scrollWidth + " > " + el.clientWidth);
    const parent = el.parentElement;
    if (parent && parent !== document.body && !hidden(parent) && !s.display.startsWith("inline")) {
      const r = el.getBoundingClientRect(), p = inner(parent);
      if (r.width && (r.right > p.right + 1 || r.left < p.left - 1))
        out("box sticks out of " + name(parent), el, el.textContent, r.left + ".." + r.right + " not in " + p.left + ".." + p.right);
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim() || hidden(node.parentElement) || node.parentElement.tagName === "SCRIPT") continue;
    let box = node.parentElement;
    while (box.parentElement && getComputedStyle(box).display.startsWith("inline")) box = box.parentElement;
    const edge = inner(box), range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) {
      if (rect.width && (rect.right > edge.right + 1 || rect.left < edge.left - 1)) {
        out("text sticks out", box, node.textContent, rect.right + " > " + edge.right);
        break;
      }
    }
  }
  return {width: page.clientWidth, found};
})()
"""


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[tuple[str, int], dict]:
    """Every fixture page laid out in one Chromium at each width (a true viewport of that width; see browser.py)."""
    from browser import Chromium

    folder = tmp_path_factory.mktemp("overflow")
    found = {}
    with Chromium() as browser:
        for plan in PLANS:
            data = render(plan, "html")
            assert b"<script" not in data  # the page carries no script; the check runs through DevTools
            page = folder / f"{plan.stem}.html"
            page.write_bytes(data)
            for width in WIDTHS:
                browser.open(page, width, 2000)
                found[plan.stem, width] = browser.evaluate(CHECK)
    return found


def test_the_fixtures_hold_a_60_character_address_and_a_40_character_compound():
    text = "".join(plan.read_text(encoding="utf-8") for plan in PLANS)
    assert any(len(url) >= 60 for url in re.findall(r"https://\S+", text))
    assert any(len(word) >= 40 for word in re.findall(r"\w+", text))


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("plan", [plan.stem for plan in PLANS])
def test_nothing_is_clipped_or_sticks_out_in_chromium(reports, plan, width):
    report = reports[plan, width]
    assert report["width"] == width
    assert report["found"] == []
