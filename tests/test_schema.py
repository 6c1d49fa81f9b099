"""The committed JSON Schema is current and accepts the real plans."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

from planforge.schema import schema_text

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "schema" / "planforge.schema.json"
PLANS = sorted((ROOT / "plans").glob("*.yaml"))


def load_safe(path: Path):
    """Load a plan as plain data, dates written as ISO text like an editor's YAML server sees them."""
    return _dates_as_text(YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8")))


def _dates_as_text(value):
    if isinstance(value, dict):
        return {key: _dates_as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(item) for item in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_the_real_plans_exist():
    assert {p.name for p in PLANS} >= {"30-60-90-day-plan.yaml", "lrp-brainstorming.yaml"}


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.name)
def test_each_plan_satisfies_the_schema(validator, plan):
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(load_safe(plan))]
    assert not errors, "\n".join(errors)


def test_the_schema_refuses_an_unknown_key(validator):
    data = load_safe(ROOT / "plans" / "30-60-90-day-plan.yaml")
    data["phases"][0]["key_objective"] = ["misspelt key"]
    assert not validator.is_valid(data)


def test_the_committed_schema_is_current():
    # Regenerate with `make schema` (planforge schema) after changing the models.
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text()
