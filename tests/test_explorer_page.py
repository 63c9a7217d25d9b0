"""The explorer page (/practices/) as built HTML, before any script runs.

The site is built once from the fixture practices plus a draft into a temporary folder.
`practices/index.html` must list every published practice as exactly one card, sorted by
title, carrying the data the explorer script filters, sorts and searches by; and the
filter form must offer a checkbox for every value the practices carry, and no other.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import (
    fixtures_with_draft,
)
from tests.site_build import build_site
from wayout.catalogue.catalogue import Catalogue, load_catalogue
from wayout.record.loader import Entry
from wayout.record.vocabulary import country_name

# Each filter of the explorer: its name (URL parameter, data attribute, checkbox name) and
# the practice's values in it, as the catalogue has them.
FILTERS: dict[str, Callable[[Entry], list[str]]] = {
    "category": lambda e: list(e.practice.categories),
    "standard": lambda e: list(e.practice.standards),
    "country": lambda e: list(e.practice.countries),
    "target-group": lambda e: list(e.practice.target_groups),
    "setting": lambda e: list(e.practice.settings),
    "ideology": lambda e: list(e.practice.ideologies),
    "evidence": lambda e: [e.practice.evaluation.level] if e.practice.evaluation else [],
}
VOCABULARY_OF = {
    "category": "categories",
    "standard": "standards",
    "target-group": "target_groups",
    "setting": "settings",
    "ideology": "ideologies",
    "evidence": "evidence_levels",
}


@pytest.fixture(scope="module")
def practices(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fixtures_with_draft(tmp_path_factory.mktemp("practices"))


@pytest.fixture(scope="module")
def catalogue(practices: Path) -> Catalogue:
    catalogue = load_catalogue([practices])
    assert not catalogue.errors
    return catalogue


@dataclass
class Checkbox:
    facet: str
    name: str
    value: str
    id: str
    label: str = ""


class ExplorerPage(HTMLParser):
    """The explorer's cards, fieldsets, checkboxes and scripts, read from the HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[dict[str, str]] = []
        self.card_links: list[str] = []
        self.legends: dict[str, str] = {}
        self.checkboxes: list[Checkbox] = []
        self.scripts: list[dict[str, str | None]] = []
        self.elements: dict[str, dict[str, str | None]] = {}
        self._facet = ""
        self._in_legend = False
        self._label_for: str | None = None
        self._labels: dict[str, str] = {}
        self._in_card_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        for marker in ("data-wo-explorer", "data-wo-form", "data-wo-status", "data-wo-list"):
            if marker in attributes:
                self.elements[marker] = attributes
        if tag == "article" and "wo-card" in classes:
            self.cards.append({k: v or "" for k, v in attrs if k.startswith("data-")})
        elif "wo-card__title" in classes:
            self._in_card_title = True
        elif tag == "a" and self._in_card_title:
            self.card_links.append(attributes.get("href") or "")
        elif tag == "fieldset":
            self._facet = attributes.get("data-facet") or ""
        elif tag == "legend":
            self._in_legend = True
        elif tag == "input" and attributes.get("type") == "checkbox":
            self.checkboxes.append(
                Checkbox(
                    self._facet,
                    attributes.get("name") or "",
                    attributes.get("value") or "",
                    attributes.get("id") or "",
                )
            )
        elif tag == "label":
            self._label_for = attributes.get("for")
            if self._label_for:
                self._labels[self._label_for] = ""
        elif tag == "script":
            self.scripts.append(attributes)

    def handle_endtag(self, tag: str) -> None:
        if tag == "legend":
            self._in_legend = False
        elif tag == "label":
            self._label_for = None
        elif tag in ("h2", "h3"):
            self._in_card_title = False

    def handle_data(self, data: str) -> None:
        if self._in_legend:
            self.legends[self._facet] = self.legends.get(self._facet, "") + data
        if self._label_for:
            self._labels[self._label_for] += data

    def close(self) -> None:
        super().close()
        for box in self.checkboxes:
            box.label = " ".join(self._labels.get(box.id, "").split())


@pytest.fixture(scope="module")
def explorer(practices: Path, tmp_path_factory: pytest.TempPathFactory) -> ExplorerPage:
    site = tmp_path_factory.mktemp("site")
    result = build_site(practices, site)
    assert result.returncode == 0, result.stderr
    parser = ExplorerPage()
    parser.feed((site / "practices" / "index.html").read_text(encoding="utf-8"))
    parser.close()
    return parser


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))


def slug_of(href: str) -> str:
    match = re.fullmatch(r"(?:\.\./)*(?:practices/)?([a-z0-9-]+)/", href)
    assert match, href
    return match.group(1)


def test_every_published_practice_is_exactly_one_card_sorted_by_title(
    explorer: ExplorerPage, catalogue: Catalogue
) -> None:
    slugs = [slug_of(href) for href in explorer.card_links]
    published = [entry.slug for entry in catalogue.published]
    assert len(published) == 3
    assert slugs == published  # catalogue.published is sorted by title
    assert len(explorer.cards) == len(published)
    assert "secret-draft" not in slugs
    titles = [card["data-title"] for card in explorer.cards]
    assert titles == sorted(titles, key=str.casefold)


def test_cards_carry_their_filter_sort_and_search_data(
    explorer: ExplorerPage, catalogue: Catalogue
) -> None:
    by_slug = dict(zip([slug_of(h) for h in explorer.card_links], explorer.cards, strict=True))
    for entry in catalogue.published:
        practice = entry.practice
        card = by_slug[entry.slug]
        for name, values_of in FILTERS.items():
            assert card[f"data-{name}"] == " ".join(values_of(entry)).lower(), (entry.slug, name)
        assert card["data-title"] == practice.title.lower()
        start = practice.period.start if practice.period else None
        assert card["data-start"] == (str(start) if start else "")
        assert card["data-reviewed"] == practice.last_reviewed.isoformat()
        text = card["data-text"]
        assert text == fold(text), "the search text is lower case without accents"
        for part in (practice.title, practice.title_en, practice.summary):
            if part:
                assert fold(part) in text
        for organisation in practice.organisations:
            assert fold(organisation.name) in text


def test_fixture_values_are_what_the_data_attributes_say(explorer: ExplorerPage) -> None:
    """A hand-checked example, so that the test above cannot pass by mirroring a bug."""
    family = next(card for card in explorer.cards if card["data-title"] == "familienbrücke")
    assert family["data-country"] == "de at"
    assert family["data-category"] == "interventions aftercare"
    assert family["data-evidence"] == "process-evaluation"
    assert family["data-start"] == "2015"
    assert family["data-reviewed"] == "2026-10-01"
    assert "familienbrucke" in family["data-text"]
    assert "beispielverein e.v." in family["data-text"]
    assert "example association" in family["data-text"]
    risk = next(card for card in explorer.cards if card["data-title"] == "risk lens")
    assert risk["data-start"] == ""
    assert risk["data-ideology"] == ""


def test_every_value_in_the_data_has_a_checkbox_and_no_other(
    explorer: ExplorerPage, catalogue: Catalogue
) -> None:
    vocabulary = catalogue.vocabulary
    assert list(explorer.legends) == list(FILTERS)
    for name, values_of in FILTERS.items():
        used = {value for entry in catalogue.published for value in values_of(entry)}
        boxes = [box for box in explorer.checkboxes if box.facet == name]
        assert all(box.name == name for box in boxes)
        if name == "country":
            expected = sorted(used, key=lambda code: country_name(code) or code)
        else:
            expected = [i for i in vocabulary.ids(VOCABULARY_OF[name]) if i in used]
        assert [box.value for box in boxes] == [value.lower() for value in expected], name
        for box, value in zip(boxes, expected, strict=True):
            count = sum(value in values_of(entry) for entry in catalogue.published)
            if name == "country":
                label = country_name(value)
            else:
                label = vocabulary.label(VOCABULARY_OF[name], value)
            assert box.label == f"{label} ({count})"
    ids = [box.id for box in explorer.checkboxes]
    assert len(ids) == len(set(ids)), "checkbox ids are unique"


def test_legends_name_the_facets(explorer: ExplorerPage) -> None:
    legends = {name: " ".join(text.split()) for name, text in explorer.legends.items()}
    assert legends == {
        "category": "Framework categories",
        "standard": "Framework standards",
        "country": "Countries",
        "target-group": "Target groups",
        "setting": "Settings",
        "ideology": "Ideologies",
        "evidence": "Evidence levels",
    }


def test_page_works_without_javascript_and_loads_the_script_deferred(
    explorer: ExplorerPage,
) -> None:
    # Without the script the filter form (which would do nothing) stays hidden and every
    # card is shown.
    assert "hidden" in explorer.elements["data-wo-form"]
    assert explorer.elements["data-wo-explorer"]["data-total"] == "3"
    assert all("hidden" not in card for card in explorer.cards)
    status = explorer.elements["data-wo-status"]
    assert status["aria-live"] == "polite"
    ours = [s for s in explorer.scripts if (s.get("src") or "").endswith("assets/explorer.js")]
    assert len(ours) == 1
    assert "defer" in ours[0]
    assert ours[0]["src"] == "../assets/explorer.js"
