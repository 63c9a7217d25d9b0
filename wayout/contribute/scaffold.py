"""The skeleton of a new practice file, and the check that none of its placeholders is left.

`wayout new` and `wayout from-issue` write front matter with python-frontmatter (so that
writing and reading agree) and a body with the four required sections. A section with no
text yet gets one line starting with `TODO:`; `placeholder_problems` reports every such
line as an error until the contributor has replaced it.

This module imports nothing else from `wayout` but `problems`, so that `wayout.record.sections`
can call `placeholder_problems` without an import cycle.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import frontmatter

from wayout.record.problems import Problem

PLACEHOLDER_MARK = "TODO:"

# The text each required section asks for: (placeholder line, what replaces it).
# The keys are the required sections of `wayout.record.sections.REQUIRED_SECTIONS`, in order.
SECTION_PLACEHOLDERS: dict[str, tuple[str, str]] = {
    "Aim": (
        "TODO: describe the aim of the practice: what it wants to achieve, and for whom.",
        "what the practice wants to achieve and for whom, citing sources as [1], [2] ...",
    ),
    "Approach": (
        "TODO: describe the approach: what the practice does, who delivers it and where.",
        "what the practice does, who delivers it and where, citing sources as [1], [2] ...",
    ),
    "Evaluation and results": (
        "TODO: describe what is known about how well the practice works, and from which "
        "evaluations.",
        "what evaluations found, including null or negative results, or that none is known",
    ),
    "Transferability": (
        "TODO: describe what someone would need to adapt or run the practice elsewhere.",
        "what another service would need to adapt or run the practice elsewhere",
    ),
}
GENERIC_HINT = "the text the placeholder asks for"

_PLACEHOLDER_LINE = re.compile(r"^[ \t]*(?:[-*][ \t]+)?(TODO:)")
_SECTION_HEADING = re.compile(r"^##[ \t]+(.*?)[ \t#]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)")


def placeholder(section: str) -> str:
    """The placeholder line of a required section."""
    return SECTION_PLACEHOLDERS[section][0]


def body_text(sections: Mapping[str, str]) -> str:
    """The body: each required section with its text, or its placeholder when it has none."""
    parts = []
    for title, (marker, _) in SECTION_PLACEHOLDERS.items():
        text = sections.get(title, "").strip() or marker
        parts.append(f"## {title}\n\n{text}\n")
    return "\n".join(parts)


def render(front_matter: Mapping[str, Any], body: str) -> str:
    """The whole file: front matter in the given key order, then the body, ending in a newline."""
    post = frontmatter.Post(body.strip(), **dict(front_matter))
    return frontmatter.dumps(post, sort_keys=False) + "\n"


def placeholder_problems(body: str, first_line: int, path: str) -> Iterator[Problem]:
    """Every line of the body that still holds a `TODO:` placeholder, outside fenced code."""
    section = ""
    fenced = False
    for offset, line in enumerate(body.split("\n")):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        heading = _SECTION_HEADING.match(line)
        if heading:
            section = heading.group(1)
            continue
        found = _PLACEHOLDER_LINE.match(line)
        if found:
            yield Problem(
                path,
                first_line + offset,
                found.start(1) + 1,
                "body",
                f"placeholder text left: '{line.strip()}'",
                f"replace the placeholder text with {_wanted(section)}",
            )


def _wanted(section: str) -> str:
    for title, (_, wanted) in SECTION_PLACEHOLDERS.items():
        if title.casefold() == section.casefold():
            return wanted
    return GENERIC_HINT
