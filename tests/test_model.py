"""The plan models: bullets, strict types, closed mappings, cross-field rules, descriptions for every field."""

from __future__ import annotations

import datetime

import pytest
from pydantic import BaseModel, ValidationError

from planforge.loading.validation import _models_in
from planforge.model import KINDS, Bullet, Phase, PlanFile, Plan306090, Strategy, WeekBlock
from planforge.model.common import MAX_TEXT, LintSettings

AREA = {"name": "Care", "vision": "Answer fast."}
PHASE = {"name": "Days 1–30", "start_day": 1, "end_day": 30, "key_objectives": ["Learn"]}


def strategy(**fields) -> Strategy:
    return Strategy.model_validate({"kind": "strategy", "title": "S", "areas": [AREA], **fields})


def error_types(exc: pytest.ExceptionInfo) -> set[str]:
    return {e["type"] for e in exc.value.errors()}


def test_bullets_are_normalised_to_bullet_objects():
    phase = Phase.model_validate({**PHASE, "key_objectives": ["  Learn  ", {"text": "Meet:", "items": ["Sales"]}]})
    assert phase.key_objectives == [Bullet(text="Learn"), Bullet(text="Meet:", items=["Sales"])]
    assert all(isinstance(b, Bullet) for b in phase.key_objectives)
    assert phase.focus_areas == []


def test_bullets_nest_one_level_only():
    with pytest.raises(ValidationError):
        Phase.model_validate({**PHASE, "key_objectives": [{"text": "Meet:", "items": [{"text": "Sales"}]}]})


def test_text_is_stripped_must_not_be_empty_and_is_bounded():
    assert strategy(owner="  Ada  ").owner == "Ada"
    with pytest.raises(ValidationError) as empty:
        strategy(owner="   ")
    assert error_types(empty) == {"string_too_short"}
    with pytest.raises(ValidationError) as long:
        strategy(owner="x" * (MAX_TEXT + 1))
    assert error_types(long) == {"string_too_long"}


def test_types_are_strict():
    with pytest.raises(ValidationError) as text_for_number:
        Phase.model_validate({**PHASE, "start_day": "1"})
    assert error_types(text_for_number) == {"int_type"}
    with pytest.raises(ValidationError) as bool_for_number:
        Phase.model_validate({**PHASE, "start_day": True})
    assert error_types(bool_for_number) == {"int_type"}
    with pytest.raises(ValidationError):
        strategy(owner=42)


def test_a_date_may_be_a_real_date_or_text():
    assert strategy(date=datetime.date(2025, 9, 20)).date == datetime.date(2025, 9, 20)
    assert strategy(date="September 2025").date == "September 2025"
    assert strategy().date is None
    with pytest.raises(ValidationError):
        strategy(date=2025)


def test_unknown_keys_are_refused_everywhere():
    with pytest.raises(ValidationError) as top:
        strategy(colour="blue")
    assert error_types(top) == {"extra_forbidden"}
    with pytest.raises(ValidationError) as nested:
        strategy(areas=[{**AREA, "visoin": "x"}])
    assert error_types(nested) == {"extra_forbidden"}


def test_models_are_frozen():
    document = strategy()
    with pytest.raises(ValidationError):
        document.title = "other"


def test_a_phase_cannot_end_before_it_starts():
    with pytest.raises(ValidationError, match="end_day 1 is before start_day 30"):
        Phase.model_validate({**PHASE, "start_day": 30, "end_day": 1})
    assert Phase.model_validate({**PHASE, "start_day": 5, "end_day": 5}).end_day == 5


def test_a_week_block_holds_consecutive_weeks():
    block = WeekBlock.model_validate({"title": "Foundations", "weeks": [{"week": 3}, {"week": 4}]})
    assert (block.first_week, block.last_week) == (3, 4)
    with pytest.raises(ValidationError, match="weeks must be consecutive"):
        WeekBlock.model_validate({"title": "Foundations", "weeks": [{"week": 1}, {"week": 3}]})


def test_lint_codes_have_a_fixed_shape():
    assert LintSettings.model_validate({"ignore": ["PF101"]}).ignore == ["PF101"]
    with pytest.raises(ValidationError):
        LintSettings.model_validate({"ignore": ["pf101"]})


def test_kind_picks_the_document_type():
    assert set(KINDS) == {"strategy", "30-60-90"}
    assert isinstance(PlanFile.model_validate({"kind": "strategy", "title": "S", "areas": [AREA]}).root, Strategy)
    plan = PlanFile.model_validate({"kind": "30-60-90", "title": "P", "phases": [PHASE]}).root
    assert isinstance(plan, Plan306090)
    with pytest.raises(ValidationError):
        PlanFile.model_validate({"kind": "roadmap", "title": "R"})


def test_a_strategy_needs_an_area_and_a_plan_needs_a_phase():
    with pytest.raises(ValidationError):
        strategy(areas=[])
    with pytest.raises(ValidationError):
        Plan306090.model_validate({"kind": "30-60-90", "title": "P", "phases": []})


def all_models() -> list[type[BaseModel]]:
    """Every model reachable from the document kinds."""
    seen: list[type[BaseModel]] = []
    todo = list(KINDS.values())
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.append(model)
        for info in model.model_fields.values():
            todo.extend(_models_in(info.annotation))
    return seen


@pytest.mark.parametrize("model", all_models(), ids=lambda m: m.__name__)
def test_every_field_has_a_description_and_every_model_a_docstring(model):
    # Descriptions become the editor's hover text through the JSON Schema.
    assert model.__doc__ and model.__doc__.strip()
    undescribed = [name for name, info in model.model_fields.items() if not info.description]
    assert undescribed == []
