"""Machine-readable views of the catalogue: open-data files and schema.org JSON-LD.

Everything here is plain data made from `Entry` objects; the site and the command line
write it out.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from typing import Any

from wayout.record.loader import Entry
from wayout.record.vocabulary import Vocabulary, country_name, language_name

LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def json_ld(entry: Entry, url: str, vocabulary: Vocabulary) -> dict[str, Any]:
    """schema.org description of a practice page: an Article about a Project."""
    practice = entry.practice
    project: dict[str, Any] = {
        "@type": "Project",
        "name": practice.title,
        "description": practice.summary,
        "areaServed": [
            {"@type": "Country", "name": country_name(c), "identifier": c}
            for c in practice.countries
        ],
        "member": [{"@type": "Organization", "name": o.name} for o in practice.organisations],
    }
    if practice.title_en:
        project["alternateName"] = practice.title_en
    if practice.website:
        project["url"] = practice.website
    if practice.period and practice.period.start:
        project["foundingDate"] = str(practice.period.start)
    if practice.funders:
        project["funder"] = [{"@type": "Organization", "name": f} for f in practice.funders]
    keywords = [vocabulary.label("categories", c) for c in practice.categories]
    keywords += [vocabulary.label("target_groups", t) for t in practice.target_groups]
    keywords += [vocabulary.label("settings", s) for s in practice.settings]
    return {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": practice.title,
        "description": practice.summary,
        "url": url,
        "dateModified": practice.last_reviewed.isoformat(),
        "inLanguage": "en",
        "license": LICENCE_URL,
        "keywords": keywords,
        "about": project,
        "citation": [
            {"@type": "CreativeWork", "name": s.title, "url": s.url} for s in practice.sources
        ],
        "isPartOf": {"@type": "WebSite", "name": "WayOut Practice Repository"},
    }


def script_json(data: Any) -> str:
    """JSON that is safe inside an HTML <script> element (no '<', '>' or '&' in clear)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# --- Open data: JSON, CSV, vocabularies, Atom -------------------------------------------

LABELLED_LISTS = {
    "countries": "countries",
    "categories": "categories",
    "standards": "standards",
    "target_groups": "target_groups",
    "settings": "settings",
    "ideologies": "ideologies",
    "languages": "languages",
}


def term_label(vocabulary: Vocabulary, name: str, term_id: str) -> str:
    if name == "countries":
        return country_name(term_id) or term_id
    if name == "languages":
        return language_name(term_id) or term_id
    return vocabulary.label(name, term_id)


def labels(entry: Entry, vocabulary: Vocabulary) -> dict[str, Any]:
    """The labels of every vocabulary id of a practice, in lists parallel to the ids."""
    practice = entry.practice
    result: dict[str, Any] = {
        key: [term_label(vocabulary, name, value) for value in getattr(practice, key)]
        for key, name in LABELLED_LISTS.items()
    }
    result["organisation_types"] = [
        vocabulary.label("organisation_types", o.type) for o in practice.organisations
    ]
    if practice.evaluation:
        result["evidence_level"] = vocabulary.label("evidence_levels", practice.evaluation.level)
        if practice.evaluation.findings:
            result["findings"] = vocabulary.label("findings", practice.evaluation.findings)
    return result


def practice_record(entry: Entry, site_url: str, vocabulary: Vocabulary) -> dict[str, Any]:
    """One practice as open data: slug, canonical URL, every front-matter field, labels."""
    front = entry.practice.model_dump(mode="json", exclude_none=True)
    return {
        "slug": entry.slug,
        "url": f"{site_url}practices/{entry.slug}/",
        **front,
        "labels": labels(entry, vocabulary),
    }


class RecordCache:
    """The text of each practice's record in the open data (its JSON record, its CSV
    line), kept by a process that writes the open data again and again (`mkdocs serve`):
    only new or changed entries are encoded again. An `Entry` never changes; the cache
    holds the entries it knows, so that their ids are not reused while it remembers them."""

    def __init__(self) -> None:
        self.texts: dict[tuple[int, str], tuple[Entry, str, Vocabulary, str]] = {}

    def text(
        self,
        entry: Entry,
        site_url: str,
        vocabulary: Vocabulary,
        encode: Callable[[Entry, str, Vocabulary], str],
    ) -> str:
        """`encode(entry, site_url, vocabulary)`, encoded again only if one of them changed."""
        key = (id(entry), encode.__name__)
        known = self.texts.get(key)
        if known and known[0] is entry and known[1] == site_url and known[2] is vocabulary:
            return known[3]
        text = encode(entry, site_url, vocabulary)
        self.texts[key] = (entry, site_url, vocabulary, text)
        return text

    def record_text(self, entry: Entry, site_url: str, vocabulary: Vocabulary) -> str:
        return self.text(entry, site_url, vocabulary, record_json)

    def keep_only(self, entries: list[Entry]) -> None:
        ids = {id(entry) for entry in entries}
        self.texts = {key: value for key, value in self.texts.items() if key[0] in ids}


def record_json(entry: Entry, site_url: str, vocabulary: Vocabulary) -> str:
    """A practice's record as one line of JSON."""
    return json.dumps(practice_record(entry, site_url, vocabulary), ensure_ascii=False)


def practices_json(
    entries: list[Entry], site_url: str, vocabulary: Vocabulary, cache: RecordCache | None = None
) -> str:
    """The practices file: its header fields indented, then one practice record per line
    (readable, easy to diff and to read a record at a time, and encoded by the json
    module's C encoder, which `indent` would turn off), built from each record's text so
    that records can be cached."""
    cache = cache or RecordCache()
    data = {
        "title": "WayOut Practice Repository: practices",
        "license": LICENCE_URL,
        "schema": f"{site_url}api/practice.schema.json",
        "count": len(entries),
        "practices": [],
    }
    head = json.dumps(data, ensure_ascii=False, indent=1)
    empty = '\n "practices": []\n}'
    assert head.endswith(empty)
    records = [cache.record_text(e, site_url, vocabulary) for e in entries]
    cache.keep_only(entries)
    if not records:
        return head + "\n"
    items = ",\n".join(f"  {text}" for text in records)
    return f'{head.removesuffix(empty)}\n "practices": [\n{items}\n ]\n}}\n'


CSV_COLUMNS = (
    "slug", "url", "title", "title_en", "summary", "countries", "country_names", "categories",
    "category_labels", "standards", "target_groups", "settings", "ideologies", "period_start",
    "period_end", "organisations", "organisation_types", "funders", "evidence_level",
    "evaluation_independent", "evaluation_findings", "evaluator", "evaluation_year",
    "evaluation_url", "languages", "website", "contact_email", "contact_url", "related",
    "source_titles", "source_urls", "last_reviewed",
)  # fmt: skip
LIST_SEPARATOR = "; "


def csv_row(entry: Entry, site_url: str, vocabulary: Vocabulary) -> dict[str, str]:
    p = entry.practice
    joined = LIST_SEPARATOR.join
    evaluation = p.evaluation
    independent = (
        ""
        if evaluation is None or evaluation.independent is None
        else ("yes" if evaluation.independent else "no")
    )
    return {
        "slug": entry.slug,
        "url": f"{site_url}practices/{entry.slug}/",
        "title": p.title,
        "title_en": p.title_en or "",
        "summary": p.summary,
        "countries": joined(p.countries),
        "country_names": joined(country_name(c) or c for c in p.countries),
        "categories": joined(p.categories),
        "category_labels": joined(vocabulary.label("categories", c) for c in p.categories),
        "standards": joined(p.standards),
        "target_groups": joined(p.target_groups),
        "settings": joined(p.settings),
        "ideologies": joined(p.ideologies),
        "period_start": str(p.period.start) if p.period and p.period.start else "",
        "period_end": str(p.period.end) if p.period and p.period.end else "",
        "organisations": joined(o.name for o in p.organisations),
        "organisation_types": joined(o.type for o in p.organisations),
        "funders": joined(p.funders),
        "evidence_level": evaluation.level if evaluation else "",
        "evaluation_independent": independent,
        "evaluation_findings": (evaluation.findings or "") if evaluation else "",
        "evaluator": (evaluation.evaluator or "") if evaluation else "",
        "evaluation_year": str(evaluation.year) if evaluation and evaluation.year else "",
        "evaluation_url": (evaluation.url or "") if evaluation else "",
        "languages": joined(p.languages),
        "website": p.website or "",
        "contact_email": (p.contact.email or "") if p.contact else "",
        "contact_url": (p.contact.url or "") if p.contact else "",
        "related": joined(p.related),
        "source_titles": joined(s.title for s in p.sources),
        "source_urls": joined(s.url for s in p.sources),
        "last_reviewed": p.last_reviewed.isoformat(),
    }


def csv_line(values: Iterable[str]) -> str:
    """One line of the CSV file, quoted as spreadsheets expect, with its line end."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue()


def csv_record(entry: Entry, site_url: str, vocabulary: Vocabulary) -> str:
    """A practice's line of the CSV file."""
    row = csv_row(entry, site_url, vocabulary)
    return csv_line(row[column] for column in CSV_COLUMNS)


def practices_csv(
    entries: list[Entry], site_url: str, vocabulary: Vocabulary, cache: RecordCache | None = None
) -> str:
    """UTF-8 CSV (with a byte-order mark, so spreadsheets detect the encoding), a line per
    practice, taken from `cache` for the entries it has encoded before."""
    cache = cache or RecordCache()
    lines = [cache.text(e, site_url, vocabulary, csv_record) for e in entries]
    return "\ufeff" + csv_line(CSV_COLUMNS) + "".join(lines)


def vocabularies_json(vocabulary: Vocabulary) -> str:
    data = {"license": LICENCE_URL, **vocabulary.data.model_dump(mode="json")}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


ATOM = "http://www.w3.org/2005/Atom"
# Feed readers fetch the feed again and again: it holds the most recently reviewed
# practices, not the whole catalogue (which practices.json holds).
FEED_SIZE = 100


def atom_feed(
    entries: list[Entry], site_url: str, vocabulary: Vocabulary, size: int = FEED_SIZE
) -> str:
    """An Atom feed of the `size` most recently reviewed practices, newest first."""
    ET.register_namespace("", ATOM)
    newest = sorted(entries, key=lambda e: (e.practice.last_reviewed, e.slug), reverse=True)
    newest = newest[:size]
    feed = ET.Element(f"{{{ATOM}}}feed")

    def add(parent: ET.Element, tag: str, text: str = "", **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text:
            element.text = text
        return element

    add(feed, "title", "WayOut Practice Repository")
    add(feed, "subtitle", "New and updated practices in exit work")
    add(feed, "id", site_url)
    add(feed, "link", href=site_url)
    add(feed, "link", rel="self", href=f"{site_url}feed.xml")
    updated = newest[0].practice.last_reviewed.isoformat() if newest else "1970-01-01"
    add(feed, "updated", f"{updated}T00:00:00Z")
    add(add(feed, "author"), "name", "WayOut Practice Repository contributors")
    add(feed, "rights", "CC BY 4.0")
    for entry in newest:
        url = f"{site_url}practices/{entry.slug}/"
        item = add(feed, "entry")
        add(item, "title", entry.practice.title)
        add(item, "id", url)
        add(item, "link", href=url)
        add(item, "updated", f"{entry.practice.last_reviewed.isoformat()}T00:00:00Z")
        add(item, "summary", entry.practice.summary)
        for category in entry.practice.categories:
            add(item, "category", term=category, label=vocabulary.label("categories", category))
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def open_data_files(
    entries: list[Entry], site_url: str, vocabulary: Vocabulary, cache: RecordCache | None = None
) -> dict[str, str]:
    """Every open-data file of the site by its path, from the published entries."""
    from wayout.record.schema import render_schema

    return {
        "api/practices.json": practices_json(entries, site_url, vocabulary, cache),
        "api/practices.csv": practices_csv(entries, site_url, vocabulary, cache),
        "api/practice.schema.json": render_schema(vocabulary),
        "api/vocabularies.json": vocabularies_json(vocabulary),
        "feed.xml": atom_feed(entries, site_url, vocabulary),
    }
