"""Problems found in practice files, and the one place that formats them.

Checks never print: they return or yield `Problem` objects. `format_problems` turns a
sorted list of them into human text, GitHub workflow annotations or JSON.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    """An error fails validation and the site build; a warning never does."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, located as precisely as it can be."""

    path: str
    line: int
    column: int
    field: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def text(self) -> str:
        """`path:line:col: error: field: message (hint)`, the human format of one problem."""
        where = f"{self.path}:{self.line}:{self.column}"
        field = f"{self.field}: " if self.field else ""
        hint = f" ({self.hint})" if self.hint else ""
        return printable(f"{where}: {self.severity.value}: {field}{self.message}{hint}")


# Characters a terminal or a log would act on instead of showing: control characters,
# line separators and the invisible characters that reorder text.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """The text with each unprintable character written as an escape (`\\x1b`, `\\u202e`),
    so that values quoted from a hostile file cannot act on the terminal or split a line."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def display_path(path: Path) -> str:
    """A path relative to the working directory when it lies below it, else as given."""
    if ".." not in path.parts:  # no need to resolve links, the usual case
        if not path.is_absolute():
            return str(path)
        if path.is_relative_to(os.getcwd()):
            return str(path.relative_to(os.getcwd()))
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _github_escape(value: str, *, property_value: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def github_annotation(problem: Problem) -> str:
    """A GitHub Actions workflow command that annotates the problem's line in a pull request."""
    level = "error" if problem.is_error else "warning"
    title = printable(problem.field or "practice file")
    message = printable(problem.message + (f" ({problem.hint})" if problem.hint else ""))
    props = ",".join(
        [
            f"file={_github_escape(printable(problem.path), property_value=True)}",
            f"line={problem.line}",
            f"col={problem.column}",
            f"title={_github_escape(title, property_value=True)}",
        ]
    )
    return f"::{level} {props}::{_github_escape(message)}"


def summary_line(problems: list[Problem], files: int) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    return f"{files} file(s) checked: {errors} error(s), {warnings} warning(s)"


def format_problems(problems: list[Problem], files: int, fmt: str, *, colour: bool = False) -> str:
    """Render problems, already sorted, in the `human`, `github` or `json` format."""
    if fmt == "json":
        payload = {
            "files": files,
            "errors": sum(p.is_error for p in problems),
            "warnings": sum(not p.is_error for p in problems),
            "problems": [asdict(p) for p in problems],
        }
        return json.dumps(payload, indent=2, ensure_ascii=False)
    if fmt == "github":
        lines = [github_annotation(p) for p in problems]
    else:
        lines = [_coloured(p) if colour else p.text() for p in problems]
    lines.append(summary_line(problems, files))
    return "\n".join(lines)


def _coloured(problem: Problem) -> str:
    colour = "\033[31m" if problem.is_error else "\033[33m"
    return problem.text().replace(
        f": {problem.severity.value}: ", f": {colour}{problem.severity.value}\033[0m: ", 1
    )
