"""Which practices are due for review: those last reviewed longer ago than a threshold.

`wayout review` lists them, oldest first, as text or as Markdown for a job summary.
The threshold defaults to `wayout.record.rules.REVIEW_AFTER_MONTHS`, the same that makes
`wayout validate` warn about an overdue review.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from wayout.record.loader import Entry
from wayout.record.rules import REVIEW_AFTER_MONTHS, months_between


@dataclass(frozen=True)
class Overdue:
    """A practice due for review, and how long ago it was last reviewed."""

    slug: str
    title: str
    last_reviewed: date
    months: int
    draft: bool


def overdue(
    entries: Iterable[Entry], today: date, months: int = REVIEW_AFTER_MONTHS
) -> list[Overdue]:
    """Practices last reviewed more than `months` months before `today`, oldest first."""
    found = []
    for entry in entries:
        age = months_between(entry.practice.last_reviewed, today)
        if age > months:
            practice = entry.practice
            found.append(
                Overdue(entry.slug, practice.title, practice.last_reviewed, age, practice.draft)
            )
    return sorted(found, key=lambda item: (item.last_reviewed, item.slug))


def markdown_cell(text: str) -> str:
    """Text that is safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def review_text(items: list[Overdue], months: int) -> str:
    """A plain-text table of the practices due for review."""
    if not items:
        return f"No practice is due for review (threshold: {months} months)."
    rows = [("slug", "last reviewed", "months", "title")]
    for o in items:
        title = o.title + (" (draft)" if o.draft else "")
        rows.append((o.slug, o.last_reviewed.isoformat(), str(o.months), title))
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = [f"{len(items)} practice(s) not reviewed for more than {months} months, oldest first:"]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def review_markdown(items: list[Overdue], months: int) -> str:
    """A Markdown table of the practices due for review, for a GitHub job summary."""
    lines = ["## Practices due for review", ""]
    if not items:
        lines.append(f"No practice was last reviewed more than {months} months ago.")
        return "\n".join(lines) + "\n"
    lines += [
        f"{len(items)} practice(s) were last reviewed more than {months} months ago "
        "(oldest first). Check each against its sources and update `last_reviewed`.",
        "",
        "| Practice | Last reviewed | Months ago |",
        "| --- | --- | ---: |",
    ]
    for o in items:
        title = markdown_cell(o.title) + (" (draft)" if o.draft else "")
        lines.append(f"| {title} (`{o.slug}`) | {o.last_reviewed.isoformat()} | {o.months} |")
    return "\n".join(lines) + "\n"
