"""The JSON Schema of a practice's front matter, generated from the model and vocabularies.

Pydantic writes the structure and the field descriptions; every field marked with
`x-vocabulary` then gets the allowed ids as an `enum`, so that editors and other tools
check the same values as `wayout validate`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pycountry

from wayout.record.model import Practice
from wayout.record.vocabulary import PROJECT_ROOT, Vocabulary

SCHEMA_PATH = PROJECT_ROOT / "schema" / "practice.schema.json"
SCHEMA_ID = "https://wayout-practices.eu/api/practice.schema.json"


def allowed_values(name: str, vocabulary: Vocabulary) -> list[str]:
    """The ids allowed for one `x-vocabulary` name."""
    if name == "countries":
        return sorted(c.alpha_2 for c in pycountry.countries)
    if name == "languages":
        return sorted(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2"))
    return vocabulary.ids(name)


def _with_enums(node: Any, vocabulary: Vocabulary) -> Any:
    if isinstance(node, dict):
        result = {key: _with_enums(value, vocabulary) for key, value in node.items()}
        if "x-vocabulary" in result:
            result["enum"] = allowed_values(result["x-vocabulary"], vocabulary)
        return result
    if isinstance(node, list):
        return [_with_enums(item, vocabulary) for item in node]
    return node


def practice_json_schema(vocabulary: Vocabulary) -> dict[str, Any]:
    """The complete JSON Schema (draft 2020-12) of a practice file's front matter."""
    schema = Practice.model_json_schema()
    schema = _with_enums(schema, vocabulary)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": "WayOut practice",
    }


def render_schema(vocabulary: Vocabulary) -> str:
    return json.dumps(practice_json_schema(vocabulary), indent=2, ensure_ascii=False) + "\n"


def write_schema(vocabulary: Vocabulary, path: Path = SCHEMA_PATH) -> bool:
    """Write the schema file; True when its content changed."""
    text = render_schema(vocabulary)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True
