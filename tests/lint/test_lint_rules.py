"""`planforge lint`: one real file per rule (expected findings in its first line), switches, formats and exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planforge.cli import app
from planforge.lint import RULES, LintConfig, lint_file
from planforge.lint.registry import LOAD_FAILURE

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RULE_FILES = sorted(HERE.glob("PF*.yaml"))
_EXPECT = re.compile(r"^# expect: (?P<code>[A-Z]{2}\d{3})(?P<places>(?: \d+:\d+)+)$")


def expected(path: Path) -> tuple[str, list[tuple[int, int]]]:
    """Return the rule code and (line, column) list a rule file's first line promises."""
    match = _EXPECT.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{path.name}: first line must read `# expect: CODE line:col ...`"
    places = [tuple(int(n) for n in place.split(":")) for place in match["places"].split()]
    return match["code"], places


@pytest.mark.parametrize("path", RULE_FILES, ids=[p.stem for p in RULE_FILES])
def test_each_rule_file_gives_exactly_its_expected_findings(path):
    code, places = expected(path)
    assert path.name.startswith(code)

    findings = [f for f in lint_file(path) if f.code == code]

    assert [(f.line, f.column) for f in findings] == places
    assert all(f.severity == RULES[code].severity for f in findings)
    # A load problem keeps the loader's own hint; every other finding carries its rule's.
    # PF204's hint names the keys to add at its place, so it is its own.
    assert all(f.hint == RULES[code].hint for f in findings if code not in (LOAD_FAILURE, UNTITLED))


DECK_ONLY = {"PF501", "PF502", "PF503", "PF505"}
"""Rules about what the deck draws, which no plan can cause in planforge's own design (every shape described, the
theme's colours legible, a title and header row on every slide and table): they guard the deck as built, and
tests/lint/test_accessibility_rules.py runs them on decks with those faults put in."""


def test_every_rule_has_a_file():
    covered = {expected(path)[0] for path in RULE_FILES}
    assert set(RULES) - covered == DECK_ONLY


def test_rules_have_stable_codes_severities_and_one_line_hints():
    for code, rule in RULES.items():
        assert re.fullmatch(r"PF\d{3}", code) and rule.code == code
        assert rule.severity in ("error", "warning")
        assert rule.hint and "\n" not in rule.hint and rule.summary


UNTITLED = "PF204"
"""Slides without action titles: the rule files are minimal plans that leave most slides untitled, which is beside
the mistake each isolates (PF204 has its own file and the tests in test_topic_titles.py)."""


def test_rule_files_have_nothing_but_their_rule_wrong():
    # Each file isolates one mistake: anything else it trips is named here, so a new rule cannot hide in them.
    others = {
        (path.stem.split("_")[0], f.code)
        for path in RULE_FILES
        for f in lint_file(path)
        if f.code not in (expected(path)[0], UNTITLED)
    }
    assert others == OTHER_FINDINGS


OTHER_FINDINGS = {("PF101", "PF304"), ("PF402", "PF309")}


# ---------------------------------------------------------------------------------------------------------------
# Placeholders in the real strategy plan

STRATEGY = ROOT / "plans" / "lrp-brainstorming.yaml"


@pytest.mark.skipif(not STRATEGY.exists(), reason="plans/lrp-brainstorming.yaml not transcribed yet")
def test_every_x_y_z_of_the_strategy_plan_is_reported_at_its_line_and_column():
    written = [
        (number, match.start() + 1, match.group())
        for number, line in enumerate(STRATEGY.read_text(encoding="utf-8").splitlines(), start=1)
        if not line.lstrip().startswith("#")
        for match in re.finditer(r"[XYZ]%", line.split(" #")[0])
    ]
    reported = [(f.line, f.column, f.message.split("`")[1]) for f in lint_file(STRATEGY) if f.code == "PF101"]

    assert len(written) >= 9 + 7  # nine in the seed's prose, seven KPI targets
    assert reported == written


def test_placeholders_are_located_in_plain_quoted_literal_and_folded_scalars(tmp_path):
    plan = tmp_path / "styles.yaml"
    plan.write_text(
        "kind: strategy\n"
        "title: T\n"
        "horizon: three years\n"
        "areas:\n"
        "  - name: A\n"
        "    vision: plain X% text\n"
        "    initiatives_summary: 'single ''Y%'' quoted'\n"
        "    privacy: |  # the header may carry a comment with Z%\n"
        "      literal\n"
        "        indented Z% line\n"
        "    outcomes: \"double \\x58% escaped, then Y%\"\n",
        encoding="utf-8",
    )

    found = [(f.line, f.column, f.message) for f in lint_file(plan) if f.code == "PF101"]

    assert found == [
        (6, 19, "unresolved placeholder `X%`"),
        (7, 36, "unresolved placeholder `Y%`"),
        (10, 18, "unresolved placeholder `Z%`"),
        # The escape hides X% in the file: it points at the scalar, Y% at itself.
        (11, 15, "unresolved placeholder `X%`"),
        (11, 43, "unresolved placeholder `Y%`"),
    ]


# ---------------------------------------------------------------------------------------------------------------
# Switching rules off

def test_continued_content_is_located_at_the_bullet_moved_even_when_earlier_ones_read_the_same(tmp_path):
    # The deck reports which item it moved (its model location), so identical wording elsewhere cannot mislead.
    same = "Learn the product and meet every team in the company, one long sentence after another"
    lines = ["kind: 30-60-90", "title: Same words", "phases:", "  - name: Days 1–30", "    start_day: 1",
             "    end_day: 30", "    key_objectives:"] + [f"      - {same}" for _ in range(40)]
    plan = tmp_path / "plan.yaml"
    plan.write_text("\n".join(lines) + "\n", encoding="utf-8")

    found = [f for f in lint_file(plan) if f.code == "PF402"]

    assert found and all(f.line > 8 and f.column == 9 for f in found)
    for title in {f.message.split("”")[0] for f in found}:
        lines = [f.line for f in found if f.message.startswith(title)]
        assert lines == sorted(set(lines))  # each continuation of a slide starts further down the list


PLACEHOLDER_FILE = HERE / "PF101_percent_placeholder.yaml"


def test_a_noqa_comment_switches_off_the_named_rule_on_its_line(tmp_path):
    text = PLACEHOLDER_FILE.read_text(encoding="utf-8").replace(
        "      Cut handling time by X% and", "      Cut handling time by X% and  # planforge: noqa PF101"
    )
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")

    lines = [f.line for f in lint_file(plan) if f.code == "PF101"]

    assert 8 not in lines and lines == [10, 12, 14]


def test_a_noqa_comment_on_the_key_line_covers_the_whole_block_scalar(tmp_path):
    # Inside a `>-` block a `#` is text, so the comment goes on the line that opens the block.
    text = PLACEHOLDER_FILE.read_text(encoding="utf-8").replace("    vision: >-", "    vision: >-  # planforge: noqa PF101")
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")

    assert [f.line for f in lint_file(plan) if f.code == "PF101"] == [10, 12, 14]


def test_a_noqa_comment_for_another_rule_changes_nothing(tmp_path):
    text = PLACEHOLDER_FILE.read_text(encoding="utf-8").replace(
        "target: X%}", "target: X%}  # planforge: noqa PF102"
    )
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")

    assert [f.line for f in lint_file(plan) if f.code == "PF101"] == [8, 10, 12, 14]


def test_the_lint_key_switches_rules_off_for_the_file(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLACEHOLDER_FILE.read_text(encoding="utf-8") + "lint:\n  ignore: [PF101, PF304, PF204]\n", encoding="utf-8")

    assert lint_file(plan) == []


def test_the_project_config_switches_rules_off(tmp_path):
    assert {f.code for f in lint_file(PLACEHOLDER_FILE, LintConfig(frozenset({"PF101"})))} == {"PF304", UNTITLED}


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("pyproject.toml", '[project]\nname = "x"\n\n[tool.planforge.lint]\nignore = ["PF101", "PF304", "PF204"]\n'),
        ("planforge.toml", '[lint]\nignore = ["PF101", "PF304", "PF204"]\n'),
    ],
)
def test_the_cli_finds_the_project_config_upward_from_the_working_folder(tmp_path, monkeypatch, name, content):
    (tmp_path / name).write_text(content, encoding="utf-8")
    nested = tmp_path / "plans" / "deep"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)

    result = CliRunner().invoke(app, ["lint", str(PLACEHOLDER_FILE)])

    assert result.exit_code == 0, result.output
    assert "PF101" not in result.stdout


def test_a_broken_project_config_is_reported_with_its_line(tmp_path, monkeypatch):
    (tmp_path / "planforge.toml").write_text("[lint]\nignore = [PF101\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    result = CliRunner().invoke(app, ["lint", str(PLACEHOLDER_FILE)])

    assert result.exit_code == 1
    assert "planforge.toml:2" in result.stderr and "Traceback" not in result.output


# ---------------------------------------------------------------------------------------------------------------
# Output formats and exit codes


def run(*args: str):
    return CliRunner().invoke(app, ["lint", *args])


def test_text_output_is_one_ruff_style_line_per_finding_with_a_hint():
    result = run(str(HERE / "PF103_question_marks.yaml"))

    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f"{HERE / 'PF103_question_marks.yaml'}:6:38: PF103 unresolved placeholder `???`" in lines
    assert lines[lines.index(f"{HERE / 'PF103_question_marks.yaml'}:6:38: PF103 unresolved placeholder `???`") + 1] \
        .startswith("  hint: ")
    assert "1 error(s), 2 warning(s) in 1 file(s)" in result.stderr  # the two are its untitled slides (PF204)


def test_json_output_lists_every_finding():
    result = run("--format", "json", str(HERE / "PF305_week_blocks_overlap.yaml"))

    rows = json.loads(result.stdout)
    assert [(r["code"], r["line"], r["column"], r["severity"]) for r in rows if r["code"] != UNTITLED] \
        == [("PF305", 19, 15, "error")]
    assert [r["hint"] for r in rows if r["code"] == "PF305"] == [RULES["PF305"].hint]


def test_github_output_annotates_with_escaped_percent_signs():
    result = run("--format", "github", str(HERE / "PF101_percent_placeholder.yaml"))

    first = next(line for line in result.stdout.splitlines() if "title=PF204" not in line)
    assert first.startswith(f"::warning file={HERE / 'PF101_percent_placeholder.yaml'},line=6,col=11,title=PF304::")
    assert f"::error file={HERE / 'PF101_percent_placeholder.yaml'},line=8,col=28,title=PF101::" \
           "PF101 unresolved placeholder `X%25`" in result.stdout


def test_warnings_alone_pass_unless_strict():
    path = str(HERE / "PF105_reference_without_url.yaml")

    assert run(path).exit_code == 0
    assert run("--strict", path).exit_code == 1


def test_a_plan_that_does_not_load_reports_its_problems_in_the_same_format():
    result = run("--format", "github", str(HERE / "PF001_does_not_load.yaml"))

    assert result.exit_code == 1
    assert result.stdout.startswith(f"::error file={HERE / 'PF001_does_not_load.yaml'},line=5,col=5,title={LOAD_FAILURE}::")
    assert "unknown key `nme`" in result.stdout


def test_an_unknown_format_is_a_usage_error():
    assert run("--format", "xml", str(PLACEHOLDER_FILE)).exit_code == 2


def test_no_plan_files_is_a_usage_error(tmp_path):
    assert run(str(tmp_path)).exit_code == 2


def test_list_rules_names_every_rule():
    result = run("--list-rules")

    assert result.exit_code == 0
    assert all(code in result.stdout for code in RULES)


def test_an_area_missing_initiatives_or_outcomes_is_told_which_keys_to_add(tmp_path):
    # The area has no `initiatives:` or `outcomes:` key: "remove the key" was no advice.
    plan = tmp_path / "museum.yaml"
    plan.write_text("kind: strategy\ntitle: Museum strategy\nareas:\n  - name: Collections\n"
                    "    vision: Every object can be found online.\n", encoding="utf-8")
    hints = {f.message: f.hint for f in lint_file(plan) if f.code == "PF304"}
    assert "add `initiatives:`" in hints["area “Collections” has no key initiatives"]
    assert "add `outcomes:` or `kpis:`" in hints["area “Collections” has no expected outcomes or KPIs"]
    assert not any("remove the key" in hint for hint in hints.values())
