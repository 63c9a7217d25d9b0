"""Rules that span several fields of a practice, and advisories that never fail a build.

Each rule is a small generator whose docstring states what must hold; it yields
`Breach`es located by their field path. `Practice` enforces `cross_field_errors`; the
loader turns `advisories` into warnings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from wayout.record.vocabulary import Vocabulary

if TYPE_CHECKING:
    from wayout.record.model import Practice

Loc = tuple[str | int, ...]

# Evidence levels that mean "there is no evaluation to describe".
WITHOUT_EVALUATION = frozenset({"no-evaluation-known", "not-evaluated"})
# A practice is due for review when its last review is older than this.
REVIEW_AFTER_MONTHS = 24
# A mailbox whose local part looks like "first.last" is probably a person's.
PERSONAL_MAILBOX = re.compile(r"^[a-z]+[._-][a-z]+$", re.IGNORECASE)


@dataclass(frozen=True)
class Breach:
    """One broken rule, located by its field path in the front matter."""

    loc: Loc
    message: str
    hint: str = ""


def standards_in_categories(practice: Practice, vocabulary: Vocabulary) -> Iterator[Breach]:
    """Each standard must belong to one of the practice's categories."""
    for index, standard in enumerate(practice.standards):
        category = vocabulary.category_of_standard.get(standard)
        if category and category not in practice.categories:
            yield Breach(
                ("standards", index),
                f"'{standard}' is a standard of the category '{category}', "
                "which is not in categories",
                f"add '{category}' to categories, or remove '{standard}'",
            )


def period_in_order(practice: Practice, vocabulary: Vocabulary) -> Iterator[Breach]:
    """A period must not end before it starts."""
    period = practice.period
    if period and period.start and period.end and period.end < period.start:
        yield Breach(
            ("period", "end"),
            f"the period ends ({period.end}) before it starts ({period.start})",
            "swap start and end, or correct the year",
        )


def evaluation_consistent(practice: Practice, vocabulary: Vocabulary) -> Iterator[Breach]:
    """Findings and independence can only be given when there was an evaluation."""
    evaluation = practice.evaluation
    if evaluation is None or evaluation.level not in WITHOUT_EVALUATION:
        return
    for field in ("findings", "independent", "evaluator"):
        if getattr(evaluation, field) is not None:
            yield Breach(
                ("evaluation", field),
                f"'{field}' describes an evaluation, but the level is '{evaluation.level}'",
                f"remove '{field}', or choose the evidence level of the evaluation that exists",
            )


def sources_distinct(practice: Practice, vocabulary: Vocabulary) -> Iterator[Breach]:
    """Each source must be listed once."""
    seen: dict[str, int] = {}
    for index, source in enumerate(practice.sources):
        if source.url in seen:
            yield Breach(
                ("sources", index, "url"),
                f"the same source is already listed as [{seen[source.url] + 1}]",
                "remove the repeated entry and cite the first one",
            )
        seen.setdefault(source.url, index)


CROSS_FIELD_RULES: tuple[Callable[[Practice, Vocabulary], Iterator[Breach]], ...] = (
    standards_in_categories,
    period_in_order,
    evaluation_consistent,
    sources_distinct,
)


def cross_field_errors(practice: Practice, vocabulary: Vocabulary) -> Iterator[Breach]:
    """Every breach of every cross-field rule."""
    for rule in CROSS_FIELD_RULES:
        yield from rule(practice, vocabulary)


def months_between(earlier: date, later: date) -> int:
    return (
        (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)
    )


def review_due(practice: Practice, today: date) -> Iterator[Breach]:
    """A practice should be reviewed at least every REVIEW_AFTER_MONTHS months."""
    age = months_between(practice.last_reviewed, today)
    if age > REVIEW_AFTER_MONTHS:
        yield Breach(
            ("last_reviewed",),
            f"last reviewed {age} months ago (review due after {REVIEW_AFTER_MONTHS})",
            "check the entry against its sources and update last_reviewed",
        )


def contact_organisational(practice: Practice, today: date) -> Iterator[Breach]:
    """A contact mailbox should be a role address, not a person's."""
    email = practice.contact.email if practice.contact else None
    if email and PERSONAL_MAILBOX.match(email.split("@", 1)[0]):
        yield Breach(
            ("contact", "email"),
            f"'{email}' looks like a person's address",
            "use a role mailbox such as info@ or exit@: no personal data of private persons",
        )


ADVISORIES: tuple[Callable[[Practice, date], Iterator[Breach]], ...] = (
    review_due,
    contact_organisational,
)


def advisories(practice: Practice, today: date) -> Iterator[Breach]:
    """Every advisory for a valid practice: reported as warnings, never fatal."""
    for advisory in ADVISORIES:
        yield from advisory(practice, today)
