"""Hostile inputs: bombs, oversized and binary files, lists past their caps, the largest plan allowed, markup
injected into every string, and plans or outputs that try to leave the output folder.

Time limits here are hang guards (an alarm far above the real figure), not speed targets; `make bench` measures.
"""

from __future__ import annotations

import copy
import io
import os
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from planforge.cli import app
from planforge.errors import PlanError, PlanforgeWarning
from planforge.loading import MAX_ALIAS_USES, MAX_BYTES, MAX_PROBLEMS, load_plan, to_plain
from planforge.model.common import MAX_ITEMS
from planforge.render import RenderOptions, renderer
from guards import hang_guard
from rendertext import deck_texts, markdown_parser, parse_html

ROOT = Path(__file__).resolve().parent.parent
PLANS = sorted((ROOT / "plans").glob("*.yaml"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def problems_of(path: Path) -> list:
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    return caught.value.problems


def dump(tree: Any, path: Path) -> Path:
    yaml = YAML(typ="rt", pure=True)
    yaml.width = 4096
    stream = io.StringIO()
    yaml.dump(tree, stream)
    path.write_text(stream.getvalue(), encoding="utf-8")
    return path


def never_called(*args, **kwargs):
    raise AssertionError("must not be reached for this file")


# ---------------------------------------------------------------------------------------------------------------
# Refused before any real work


def test_an_alias_bomb_as_big_as_a_plan_may_be_is_refused_after_reading_its_first_lines(tmp_path, monkeypatch):
    path = tmp_path / "bomb.yaml"
    line = "x{}: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    lines = ["kind: strategy\n", "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"]
    size = sum(map(len, lines))
    while size < MAX_BYTES - 100:
        lines.append(line.format(len(lines)))
        size += len(lines[-1])
    path.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setattr("ruamel.yaml.constructor.BaseConstructor.construct_document", never_called)  # no tree built

    with hang_guard(20):
        problems = problems_of(path)

    assert [p.message for p in problems] == [
        "YAML anchor `&a` is not allowed", "YAML alias `*a` is not allowed",
        f"stopped reading here: the file uses YAML aliases more than {MAX_ALIAS_USES:,} times"]
    assert problems[-1].line < 2 + MAX_ALIAS_USES // 10 + 2 < len(lines)  # stopped near the top of the file


def test_a_file_over_the_size_limit_is_refused_without_being_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(10 * 1024**3)  # 10 GiB, sparse: nothing is written to disk
    monkeypatch.setattr(Path, "read_bytes", never_called)

    [problem] = problems_of(path)

    assert problem.message == f"file is {10 * 1024**3:,} bytes; a plan may be at most {MAX_BYTES:,} bytes"


def _zip_bytes() -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("ppt/presentation.xml", "<p/>")
    return stream.getvalue()


@pytest.mark.parametrize("data, message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "file contains a NUL byte, so it is binary"),
    (_zip_bytes(), "file contains a NUL byte, so it is binary"),
    ("kind: strategy\ntitle: Plan\n".encode("utf-16"), "file is UTF-16 text, not UTF-8"),
    ("kind: strategy\ntitle: Plan\n".encode("utf-16-be"), "file is UTF-16 text, not UTF-8"),
    ("kind: strategy\ntitle: Plan\n".encode("utf-32-le"), "file is UTF-32 text, not UTF-8"),
    ("kind: strategy\ntitle: Plän\n".encode("cp1252"), "file is not UTF-8: byte 0xe4 cannot be decoded"),
    (b"kind: strategy\ntitle: \x1b[31mred\n", "invisible control character U+001B is not allowed"),
], ids=["png", "zip", "utf-16", "utf-16-be-no-bom", "utf-32", "windows-1252", "escape-sequence"])
def test_binary_and_wrongly_encoded_files_are_refused_saying_what_they_are(tmp_path, data, message):
    path = tmp_path / "plan.yaml"
    path.write_bytes(data)

    [problem] = problems_of(path)
    result = CliRunner().invoke(app, ["validate", str(path)])

    assert message in problem.message
    assert problem.line is not None and problem.column is not None
    assert result.exit_code == 1 and "Traceback" not in result.output


# ---------------------------------------------------------------------------------------------------------------
# Lists past their caps, and thousands of mistakes


def week_plan(weeks: list[dict], blocks: int = 1) -> dict:
    return {"kind": "30-60-90", "title": "Plan",
            "phases": [{"name": "Days 1–30", "start_day": 1, "end_day": 30, "key_objectives": ["Learn"]}],
            "week_blocks": [{"title": f"Block {b}", "weeks": copy.deepcopy(weeks)} for b in range(blocks)]}


def test_a_week_with_thousands_of_bullets_is_refused_at_the_cap(tmp_path):
    path = dump(week_plan([{"week": 1, "key_actions": [f"Action {i}" for i in range(5000)]}]), tmp_path / "p.yaml")

    [problem] = problems_of(path)

    assert problem.message == f"week_blocks[0].weeks[0].key_actions has 5000 entries; at most {MAX_ITEMS} are allowed"
    assert (problem.line, problem.column) == (14, 5)  # where the list starts


@pytest.mark.parametrize("weeks, blocks, message", [
    (10_000, 1, "week_blocks[0].weeks has 10000 entries; at most 26 are allowed"),
    (1, 1_000, "week_blocks has 1000 entries; at most 52 are allowed"),
], ids=["10,000 weeks in a block", "1,000 blocks"])
def test_a_table_with_ten_thousand_rows_is_refused_at_the_cap(tmp_path, weeks, blocks, message):
    plan = week_plan([{"week": 1 + i % 200} for i in range(weeks)], blocks)
    path = dump(plan, tmp_path / "p.yaml")

    with hang_guard(120):
        problems = problems_of(path)

    assert message in [p.message for p in problems]


def test_thousands_of_mistakes_are_reported_as_the_first_ones_in_the_file(tmp_path):
    weeks = [{"week": 1 + w, "key_actions": [{"text": "Act", "bogus": i} for i in range(40)]} for w in range(26)]
    path = dump(week_plan(weeks), tmp_path / "p.yaml")

    with hang_guard(120):
        problems = problems_of(path)

    assert len(problems) == MAX_PROBLEMS + 1
    located, last = problems[:-1], problems[-1]
    assert [p.message for p in located] == [
        f"unknown key `bogus` in week_blocks[0].weeks[{i // 40}].key_actions[{i % 40}]" for i in range(MAX_PROBLEMS)]
    assert [p.line for p in located] == sorted(p.line for p in located)
    assert last.message == f"stopped after {MAX_PROBLEMS} problems" and last.line is None


# ---------------------------------------------------------------------------------------------------------------
# The biggest plans the caps allow still render


def bullets(prefix: str, count: int) -> list[str]:
    return [f"{prefix} {i} with **bold** and *italic* words" for i in range(count)]


ELEMENTS = ("primary_objectives", "key_actions", "stakeholders", "deliverables", "success_metrics")


def capped_plan(blocks: int, weeks: int, per_element: int, per_phase_list: int,
                phase_lists: tuple[str, ...] = ("key_objectives", "focus_areas", "expected_outcomes")) -> dict:
    """A 30-60-90 plan with 12 phases, 200 pitfalls and 200 references, and the given amount of weeks and bullets."""
    return {
        "kind": "30-60-90", "title": "The largest plan", "owner": "Ada",
        "executive_summary": {"purpose": bullets("Purpose", MAX_ITEMS), "key_outcomes": bullets("Outcome", MAX_ITEMS)},
        "phases": [{"name": f"Phase {p}", "start_day": 1 + 30 * p, "end_day": 30 + 30 * p,
                    "key_objectives": ["Learn"], **{key: bullets(key, per_phase_list) for key in phase_lists}}
                   for p in range(12)],
        "week_blocks": [{"title": f"Block {b}", "weeks": [{"week": 1 + w, **{key: bullets(key, per_element) for key in ELEMENTS}}
                                                          for w in range(weeks)]} for b in range(blocks)],
        "pitfalls": [{"pitfall": f"Pitfall {i}", "mitigation": f"Mitigation {i}, a sentence long."} for i in range(MAX_ITEMS)],
        "references": [{"authors": f"Author {i}", "title": f"Title {i}", "year": 2000 + i % 25} for i in range(MAX_ITEMS)],
    }


def render_every_format(path: Path) -> dict[str, bytes]:
    document = load_plan(path).document
    outputs = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlanforgeWarning)  # overfull text is lint's business
        for name in ("md", "html", "pptx"):
            outputs[name] = renderer(name).render(document, RenderOptions())
    return outputs


def assert_complete(outputs: dict[str, bytes], last_words: str) -> None:
    assert last_words in outputs["md"].decode("utf-8")
    assert last_words in outputs["html"].decode("utf-8")
    with zipfile.ZipFile(io.BytesIO(outputs["pptx"])) as archive:
        assert archive.testzip() is None
    assert any(last_words in text for text in deck_texts(outputs["pptx"]))


@pytest.mark.slow
def test_a_plan_at_every_list_cap_renders_every_format(tmp_path):
    # 12 phases with 200 objectives each, 200 pitfalls and references, a block of 26 weeks with full cells.
    plan = capped_plan(blocks=1, weeks=26, per_element=4, per_phase_list=MAX_ITEMS, phase_lists=("key_objectives",))
    path = dump(plan, tmp_path / "capped.yaml")

    with hang_guard(600):
        outputs = render_every_format(path)

    assert_complete(outputs, f"Mitigation {MAX_ITEMS - 1}, a sentence long.")


@pytest.mark.slow
@pytest.mark.skipif("PLANFORGE_FUZZ_EXAMPLES" not in os.environ, reason="takes minutes; `make fuzz` runs it")
def test_the_largest_plan_allowed_renders_every_format(tmp_path):
    # Every container list at its cap (52 blocks of 26 weeks), as many bullets as fit under the size limit.
    path = dump(capped_plan(blocks=52, weeks=26, per_element=2, per_phase_list=20), tmp_path / "largest.yaml")
    assert MAX_BYTES / 2 < path.stat().st_size <= MAX_BYTES

    with hang_guard(1800):
        outputs = render_every_format(path)

    assert_complete(outputs, f"Mitigation {MAX_ITEMS - 1}, a sentence long.")


# ---------------------------------------------------------------------------------------------------------------
# Markup injected into every string of the real plans


PAYLOAD = ("<script>alert(1)</script> </td></tr> | pipe `tick` [x](javascript:alert(1)) <img src=x onerror=alert(1)> "
           "&lt; ![i](http://x/i.png) <!-- c --> {{ 7*7 }}")
NOT_TEXT = {"kind", "lint", "url"}


def inject(node: Any, key: str | None = None) -> Any:
    """Return a plan tree with the payload appended to every text (a url becomes a javascript: address)."""
    if key == "url":
        return "javascript:alert(1)"
    if isinstance(node, dict):
        return {k: v if k in NOT_TEXT - {"url"} else inject(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [inject(item, key) for item in node]
    if isinstance(node, str) and key != "kind":
        return f"{node} {PAYLOAD}"
    return node


@pytest.fixture(scope="module", params=[p.stem for p in PLANS])
def injected(request, tmp_path_factory) -> tuple[dict[str, bytes], int]:
    """(outputs in every format, number of texts injected) of a real plan with the payload in every string."""
    plan = next(p for p in PLANS if p.stem == request.param)
    yaml = YAML(typ="rt", pure=True)
    tree = inject(to_plain(yaml.load(plan.read_text(encoding="utf-8"))))
    path = dump(tree, tmp_path_factory.mktemp("injected") / plan.name)
    return render_every_format(path), str(tree).count("<script>alert(1)</script>")


def test_markup_in_every_string_stays_text_in_the_html_page(injected):
    outputs, injected_texts = injected
    html = outputs["html"].decode("utf-8")
    root = parse_html(html)

    elements = list(root.iter())
    assert not [e for e in elements if e.tag in ("script", "img", "iframe", "object")]
    assert not [(e.tag, name) for e in elements for name in e.attrib if name.lower().startswith("on")]
    assert not [e for e in elements if e.get("href", "").lower().startswith("javascript:")]
    assert "<!-- c -->" not in html
    assert "{{ 7*7 }}" in html and "49" not in html  # plan text is shown, never evaluated as a template
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= injected_texts // 2


def test_markup_in_every_string_leaves_every_markdown_table_intact(injected):
    outputs, _ = injected
    text = outputs["md"].decode("utf-8")
    tokens = list(markdown_parser().parse(text))
    inline = [child for token in tokens if token.type == "inline" for child in token.children or []]

    raw_html = {t.content for t in tokens + inline if t.type in ("html_inline", "html_block")}
    assert raw_html <= {"<br>", "<strong>", "</strong>", "<em>", "</em>"}  # the template's own tags only
    assert not [t for t in inline if t.type in ("code_inline", "image")]
    # A link in plan text (`[label](https://…)`) is a link; nothing else becomes one, and never an image.
    links = [t.attrs["href"] for t in inline if t.type == "link_open"]
    assert all(href.startswith(("https://", "http://", "mailto:")) for href in links), links
    tables = rows = 0
    for index, token in enumerate(tokens):
        if token.type == "thead_open":
            tables += 1
            header_cells = _cells_until(tokens, index, "thead_close")
        elif token.type == "tr_open" and tokens[index - 1].type != "thead_open":
            rows += 1
            assert _cells_until(tokens, index, "tr_close") == header_cells
    assert tables and rows


def _cells_until(tokens: list, start: int, end: str) -> int:
    count = 0
    for token in tokens[start:]:
        if token.type == end:
            return count
        count += token.type in ("th_open", "td_open")
    raise AssertionError("unclosed table row")


def test_markup_in_every_string_is_literal_text_in_the_deck(injected):
    from pptx import Presentation

    outputs, _ = injected
    deck = Presentation(io.BytesIO(outputs["pptx"]))
    assert any("<script>alert(1)</script>" in text for text in deck_texts(outputs["pptx"]))
    assert not [r for slide in deck.slides for r in slide.part.rels.values() if "javascript" in str(r._target)]


# ---------------------------------------------------------------------------------------------------------------
# Plans and outputs that try to leave the output folder


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "ok.yaml").write_bytes((FIXTURES / "minimal_strategy.yaml").read_bytes())
    return tmp_path


def build(*args: str):
    return CliRunner().invoke(app, ["build", "--format", "md", *args])


def test_plans_outside_the_project_write_their_outputs_inside_the_output_folder(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "far.yaml").write_bytes((FIXTURES / "minimal_plan.yaml").read_bytes())
    (project / "sub").mkdir()

    for plan in (Path("..") / elsewhere.relative_to(project.parent) / "far.yaml", elsewhere / "far.yaml"):
        result = build(str(plan), "--out", "sub/../decks", "--force")

        assert result.exit_code == 0, result.output
        assert sorted(p.name for p in (project / "decks").iterdir() if not p.name.startswith(".")) == ["far.md"]
        assert sorted(p.name for p in elsewhere.iterdir()) == ["far.yaml"]


def test_a_dangling_symlink_in_the_output_folder_cannot_create_a_file_outside(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "created-by-planforge.md"
    (project / "decks").mkdir()
    (project / "decks" / "ok.md").symlink_to(outside)

    result = build()

    assert result.exit_code == 1
    assert "points outside decks" in result.output
    assert not outside.exists()


@pytest.mark.parametrize("name", ["../escape", "/tmp/absolute", "..", ".hidden", "a/b", "nul\0byte"])
def test_new_refuses_plan_names_that_leave_the_plans_folder(project, name):
    result = CliRunner().invoke(app, ["new", "strategy", name])

    assert result.exit_code == 1
    assert "not a usable plan name" in result.output
    assert sorted(p.name for p in (project / "plans").iterdir()) == ["ok.yaml"]


# ---------------------------------------------------------------------------------------------------------------
# User templates run in a sandbox, with their output bounded


def render_with_template(project: Path, body: str):
    """Run `planforge render` on a strategy with a user Markdown template made of `body` (after one plain line)."""
    templates = project / "templates" / "markdown"
    templates.mkdir(parents=True, exist_ok=True)
    (templates / "strategy.md.j2").write_text("# {{ document.title }}\n" + body + "\n", encoding="utf-8")
    with hang_guard(120):
        return CliRunner().invoke(app, ["render", "plans/ok.yaml", "--format", "md", "-o", "-"])


@pytest.mark.parametrize("body, message", [
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "SecurityError: access to attribute '__class__'"),
    ("{{ document.__class__.__init__.__globals__ }}", "is unsafe"),
    ("{{ document.areas.append(1) }}", "SecurityError: access to attribute 'append' of 'list' object is unsafe"),
    ("{{ document.__dict__ }}", "SecurityError: access to attribute '__dict__'"),
    ("{{ 'x' * 10 ** 9 }}", "SecurityError: `*` would make a value of 1,000,000,000 items"),
    ("{{ 2 ** 100000000 }}", "SecurityError: `2 ** 100000000` is too big a number"),
    ("{% for i in range(10 ** 9) %}{% endfor %}", "OverflowError: Range too big"),
    ("{{ lipsum(10 ** 9) }}", "'lipsum' is undefined"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}" + "x" * 1000 + "{% endfor %}{% endfor %}",
     "OutputTooLarge: the output passed 50,000,000 characters"),
    ('{% include "../../secret.txt" %}', "template `../../secret.txt` not found"),
    ("{{ 'x' | center(10 ** 9) }}", "SecurityError: `center` with width 1,000,000,000 is too big"),
    ("{{ 'ab' | indent(10 ** 9, true) }}", "SecurityError: `indent` with width 1,000,000,000 is too big"),
    ("{{ [1] | batch(10 ** 9, 0) | list }}", "SecurityError: `batch` with linecount 1,000,000,000 is too big"),
    ("{{ '%999999999s' | format('x') }}", "SecurityError: format `%999999999` asks for a width above 10,000"),
    ("{{ '%.*f' % (10 ** 9, 1.5) }}", "SecurityError: format `%.*` asks for a width above 10,000"),
    ("{{ '{:>999999999}'.format('x') }}", "SecurityError: format spec `>999999999` asks for a width above"),
    ("{{ '{:{}}'.format('x', 10 ** 9) }}", "SecurityError: format spec `{}` asks for a width above"),
    ("{{ 'x'.zfill(10 ** 9) }}", "SecurityError: `zfill(1000000000)` asks for a width above 10,000"),
    ("{{ 'ab'.ljust(10 ** 9) }}", "SecurityError: `ljust(1000000000)` asks for a width above 10,000"),
    ("{% set ns = namespace(s='xx') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
     "SecurityError: the template built a value of 67,108,864 items"),
    ("{% set ns = namespace(s='xx') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
     "SecurityError: `+` would make a value of 67,108,864 items"),
    ("{{ (2 ** 9999) ** 9999 }}", "SecurityError: `** 9999` would make a number too big to show"),
    ("{% set ns = namespace(n=3) %}{% for i in range(40) %}{% set ns.n = ns.n * ns.n %}{% endfor %}",
     "SecurityError: `*` would make a number too big to show"),
    ("{{ 'ab' | replace('', 'x' * 10000) | replace('x', 'y' * 10000) }}", "`replace` would make a string too long"),
    ("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
     "RenderTimeout: rendering took more than 2 s of CPU time"),
], ids=["subclasses", "globals", "mutation", "dict", "repeat", "power", "range", "lipsum", "output", "include",
        "center", "indent", "batch", "format-filter", "percent", "str-format", "str-format-nested", "zfill", "ljust",
        "concat", "plus", "power-of-power", "product", "replace", "silent-loop"])
def test_a_hostile_user_template_fails_at_its_file_and_line(project, body, message, monkeypatch):
    (project / "secret.txt").write_text("SECRET")
    monkeypatch.setattr("planforge.render.sandbox_limits.MAX_RENDER_SECONDS", 2.0)

    result = render_with_template(project, body)

    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "SECRET" not in result.output
    assert f"{Path('templates/markdown/strategy.md.j2')}:2: template error: " in result.output
    assert message in result.output


def test_a_user_template_with_loops_and_macros_still_renders_in_the_sandbox(project):
    body = ("{% macro shout(text) %}{{ text | upper }}{% endmacro %}"
            "{% for area in document.areas %}{{ loop.index }}. {{ shout(area.name) }}{% endfor %}"
            "{% set ns = namespace(count=0) %}{% for _ in range(3) %}{% set ns.count = ns.count + 1 %}{% endfor %}"
            " {{ ns.count }} {{ '-' * 3 }} {{ [1, 2] | join(',') }}"
            " {{ '%03d' | format(7) }} {{ '{:>4}'.format('ab') }} {{ 'ab' | center(6) }}|")

    result = render_with_template(project, body)

    assert result.exit_code == 0, result.output
    assert "1. CARE TEAM 3 \\--- 1,2 007 ab ab|" in result.output  # a leading `-` is escaped: text
