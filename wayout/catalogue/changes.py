"""What a pull request adds, updates or removes in `practices/`, in plain words.

The CI workflow pipes `git diff --name-status` into `wayout changes -`, which prints a
Markdown list such as "Adds practice **EXIT-Deutschland** (`exit-deutschland`)" for the
job summary. This module reads that output; it never runs git itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from wayout.catalogue.review import markdown_cell
from wayout.record.loader import LoadError, decode, parse_yaml, split

PRACTICE_SUFFIX = ".md"


@dataclass(frozen=True)
class Change:
    """One practice file added, updated, removed or renamed."""

    action: str
    path: str
    old_path: str = ""

    @property
    def slug(self) -> str:
        return PurePosixPath(self.path).stem

    @property
    def old_slug(self) -> str:
        return PurePosixPath(self.old_path).stem


def is_practice(path: str, folder: str) -> bool:
    """A Markdown file directly inside the practices folder."""
    pure = PurePosixPath(path)
    return pure.parent == PurePosixPath(folder) and pure.suffix == PRACTICE_SUFFIX


def parse_name_status(text: str, folder: str = "practices") -> list[Change]:
    """The changes to practice files in the output of `git diff --name-status`."""
    changes = []
    for line in text.splitlines():
        status, *paths = line.split("\t")
        if not status or not paths:
            continue
        change = _change(status[0], paths, folder)
        if change is not None:
            changes.append(change)
    return changes


def _change(status: str, paths: list[str], folder: str) -> Change | None:
    old, new = paths[0], paths[-1]
    if status in "RC" and len(paths) == 2:
        old_in, new_in = is_practice(old, folder), is_practice(new, folder)
        if status == "R" and old_in and new_in:
            return Change("renamed", new, old)
        if new_in:
            return Change("added", new)
        return Change("removed", old) if status == "R" and old_in else None
    if not is_practice(new, folder):
        return None
    action = {"A": "added", "D": "removed"}.get(status, "updated")
    return Change(action, new)


def title_of(path: Path) -> str | None:
    """The title in a practice file's front matter, even when other fields are wrong."""
    try:
        front, line, _, _ = split(decode(path, path.read_bytes()))
        data, _ = parse_yaml(front, line)
    except (LoadError, OSError):
        return None
    title = data.get("title") if isinstance(data, dict) else None
    return title if isinstance(title, str) and title.strip() else None


def describe(change: Change, root: Path) -> str:
    """One Markdown line saying what the change does."""
    title = title_of(root / change.path)
    named = f"**{markdown_cell(title)}** (`{change.slug}`)" if title else f"`{change.slug}`"
    if change.action == "added":
        return f"- Adds practice {named}"
    if change.action == "updated":
        return f"- Updates practice {named}"
    if change.action == "renamed":
        return f"- Renames practice `{change.old_slug}` to {named}"
    return f"- Removes practice `{change.slug}`"


def changes_markdown(changes: list[Change], root: Path = Path()) -> str:
    """The job-summary section listing every change to a practice."""
    lines = ["## Practices in this change", ""]
    if not changes:
        lines.append("This change does not add, update or remove any practice.")
    else:
        lines += [describe(change, root) for change in changes]
    return "\n".join(lines) + "\n"
