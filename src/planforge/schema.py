"""The JSON Schema of the plan format, generated from the models."""

from __future__ import annotations

import json

SCHEMA_ID = "https://planforge.dev/schema/planforge.schema.json"


def schema_dict() -> dict:
    """Return the JSON Schema (draft 2020-12) that every plan file satisfies."""
    from planforge.model import PlanFile

    schema = PlanFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "planforge plan"
    return schema


def schema_text() -> str:
    """Return the JSON Schema as stable, indented JSON text."""
    return json.dumps(schema_dict(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
