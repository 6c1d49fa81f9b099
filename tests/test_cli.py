"""The command line: exit codes of `validate` (0 valid, 1 invalid, 2 usage errors) and `schema -o FILE`."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML
from typer.testing import CliRunner

from planforge.cli import app
from planforge.schema import schema_text

FIXTURES = Path(__file__).parent / "fixtures"
VALID = [FIXTURES / "minimal_plan.yaml", FIXTURES / "minimal_strategy.yaml"]
INVALID = Path(__file__).parent / "bad" / "unknown_key_typo.yaml"


def run(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with a plans/ folder holding the two valid fixtures, made the current folder."""
    (tmp_path / "plans").mkdir()
    for path in VALID:
        shutil.copy(path, tmp_path / "plans" / path.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_validate_valid_plans_exits_0():
    result = run("validate", *VALID)
    assert result.exit_code == 0, result.output
    assert "2 valid, 0 invalid" in result.output


def test_validate_without_paths_checks_plans_folder(project: Path):
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert f"✓ {Path('plans') / 'minimal_plan.yaml'}" in result.output


def test_validate_an_invalid_plan_exits_1_with_its_location():
    result = run("validate", INVALID)
    assert result.exit_code == 1
    assert f"{INVALID}:8:5: unknown key `focus_aeras` in phases[0]" in result.output
    assert "hint: did you mean `focus_areas`?" in result.output
    assert "0 valid, 1 invalid" in result.output


def test_validate_reports_every_file_even_after_an_invalid_one():
    result = run("validate", INVALID, *VALID)
    assert result.exit_code == 1
    assert "2 valid, 1 invalid" in result.output


def test_validate_a_path_that_does_not_exist_is_a_usage_error(tmp_path: Path):
    missing = tmp_path / "nope.yaml"
    result = run("validate", VALID[0], missing)
    assert result.exit_code == 2
    assert f"{missing}: no such file or folder" in result.output
    assert "✓" not in result.output and " valid, " not in result.output  # nothing is validated


def test_validate_without_paths_and_without_a_plans_folder_is_a_usage_error(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("validate")
    assert result.exit_code == 2
    assert "plans: no such folder (the default when no path is given)" in result.output


def test_validate_a_folder_without_plans_is_a_usage_error(tmp_path: Path):
    (tmp_path / "notes.md").write_text("# not a plan\n")
    result = run("validate", tmp_path)
    assert result.exit_code == 2
    assert "no plan files found" in result.output


@pytest.mark.parametrize("args", [["validate", "--bogus"], ["vaildate"], ["schema", "--output"]],
                         ids=["unknown option", "unknown command", "option without value"])
def test_command_line_mistakes_exit_2(args):
    result = run(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_schema_writes_a_valid_json_schema_that_accepts_the_fixtures(tmp_path: Path):
    out = tmp_path / "schema.json"
    result = run("schema", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == schema_text()
    schema = json.loads(out.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    for path in VALID:
        data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
        # An editor's YAML server hands dates to the schema as text.
        data = {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in data.items()}
        assert list(validator.iter_errors(data)) == []
    assert list(validator.iter_errors({"kind": "strategy", "title": "S", "areas": [], "colour": "blue"}))


def test_schema_to_stdout():
    result = run("schema", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout == schema_text()
