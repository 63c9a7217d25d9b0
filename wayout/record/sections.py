"""The Markdown body of a practice: its sections, and the rules they must meet.

A body is split into second-level (`## `) sections, ignoring headings inside fenced code.
The required sections must each be present once and carry text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from wayout.contribute.scaffold import placeholder_problems
from wayout.record.problems import Problem

REQUIRED_SECTIONS = ("Aim", "Approach", "Evaluation and results", "Transferability")

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class Section:
    """One `## ` section: its heading text, the line of the heading, and its content."""

    title: str
    line: int
    content: str

    @property
    def is_empty(self) -> bool:
        return not _COMMENT.sub("", self.content).strip()


def headings(body: str, first_line: int) -> Iterator[tuple[int, int, str]]:
    """(line, level, text) of every ATX heading outside fenced code blocks."""
    fenced = False
    for offset, text in enumerate(body.split("\n")):
        if _FENCE.match(text):
            fenced = not fenced
            continue
        match = None if fenced else _HEADING.match(text)
        if match:
            yield first_line + offset, len(match.group(1)), match.group(2)


def sections(body: str, first_line: int) -> list[Section]:
    """The body's second-level sections, each with the text up to the next `#` or `##`."""
    lines = body.split("\n")
    marks = [(line, level, text) for line, level, text in headings(body, first_line) if level <= 2]
    found = []
    for index, (line, level, text) in enumerate(marks):
        if level != 2:
            continue
        end = marks[index + 1][0] if index + 1 < len(marks) else first_line + len(lines)
        content = "\n".join(lines[line - first_line + 1 : end - first_line])
        found.append(Section(text.strip(), line, content))
    return found


def body_problems(body: str, first_line: int, path: str) -> Iterator[Problem]:
    """The body must have each required section once, with text of its own (not the
    placeholders `wayout new` writes), and no first-level heading."""
    found = sections(body, first_line)
    by_title: dict[str, list[Section]] = {}
    for section in found:
        by_title.setdefault(section.title.casefold(), []).append(section)
    end_line = first_line + body.count("\n")
    for line, level, text in headings(body, first_line):
        if level == 1:
            yield Problem(
                path,
                line,
                1,
                "body",
                f"the first-level heading '# {text}' is not allowed",
                "the page title comes from 'title'; use '## ' for sections",
            )
    for required in REQUIRED_SECTIONS:
        matches = by_title.get(required.casefold(), [])
        if not matches:
            others = [s.title for s in found if s.title.casefold() not in _REQUIRED_FOLDED]
            close = difflib.get_close_matches(required, others, n=1, cutoff=0.5)
            hint = (
                f"rename '## {close[0]}' to '## {required}'"
                if close
                else f"add a '## {required}' section with its text"
            )
            yield Problem(
                path, end_line, 1, "body", f"the section '## {required}' is missing", hint
            )
            continue
        for repeat in matches[1:]:
            yield Problem(
                path,
                repeat.line,
                1,
                "body",
                f"the section '## {required}' appears twice (first on line {matches[0].line})",
                "merge the two sections",
            )
        if matches[0].is_empty:
            yield Problem(
                path,
                matches[0].line,
                1,
                "body",
                f"the section '## {required}' is empty",
                "write its text below the heading",
            )

    yield from placeholder_problems(body, first_line, path)


_REQUIRED_FOLDED = {title.casefold() for title in REQUIRED_SECTIONS}
