"""The built site: every practice and facet page, nothing invented, drafts nowhere.

The site is built once from the fixture practices plus a draft, into a temporary folder,
and checked by reading the HTML and data files it contains.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import (
    DRAFT_TITLE,
    GOOD_BODY,
    GOOD_FRONT,
    PROJECT,
    fixtures_with_draft,
)
from tests.site_build import build_site
from wayout.catalogue.catalogue import Catalogue, load_catalogue
from wayout.catalogue.facets import FACETS, facet_values
from wayout.site.exports import atom_feed

SITE_URL = "https://example.org/"


@pytest.fixture(scope="module")
def practices(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fixtures_with_draft(tmp_path_factory.mktemp("practices"))


@pytest.fixture(scope="module")
def catalogue(practices: Path) -> Catalogue:
    return load_catalogue([practices])


@pytest.fixture(scope="module")
def site(practices: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site")
    result = build_site(practices, site)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return site


class Links(HTMLParser):
    """Collects the href of every link inside elements with a given class."""

    def __init__(self, container_class: str) -> None:
        super().__init__()
        self.container_class = container_class
        self.depth = 0
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self.depth:
            self.depth += 1
        elif self.container_class in classes:
            self.depth = 1
        if self.depth and tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1


def practice_links(html: str, container: str = "wo-card__title") -> list[str]:
    parser = Links(container)
    parser.feed(html)
    return [
        re.search(r"practices/([a-z0-9-]+)/", h).group(1) for h in parser.hrefs if "practices/" in h
    ]  # type: ignore[union-attr]


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_every_published_practice_has_a_page(site: Path, catalogue: Catalogue) -> None:
    for entry in catalogue.published:
        html = read(site, f"practices/{entry.slug}/index.html")
        assert f'<h1 class="wo-title">{entry.practice.title}</h1>' in html


def test_each_facet_value_page_lists_exactly_its_practices(
    site: Path, catalogue: Catalogue
) -> None:
    for facet in FACETS:
        for value in facet_values(facet, catalogue):
            html = read(site, f"{value.url}index.html")
            expected = sorted(e.slug for e in catalogue.published if value.id in facet.values_of(e))
            assert sorted(practice_links(html)) == expected, value.url
            listed = practice_links(html)
            assert listed == [e.slug for e in value.entries]  # sorted by title, as shown


def test_overview_counts_equal_the_value_pages(site: Path, catalogue: Catalogue) -> None:
    for facet in FACETS:
        html = read(site, f"{facet.url()}index.html")
        for value in facet_values(facet, catalogue):
            link = rf'href="{re.escape(value.id.lower())}/">[^<]+</a>'
            pattern = link + r'(?:\s*<span class="wo-count">|</th><td>)(\d+)'
            match = re.search(pattern, html)
            assert match, (facet.key, value.id)
            assert int(match.group(1)) == value.count


def test_zero_count_values_are_listed_and_invite_a_contribution(site: Path) -> None:
    html = read(site, "settings/index.html")
    assert 'href="online/">Online</a>' in html and "0 practices" in html
    assert "contribute a practice" in read(site, "settings/online/index.html").lower()


def test_partner_countries_are_always_listed(site: Path) -> None:
    html = read(site, "countries/index.html")
    for name in ("Belgium", "France", "Germany", "Netherlands", "Portugal", "Austria"):
        assert f">{name}</a>" in html
    assert ">Norway</a>" not in html  # no fixture practice names it


def test_the_framework_page_links_each_standards_practices(
    site: Path, catalogue: Catalogue
) -> None:
    html = read(site, "framework/index.html")
    for category in catalogue.vocabulary.categories:
        for standard in category.standards:
            section = html.split(f'id="{standard.id}"', 1)[1].split("</section>", 1)[0]
            expected = {e.slug for e in catalogue.published if standard.id in e.practice.standards}
            found = set(re.findall(r"practices/([a-z0-9-]+)/", section))
            assert found == expected, standard.id


def test_drafts_appear_nowhere(site: Path) -> None:
    assert not (site / "practices" / "secret-draft").exists()
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".json", ".xml", ".csv"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert DRAFT_TITLE not in text and "secret-draft" not in text, path


def test_the_search_index_has_every_practice_title(site: Path, catalogue: Catalogue) -> None:
    index = json.loads(read(site, "search/search_index.json"))
    titles = {doc["title"] for doc in index["docs"]}
    for entry in catalogue.published:
        assert entry.practice.title in titles
    locations = {doc["location"] for doc in index["docs"]}
    assert "practices/" not in locations and "countries/" not in locations


def test_facet_labels_are_searchable_text_on_practice_pages(site: Path) -> None:
    index = json.loads(read(site, "search/search_index.json"))
    text = " ".join(
        d["text"] for d in index["docs"] if d["location"].startswith("practices/risk-lens/")
    )
    assert "Portugal" in text and "Prison staff" in text and "Risk assessment" in text


def test_a_practice_is_found_by_its_summary_and_its_labels_kept_apart(site: Path) -> None:
    index = json.loads(read(site, "search/search_index.json"))
    entries = {d["location"]: d["text"] for d in index["docs"]}
    text = entries["practices/risk-lens/"]
    assert "structured professional judgement tool" in text
    assert "<p>Target groups: Convicted terrorist offenders, Prison staff.</p>" in text
    assert "<p>Framework standards: Risk assessment, Risk analysis methods.</p>" in text
    assert "Evidence: Outcome evaluation. Not independent" in text
    # The panel's markup is not indexed: no entry for its headings, no level description.
    assert not any(loc.startswith("practices/risk-lens/#evidence") for loc in entries)
    level = "measures change in participants against the aims of the practice"
    assert not any(level in t for loc, t in entries.items() if loc.startswith("practices/"))


def test_a_practice_pages_contents_list_the_template_sections_and_reach_them(
    site: Path, catalogue: Catalogue
) -> None:
    for entry in catalogue.published:
        html = read(site, f"practices/{entry.slug}/index.html")
        toc = html.split('aria-label="Table of contents"', 1)[1].split("</nav>", 1)[0]
        targets = re.findall(r'<a href="#([^"]+)" class="md-nav__link">', toc)
        expected = ["at-a-glance", "aim", "approach", "evaluation-and-results", "transferability"]
        assert targets[: len(expected)] == expected, entry.slug
        tail = ["sources", "related", "cite"] if entry.practice.related else ["sources", "cite"]
        assert targets[-len(tail) :] == tail, entry.slug
        for target in targets:
            assert f'id="{target}"' in html, (entry.slug, target)
        # Material's "Skip to content" leads to the first entry: the panel, not the body.
        assert re.search(r'<a href="#at-a-glance" class="md-skip">', html), entry.slug


def test_an_invalid_practice_fails_the_build_with_the_validator_message(
    practices: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "practices"
    shutil.copytree(practices, broken)
    (broken / "bad-country.md").write_text(
        f"---\n{GOOD_FRONT.replace('[DE]', '[Portgal]')}---\n{GOOD_BODY}", encoding="utf-8"
    )
    result = build_site(broken, tmp_path / "site")
    assert result.returncode != 0
    assert "bad-country.md:4:13: error: countries[0]" in result.stderr
    assert "did you mean 'PT' (Portugal)?" in result.stderr


def test_the_build_writes_nothing_into_the_sources(site: Path) -> None:
    generated = ["framework.md", "fields.md", "practices", "countries", "categories"]
    assert not any((PROJECT / "docs" / name).exists() for name in generated)


def test_practice_pages_carry_json_ld_and_an_edit_link(site: Path) -> None:
    html = read(site, "practices/family-bridge/index.html")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None
    data = json.loads(block.group(1))
    assert data["@type"] == "Article" and data["headline"] == "Familienbrücke"
    assert "/edit/main/practices/family-bridge.md" in html


def test_practice_bodies_are_sanitised(practices: Path, tmp_path: Path) -> None:
    folder = tmp_path / "practices"
    shutil.copytree(practices, folder)
    body = GOOD_BODY.replace(
        "To test.",
        'To test. <script>alert(1)</script><img src=x onerror="alert(2)">'
        '<a href="javascript:alert(3)">x</a><iframe src="https://example.org"></iframe>',
    )
    (folder / "hostile-body.md").write_text(f"---\n{GOOD_FRONT}---\n{body}", encoding="utf-8")
    site = tmp_path / "site"
    assert build_site(folder, site).returncode == 0
    html = read(site, "practices/hostile-body/index.html")
    article = html.split('class="wo-lead"', 1)[1]
    for bad in ("<script>alert", "onerror", "javascript:alert", "<iframe"):
        assert bad not in article


# --- Open data ----------------------------------------------------------------------------


def test_practices_json_lists_exactly_the_published_practices(
    site: Path, catalogue: Catalogue
) -> None:
    data = json.loads(read(site, "api/practices.json"))
    schema = json.loads(read(site, "api/practice.schema.json"))
    assert [p["slug"] for p in data["practices"]] == [e.slug for e in catalogue.published]
    for record in data["practices"]:
        front = {k: v for k, v in record.items() if k not in {"slug", "url", "labels"}}
        jsonschema.validate(front, schema)
        assert record["url"].endswith(f"/practices/{record['slug']}/")
    family = next(p for p in data["practices"] if p["slug"] == "family-bridge")
    assert family["labels"]["countries"] == ["Germany", "Austria"]


def test_practices_csv_round_trips(site: Path, catalogue: Catalogue) -> None:
    text = (site / "api" / "practices.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["slug"] for r in rows] == [e.slug for e in catalogue.published]
    family = next(r for r in rows if r["slug"] == "family-bridge")
    assert family["title"] == "Familienbrücke"
    assert family["countries"].split("; ") == ["DE", "AT"]
    assert family["evaluation_findings"] == "mixed" and family["evaluation_independent"] == "yes"


def test_the_feed_is_well_formed_atom_newest_first(site: Path, catalogue: Catalogue) -> None:
    root = ET.fromstring((site / "feed.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    entries = root.findall("a:entry", ns)
    assert len(entries) == len(catalogue.published)
    updated = [e.findtext("a:updated", namespaces=ns) for e in entries]
    assert updated == sorted(updated, reverse=True)


def test_the_feed_holds_only_the_most_recently_reviewed(catalogue: Catalogue) -> None:
    feed = ET.fromstring(atom_feed(catalogue.published, SITE_URL, catalogue.vocabulary, size=2))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    ids = [e.findtext("a:id", namespaces=ns) for e in feed.findall("a:entry", ns)]
    newest = sorted(
        catalogue.published, key=lambda e: (e.practice.last_reviewed, e.slug), reverse=True
    )
    assert ids == [f"{SITE_URL}practices/{e.slug}/" for e in newest[:2]]
    assert len(catalogue.published) > 2


def test_the_map_links_each_country_with_practices_and_the_table_agrees(
    site: Path, catalogue: Catalogue
) -> None:
    html = read(site, "countries/index.html")
    svg = html.split('<svg class="wo-map"', 1)[1].split("</svg>", 1)[0]
    links = dict(re.findall(r'<a href="([a-z]{2})/" aria-label="([^"]+)"', svg))
    counts: dict[str, int] = {}
    for entry in catalogue.published:
        for code in entry.practice.countries:
            counts[code.lower()] = counts.get(code.lower(), 0) + 1
    assert set(links) == set(counts)  # every fixture country lies in Europe
    assert links["de"] == "Germany, 1 practice" and links["at"] == "Austria, 1 practice"
    table = html.split("<table>", 1)[1].split("</table>", 1)[0]
    rows = dict(re.findall(r'href="([a-z]{2})/">[^<]+</a></th><td>(\d+)</td>', table))
    assert {code: int(n) for code, n in rows.items() if int(n)} == counts
    assert rows["be"] == "0"  # partner countries are listed even without practices


def test_countries_outside_europe_are_counted_and_listed(practices: Path, tmp_path: Path) -> None:
    folder = tmp_path / "practices"
    shutil.copytree(practices, folder)
    front = GOOD_FRONT.replace("[DE]", "[CA]")
    (folder / "canadian.md").write_text(f"---\n{front}---\n{GOOD_BODY}", encoding="utf-8")
    site = tmp_path / "site"
    assert build_site(folder, site).returncode == 0
    html = read(site, "countries/index.html")
    assert 'href="ca/">Canada</a></th><td>1</td>' in html
    assert (site / "countries" / "ca" / "index.html").exists()


def test_home_charts_are_links_with_their_numbers_as_text(site: Path, catalogue: Catalogue) -> None:
    html = read(site, "index.html")
    for key in ("categories", "settings"):
        facet = next(f for f in FACETS if f.key == key)
        chart = html.split(f'aria-labelledby="chart-{key}"', 1)[1].split("</svg>", 1)[0]
        for value in facet_values(facet, catalogue):
            noun = "practice" if value.count == 1 else "practices"
            link = f'<a href="{value.url}" aria-label="{value.label}, {value.count} {noun}">'
            assert link in chart
            assert 'class="wo-chart__value"' in chart and f">{value.count}</text>" in chart
