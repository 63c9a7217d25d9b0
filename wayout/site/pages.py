"""The site's generated pages: for each, its source path, metadata and template data.

`site_pages` turns a catalogue into the pages the site adds to the hand-written ones:
one per published practice, the explorer, each facet's overview and value pages, the
framework view and the field reference. The MkDocs hook only hands them over.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html import escape
from typing import Any

from wayout.catalogue.catalogue import Catalogue
from wayout.site.charts import Bar, bar_chart
from wayout.site.europe_map import BINS, MapCountry, europe_svg
from wayout.site.exports import json_ld, script_json
from wayout.catalogue.facets import (
    FACETS,
    FACETS_BY_KEY,
    Facet,
    FacetValue,
    facet_values,
    framework,
    label,
)
from wayout.record.fields import field_reference
from wayout.record.loader import Entry
from wayout.record.model import Organisation
from wayout.record.rules import REVIEW_AFTER_MONTHS, months_between
from wayout.record.vocabulary import Vocabulary, language_name


def build_date() -> date:
    """Today, or the date of SOURCE_DATE_EPOCH so that builds can be reproduced."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return date.today()


@dataclass(frozen=True)
class Page:
    """A generated page: `markdown` is its searchable text, `data` what its template shows."""

    src_uri: str
    title: str
    template: str
    markdown: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    search: dict[str, Any] = field(default_factory=dict)
    description: str = ""


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class FacetLinks:
    """One row of a practice's metadata panel: a facet and the practice's values in it."""

    title: str
    links: tuple[Link, ...]


def practice_url(slug: str) -> str:
    return f"practices/{slug}/"


def facet_links(entry: Entry, vocabulary: Vocabulary) -> list[FacetLinks]:
    rows = []
    for facet in FACETS:
        if facet.key == "evidence":
            continue
        links = tuple(
            Link(label(facet, value, vocabulary), facet.url(value))
            for value in facet.values_of(entry)
        )
        if links:
            rows.append(FacetLinks(facet.title, links))
        if facet.key == "categories" and entry.practice.standards:
            rows.append(
                FacetLinks(
                    "Framework standards",
                    tuple(
                        Link(vocabulary.label("standards", s), f"framework/#{s}")
                        for s in entry.practice.standards
                    ),
                )
            )
    return rows


def period_text(entry: Entry) -> str:
    period = entry.practice.period
    if period is None or (period.start is None and period.end is None):
        return "Not known"
    if period.start and period.end:
        if period.end == period.start:
            return str(period.start)
        return f"{period.start}\N{EN DASH}{period.end}"
    if period.start:
        return f"Since {period.start} (ongoing)"
    return f"Until {period.end}"


def age_text(months: int) -> str:
    if months < 1:
        return "this month"
    if months < 24:
        return f"{months} month{'s' if months != 1 else ''} ago"
    return f"{months // 12} years ago"


@dataclass(frozen=True)
class Evidence:
    level: Link
    level_description: str
    independent: str
    findings: str
    evaluator: str
    year: int | None
    url: str | None


def evidence(entry: Entry, vocabulary: Vocabulary) -> Evidence | None:
    evaluation = entry.practice.evaluation
    if evaluation is None:
        return None
    independence = {True: "Independent", False: "Not independent (internal or commissioned)"}
    return Evidence(
        Link(
            vocabulary.label("evidence_levels", evaluation.level),
            FACETS_BY_KEY["evidence"].url(evaluation.level),
        ),
        vocabulary.term("evidence_levels", evaluation.level).description,
        independence.get(evaluation.independent, "") if evaluation.independent is not None else "",
        vocabulary.label("findings", evaluation.findings) if evaluation.findings else "",
        evaluation.evaluator or "",
        evaluation.year,
        evaluation.url,
    )


@dataclass(frozen=True)
class PracticeView:
    """Everything a practice page shows beside its body, resolved to labels and links."""

    entry: Entry
    facets: list[FacetLinks]
    organisations: list[tuple[Organisation, str]]
    evidence: Evidence | None
    period: str
    languages: list[str]
    reviewed_months: int
    reviewed_text: str
    overdue: bool
    related: list[Link]
    citation: str
    json_ld: str
    search_text: str


def search_text(
    entry: Entry,
    facets: list[FacetLinks],
    organisations: list[tuple[Organisation, str]],
    evidence: Evidence | None,
    languages: list[str],
) -> str:
    """What search finds a practice page by beyond its body: the summary, the English
    title and every label of its "at a glance" panel, as short paragraphs of escaped text
    (the form of the search index's entries). The panel itself is rendered by the page
    template, outside the content that the search plugin parses: indexing its markup cost
    twice as much as the whole body, ran adjacent labels together and repeated the
    evidence level's description on every page."""
    practice = entry.practice
    lines = [practice.summary, practice.title_en or ""]
    lines += [f"{row.title}: {', '.join(link.label for link in row.links)}." for row in facets]
    if evidence is not None:
        details = [f"Evidence: {evidence.level.label}.", evidence.independent]
        if evidence.findings:
            details.append(f"Findings: {evidence.findings}.")
        lines.append(" ".join(d for d in details if d))
    names = [
        f"{o.name} ({o.name_en}), {kind}" if o.name_en else f"{o.name}, {kind}"
        for o, kind in organisations
    ]
    lines.append(f"Organisations: {'; '.join(names)}.")
    if practice.funders:
        lines.append(f"Funded by: {'; '.join(practice.funders)}.")
    if languages:
        lines.append(f"Languages: {', '.join(languages)}.")
    return "".join(f"<p>{escape(line, quote=False)}</p>" for line in lines if line)


def template_headings(view: PracticeView) -> tuple[list[Link], list[Link]]:
    """The headings a practice page's template shows before and after the body, as links
    to their ids (overrides/wayout/practice.html and practice-meta.html give them; the
    page's table of contents lists them around the body's own sections)."""
    after = [Link("Sources", "#sources")]
    if view.related:
        after.append(Link("Related practices", "#related"))
    after.append(Link("Cite this practice", "#cite"))
    return [Link("At a glance", "#at-a-glance")], after


def related_links(entry: Entry, catalogue: Catalogue) -> list[Link]:
    """The published practices that `entry` names as related."""
    return [
        Link(catalogue.entries[slug].practice.title, practice_url(slug))
        for slug in entry.practice.related
        if slug in catalogue.published_slugs
    ]


def practice_view(
    entry: Entry, related: list[Link], vocabulary: Vocabulary, today: date, site_url: str
) -> PracticeView:
    """The view of one practice page. It depends on nothing but its arguments, all the
    catalogue it needs is `related`: `mkdocs serve` reuses a page whose arguments did not
    change (see `ServeCache.page_key` in wayout_mkdocs/serve.py)."""
    practice = entry.practice
    months = months_between(practice.last_reviewed, today)
    organisations = ", ".join(o.name for o in practice.organisations[:2])
    citation = (
        f"WayOut Practice Repository contributors. {practice.title}"
        f"{f' ({practice.title_en})' if practice.title_en else ''}. "
        f"Practice entry on {organisations}, last reviewed {practice.last_reviewed.isoformat()}. "
        f"{site_url}{practice_url(entry.slug)} (CC BY 4.0)."
    )
    facets = facet_links(entry, vocabulary)
    kinds = [(o, vocabulary.label("organisation_types", o.type)) for o in practice.organisations]
    found = evidence(entry, vocabulary)
    languages = [language_name(code) or code for code in practice.languages]
    return PracticeView(
        entry=entry,
        facets=facets,
        organisations=kinds,
        evidence=found,
        period=period_text(entry),
        languages=languages,
        reviewed_months=months,
        reviewed_text=age_text(months),
        overdue=months > REVIEW_AFTER_MONTHS,
        related=related,
        citation=citation,
        json_ld=script_json(json_ld(entry, f"{site_url}{practice_url(entry.slug)}", vocabulary)),
        search_text=search_text(entry, facets, kinds, found, languages),
    )


@dataclass(frozen=True)
class Card:
    """What a listing shows of one practice."""

    entry: Entry
    url: str
    countries: list[str]
    categories: list[str]
    evidence: str


def card(entry: Entry, vocabulary: Vocabulary) -> Card:
    countries = [label(FACETS_BY_KEY["countries"], c, vocabulary) for c in entry.practice.countries]
    categories = [vocabulary.label("categories", c) for c in entry.practice.categories]
    evaluation = entry.practice.evaluation
    level = vocabulary.label("evidence_levels", evaluation.level) if evaluation else ""
    return Card(entry, practice_url(entry.slug), countries, categories, level)


class ViewCache:
    """The practice views of a process that makes the pages again and again (`mkdocs
    serve`): a view is made again only when an argument of `practice_view` changed. An
    `Entry` never changes, and the cache holds the entries it knows (see `RecordCache`)."""

    def __init__(self) -> None:
        self.views: dict[str, tuple[tuple[object, ...], PracticeView]] = {}
        self.used: dict[str, tuple[tuple[object, ...], PracticeView]] = {}

    def view(
        self, entry: Entry, related: list[Link], vocabulary: Vocabulary, today: date, site_url: str
    ) -> PracticeView:
        arguments = (entry, related, vocabulary, today, site_url)
        known = self.views.get(entry.slug)
        if known is None or not _same(known[0], arguments):
            known = (arguments, practice_view(entry, related, vocabulary, today, site_url))
        self.used[entry.slug] = known
        return known[1]

    def keep_used(self) -> None:
        """Forget the views the pages made since the last call did not use."""
        self.views, self.used = self.used, {}


def _same(known: tuple[object, ...], arguments: tuple[object, ...]) -> bool:
    """The entry and vocabulary are the very same objects, the rest equal."""
    return known[0] is arguments[0] and known[2] is arguments[2] and known[1:] == arguments[1:]


def practice_pages(
    catalogue: Catalogue, today: date, site_url: str, views: ViewCache | None = None
) -> list[Page]:
    views = ViewCache() if views is None else views
    pages = [
        Page(
            src_uri=f"practices/{entry.slug}.md",
            title=entry.practice.title,
            template="wayout/practice.html",
            markdown=entry.body,
            data={
                "view": views.view(
                    entry, related_links(entry, catalogue), catalogue.vocabulary, today, site_url
                )
            },
            search={"boost": 2},
            description=entry.practice.summary,
        )
        for entry in catalogue.published
    ]
    views.keep_used()
    return pages


def country_map(values: list[FacetValue], prefix: str) -> str:
    """The map of Europe for the country facet's values; links start with `prefix`."""
    countries = [MapCountry(v.id, v.label, v.count, f"{prefix}{v.id.lower()}/") for v in values]
    return europe_svg(countries, title="Map of Europe: number of practices by country")


def facet_pages(facet: Facet, catalogue: Catalogue, cards: dict[str, Card]) -> list[Page]:
    """The facet's overview and a page per value; `cards` holds each published practice's
    card by slug (made once: a practice is listed on a page of every facet)."""
    values = facet_values(facet, catalogue)
    data: dict[str, Any] = {"facet": facet, "values": values}
    if facet.key == "countries":
        data["map"] = country_map(values, "")
        data["legend"] = [(index + 1, text) for index, (_, text) in enumerate(BINS)]
    overview = Page(
        src_uri=facet.src_uri(),
        title=facet.title,
        template="wayout/facet-overview.html",
        markdown=f"{facet.blurb}\n",
        data=data,
        search={"exclude": True},
        description=facet.blurb,
    )
    value_pages = [
        Page(
            src_uri=value.src_uri,
            title=f"{value.label} — {facet.singular}",
            template="wayout/facet-value.html",
            markdown=f"{value.description}\n",
            data={
                "facet": facet,
                "value": value,
                "cards": [cards[e.slug] for e in value.entries],
            },
            description=value.description,
        )
        for value in values
    ]
    return [overview, *value_pages]


def explorer_data(catalogue: Catalogue, cards: dict[str, Card]) -> dict[str, Any]:
    """The explorer's template data: the cards, what each is filtered, sorted and searched
    by, and the filters.

    `cards` and `card_data` run in parallel: `card_data[i]` holds the `data-*` attributes
    of `cards[i]`, one per filter (its value ids in lower case, separated by spaces), plus
    `title`, `start` (year or empty), `reviewed` (ISO date) and `text`, the search text
    (titles, summary, organisation names) in lower case without accents. `filters` are the
    facets with the framework standards after the categories, each with only the values at
    least one published practice carries, in vocabulary order (countries by name).
    """
    import unicodedata

    def fold(text: str) -> str:
        if text.isascii():
            return text.lower()
        decomposed = unicodedata.normalize("NFD", text.lower())
        return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))

    standards = Facet(
        "standards",
        "standards",
        "framework",
        "Framework standards",
        "Framework standard",
        lambda entry: list(entry.practice.standards),
        "The standards of the WayOut framework.",
    )
    facets = [FACETS_BY_KEY["categories"], standards]
    facets += [facet for facet in FACETS if facet.key != "categories"]
    names = {
        "categories": "category",
        "standards": "standard",
        "countries": "country",
        "target_groups": "target-group",
        "settings": "setting",
        "ideologies": "ideology",
    }
    filters = [
        {
            "name": names.get(facet.key, facet.key.replace("_", "-")),
            "title": facet.title,
            "values": [
                {"id": value.id.lower(), "label": value.label, "count": value.count}
                for value in facet_values(facet, catalogue)
                if value.count
            ],
        }
        for facet in facets
    ]
    card_data = []
    for entry in catalogue.published:
        practice = entry.practice
        data = {
            str(spec["name"]): " ".join(value.lower() for value in facet.values_of(entry))
            for facet, spec in zip(facets, filters, strict=True)
        }
        start = practice.period.start if practice.period else None
        names_of = [name for o in practice.organisations for name in (o.name, o.name_en) if name]
        text = [practice.title, practice.title_en or "", practice.summary, *names_of]
        data["title"] = practice.title.lower()
        data["start"] = str(start) if start else ""
        data["reviewed"] = practice.last_reviewed.isoformat()
        data["text"] = "\n".join(fold(part) for part in text if part)
        card_data.append(data)
    return {
        "cards": [cards[entry.slug] for entry in catalogue.published],
        "card_data": card_data,
        "filters": filters,
    }


def site_pages(
    catalogue: Catalogue, site_url: str, today: date | None = None, views: ViewCache | None = None
) -> list[Page]:
    """Every generated page of the site, in a stable order. A process that makes them
    again and again (`mkdocs serve`) passes the same `views` every time."""
    today = today or build_date()
    vocabulary = catalogue.vocabulary
    pages = practice_pages(catalogue, today, site_url, views)
    cards = {entry.slug: card(entry, vocabulary) for entry in catalogue.published}
    pages.append(
        Page(
            src_uri="practices/index.md",
            title="Practices",
            template="wayout/explorer.html",
            markdown="",
            data=explorer_data(catalogue, cards),
            search={"exclude": True},
            description="All published exit-work practices, with filters.",
        )
    )
    for facet in FACETS:
        pages.extend(facet_pages(facet, catalogue, cards))
    pages.append(
        Page(
            src_uri="framework.md",
            title="The WayOut framework",
            template="wayout/framework.html",
            markdown="",
            data={"categories": framework(catalogue)},
            search={"exclude": True},
            description="The six categories and 44 standards of the WayOut framework, "
            "each with the practices that apply it.",
        )
    )
    pages.append(
        Page(
            src_uri="fields.md",
            title="Field reference",
            template="wayout/fields.html",
            markdown="",
            data={"fields": field_reference(), "vocabulary": vocabulary},
            description="Every field of a practice file and every allowed value.",
        )
    )
    return pages


@dataclass(frozen=True)
class HomeData:
    """The figures and lists of the home page."""

    practices: int
    countries: int
    organisations: int
    facets: dict[str, list[Any]]
    recent: list[Card]
    map: str
    charts: list[Chart]


def home_data(catalogue: Catalogue) -> HomeData:
    published = catalogue.published
    vocabulary = catalogue.vocabulary
    recent = sorted(published, key=lambda e: (e.practice.last_reviewed, e.slug), reverse=True)
    return HomeData(
        practices=len(published),
        countries=len({c for e in published for c in e.practice.countries}),
        organisations=len({o.name for e in published for o in e.practice.organisations}),
        facets={
            key: facet_values(FACETS_BY_KEY[key], catalogue)
            for key in ("categories", "countries", "target_groups", "settings")
        },
        recent=[card(e, vocabulary) for e in recent[:6]],
        map=country_map(facet_values(FACETS_BY_KEY["countries"], catalogue), "countries/"),
        charts=[facet_chart(FACETS_BY_KEY[key], catalogue) for key in ("categories", "settings")],
    )


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str


def facet_chart(facet: Facet, catalogue: Catalogue) -> Chart:
    """A bar chart of a facet's values for the home page (links relative to the site root)."""
    bars = [Bar(v.label, v.count, v.url) for v in facet_values(facet, catalogue)]
    title = f"Practices by {facet.singular.lower()}"
    return Chart(title, bar_chart(bars, title, f"chart-{facet.key}"))
