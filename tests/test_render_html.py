"""HTML output: valid, self-contained, semantic tables and headings, escaped user text, every seed sentence."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
import pytest

from golden_documents import golden_path, plan_paths, render
from planforge.loading import load_plan
from planforge.render import RenderOptions, html
from planforge.text import plain
from rendertext import expected_tables, parse_html, visible_text
from seedtext import SEEDS, missing_pieces, read_seed

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "render"
PLANS = {path.stem: path for path in plan_paths()}
SEED_OF_PLAN = {"30-60-90-day-plan": "30-60-90-day-plan.md", "lrp-brainstorming": "lrp-brainstorming.md"}
ALL = sorted(PLANS) + ["hostile_plan", "hostile_strategy"]


def plan_path(name: str) -> Path:
    return PLANS.get(name) or FIXTURES / f"{name}.yaml"


def render_html(path: Path, **options) -> str:
    return html.render(load_plan(path).document, RenderOptions(**options)).decode("utf-8")


def text_of(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


# ---------------------------------------------------------------- valid and self-contained


@pytest.mark.parametrize("name", ALL)
def test_html_parses_without_a_single_html5_error(name):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    root = parser.parse(render_html(plan_path(name)))
    assert root.tag == "html"
    assert root.get("lang") == "en"
    assert root.find("head/meta[@charset='utf-8']") is not None
    assert root.find("head/meta[@name='viewport']") is not None


@pytest.mark.parametrize("name", sorted(PLANS))
def test_the_page_makes_no_network_request_and_needs_no_script(name):
    page = render_html(plan_path(name))
    root = parse_html(page)

    for tag in ("script", "link", "img", "iframe", "object", "embed", "base", "video", "audio", "source", "form"):
        assert root.find(f".//{tag}") is None, tag
    assert not [e for e in root.iter() if "src" in e.attrib or "srcset" in e.attrib]
    style = "".join(e.text or "" for e in root.iter("style"))
    assert "url(" not in style and "@import" not in style
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:)?//", page, re.I)
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids)), "ids must be unique"
    for link in root.iter("a"):
        assert link.get("href", "").startswith("#")
        assert link.get("href")[1:] in ids, f"link to a missing anchor: {link.get('href')}"


def test_print_and_phone_styles_are_part_of_the_page():
    style = parse_html(render_html(PLANS["30-60-90-day-plan"])).find(".//style").text
    assert "@media print" in style and re.search(r"tr,[^{]*\{[^}]*break-inside: avoid", style)
    assert "@media screen and (max-width: 40rem)" in style
    assert "thead { display: table-header-group; }" in style


# ---------------------------------------------------------------- structure


@pytest.mark.parametrize("name", ALL)
def test_headings_form_an_outline_without_skipped_levels(name):
    root = parse_html(render_html(plan_path(name)))
    levels = [int(e.tag[1]) for e in root.iter() if re.fullmatch(r"h[1-6]", str(e.tag))]
    nav = root.find(".//nav")
    toc_levels = [int(e.tag[1]) for e in nav.iter() if re.fullmatch(r"h[1-6]", str(e.tag))]
    assert levels.count(1) == 1 and levels[0] == 1
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, levels
    assert toc_levels == [2]


@pytest.mark.parametrize("name", ALL)
def test_the_table_of_contents_links_every_section(name):
    root = parse_html(render_html(plan_path(name)))
    targets = [a.get("href")[1:] for a in root.find(".//nav").iter("a")]
    sections = [s.get("id") for s in root.find(".//main").findall("section")]
    assert [t for t in targets if t in sections] == sections


@pytest.mark.parametrize("name", ALL)
def test_tables_have_scoped_headers_and_the_expected_rows(name):
    path = plan_path(name)
    root = parse_html(render_html(path))
    tables = list(root.iter("table"))

    expected = expected_tables(load_plan(path).document)
    assert len(tables) == len(expected)
    for table, (columns, firsts) in zip(tables, expected):
        head = table.findall("thead/tr/th")
        rows = table.findall("tbody/tr")
        assert len(head) == columns and all(th.get("scope") == "col" for th in head)
        assert len(rows) == len(firsts)
        for row, first in zip(rows, firsts):
            header, *cells = list(row)
            assert header.tag == "th" and header.get("scope") == "row"
            assert len(cells) == columns - 1 and all(cell.tag == "td" for cell in cells)
            assert text_of(header).startswith(re.sub(r"^\d+\. ", "", plain(first))) or text_of(header).startswith(
                plain(first).replace(". ", " ", 1)
            ), (text_of(header), first)
            # The stacked phone layout labels each cell with its column.
            assert [cell.get("data-label") for cell in cells] == [text_of(th) for th in head[1:]]


def test_week_tables_show_weeks_as_columns_and_nested_bullets_as_lists():
    root = parse_html(render_html(PLANS["30-60-90-day-plan"]))
    week_tables = [t for t in root.iter("table") if "weeks" in t.get("class", "")]
    assert len(week_tables) == 6
    assert [text_of(th) for th in week_tables[0].findall("thead/tr/th")] == ["Element", "Week 1", "Week 2"]
    meetings = week_tables[0].findall("tbody/tr")[2].findall("td")[0]
    [intro] = [li for li in meetings.iter("li") if (li.text or "").startswith("Intro meetings with:")]
    assert [text_of(li) for li in intro.findall("ul/li")][:2] == ["Squad 1 (Marketing)", "Squad 2 (Post-purchase)"]


def test_bold_italic_and_action_titles_are_marked_up():
    root = parse_html(render_html(PLANS["30-60-90-day-plan"]))
    assert "90-day plan" in [text_of(e) for e in root.iter("strong")]
    assert "The First 90 Days: Proven Strategies for Getting Up to Speed Faster and Smarter" in [
        text_of(e) for e in root.iter("cite")
    ]
    leads = [text_of(p) for p in root.iter("p") if p.get("class") == "lead"]
    assert "Deliver a Phased Strategy to Build Momentum and Achieve Early Wins" in leads


# ---------------------------------------------------------------- content and escaping


@pytest.mark.parametrize("name", sorted(SEED_OF_PLAN))
def test_every_piece_of_the_seed_reads_in_the_html(name):
    seed = read_seed(SEEDS / SEED_OF_PLAN[name])
    seen = " ".join(visible_text(parse_html(render_html(PLANS[name]))).split())

    missing = missing_pieces(seed, seen)

    assert not missing, "\n".join(f"{SEED_OF_PLAN[name]}:{p.line}: not in the HTML: {p.text!r}" for p in missing)


HOSTILE_LITERALS = {
    "hostile_plan": ("<script>alert(1)</script>", "Plan | with <script>alert('title')</script> in it", "<b>not bold</b>",
                     "[not a link](javascript:alert(1))", "ACME <Canada> & Co", "&amp; stays literal"),
    "hostile_strategy": ("Strategy | <script>alert('s')</script>", "First paragraph with a | pipe and <tag>.",
                         "Searchable <help>.", "Owner: Team | Care", "Deflection | rate: 10% → X% | more (FY2027)",
                         "<72%>", "Fund <pilots>", "Source: Source | survey 2025", "Board & <execs>"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_LITERALS))
def test_a_script_in_the_yaml_shows_as_text(name):
    root = parse_html(render_html(FIXTURES / f"{name}.yaml"))

    tags = {str(e.tag) for e in root.iter()}
    assert not tags & {"script", "b", "i", "tag", "help", "pilots", "execs", "canada", "corp", "first", "always"}
    assert text_of(root.find("head/title")).startswith(("Plan | with <script>", "Strategy | <script>"))
    seen = visible_text(root)
    for literal in HOSTILE_LITERALS[name]:
        assert literal in seen, literal


def test_only_web_addresses_become_links_and_they_open_safely():
    root = parse_html(render_html(FIXTURES / "hostile_plan.yaml"))
    outside = [a for a in root.iter("a") if not a.get("href", "").startswith("#")]
    assert [(a.get("href"), a.get("rel")) for a in outside] == [
        ("https://example.com/docs", "noopener noreferrer"), ("https://example.com/path?a=1&b=2", "noopener noreferrer")]
    assert "javascript:alert(1)" in visible_text(root)


# ---------------------------------------------------------------- golden files, determinism, overrides


@pytest.mark.parametrize("name", sorted(PLANS))
def test_html_matches_the_golden_file(name):
    assert render(PLANS[name], "html") == golden_path(PLANS[name], "html").read_bytes(), (
        "HTML output changed; if on purpose, run `make golden` and review the diff"
    )


def test_rendering_twice_gives_the_same_bytes():
    path = PLANS["lrp-brainstorming"]
    assert render(path, "html") == render(path, "html")


def test_a_user_stylesheet_overrides_only_the_stylesheet(tmp_path):
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "style.css").write_text("body { color: rebeccapurple; }\n", encoding="utf-8")

    root = parse_html(render_html(PLANS["lrp-brainstorming"], templates_dir=tmp_path))

    assert root.find(".//style").text.strip() == "body { color: rebeccapurple; }"
    assert root.find(".//nav") is not None and len(root.findall(".//main/section")) == 4


# ---------------------------------------------------------------- in a real browser


def chromium(*args: str, cwd: Path) -> None:
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--hide-scrollbars", *args],
        cwd=cwd, check=True, capture_output=True, timeout=180,
    )


CORPUS = sorted((Path(__file__).resolve().parent / "plans").glob("*.yaml"))
WIDTHS = (360, 390, 1280)
SHOT_HEIGHT = 1600
# Measured in the page after it loads: the viewport it was laid out in, how wide its content is, any element wider
# than the viewport or reaching past its right edge (outside a box that scrolls or clips it), and any card grid or
# table that starts right under the text before it.
LAYOUT = """(() => {
  const page = document.documentElement, width = page.clientWidth;
  const clipped = el => { for (let e = el.parentElement; e && e !== page; e = e.parentElement)
    if (getComputedStyle(e).overflowX !== "visible") return true; return false; };
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width && (r.width > width + 1 || r.right > width + 1 || r.left < -1) && !clipped(el))
      wide.push(el.tagName.toLowerCase() + " " + Math.round(r.left) + ".." + Math.round(r.right) + ": "
                + (el.textContent || "").trim().slice(0, 60));
  }
  // A box drawn with a border or a wash (cards, card grids, tables) that touches the text just above it.
  const cramped = [];
  for (const el of document.querySelectorAll("main ol.areas, main .initiatives, main .panels, main .columns, main table")) {
    const before = el.previousElementSibling;
    if (!before || getComputedStyle(before).display === "none") continue;
    const gap = el.getBoundingClientRect().top - before.getBoundingClientRect().bottom;
    if (gap < 8) cramped.push(before.tagName.toLowerCase() + "." + before.className + " then " + el.tagName.toLowerCase()
                              + "." + el.className + ": " + Math.round(gap) + " px");
  }
  return {innerWidth: window.innerWidth, clientWidth: width, scrollWidth: Math.max(page.scrollWidth, document.body.scrollWidth),
          phone: matchMedia("(max-width: 640px)").matches, wide, cramped};
})()"""


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory) -> dict[tuple[str, int], dict]:
    """Every example and corpus plan's page laid out in Chromium at each width; screenshots of the examples."""
    from browser import Chromium

    folder = tmp_path_factory.mktemp("chromium")
    pages = {name: render(path, "html") for name, path in PLANS.items()}
    pages |= {path.stem: render(path, "html") for path in CORPUS}
    found = {}
    with Chromium() as browser:
        for name, data in pages.items():
            page = folder / f"{name}.html"
            page.write_bytes(data)
            for width in WIDTHS:
                browser.open(page, width, SHOT_HEIGHT)
                found[name, width] = browser.evaluate(LAYOUT)
                if name in PLANS:
                    shot = folder / f"{name}-{width}.png"
                    browser.screenshot(shot)
                    found[name, width]["shot"] = shot
    return found


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", sorted(PLANS) + [path.stem for path in CORPUS])
def test_chromium_lays_the_page_out_at_phone_and_desktop_width_without_sideways_scrolling(laid_out, name, width):
    layout = laid_out[name, width]
    assert (layout["innerWidth"], layout["clientWidth"]) == (width, width)  # really laid out at that width
    assert layout["phone"] == (width < 640)  # the phone styles apply at phone widths only
    assert layout["scrollWidth"] <= layout["clientWidth"]
    assert layout["wide"] == []
    assert layout["cramped"] == []  # a card or table a few pixels under the text above it looks glued to it


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", sorted(PLANS))
def test_chromium_draws_the_page_at_phone_and_desktop_width(laid_out, name, width):
    from PIL import Image

    shot = Image.open(laid_out[name, width]["shot"]).convert("RGB")
    assert shot.size == (width, SHOT_HEIGHT)
    # The navy masthead fills the top of the page; the rest is mostly white paper.
    assert shot.getpixel((5, 5)) == (11, 35, 65)
    colours = shot.resize((width // 10, 160)).getcolors(maxcolors=100_000)
    assert max(colours)[1] == (255, 255, 255)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SEED_OF_PLAN))
def test_the_printed_page_keeps_every_piece_of_the_seed(tmp_path, name):
    import pdfplumber

    page = tmp_path / "plan.html"
    page.write_bytes(render(PLANS[name], "html"))
    chromium("--no-pdf-header-footer", f"--print-to-pdf={tmp_path / 'plan.pdf'}", page.as_uri(), cwd=tmp_path)

    with pdfplumber.open(tmp_path / "plan.pdf") as pdf:
        pages = len(pdf.pages)
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    # Text in side-by-side columns comes out of a PDF interleaved, so check word by word that nothing is hidden.
    printed = set(re.findall(r"\w+", text))
    missing = [p.text for p in read_seed(SEEDS / SEED_OF_PLAN[name]).pieces if not set(re.findall(r"\w+", p.text)) <= printed]
    assert not missing
    assert "Contents" not in text  # the table of contents is for screens
    assert pages >= 2


def test_an_error_in_an_included_stylesheet_names_that_file(tmp_path):
    from planforge.errors import TemplateError

    (tmp_path / "html").mkdir()
    stylesheet = tmp_path / "html" / "style.css"
    stylesheet.write_text("body { color: navy; }\n{{ palette.navy }}\n", encoding="utf-8")

    with pytest.raises(TemplateError) as caught:
        render_html(PLANS["lrp-brainstorming"], templates_dir=tmp_path)

    [problem] = caught.value.problems
    assert (Path(problem.path), problem.line) == (stylesheet, 2) and "palette" in problem.message
