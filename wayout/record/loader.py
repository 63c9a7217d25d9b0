"""Read practice files: bytes -> front matter with line marks -> `Practice`, or `Problem`s.

The front matter is split from the body with python-frontmatter's YAML boundary, parsed
with a strict YAML loader (libyaml when available) that keeps every node's position,
refuses tags, aliases and duplicate keys, and reads YAML 1.1 traps such as `NO` or `on`
as the strings they were meant to be. Pydantic then validates it, and each of its errors
is mapped back to `file:line:column` with a fix hint.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler
from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from wayout.record.model import SLUG_PATTERN, Practice
from wayout.record.problems import Problem, Severity, display_path
from wayout.record.rules import Breach, advisories
from wayout.record.sections import body_problems
from wayout.record.vocabulary import Vocabulary, country_hint, default_vocabulary, language_hint

MAX_FILE_BYTES = 512 * 1024
# A practice needs three levels of YAML collections; deeper ones are refused. libyaml
# composes recursively and crashes the process on some thousands of levels, so a text that
# might nest deeper than SAFE_YAML_BOUND (a cheap over-estimate) is measured beforehand.
MAX_YAML_DEPTH = 10
SAFE_YAML_BOUND = 500
# Control characters other than tab and line ends: never part of a practice file's text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
FRONT_MATTER_BOUNDARY = YAMLHandler.FM_BOUNDARY
_SLUG = re.compile(SLUG_PATTERN)

Loc = tuple[str | int, ...]
Mark = tuple[int, int]


@dataclass(frozen=True)
class Entry:
    """A practice file once loaded: its slug, its front matter and its Markdown body."""

    slug: str
    path: Path
    practice: Practice
    body: str
    body_line: int
    marks: dict[Loc, Mark] = field(default_factory=dict, repr=False, compare=False)

    def line_of(self, *loc: str | int) -> int:
        """The line of a front-matter value, or of its nearest enclosing value."""
        for end in range(len(loc), 0, -1):
            if loc[:end] in self.marks:
                return self.marks[loc[:end]][0]
        return 1


class LoadError(Exception):
    """A problem that stops the reading of one file (reported, never raised past the loader)."""

    def __init__(
        self, line: int, column: int, message: str, hint: str = "", field_name: str = ""
    ) -> None:
        super().__init__(message)
        self.line, self.column, self.message, self.hint, self.field = (
            line,
            column,
            message,
            hint,
            field_name,
        )


# --- YAML: a strict loader with positions ----------------------------------------------

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictLoader(_BaseLoader):  # type: ignore[misc]
    """Safe YAML with YAML 1.2-like scalars: only true/false are booleans, no sexagesimals."""


StrictLoader.yaml_implicit_resolvers = {
    first: [
        (tag, rx)
        for tag, rx in resolvers
        if tag.rsplit(":", 1)[-1] not in {"bool", "int", "float", "merge"}
    ]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
# The implicit resolvers by the first character of a plain scalar ("" for an empty one);
# a scalar whose first character has none is a string. There are no path resolvers.
_IMPLICIT: dict[str, list[tuple[str, re.Pattern[str]]]] = StrictLoader.yaml_implicit_resolvers
assert None not in _IMPLICIT and not StrictLoader.yaml_path_resolvers


def _resolve(self: Any, kind: Any, value: Any, implicit: Any) -> str:
    """`BaseResolver.resolve` for a loader without wildcard or path resolvers, in one
    function: the C parser calls it for every node, and it was the loader's largest cost."""
    if kind is ScalarNode:
        if implicit[0]:
            for tag, regexp in _IMPLICIT.get(value[:1], ()):
                if regexp.match(value):
                    return tag
        return _STR_TAG
    return _SEQ_TAG if kind is SequenceNode else _MAP_TAG


StrictLoader.resolve = _resolve

_ALLOWED_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}


class _Reader:
    """Turns a composed YAML node tree into Python data plus a mark for every path."""

    def __init__(self, loader: Any, line_offset: int) -> None:
        self.loader = loader
        self.line_offset = line_offset
        self.marks: dict[Loc, Mark] = {}
        self.key_marks: dict[Loc, Mark] = {}
        self.seen: set[int] = set()

    def mark(self, node: Node) -> Mark:
        return node.start_mark.line + self.line_offset, node.start_mark.column + 1

    def fail(self, node: Node, message: str, hint: str, loc: Loc) -> LoadError:
        line, column = self.mark(node)
        return LoadError(line, column, message, hint, field_name=field_path(loc))

    def read(self, node: Node, loc: Loc) -> Any:
        if id(node) in self.seen:
            raise self.fail(
                node,
                "YAML anchors and aliases (&name, *name) are not allowed",
                "write the value out in full",
                loc,
            )
        self.seen.add(id(node))
        self.marks[loc] = self.mark(node)
        if isinstance(node, MappingNode | SequenceNode) and len(loc) >= MAX_YAML_DEPTH:
            raise self.fail(node, *_TOO_DEEP, loc)
        if node.tag not in _ALLOWED_TAGS:
            raise self.fail(
                node,
                f"the YAML tag '{node.tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed",
                "remove the tag: practice files hold only plain text, numbers, dates and lists",
                loc,
            )
        if isinstance(node, MappingNode):
            return self.read_mapping(node, loc)
        if isinstance(node, SequenceNode):
            return [self.read(item, (*loc, index)) for index, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        if node.tag == _STR_TAG:
            return node.value  # what SafeConstructor makes of it, without its bookkeeping
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError):
            raise self.fail(
                node, f"'{node.value}' is not a valid value", "write dates as YYYY-MM-DD", loc
            ) from None

    def read_mapping(self, node: MappingNode, loc: Loc) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                raise self.fail(
                    key_node, "keys must be plain words", "write the key as a plain name", loc
                )
            key = key_node.value
            if key in result:
                first = self.key_marks[(*loc, key)][0]
                raise self.fail(
                    key_node,
                    f"the key '{key}' appears twice (first on line {first})",
                    "keep one of them",
                    (*loc, key),
                )
            self.key_marks[(*loc, key)] = self.mark(key_node)
            result[key] = self.read(value_node, (*loc, key))
        return result


def parse_yaml(text: str, line_offset: int) -> tuple[Any, _Reader]:
    """Parse one YAML document; `line_offset` is the file line of the text's first line."""
    loader = StrictLoader(text)
    reader = _Reader(loader, line_offset)
    try:
        if nesting_bound(text) > SAFE_YAML_BOUND:
            check_depth(text, line_offset)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line if mark else 0) + line_offset
        column = (mark.column if mark else 0) + 1
        message = f"broken YAML: {exc.problem or exc.context}"
        raise LoadError(line, column, message, yaml_hint(text, mark.line if mark else 0)) from None
    except yaml.YAMLError as exc:
        raise LoadError(line_offset, 1, f"broken YAML: {exc}") from None
    finally:
        loader.dispose()
    if node is None:
        return None, reader
    return reader.read(node, ()), reader


_TOO_DEEP = (
    f"the front matter is nested more than {MAX_YAML_DEPTH} levels deep",
    "practice files need three levels: fields, lists, and the fields of list entries",
)


def nesting_bound(text: str) -> int:
    """At least the nesting depth of the YAML `text`: a collection starts at a line, at a
    bracket or after an indicator ('- ', '?', ':')."""
    marks = ("\n", "[", "{", "?", ":", "- ", "-\t", "-\n")
    return sum(text.count(mark) for mark in marks) + 1


def check_depth(text: str, line_offset: int) -> None:
    """Refuse YAML nested deeper than MAX_YAML_DEPTH, reading its events (not recursive)."""
    opened: list[tuple[int, bool]] = []  # line and flow style of each open collection
    try:
        for event in yaml.parse(text, Loader=StrictLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                mark = event.start_mark
                opened.append((mark.line if mark else 0, bool(event.flow_style)))
                if len(opened) > MAX_YAML_DEPTH:
                    raise LoadError(
                        (mark.line if mark else 0) + line_offset,
                        (mark.column if mark else 0) + 1,
                        *_TOO_DEEP,
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                opened.pop()
    except yaml.MarkedYAMLError as exc:
        # PyYAML 6.0.4 and later stop at a nesting depth of their own while reading ahead,
        # before the events of the deep part arrive: find where the line passes ours.
        mark = exc.problem_mark
        if mark is None or "nesting depth" not in str(exc.problem):
            return  # another syntax error: parsing the text reports it
        lines = text.split("\n")
        line = lines[mark.line] if mark.line < len(lines) else ""
        # Flow collections opened on the line itself are counted again by the scan.
        depth = sum(1 for start, flow in opened if start < mark.line or not flow)
        column = flow_depth_column(line, depth)
        raise LoadError(
            mark.line + line_offset,
            (mark.column if column is None else column) + 1,
            *_TOO_DEEP,
        ) from None


def flow_depth_column(line: str, depth: int) -> int | None:
    """The 0-based column of `line` where flow brackets ('[', '{'), opened at `depth`,
    pass MAX_YAML_DEPTH, or None (quoted text is skipped)."""
    quote = ""
    for column, character in enumerate(line):
        if quote:
            if character == quote:
                quote = ""
        elif character in "'\"":
            quote = character
        elif character in "[{":
            depth += 1
            if depth > MAX_YAML_DEPTH:
                return column
        elif character in "]}":
            depth -= 1
    return None


def yaml_hint(text: str, line: int) -> str:
    """A guess at the usual causes of a YAML syntax error on `line` (0-based)."""
    lines = text.splitlines()
    near = lines[max(0, line - 1) : line + 1]
    if any("\t" in text for text in near):
        return "indent with spaces, not tabs"
    if any(re.search(r"\[[^\]]*$", text) for text in near):
        return "close the list with ']'"
    if any(re.search(r":\s[^'\"]*:\s", text) for text in near):
        return "put text that contains ': ' in quotes"
    return "check the indentation and quoting on this line and the one above"


# --- From bytes to front matter and body ------------------------------------------------


def decode(path: Path, data: bytes) -> str:
    """UTF-8 text with a BOM dropped and line ends made LF; LoadError for anything else."""
    if len(data) > MAX_FILE_BYTES:
        raise LoadError(
            1,
            1,
            f"the file is {len(data) // 1024} KB; practice files may be at most "
            f"{MAX_FILE_BYTES // 1024} KB",
            "shorten the text and link to longer documents as sources",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LoadError(
            line, column, "the file is not UTF-8 text", "save the file with UTF-8 encoding"
        ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    control = _CONTROL.search(text)
    if control:
        line = text[: control.start()].count("\n") + 1
        column = control.start() - text.rfind("\n", 0, control.start())
        code = ord(control.group())
        name = "a NUL character" if code == 0 else f"the control character U+{code:04X}"
        raise LoadError(line, column, f"the file contains {name}", "remove it")
    if not text.strip():
        raise LoadError(
            1, 1, "the file is empty", "start from `wayout new` or an existing practice"
        )
    return text


def split(text: str) -> tuple[str, int, str, int]:
    """(front matter, its first line, body, its first line), split at the `---` lines."""
    first = FRONT_MATTER_BOUNDARY.match(text)
    if first is None:
        raise LoadError(
            1, 1, "the file does not start with front matter", "begin the file with a '---' line"
        )
    second = FRONT_MATTER_BOUNDARY.search(text, first.end())
    if second is None:
        raise LoadError(
            1, 1, "the front matter is not closed", "end the front matter with a '---' line"
        )
    front = text[first.end() : second.start()]
    front_line = text[: first.end()].count("\n") + 1
    body = text[second.end() :]
    body_line = text[: second.end()].count("\n") + 1
    return front, front_line, body, body_line


# --- Slugs ------------------------------------------------------------------------------


def slugify(text: str) -> str:
    """Lowercase ASCII kebab-case derived from any title or file name."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-")


def slug_problems(path: Path) -> Iterator[Problem]:
    """A file name must be `<slug>.md`, the slug lowercase ASCII letters, digits and hyphens."""
    if not _SLUG.match(path.stem) or len(path.stem) > 80:
        suggestion = slugify(path.stem) or "my-practice"
        yield Problem(
            display_path(path),
            1,
            1,
            "file name",
            f"'{path.name}' is not a valid slug: use lowercase ASCII letters, digits and hyphens",
            f"rename the file to '{suggestion}.md'",
        )


# --- Pydantic errors -> problems --------------------------------------------------------


def field_path(loc: Loc) -> str:
    """`organisations[1].type` for ('organisations', 1, 'type')."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def model_at(loc: Loc) -> type[BaseModel] | None:
    """The model class that holds the mapping at `loc` (for "did you mean" on its fields)."""
    model: Any = Practice
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if model else None
        if field is None:
            return None
        model = _nested_model(field.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _nested_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _nested_model(arg)
        if found is not None:
            return found
    return None


def locate(loc: Loc, reader: _Reader, *, key: bool = False) -> Mark:
    """The position of `loc`, or of its nearest enclosing value that has one."""
    if key and loc in reader.key_marks:
        return reader.key_marks[loc]
    for end in range(len(loc), -1, -1):
        if loc[:end] in reader.marks:
            return reader.marks[loc[:end]]
    return reader.line_offset, 1


def hint_for(error: Any, vocabulary: Vocabulary) -> str:
    kind, loc, ctx = error["type"], error["loc"], error.get("ctx") or {}
    value = error.get("input")
    if kind == "missing":
        return FIELD_HINTS.get(str(loc[-1]), "add this field")
    if kind == "extra_forbidden":
        model = model_at(loc[:-1])
        names = list(model.model_fields) if model else []
        close = difflib.get_close_matches(str(loc[-1]).lower(), names, n=1, cutoff=0.6)
        if close:
            return f"did you mean '{close[0]}'?"
        return "allowed here: " + ", ".join(names) if names else "remove it"
    if kind == "unknown_term":
        return vocabulary.suggest(ctx["vocabulary"], str(ctx["value"]))
    if kind == "unknown_country":
        return country_hint(str(ctx["value"]))
    if kind == "unknown_language":
        return language_hint(str(ctx["value"]))
    if kind == "list_type":
        return f"write a list, e.g. [{value}]" if isinstance(value, str) else "write a list"
    if kind in ("int_type", "int_parsing") and str(loc[-1]) in ("year", "start", "end"):
        return "write the year alone, e.g. 2015; put details in the text"
    if kind.startswith("date") or kind.startswith("datetime"):
        return "write the date as YYYY-MM-DD"
    if kind == "not_http_url" or (kind == "string_pattern_mismatch" and "url" in str(loc[-1])):
        return "give the full address, starting with https://"
    if kind == "markup_in_plain_text":
        return "remove the HTML; formatting belongs in the body"
    if kind in KIND_HINTS:
        return KIND_HINTS[kind]
    if kind == "string_too_long":
        return "shorten it; details belong in the body"
    if kind == "model_type":
        return "write the fields of this entry on indented lines below it"
    return ""


KIND_HINTS = {
    "unsafe_url_character": "percent-encode it (a space is %20, '\"' is %22) or remove it",
    "url_with_credentials": "remove the part up to and including '@'",
    "invisible_character": "delete it; it often comes with text copied from a PDF",
    "not_one_line": "write it on one line; details belong in the body",
    "not_email": "give an organisation's mailbox, such as info@example.org",
}

FIELD_HINTS = {
    "title": "add the practice's name: title: ...",
    "summary": "add one to three sentences of plain text: summary: ...",
    "countries": "add the ISO codes of its countries, e.g. countries: [DE]",
    "categories": "add at least one framework category, e.g. categories: [interventions]",
    "target_groups": "add at least one target group, e.g. target_groups: [prison-staff]",
    "settings": "add at least one setting, e.g. settings: [prison]",
    "organisations": "add the organisation that runs it, with a name and a type",
    "sources": "add at least one source, with a title and a url",
    "last_reviewed": "add the date you checked the entry: last_reviewed: YYYY-MM-DD",
    "name": "add the name",
    "type": "add the organisation type, an id from organisation_types",
    "title_": "add the title",
    "url": "add the web address, starting with https://",
    "level": "add the evidence level, an id from evidence_levels",
}

MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a known field",
    "list_type": "must be a list",
    "model_type": "must be a set of fields (key: value lines)",
    "dict_type": "must be a set of fields (key: value lines)",
}


def validation_problems(
    exc: ValidationError, reader: _Reader, display: str, vocabulary: Vocabulary
) -> Iterator[Problem]:
    for error in exc.errors(include_url=False):
        loc: Loc = tuple(error["loc"])
        if error["type"] == "cross_field":
            for breach in error["ctx"]["problems"]:
                yield breach_problem(breach, reader, display)
            continue
        line, column = locate(loc, reader, key=error["type"] == "extra_forbidden")
        message = MESSAGES.get(error["type"], error["msg"])
        yield Problem(display, line, column, field_path(loc), message, hint_for(error, vocabulary))


def breach_problem(
    breach: Breach, reader: _Reader, display: str, severity: Severity = Severity.ERROR
) -> Problem:
    line, column = locate(breach.loc, reader)
    return Problem(
        display, line, column, field_path(breach.loc), breach.message, breach.hint, severity
    )


# --- One file ---------------------------------------------------------------------------


def load_file(
    path: Path,
    vocabulary: Vocabulary | None = None,
    today: date | None = None,
    content: bytes | None = None,
) -> tuple[Entry | None, list[Problem]]:
    """Load one practice file: an `Entry` when it has no errors, and all its problems.
    `content`, when given, is the file's bytes, already read."""
    vocabulary = vocabulary or default_vocabulary()
    today = today or date.today()
    display = display_path(path)
    problems = list(slug_problems(path))
    try:
        text = decode(path, path.read_bytes() if content is None else content)
        front, front_line, body, body_line = split(text)
        data, reader = parse_yaml(front, front_line)
    except LoadError as exc:
        problems.append(Problem(display, exc.line, exc.column, exc.field, exc.message, exc.hint))
        return None, problems
    except OSError as exc:
        problems.append(Problem(display, 1, 1, "", f"cannot read the file: {exc.strerror}"))
        return None, problems
    problems.extend(body_problems(body, body_line, display))
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}, not a set of fields"
        problems.append(
            Problem(
                display,
                front_line,
                1,
                "",
                f"the front matter is {kind}",
                "write 'key: value' lines between the two '---' lines",
            )
        )
        return None, problems
    try:
        practice = Practice.model_validate(data, context={"vocabulary": vocabulary})
    except ValidationError as exc:
        problems.extend(validation_problems(exc, reader, display, vocabulary))
        return None, problems
    problems.extend(
        breach_problem(breach, reader, display, Severity.WARNING)
        for breach in advisories(practice, today)
    )
    if any(p.is_error for p in problems):
        return None, problems
    return Entry(path.stem, path, practice, body, body_line, reader.marks), problems
