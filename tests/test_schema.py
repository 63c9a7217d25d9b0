"""The committed JSON Schema is generated from the model and agrees with it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from pydantic import ValidationError

from tests.conftest import FIXTURE_PRACTICES
from wayout.record.loader import parse_yaml, split
from wayout.record.model import Practice
from wayout.record.schema import SCHEMA_PATH, render_schema
from wayout.record.vocabulary import Vocabulary


def test_the_committed_schema_is_up_to_date(vocabulary: Vocabulary) -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render_schema(vocabulary), (
        "schema/practice.schema.json is stale: run `wayout schema`"
    )


def front_matter(path: Path) -> dict[str, Any]:
    front, line, _, _ = split(path.read_text(encoding="utf-8"))
    data, _ = parse_yaml(front, line)
    return dict(data)


def as_json(value: Any) -> Any:
    return json.loads(
        json.dumps(value, default=lambda v: v.isoformat() if isinstance(v, date) else v)
    )


VALID = {p.name: front_matter(p) for p in sorted(FIXTURE_PRACTICES.glob("*.md"))}
BASE = VALID["risk-lens.md"]

# Changes that both the model and the JSON Schema must reject.
INVALID: dict[str, dict[str, Any]] = {
    "unknown country": {"countries": ["XX"]},
    "country name instead of code": {"countries": ["Portugal"]},
    "unknown category": {"categories": ["aftercare-x"]},
    "empty categories": {"categories": []},
    "repeated target group": {"target_groups": ["prison-staff", "prison-staff"]},
    "misspelt key": {"setting": ["prison"]},
    "unknown organisation type": {"organisations": [{"name": "A", "type": "charity"}]},
    "organisation without name": {"organisations": [{"type": "ngo"}]},
    "no sources": {"sources": []},
    "source url not http": {"sources": [{"title": "t", "url": "javascript:alert(1)"}]},
    "year as text": {"period": {"start": "2011 (pilot)"}},
    "year too early": {"period": {"start": 1200}},
    "unknown language": {"languages": ["xx"]},
    "unknown findings": {"evaluation": {"level": "outcome-evaluation", "findings": "great"}},
    "summary too short": {"summary": "Short."},
    "draft not boolean": {"draft": "maybe"},
}


@pytest.mark.parametrize("name", sorted(VALID))
def test_schema_accepts_what_the_model_accepts(name: str) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Practice.model_validate(VALID[name])
    jsonschema.validate(as_json(VALID[name]), schema)


@pytest.mark.parametrize("case", sorted(INVALID))
def test_schema_rejects_what_the_model_rejects(case: str) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    data = {**BASE, **INVALID[case]}
    if case == "misspelt key":
        data.pop("settings")
    with pytest.raises(ValidationError):
        Practice.model_validate(data)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(as_json(data), schema)


def test_schema_lists_vocabulary_ids_as_enums(vocabulary: Vocabulary) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    categories = schema["properties"]["categories"]["items"]
    assert categories["enum"] == vocabulary.ids("categories")
    assert "NO" in schema["properties"]["countries"]["items"]["enum"]
    assert yaml.safe_dump(schema)  # plain data only
