"""Nothing lost, nothing invented: for random valid catalogues, every published practice
appears exactly once on the page of each of its facet values, in the explorer, in the open
data (JSON, CSV, feed) and - in a real build - in the search index and the sitemap, and
nowhere it does not belong; drafts appear nowhere.

Hypothesis drives the pure functions of wayout.catalogue.facets, wayout.site.pages and
wayout.site.exports on catalogues built in memory; one real site build checks the files a
visitor gets.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import GOOD_BODY
from tests.site_build import build_site
from wayout.catalogue.catalogue import Catalogue, load_catalogue
from wayout.catalogue.facets import FACETS, facet_values
from wayout.record.loader import Entry
from wayout.record.model import Practice
from wayout.record.vocabulary import Vocabulary, default_vocabulary
from wayout.site.exports import open_data_files
from wayout.site.pages import site_pages

VOCABULARY = default_vocabulary()
SITE_URL = "https://example.org/site/"
TODAY = date(2026, 11, 1)
COUNTRIES = ["DE", "AT", "BE", "FR", "NL", "PT", "NO", "GB", "SE", "TR", "CA", "US"]
WORDS = ["Kestrel", "Brücke", "Lantern", "Compass", "Harbour", "Relay", "Anchor", "Sillon"]

Front = dict[str, Any]


def sample(rng: random.Random, values: list[str], least: int) -> list[str]:
    return rng.sample(values, rng.randint(least, min(len(values), least + 3)))


def random_practice(rng: random.Random, index: int, vocabulary: Vocabulary) -> tuple[str, Front]:
    """A valid practice (slug, front matter) with random facet values; some are drafts."""
    draft = rng.random() < 0.25
    word = rng.choice(WORDS)
    categories = sample(rng, vocabulary.ids("categories"), 1)
    standards = [
        s.id
        for c in vocabulary.categories
        if c.id in categories
        for s in c.standards
        if rng.random() < 0.3
    ]
    front: Front = {
        "title": f"{word} {'Zdraft' if draft else 'Practice'} {index}",
        "summary": f"A generated practice number {index} that exists only for a property test.",
        "countries": sample(rng, COUNTRIES, 1),
        "categories": categories,
        "standards": standards,
        "target_groups": sample(rng, vocabulary.ids("target_groups"), 1),
        "settings": sample(rng, vocabulary.ids("settings"), 1),
        "ideologies": sample(rng, vocabulary.ids("ideologies"), 0),
        "organisations": [{"name": f"Organisation {word}", "type": "ngo"}],
        "sources": [{"title": "A source", "url": f"https://example.org/{index}"}],
        "last_reviewed": "2026-06-01",
        "draft": draft,
    }
    if rng.random() < 0.7:
        front["evaluation"] = {"level": rng.choice(vocabulary.ids("evidence_levels"))}
    return f"{word.lower().replace('ü', 'u')}-{index:03d}", front


def random_fronts(rng: random.Random, count: int) -> list[tuple[str, Front]]:
    return [random_practice(rng, index, VOCABULARY) for index in range(count)]


def in_memory(fronts: list[tuple[str, Front]]) -> Catalogue:
    entries = {
        slug: Entry(
            slug,
            Path(f"{slug}.md"),
            Practice.model_validate(front, context={"vocabulary": VOCABULARY}),
            GOOD_BODY,
            16,
        )
        for slug, front in fronts
    }
    return Catalogue(entries, [], len(entries), VOCABULARY)


def expected_by_value(catalogue: Catalogue) -> dict[tuple[str, str], list[str]]:
    """(facet, value) -> the slugs of the published practices that carry the value."""
    found: dict[tuple[str, str], list[str]] = {}
    for facet in FACETS:
        for entry in catalogue.published:
            for value in facet.values_of(entry):
                found.setdefault((facet.key, value), []).append(entry.slug)
    return found


def drafts(catalogue: Catalogue) -> list[str]:
    return [slug for slug, entry in catalogue.entries.items() if entry.practice.draft]


def mentions(text: str, slug: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(slug)}(?![\w-])", text) is not None


def assert_exactly(found: list[str], expected: list[str], where: str) -> None:
    duplicates = [slug for slug, n in Counter(found).items() if n > 1]
    assert not duplicates, f"{where}: listed more than once: {duplicates}"
    assert sorted(found) == sorted(expected), where


def feed_slugs(feed: str) -> list[str]:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    ids = [
        e.findtext("a:id", namespaces=ns) or "" for e in ET.fromstring(feed).findall("a:entry", ns)
    ]
    return [i.rstrip("/").rsplit("/", 1)[-1] for i in ids]


def csv_slugs(text: str) -> list[str]:
    return [row["slug"] for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))]


# --- The pure functions, on many catalogues -------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(st.randoms(use_true_random=False), st.integers(0, 12))
def test_each_practice_is_listed_once_where_it_belongs(rng: random.Random, count: int) -> None:
    catalogue = in_memory(random_fronts(rng, count))
    published = [entry.slug for entry in catalogue.published]
    expected = expected_by_value(catalogue)

    for facet in FACETS:
        for value in facet_values(facet, catalogue):
            found = [entry.slug for entry in value.entries]
            assert_exactly(found, expected.get((facet.key, value.id), []), value.url)

    pages = {page.src_uri: page for page in site_pages(catalogue, SITE_URL, TODAY)}
    practice_pages = [uri for uri, page in pages.items() if page.template.endswith("practice.html")]
    assert_exactly(practice_pages, [f"practices/{slug}.md" for slug in published], "pages")
    explorer = [card.entry.slug for card in pages["practices/index.md"].data["cards"]]
    assert explorer == published
    for facet in FACETS:
        for value in facet_values(facet, catalogue):
            cards = [card.entry.slug for card in pages[value.src_uri].data["cards"]]
            assert_exactly(cards, expected.get((facet.key, value.id), []), value.src_uri)

    files = open_data_files(catalogue.published, SITE_URL, VOCABULARY)
    records = json.loads(files["api/practices.json"])["practices"]
    assert [record["slug"] for record in records] == published
    assert csv_slugs(files["api/practices.csv"]) == published
    assert_exactly(feed_slugs(files["feed.xml"]), published, "feed")  # fewer than FEED_SIZE
    for slug in drafts(catalogue):
        for path, text in files.items():
            assert not mentions(text, slug), (slug, path)
        assert f"practices/{slug}.md" not in pages


# --- One real build --------------------------------------------------------------------------

CARD_LINK = re.compile(r'class="wo-card__title"><a href="(?:[^"]*/)?([a-z0-9-]+)/"')


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Catalogue, Path]:
    folder = tmp_path_factory.mktemp("generated")
    for slug, front in random_fronts(random.Random(2026), 14):
        text = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
        (folder / f"{slug}.md").write_text(f"---\n{text}---\n{GOOD_BODY}", encoding="utf-8")
    catalogue = load_catalogue([folder])
    assert catalogue.problems == [], [p.text() for p in catalogue.problems]
    assert drafts(catalogue) and catalogue.published  # both kinds are there
    site = tmp_path_factory.mktemp("generated-site")
    result = build_site(folder, site)
    assert result.returncode == 0, result.stderr
    return catalogue, site


def test_the_built_site_lists_each_practice_once_where_it_belongs(
    generated: tuple[Catalogue, Path],
) -> None:
    catalogue, site = generated
    published = [entry.slug for entry in catalogue.published]
    expected = expected_by_value(catalogue)

    def read(path: str) -> str:
        return (site / path).read_text(encoding="utf-8")

    for facet in FACETS:
        for value in facet_values(facet, catalogue):
            found = CARD_LINK.findall(read(f"{value.url}index.html"))
            assert_exactly(found, expected.get((facet.key, value.id), []), value.url)
    assert CARD_LINK.findall(read("practices/index.html")) == published

    records = json.loads(read("api/practices.json"))["practices"]
    assert [record["slug"] for record in records] == published
    assert csv_slugs(read("api/practices.csv")) == published
    assert_exactly(feed_slugs(read("feed.xml")), published, "feed")

    index = json.loads(read("search/search_index.json"))["docs"]
    pages = [d["location"] for d in index if re.fullmatch(r"practices/[a-z0-9-]+/", d["location"])]
    assert_exactly(pages, [f"practices/{slug}/" for slug in published], "search index")

    locs = re.findall(r"<loc>([^<]+)</loc>", read("sitemap.xml"))
    in_sitemap = [m.group(1) for u in locs if (m := re.search(r"/practices/([a-z0-9-]+)/$", u))]
    assert_exactly(in_sitemap, published, "sitemap")


def test_drafts_appear_nowhere_in_the_built_site(generated: tuple[Catalogue, Path]) -> None:
    catalogue, site = generated
    texts = {
        path: path.read_text(encoding="utf-8", errors="replace")
        for path in site.rglob("*")
        if path.is_file() and path.suffix in {".html", ".json", ".xml", ".csv"}
    }
    for slug in drafts(catalogue):
        title = catalogue.entries[slug].practice.title
        for path, text in texts.items():
            assert not mentions(text, slug) and title not in text, (slug, path)
        assert not (site / "practices" / slug).exists()
