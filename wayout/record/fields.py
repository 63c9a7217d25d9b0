"""The field reference: every front-matter field, read from the model, for people.

The contribute page's reference table is generated from this, so it can never drift
from what `wayout validate` checks.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from wayout.record.model import Practice, VocabularyTerm


@dataclass(frozen=True)
class FieldDoc:
    """One field: its dotted name, whether it is required, its kind and its description."""

    name: str
    required: bool
    kind: str
    description: str
    vocabulary: str = ""
    depth: int = 0


def _unwrap(annotation: Any) -> tuple[Any, bool, str]:
    """(inner type, is_list, vocabulary) of a field annotation."""
    is_list = False
    vocabulary = ""
    while True:
        for meta in getattr(annotation, "__metadata__", ()):
            if isinstance(meta, VocabularyTerm):
                vocabulary = meta.vocabulary
            extra = getattr(meta, "json_schema_extra", None)
            if isinstance(extra, dict) and "x-vocabulary" in extra:
                vocabulary = str(extra["x-vocabulary"])
        origin = get_origin(annotation)
        if hasattr(annotation, "__metadata__"):
            annotation = annotation.__origin__
        elif origin in (Union, types.UnionType):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        elif origin is list:
            is_list = True
            annotation = get_args(annotation)[0]
        else:
            return annotation, is_list, vocabulary


def _is_web_address_meta(metadata: list[Any]) -> bool:
    return any(
        isinstance(getattr(m, "json_schema_extra", None), dict)
        and m.json_schema_extra.get("format") == "uri"
        for m in metadata
    )


def _is_web_address(annotation: Any) -> bool:
    """True for the model's `Url` type (marked with the JSON Schema format 'uri')."""
    if _is_web_address_meta(list(getattr(annotation, "__metadata__", ()))):
        return True
    return any(_is_web_address(arg) for arg in get_args(annotation))


KINDS = {str: "text", int: "whole number", bool: "true or false"}


def _kind(inner: Any, is_list: bool, vocabulary: str) -> str:
    if vocabulary == "countries":
        base = "ISO 3166-1 country code"
    elif vocabulary == "languages":
        base = "ISO 639-1 language code"
    elif vocabulary:
        base = f"id from {vocabulary}"
    elif isinstance(inner, type) and issubclass(inner, BaseModel):
        base = "group of fields"
    elif getattr(inner, "__name__", "") == "date":
        base = "date (YYYY-MM-DD)"
    else:
        base = KINDS.get(inner, "text")
    return f"list of: {base}" if is_list else base


def field_reference(
    model: type[BaseModel] = Practice, prefix: str = "", depth: int = 0
) -> list[FieldDoc]:
    """Every field of `model`, nested models expanded below their parent field."""
    docs = []
    for name, info in model.model_fields.items():
        inner, is_list, vocabulary = _unwrap(info.annotation)
        web = _is_web_address(info.annotation) or _is_web_address_meta([*info.metadata, info])
        for meta in info.metadata:
            if isinstance(meta, VocabularyTerm):
                vocabulary = meta.vocabulary
        dotted = f"{prefix}{name}"
        docs.append(
            FieldDoc(
                dotted,
                info.is_required(),
                "web address (https://…)" if web else _kind(inner, is_list, vocabulary),
                info.description or "",
                vocabulary,
                depth,
            )
        )
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            docs.extend(field_reference(inner, f"{dotted}{'[]' if is_list else ''}.", depth + 1))
    return docs
