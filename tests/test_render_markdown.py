"""Markdown output: golden files, tables as a GFM reader parses them, escaping, every seed sentence, templates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from golden_documents import golden_path, plan_paths, render
from planforge.errors import TemplateError
from planforge.loading import load_plan
from planforge.render import RenderOptions, markdown
from planforge.render.templating import WEEK_ELEMENTS, md_inline
from planforge.text import runs
from rendertext import expected_tables, markdown_parser, markdown_to_html, parse_html, visible_text
from seedtext import SEEDS, missing_pieces, read_seed

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "render"
PLANS = {path.stem: path for path in plan_paths()}
SEED_OF_PLAN = {"30-60-90-day-plan": "30-60-90-day-plan.md", "lrp-brainstorming": "lrp-brainstorming.md"}


def render_md(path: Path, **options) -> str:
    return markdown.render(load_plan(path).document, RenderOptions(**options)).decode("utf-8")


# ---------------------------------------------------------------- tables as parsed


def parsed_tables(text: str) -> list[dict]:
    """Return each GFM table as markdown-it-py parses it: header cells, body rows of cells, source lines."""
    tables: list[dict] = []
    lines = text.splitlines()
    row: list[str] | None = None
    for token in markdown_parser().parse(text):
        if token.type == "table_open":
            start, end = token.map
            tables.append({"header": [], "rows": [], "lines": lines[start:end]})
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append(token.content)
        elif token.type == "tr_close":
            table = tables[-1]
            if not table["header"]:
                table["header"] = row
            else:
                table["rows"].append(row)
            row = None
    return tables


def unescaped_pipes(line: str) -> int:
    """Count the pipes that separate cells in a table line (a backslash escapes the next character)."""
    count, index = 0, 0
    while index < len(line):
        if line[index] == "\\":
            index += 2
            continue
        count += line[index] == "|"
        index += 1
    return count


def first_cell_text(cell: str) -> str:
    """Return what a reader sees of a table cell's first line."""
    return visible_text(parse_html(markdown_parser().renderInline(cell))).split("\n")[0]


@pytest.mark.parametrize("name", sorted(PLANS) + ["hostile_plan", "hostile_strategy"])
def test_every_table_parses_with_the_expected_rows_and_columns(name):
    path = PLANS.get(name) or FIXTURES / f"{name}.yaml"
    document = load_plan(path).document
    tables = parsed_tables(render_md(path))

    expected = expected_tables(document)
    assert [(len(t["header"]), [first_cell_text(row[0]) for row in t["rows"]]) for t in tables] == [
        (columns, [re.sub(r"\*", "", first) for first in firsts]) for columns, firsts in expected
    ]
    for table in tables:
        columns = len(table["header"])
        # markdown-it pads or cuts rows to the header's width, so count the separators in the source as well.
        for line in table["lines"]:
            assert unescaped_pipes(line) == columns + 1, line


def test_the_30_60_90_plan_has_at_least_eight_tables():
    assert len(parsed_tables(render_md(PLANS["30-60-90-day-plan"]))) >= 8


def test_week_tables_have_the_weeks_as_columns_and_the_elements_as_rows():
    document = load_plan(PLANS["30-60-90-day-plan"]).document
    tables = parsed_tables(render_md(PLANS["30-60-90-day-plan"]))
    week_tables = [t for t in tables if t["header"][0] == "Element"]
    assert len(week_tables) == len(document.week_blocks)
    for table, block in zip(week_tables, document.week_blocks):
        assert table["header"][1:] == [f"Week {week.week}" for week in block.weeks]
        assert [first_cell_text(row[0]) for row in table["rows"]] == [label for _, label in WEEK_ELEMENTS]


def test_nested_bullets_in_cells_use_br_and_bullet_signs():
    text = render_md(PLANS["30-60-90-day-plan"])
    assert "- Intro meetings with:<br>&nbsp;&nbsp;• Squad 1 (Marketing)<br>&nbsp;&nbsp;• Squad 2 (Post-purchase)" in text


# ---------------------------------------------------------------- content


@pytest.mark.parametrize("name", sorted(SEED_OF_PLAN))
def test_every_piece_of_the_seed_reads_in_the_markdown(name):
    seed = read_seed(SEEDS / SEED_OF_PLAN[name])
    seen = visible_text(parse_html(markdown_to_html(render_md(PLANS[name]))))

    missing = missing_pieces(seed, " ".join(seen.split()))

    assert not missing, "\n".join(f"{SEED_OF_PLAN[name]}:{p.line}: not in the Markdown: {p.text!r}" for p in missing)


def test_action_titles_lead_their_sections():
    text = render_md(PLANS["30-60-90-day-plan"])
    assert "## Part 1: 30-60-90 day summary\n\n**Deliver a Phased Strategy to Build Momentum and Achieve Early Wins**\n" in text


def test_bold_and_italic_survive_as_markdown():
    html = markdown_to_html(render_md(PLANS["30-60-90-day-plan"]))
    assert "Present a clear <strong>90-day plan</strong> for a new Product Leadership role" in html
    assert "<em>The First 90 Days: Proven Strategies for Getting Up to Speed Faster and Smarter</em>" in html


HOSTILE_LITERALS = {
    "hostile_plan": ("<script>alert(1)</script>", "[not a link](javascript:alert(1))", "# not a heading",
                     "> not a quote", "a_b_c and `code` and ~strike~", "Costs $5M | saves $8M", "&amp; stays literal",
                     "- starts with a dash", "1. starts with a number", "\\ backslash"),
    "hostile_strategy": ("Strategy | <script>alert('s')</script>", "First paragraph with a | pipe and <tag>.",
                         "Second paragraph with italic and [brackets].", "Help | centre: Searchable <help>.",
                         "Owner: Team | Care", "CSAT | score", "+15% | more", "Fund <pilots>", "Source: Source | survey 2025"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_LITERALS))
def test_user_text_cannot_inject_markdown_or_html(name):
    text = render_md(FIXTURES / f"{name}.yaml")
    tokens = list(markdown_parser().parse(text))
    inline = [child for token in tokens if token.type == "inline" for child in token.children or []]
    raw_html = {t.content for t in tokens + inline if t.type in ("html_inline", "html_block")}
    seen = visible_text(parse_html(markdown_to_html(text)))

    # Only the template's own tags are raw HTML; user text stays text.
    assert raw_html <= {"<br>", "<strong>", "</strong>", "<em>", "</em>"}
    assert not [t for t in inline if t.type in ("code_inline", "s_open", "image")]
    assert [t.attrs["href"] for t in inline if t.type == "link_open"] in (
        [], ["https://example.com/docs", "https://example.com/path?a=1&b=2"])
    for literal in HOSTILE_LITERALS[name]:
        assert literal in seen, literal


def test_a_title_with_markup_characters_stays_one_heading():
    tokens = list(markdown_parser().parse(render_md(FIXTURES / "hostile_plan.yaml")))
    [heading] = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h1"]
    assert heading == "Plan \\| with \\<script>alert('title')\\</script> in it"


def test_only_web_addresses_become_links():
    html = markdown_to_html(render_md(FIXTURES / "hostile_plan.yaml"))
    assert re.findall(r'href="([^"]*)"', html) == ["https://example.com/docs", "https://example.com/path?a=1&amp;b=2"]


# Characters that mean something in Markdown, GFM tables or this project's inline markup.
MARKUP_TEXT = st.text(alphabet="ab1 .,:;!?()[]<>|\\`~$#&*_-+='\"/\n\t", min_size=1, max_size=40)


def styled_chars(pieces) -> tuple[str, list[tuple[str, bool, bool]]]:
    """Return the text of styled runs and the style of each visible character (spaces carry no style)."""
    text = "".join(piece[0] for piece in pieces)
    styles = [(char, bold, italic) for chunk, bold, italic in pieces for char in chunk if not char.isspace()]
    return " ".join(text.split()), styles


def rendered_runs(inline_tokens) -> list[tuple[str, bool, bool]]:
    """Return (text, bold, italic) runs of markdown-it inline tokens, reading raw <strong>/<em> tags as styles."""
    bold = italic = 0
    pieces = []
    toggles = {"strong_open": ("b", 1), "strong_close": ("b", -1), "em_open": ("i", 1), "em_close": ("i", -1)}
    tags = {"<strong>": "strong_open", "</strong>": "strong_close", "<em>": "em_open", "</em>": "em_close"}
    for token in inline_tokens:
        kind = tags.get(token.content, token.type) if token.type == "html_inline" else token.type
        if kind in toggles:
            which, step = toggles[kind]
            bold, italic = (bold + step, italic) if which == "b" else (bold, italic + step)
        elif kind == "text":
            pieces.append((token.content, bold > 0, italic > 0))
        else:
            raise AssertionError(f"unexpected token {token.type}: {token.content!r}")
    return pieces


@settings(max_examples=400, deadline=None)
@given(MARKUP_TEXT)
def test_md_inline_reads_back_as_the_same_text_and_styles(text):
    assume(text.strip())
    expected = styled_chars([(r.text, r.bold, r.italic) for r in runs(" ".join(text.split()))])
    line = md_inline(text)
    parser = markdown_parser()

    paragraph = parser.parse(line)
    assert [t.type for t in paragraph] == ["paragraph_open", "inline", "paragraph_close"], line
    assert styled_chars(rendered_runs(paragraph[1].children)) == expected, line

    cell = [t for t in parser.parse(f"| h |\n| --- |\n| {line} |\n") if t.type == "inline"]
    assert len(cell) == 2, line
    assert styled_chars(rendered_runs(cell[1].children)) == expected, line


# ---------------------------------------------------------------- golden files and determinism


@pytest.mark.parametrize("name", sorted(PLANS))
def test_markdown_matches_the_golden_file(name):
    assert render(PLANS[name], "md") == golden_path(PLANS[name], "md").read_bytes(), (
        "Markdown output changed; if on purpose, run `make golden` and review the diff"
    )


def test_rendering_twice_gives_the_same_bytes():
    path = PLANS["30-60-90-day-plan"]
    assert render(path, "md") == render(path, "md")


# ---------------------------------------------------------------- templates: overrides and errors


def test_a_user_template_overrides_one_file_and_the_rest_stay_packaged(tmp_path):
    (tmp_path / "markdown").mkdir()
    (tmp_path / "markdown" / "strategy.md.j2").write_text("# {{ document.title }} (ours)\n", encoding="utf-8")

    strategy = render_md(PLANS["lrp-brainstorming"], templates_dir=tmp_path)
    plan = render_md(PLANS["30-60-90-day-plan"], templates_dir=tmp_path)

    assert strategy == "# Long-Range Plan (LRP) (ours)\n"
    assert plan.startswith("# 30-60-90 Day Plan for a New Marketing Product Management Role\n")


def test_a_templates_folder_in_the_working_directory_overrides_too(tmp_path, monkeypatch):
    (tmp_path / "templates" / "markdown").mkdir(parents=True)
    (tmp_path / "templates" / "markdown" / "strategy.md.j2").write_text("local {{ document.areas | length }}\n")
    monkeypatch.chdir(tmp_path)

    assert render_md(PLANS["lrp-brainstorming"]) == "local 3\n"


def test_a_typo_in_a_template_names_the_file_and_line(tmp_path):
    (tmp_path / "markdown").mkdir()
    template = tmp_path / "markdown" / "strategy.md.j2"
    template.write_text("# {{ document.title }}\n\n{{ document.titel }}\n", encoding="utf-8")

    with pytest.raises(TemplateError) as caught:
        render_md(PLANS["lrp-brainstorming"], templates_dir=tmp_path)

    [problem] = caught.value.problems
    assert (Path(problem.path), problem.line) == (template, 3)
    assert "titel" in problem.message


def test_a_syntax_error_in_an_included_template_names_that_file_and_line(tmp_path):
    (tmp_path / "markdown").mkdir()
    (tmp_path / "markdown" / "strategy.md.j2").write_text('{% include "markdown/part.md.j2" %}\n')
    part = tmp_path / "markdown" / "part.md.j2"
    part.write_text("fine\nfine\n{% if %}\n")

    with pytest.raises(TemplateError) as caught:
        render_md(PLANS["lrp-brainstorming"], templates_dir=tmp_path)

    [problem] = caught.value.problems
    assert (Path(problem.path), problem.line) == (part, 3)


def test_a_missing_templates_folder_is_an_error(tmp_path):
    with pytest.raises(TemplateError, match="templates folder not found"):
        render_md(PLANS["lrp-brainstorming"], templates_dir=tmp_path / "nowhere")
