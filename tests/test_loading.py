"""Loading: bytes → text → located YAML tree → model, with every problem located and worded for a person."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

from planforge.errors import PlanError
from planforge.loading import MAX_BYTES, MAX_DEPTH, LoadedPlan, discover, load_plan, locate, parse_yaml, read_text
from planforge.model import Bullet, Plan306090, Strategy

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL_PLAN = FIXTURES / "minimal_plan.yaml"
MINIMAL_STRATEGY = FIXTURES / "minimal_strategy.yaml"


def write(folder: Path, text: str, name: str = "plan.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list:
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    return caught.value.problems


PHASE = "phases:\n  - name: Days 1–30\n    start_day: 1\n    end_day: 30\n    key_objectives: [Learn]\n"


# --- load_plan -------------------------------------------------------------------------------------------------


def test_load_plan_returns_the_document_its_tree_and_text():
    loaded = load_plan(MINIMAL_PLAN)
    assert isinstance(loaded, LoadedPlan)
    assert loaded.path == MINIMAL_PLAN
    assert isinstance(loaded.document, Plan306090)
    assert loaded.document.title == "My first 90 days"
    assert loaded.tree["phases"][0]["end_day"] == 30
    assert loaded.text == MINIMAL_PLAN.read_text(encoding="utf-8")


def test_load_plan_picks_the_model_by_kind():
    assert isinstance(load_plan(MINIMAL_STRATEGY).document, Strategy)
    assert isinstance(load_plan(MINIMAL_PLAN).document, Plan306090)


def test_load_plan_accepts_a_string_path_a_byte_order_mark_and_windows_line_ends(tmp_path):
    text = MINIMAL_STRATEGY.read_text(encoding="utf-8").replace("\n", "\r\n")
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeff".encode() + text.encode("utf-8"))
    loaded = load_plan(str(path))
    assert loaded.document.title == "Product strategy 2026"
    assert not loaded.text.startswith("\ufeff")


def test_bullets_come_out_as_bullet_objects_with_their_sub_bullets():
    objectives = load_plan(MINIMAL_PLAN).document.phases[0].key_objectives
    assert objectives == [
        Bullet(text="Learn the product"),
        Bullet(text="Intro meetings with:", items=["Engineering leads", "Sales"]),
    ]


def test_a_yaml_date_is_a_date_and_a_quoted_one_stays_text(tmp_path):
    assert load_plan(MINIMAL_STRATEGY).document.date == datetime.date(2025, 9, 20)
    quoted = write(tmp_path, MINIMAL_STRATEGY.read_text(encoding="utf-8").replace("2025-09-20", '"2025-09-20"'))
    assert load_plan(quoted).document.date == "2025-09-20"


def test_position_gives_the_line_and_column_of_any_value():
    loaded = load_plan(MINIMAL_PLAN)
    assert loaded.position(("title",)) == (2, 8)
    assert loaded.position(("phases", 0, "key_objectives", 1, "items", 1)) == (13, 13)
    assert loaded.position(("references", 0, "year")) == (33, 11)


# --- locate ----------------------------------------------------------------------------------------------------


def tree_of(text: str):
    return parse_yaml(Path("plan.yaml"), text)


def test_locate_follows_keys_and_indexes_and_says_how_far_it_got():
    tree = tree_of("a:\n  b:\n    - x\n    - y\n")
    assert locate(tree, ("a", "b", 1)) == (4, 7, ("a", "b", 1))
    assert locate(tree, ("a", "missing")) == (2, 3, ("a",))
    assert locate(tree, ("a", "b", 5)) == (3, 5, ("a", "b"))
    assert locate(tree, ()) == (1, 1, ())


def test_locate_points_at_the_key_of_an_empty_value():
    # ruamel places an empty value at the next token (here: the next line); the key is what the user wrote.
    tree = tree_of("a:\n  b:\n  c: 1\n")
    assert locate(tree, ("a", "b")) == (2, 3, ("a", "b"))
    assert locate(tree, ("a", "c")) == (3, 6, ("a", "c"))


def test_locate_finds_keys_that_yaml_read_as_numbers():
    tree = tree_of("kind: strategy\n2026: the year\n")
    assert locate(tree, ("2026",)) == (2, 7, ("2026",))


# --- problems: collected, ordered, worded ----------------------------------------------------------------------


def test_every_problem_of_a_file_is_reported_in_file_order(tmp_path):
    # Pydantic reports `title` (declared first) before `phases`; the file has them the other way round.
    path = write(tmp_path, "kind: 30-60-90\nphases:\n  - name: P\n    start_day: x\n    end_day: 30\n"
                           "    key_objectives: [Learn]\ntitle: 42\nrole: []\n")
    problems = problems_of(path)
    assert [(p.line, p.column) for p in problems] == [(4, 16), (7, 8), (8, 7)]
    assert [p.message.split(":")[0] for p in problems] == ["phases[0].start_day", "title", "role"]


def test_problems_name_the_file_and_always_carry_a_hint(tmp_path):
    path = write(tmp_path, "kind: strategy\ntitle: ''\nareas: [{name: A}]\n")
    problems = problems_of(path)
    assert len(problems) == 2
    assert all(p.path == path and p.hint for p in problems)
    assert str(problems[0]).startswith(f"{path}:2:8: title is empty\n  hint: ")


def test_unknown_key_suggests_the_closest_allowed_key(tmp_path):
    [problem] = problems_of(write(tmp_path, f"kind: 30-60-90\ntitle: T\n{PHASE}    expected_outcome: [x]\n"))
    assert problem.message == "unknown key `expected_outcome` in phases[0]"
    assert problem.hint == "did you mean `expected_outcomes`?"
    assert (problem.line, problem.column) == (8, 5)


def test_unknown_key_far_from_any_field_lists_the_allowed_keys(tmp_path):
    [problem] = problems_of(write(tmp_path, "kind: strategy\ntitle: T\nareas:\n  - name: A\n    vision: V\n"
                                            "    kpis:\n      - metric: M\n        target: T\n        zzz: 1\n"))
    assert problem.message == "unknown key `zzz` in areas[0].kpis[0]"
    assert problem.hint == "allowed keys here: metric, baseline, target, unit, horizon"


def test_a_misspelt_required_key_is_one_problem_not_two(tmp_path):
    [problem] = problems_of(write(tmp_path, "kind: strategy\ntitel: T\nareas: [{name: A, vision: V}]\n"))
    assert problem.message == "unknown key `titel` in the plan"
    assert problem.hint == "did you mean `title`?"


def test_an_unknown_key_inside_a_bullet_mapping_suggests_text(tmp_path):
    [problem] = problems_of(write(tmp_path, "kind: strategy\ntitle: T\nareas:\n  - name: A\n    vision: V\n"
                                            "    objectives:\n      - texts: Grow\n"))
    assert (problem.message, problem.hint) == ("unknown key `texts` in areas[0].objectives[0]", "did you mean `text`?")


def test_an_unknown_kind_suggests_the_closest_kind(tmp_path):
    [problem] = problems_of(write(tmp_path, "kind: 30-60-09\ntitle: T\n"))
    assert problem.message == "unknown kind `30-60-09`; expected `strategy` or `30-60-90`"
    assert problem.hint == "did you mean `30-60-90`?"


def test_a_bad_bullet_reports_the_deepest_problem_not_union_noise(tmp_path):
    [problem] = problems_of(write(tmp_path, f"kind: 30-60-90\ntitle: T\n{PHASE}    focus_areas:\n"
                                            "      - text: Meet\n        items: [Sales, '']\n"))
    assert problem.message == "phases[0].focus_areas[0].items[1] is empty"
    assert (problem.line, problem.column) == (10, 24)


def test_a_model_rule_points_at_the_field_it_names(tmp_path):
    path = write(tmp_path, "kind: 30-60-90\ntitle: T\n" + PHASE.replace("end_day: 30", "end_day: 0"))
    [problem] = problems_of(path)
    assert (problem.line, problem.column) == (6, 14)
    assert problem.message.startswith("phases[0].end_day is 0, but must be at least 1")


def test_strict_types_are_not_coerced(tmp_path):
    problems = problems_of(write(tmp_path, "kind: 30-60-90\ntitle: 2026\n" + PHASE.replace("end_day: 30", "end_day: '30'")))
    assert [p.message for p in problems] == [
        "title: expected text, got the number `2026`",
        'phases[0].end_day: expected a whole number, got the text "30"',
    ]
    assert problems[0].hint == 'put it in quotes to keep it as text: `title: "2026"`'
    assert problems[1].hint == "remove the quotes: `end_day: 30`"


# --- refused before validation --------------------------------------------------------------------------------


def test_an_alias_bomb_is_refused_from_the_event_stream_without_building_anything(monkeypatch):
    def no_building(*args, **kwargs):
        raise AssertionError("aliases must be refused before the YAML tree is built")

    monkeypatch.setattr("ruamel.yaml.constructor.BaseConstructor.construct_document", no_building)
    monkeypatch.setattr("planforge.loading.validate", no_building)
    problems = problems_of(Path(__file__).parent / "bad" / "alias_bomb.yaml")
    assert {p.message.split("`")[1] for p in problems} == {f"&{c}" for c in "abcdefghi"} | {f"*{c}" for c in "abcdefghi"}


@pytest.mark.parametrize("text", [
    "a: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "a: " + "{b: " * 50_000 + "1" + "}" * 50_000 + "\n",
    "".join("  " * depth + f"k{depth}:\n" for depth in range(500)) + "  " * 500 + "x: 1\n",
    "".join("  " * depth + "-\n" for depth in range(500)),
], ids=["flow-lists", "flow-mappings", "block-mappings", "block-lists"])
def test_deep_nesting_is_a_located_problem_never_a_recursion_error(tmp_path, text):
    [problem] = problems_of(write(tmp_path, text))
    assert problem.message == f"nesting is deeper than {MAX_DEPTH} levels"
    assert problem.line is not None and problem.column is not None


def test_nesting_up_to_the_limit_is_parsed(tmp_path):
    text = "kind: strategy\nx: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    messages = [p.message for p in problems_of(write(tmp_path, text))]
    assert "unknown key `x` in the plan" in messages
    assert not any("nesting" in m for m in messages)


def test_a_file_exactly_at_the_size_cap_is_read(tmp_path):
    path = tmp_path / "big.yaml"
    head = "kind: strategy\n"
    path.write_text(head + "#" * (MAX_BYTES - len(head) - 1) + "\n", encoding="utf-8")
    assert path.stat().st_size == MAX_BYTES
    assert read_text(path).startswith(head)


def test_every_duplicate_key_is_reported_with_its_first_line(tmp_path):
    problems = problems_of(write(tmp_path, "kind: strategy\ntitle: A\ntitle: B\nareas:\n  - name: A\n    name: B\n"))
    assert [(p.line, p.message) for p in problems] == [
        (3, "duplicate key `title` (first at line 2)"),
        (6, "duplicate key `name` (first at line 5)"),
    ]


@pytest.mark.parametrize("tag", ["!!str", "!"])
def test_tags_that_restate_plain_yaml_are_accepted(tmp_path, tag):
    text = MINIMAL_STRATEGY.read_text(encoding="utf-8").replace("owner: Ada", f"owner: {tag} Ada")
    assert load_plan(write(tmp_path, text)).document.owner == "Ada Lovelace"


# --- reading the file ------------------------------------------------------------------------------------------


def test_a_missing_file_and_a_folder_are_clear_problems(tmp_path):
    [missing] = problems_of(tmp_path / "nope.yaml")
    assert (missing.message, missing.line) == ("no such file", None)
    [folder] = problems_of(tmp_path)
    assert folder.message == "is a folder, not a file"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_an_unreadable_file_is_a_clear_problem(tmp_path):
    path = write(tmp_path, "kind: strategy\n")
    path.chmod(0)
    [problem] = problems_of(path)
    assert problem.message == "cannot read the file: permission denied"


def test_whitespace_only_is_empty(tmp_path):
    [problem] = problems_of(write(tmp_path, "  \n\n\t\n"))
    assert (problem.line, problem.column, problem.message) == (1, 1, "file is empty")


# --- discover --------------------------------------------------------------------------------------------------


def test_discover_finds_yaml_files_in_folders_sorted_and_skips_hidden_ones(tmp_path):
    for name in ["b.yaml", "a.yml", "notes.md", "sub/c.yaml", ".hidden.yaml", ".venv/lib/x.yaml", "sub/.git/y.yaml"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("kind: strategy\n")
    assert discover([tmp_path]) == [tmp_path / "a.yml", tmp_path / "b.yaml", tmp_path / "sub" / "c.yaml"]


def test_discover_keeps_named_files_in_order_once_each(tmp_path):
    (tmp_path / "plans").mkdir()
    inside = tmp_path / "plans" / "p.yaml"
    inside.write_text("kind: strategy\n")
    named = tmp_path / "README.md"
    assert discover([named, tmp_path / "plans", inside, named]) == [named, inside]


def test_discover_accepts_strings_and_a_folder_given_as_dot(tmp_path, monkeypatch):
    (tmp_path / "p.yaml").write_text("kind: strategy\n")
    monkeypatch.chdir(tmp_path)
    assert discover(["."]) == [Path("p.yaml")]


# ---------------------------------------------------------------------------------------------------------------
# libyaml's fast path reads what the reference reader reads, or hands the file on


REPO = Path(__file__).resolve().parent.parent
YAML_FILES = sorted(path for folder in ("plans", "tests") for path in (REPO / folder).rglob("*.y*ml"))


@pytest.mark.parametrize("path", YAML_FILES, ids=[str(p.relative_to(REPO)) for p in YAML_FILES])
def test_the_fast_reader_agrees_with_the_reference_reader(path):
    from yamltrees import readers_disagree

    assert readers_disagree(path, path.read_text(encoding="utf-8", errors="replace")) is None


def test_plans_take_the_fast_reader_when_libyaml_is_installed():
    from planforge.loading.yaml_tree import CParser, _fast_tree

    if CParser is None:
        pytest.skip("ruamel.yaml.clib is not installed here")
    for plan in sorted((REPO / "plans").glob("*.yaml")):
        assert _fast_tree(plan, plan.read_text(encoding="utf-8")) is not None, plan


@pytest.mark.parametrize("piece", ["%YAML 1.1\n---\n", "\u2028", "\x85", "\ufeff"])
def test_text_the_two_readers_read_differently_takes_the_reference_reader(piece):
    from planforge.loading.yaml_tree import _fast_tree

    text = (REPO / "plans/30-60-90-day-plan.yaml").read_text(encoding="utf-8")
    changed = piece + text if piece.startswith("%") else text.replace("title: ", f"title: {piece}", 1)
    assert _fast_tree(Path("x.yaml"), changed) is None


@pytest.mark.parametrize("path", YAML_FILES, ids=[str(p.relative_to(REPO)) for p in YAML_FILES])
def test_yaml_events_are_the_reference_readers_events(path):
    from ruamel.yaml.error import YAMLError

    from planforge.loading import round_trip_yaml, yaml_events

    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        reference = list(round_trip_yaml().parse(text))
    except YAMLError:
        return

    def shape(event):
        # Empty values (`key:` alone) are placed differently and hold no text to find; ruamel marks the folds of
        # `>` text with U+0007 in the event's value, libyaml does not (the loaded strings are equal).
        value = getattr(event, "value", None)
        if value == "":
            return type(event).__name__
        return (type(event).__name__, event.start_mark.line, event.start_mark.column, event.start_mark.index,
                event.end_mark.index, getattr(event, "style", None) or None,
                value.replace("\a", "") if isinstance(value, str) else value)

    assert [shape(e) for e in yaml_events(text)] == [shape(e) for e in reference]


def test_without_libyaml_every_plan_loads_to_the_same_document(monkeypatch):
    import planforge.loading.yaml_tree

    plans = sorted((REPO / "plans").glob("*.yaml"))
    with_libyaml = [load_plan(plan).document for plan in plans]
    monkeypatch.setattr(planforge.loading.yaml_tree, "CParser", None)
    assert [load_plan(plan).document for plan in plans] == with_libyaml


def test_a_signed_kpi_number_keeps_its_sign_as_text(tmp_path):
    """`baseline: +31` is the number 31 to YAML; a KPI means the change "+31", so it is kept as written."""
    plan = tmp_path / "signed.yaml"
    plan.write_text("kind: strategy\ntitle: Plan\nareas:\n  - name: Care\n    vision: Answer fast.\n    kpis:\n"
                    "      - metric: NPS\n        baseline: +31\n        target: +4.5\n      - metric: Calls\n"
                    "        target: 40\n", encoding="utf-8")
    kpis = load_plan(plan).document.areas[0].kpis
    assert (kpis[0].baseline, kpis[0].target, kpis[1].target) == ("+31", "+4.5", 40)
