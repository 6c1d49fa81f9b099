"""In headless Chromium, at phone to wide-desktop widths, no text or table of the HTML page is clipped or sticks out of
its card or column, even with a 60-character address and 40-character compounds in cards and table cells."""

from __future__ import annotations

import json
import re
import subprocess
from html import escape
from pathlib import Path

import pytest

from golden_documents import render

FIXTURES = Path(__file__).parent / "fixtures" / "html"
PLANS = sorted(FIXTURES.glob("*.yaml"))
WIDTHS = (360, 390, 1280, 1600)

# Run in the page after layout; writes what overflows into the page, which --dump-dom then prints.
CHECK = """
<script>
(function () {
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
  // The page is the srcdoc of a frame as wide as the screen tested (a headless window is at least 500 px wide).
  const report = parent.document.createElement("pre");
  report.id = "overflow-report";
  report.textContent = JSON.stringify({width: page.clientWidth, found});
  parent.document.body.appendChild(report);
})();
</script>
"""


def frame(page: str, width: int) -> str:
    """A page showing `page` in a frame `width` pixels wide: its viewport, media queries included, is that wide."""
    return (f'<!doctype html><html><body style="margin:0"><iframe style="border:0;width:{width}px;height:2000px" '
            f'srcdoc="{escape(page, quote=True)}"></iframe></body></html>')


def overflow_report(folder: Path, page: str, width: int) -> dict:
    framed = folder / f"framed-{width}.html"
    framed.write_text(frame(page, width), encoding="utf-8")
    dom = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--hide-scrollbars", f"--window-size={max(width, 500)},2000", "--dump-dom", framed.as_uri()],
        check=True, capture_output=True, text=True, timeout=120,
    ).stdout
    match = re.search(r'<pre id="overflow-report">(.*?)</pre>', dom, re.S)
    assert match, "the check script did not run"
    return json.loads(match.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
                      .replace("&amp;", "&"))


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    made = {}
    for plan in PLANS:
        html = render(plan, "html").decode()
        assert "<script" not in html  # the page itself carries no script; only the test copy does
        made[plan.stem] = html.replace("</body>", CHECK + "</body>")
    return made


def test_the_fixtures_hold_a_60_character_address_and_a_40_character_compound():
    text = "".join(plan.read_text(encoding="utf-8") for plan in PLANS)
    assert any(len(url) >= 60 for url in re.findall(r"https://\S+", text))
    assert any(len(word) >= 40 for word in re.findall(r"\w+", text))


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("plan", [plan.stem for plan in PLANS])
def test_nothing_is_clipped_or_sticks_out_in_chromium(pages, plan, width, tmp_path):
    report = overflow_report(tmp_path, pages[plan], width)
    assert report["width"] == width
    assert report["found"] == []
