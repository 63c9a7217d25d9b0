"""From checked answers to a new practice file: the one place that builds its front matter.

`wayout new` and `wayout from-issue` both end here, so the same answers always give the
same file: front matter in the model's field order, `last_reviewed` set to today, and
the four required sections, each with the text given or a `TODO:` placeholder.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from wayout.contribute.questions import QUESTIONS
from wayout.contribute.scaffold import body_text, render
from wayout.record.loader import (
    LoadError,
    Loc,
    model_at,
    parse_yaml,
    slug_problems,
    slugify,
    split,
    validation_problems,
)
from wayout.record.model import Practice
from wayout.record.problems import Problem, display_path
from wayout.record.vocabulary import Vocabulary

DEFAULT_FOLDER = Path("practices")


@dataclass(frozen=True)
class Draft:
    """A practice file ready to be written: where, what, and what stops it being written."""

    path: Path
    text: str
    problems: list[Problem]


def front_matter(answers: Mapping[str, Any], today: date) -> dict[str, Any]:
    """The front matter the answers give, in the model's field order, reviewed today."""
    data: dict[str, Any] = {}
    for question in QUESTIONS:
        value = answers.get(question.key)
        if question.kind == "section" or value is None or value == []:
            continue
        if question.kind == "sources":
            data.setdefault("sources", []).extend(value)
        else:
            _put(data, question.loc, value)
    data["last_reviewed"] = today
    ordered: dict[str, Any] = _ordered(data, ())
    return ordered


def _put(data: dict[str, Any], loc: Loc, value: Any) -> None:
    """Set `value` at a path such as ('organisations', 0, 'name'), creating what is missing."""
    container: Any = data
    for part, following in pairwise(loc):
        empty: Any = [] if isinstance(following, int) else {}
        if isinstance(part, int):
            while len(container) <= part:
                container.append(empty)
            container = container[part]
        else:
            container = container.setdefault(part, empty)
    container[loc[-1]] = value


def _ordered(value: Any, loc: Loc) -> Any:
    """Mappings with their keys in the order the model declares its fields."""
    if isinstance(value, list):
        return [_ordered(item, (*loc, index)) for index, item in enumerate(value)]
    if not isinstance(value, dict):
        return value
    model: type[BaseModel] | None = model_at(loc)
    order = list(model.model_fields) if model else []
    keys = sorted(value, key=lambda k: order.index(k) if k in order else len(order))
    return {key: _ordered(value[key], (*loc, key)) for key in keys}


def sections(answers: Mapping[str, Any]) -> dict[str, str]:
    """The text given for each required section, by section title."""
    return {q.label: str(answers.get(q.key) or "") for q in QUESTIONS if q.kind == "section"}


def practice_text(answers: Mapping[str, Any], today: date) -> str:
    """The whole practice file the answers give."""
    return render(front_matter(answers, today), body_text(sections(answers)))


def front_matter_problems(text: str, display: str, vocabulary: Vocabulary) -> list[Problem]:
    """What `wayout validate` would say of the file's front matter (the body is not checked)."""
    try:
        front, front_line, _, _ = split(text)
        data, reader = parse_yaml(front, front_line)
    except LoadError as exc:
        return [Problem(display, exc.line, exc.column, exc.field, exc.message, exc.hint)]
    try:
        Practice.model_validate(data, context={"vocabulary": vocabulary})
    except ValidationError as exc:
        return list(validation_problems(exc, reader, display, vocabulary))
    return []


def slug_for(answers: Mapping[str, Any], slug: str | None = None) -> str:
    """The slug given, or the one derived from the title."""
    return slug or slugify(str(answers.get("title") or ""))


def draft(
    answers: Mapping[str, Any],
    vocabulary: Vocabulary,
    *,
    folder: Path = DEFAULT_FOLDER,
    slug: str | None = None,
    today: date | None = None,
) -> Draft:
    """The file the answers give, with every reason it cannot be written as it is."""
    name = slug_for(answers, slug) or "untitled"
    path = folder / f"{name}.md"
    display = display_path(path)
    text = practice_text(answers, today or date.today())
    problems = list(slug_problems(path))
    if not slug_for(answers, slug):
        problems.append(
            Problem(display, 1, 1, "file name", "no file name can be made from the title",
                    "give a slug of lowercase ASCII letters, digits and hyphens")
        )  # fmt: skip
    existing = _existing(folder, name)
    if existing is not None:
        problems.append(
            Problem(display, 1, 1, "file name",
                    f"a practice with this slug already exists: {display_path(existing)}",
                    "choose another slug, or update the existing practice instead")
        )  # fmt: skip
    problems.extend(front_matter_problems(text, display, vocabulary))
    return Draft(path, text, problems)


def _existing(folder: Path, slug: str) -> Path | None:
    """A practice file in `folder` with the same slug, letter case aside."""
    if not folder.is_dir():
        return None
    for path in folder.glob("*.md"):
        if path.stem.casefold() == slug.casefold():
            return path
    return None


def write(new: Draft) -> None:
    """Write the draft's file, never over an existing one (FileExistsError)."""
    new.path.parent.mkdir(parents=True, exist_ok=True)
    with new.path.open("x", encoding="utf-8", newline="\n") as file:
        file.write(new.text)
