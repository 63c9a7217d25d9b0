"""Facets: the fields a practitioner browses by, and what each facet page lists.

A facet is defined once (the practice field, its vocabulary, its URL segment and its
titles). Every facet gets an overview listing all its values with their counts, zero
included, and one page per value listing the practices that carry it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from wayout.catalogue.catalogue import Catalogue
from wayout.record.loader import Entry
from wayout.record.vocabulary import Vocabulary, country_name


def _field(name: str) -> Callable[[Entry], list[str]]:
    def values(entry: Entry) -> list[str]:
        return list(getattr(entry.practice, name))

    return values


def _evidence(entry: Entry) -> list[str]:
    evaluation = entry.practice.evaluation
    return [evaluation.level] if evaluation else []


@dataclass(frozen=True)
class Facet:
    """A browsable field: where its values come from and where its pages live."""

    key: str
    vocabulary: str
    segment: str
    title: str
    singular: str
    values_of: Callable[[Entry], list[str]]
    blurb: str

    def url(self, term_id: str | None = None) -> str:
        """Site-relative URL of the overview, or of one value's page."""
        return f"{self.segment}/" if term_id is None else f"{self.segment}/{term_id.lower()}/"

    def src_uri(self, term_id: str | None = None) -> str:
        name = "index" if term_id is None else term_id.lower()
        return f"{self.segment}/{name}.md"


FACETS: tuple[Facet, ...] = (
    Facet("categories", "categories", "categories", "Framework categories", "Category",
          _field("categories"), "The six categories of the WayOut framework for exit programmes."),
    Facet("countries", "countries", "countries", "Countries", "Country",
          _field("countries"), "Where the practices run."),
    Facet("target_groups", "target_groups", "target-groups", "Target groups", "Target group",
          _field("target_groups"), "Who the practices work with."),
    Facet("settings", "settings", "settings", "Settings", "Setting",
          _field("settings"), "Where the practices take place."),
    Facet("ideologies", "ideologies", "ideologies", "Ideologies", "Ideology",
          _field("ideologies"), "The forms of extremism the practices address."),
    Facet("evidence", "evidence_levels", "evidence", "Evidence levels", "Evidence level",
          _evidence, "How well the practices have been evaluated, from none known to "
          "comparison-group studies."),
)  # fmt: skip

FACETS_BY_KEY = {facet.key: facet for facet in FACETS}


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet, with the published practices that carry it."""

    facet: Facet
    id: str
    label: str
    description: str
    entries: tuple[Entry, ...]

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def url(self) -> str:
        return self.facet.url(self.id)

    @property
    def src_uri(self) -> str:
        return self.facet.src_uri(self.id)


def label(facet: Facet, term_id: str, vocabulary: Vocabulary) -> str:
    """The display label of a facet value."""
    if facet.vocabulary == "countries":
        return country_name(term_id) or term_id
    return vocabulary.label(facet.vocabulary, term_id)


def term_ids(facet: Facet, catalogue: Catalogue) -> list[str]:
    """The values a facet shows: the whole vocabulary, or for countries those in use plus
    the WayOut partner countries, sorted by name."""
    if facet.vocabulary != "countries":
        return catalogue.vocabulary.ids(facet.vocabulary)
    used = {code for entry in catalogue.published for code in facet.values_of(entry)}
    codes = used | set(catalogue.vocabulary.partner_countries)
    return sorted(codes, key=lambda code: country_name(code) or code)


def facet_values(facet: Facet, catalogue: Catalogue) -> list[FacetValue]:
    """Every value of the facet with its practices (sorted by title), zero counts included."""
    by_value: dict[str, list[Entry]] = {}
    for entry in catalogue.published:
        for value in facet.values_of(entry):
            by_value.setdefault(value, []).append(entry)
    vocabulary = catalogue.vocabulary
    values = []
    for term_id in term_ids(facet, catalogue):
        if facet.vocabulary == "countries":
            name = country_name(term_id) or term_id
            description = f"Exit-work practices that run in {name}."
        else:
            description = vocabulary.term(facet.vocabulary, term_id).description
        values.append(
            FacetValue(
                facet,
                term_id,
                label(facet, term_id, vocabulary),
                description,
                tuple(by_value.get(term_id, ())),
            )
        )
    return values


@dataclass(frozen=True)
class StandardView:
    """A framework standard with the published practices that apply it."""

    id: str
    label: str
    description: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class CategoryView:
    """A framework category with its standards, for the framework page."""

    id: str
    label: str
    description: str
    count: int
    standards: tuple[StandardView, ...]


def framework(catalogue: Catalogue) -> list[CategoryView]:
    """The six categories, each standard with the practices that apply it."""
    views = []
    for category in catalogue.vocabulary.categories:
        in_category = [e for e in catalogue.published if category.id in e.practice.categories]
        standards = tuple(
            StandardView(
                standard.id,
                standard.label,
                standard.description,
                tuple(e for e in in_category if standard.id in e.practice.standards),
            )
            for standard in category.standards
        )
        views.append(
            CategoryView(
                category.id, category.label, category.description, len(in_category), standards
            )
        )
    return views
