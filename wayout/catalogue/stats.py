"""Counts of the published practices by every facet, for reports and job summaries.

`wayout stats` prints, for each facet of `wayout.catalogue.facets.FACETS`, every value with the
number of published practices that carry it (zero included), plus the totals.
"""

from __future__ import annotations

from dataclasses import dataclass

from wayout.catalogue.catalogue import Catalogue
from wayout.catalogue.facets import FACETS, Facet, facet_values
from wayout.catalogue.review import markdown_cell


@dataclass(frozen=True)
class FacetCounts:
    """One facet: each value's label and count, and how many practices give no value."""

    facet: Facet
    values: tuple[tuple[str, int], ...]
    without_value: int


@dataclass(frozen=True)
class Stats:
    """Totals of the catalogue and the counts of every facet."""

    published: int
    drafts: int
    facets: tuple[FacetCounts, ...]


def stats(catalogue: Catalogue) -> Stats:
    """Count the published practices by every facet."""
    published = catalogue.published
    counts = []
    for facet in FACETS:
        values = tuple((value.label, value.count) for value in facet_values(facet, catalogue))
        without = sum(1 for entry in published if not facet.values_of(entry))
        counts.append(FacetCounts(facet, values, without))
    drafts = len(catalogue.entries) - len(published)
    return Stats(len(published), drafts, tuple(counts))


def stats_text(numbers: Stats) -> str:
    """The counts as plain text."""
    lines = [f"Published practices: {numbers.published}", f"Drafts: {numbers.drafts}"]
    for counts in numbers.facets:
        rows = list(counts.values)
        if counts.without_value:
            rows.append(("(none given)", counts.without_value))
        width = max(len(label) for label, _ in rows)
        lines += ["", counts.facet.title]
        lines += [f"  {label:<{width}}  {count:>4}" for label, count in rows]
    return "\n".join(lines)


def stats_markdown(numbers: Stats) -> str:
    """The counts as Markdown tables, for a GitHub job summary."""
    lines = [
        "## Practices in numbers",
        "",
        f"**{numbers.published}** published practice(s), {numbers.drafts} draft(s).",
    ]
    for counts in numbers.facets:
        lines += ["", f"### {counts.facet.title}", "", "| Value | Practices |", "| --- | ---: |"]
        lines += [f"| {markdown_cell(label)} | {count} |" for label, count in counts.values]
        if counts.without_value:
            lines.append(f"| *(none given)* | {counts.without_value} |")
    return "\n".join(lines) + "\n"
