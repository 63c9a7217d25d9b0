"""The harmless cases of the hostile corpus in a real browser: every page that shows them
opens no dialog, throws no script error, breaks no Content-Security-Policy rule and sends
no request away from the local server - also when visitors search, tab and hover.

The site is built once from the corpus (the `hostile_site` fixture of tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SiteServer
from tests.browser.guard import Guard
from wayout.catalogue.catalogue import load_catalogue

pytestmark = pytest.mark.browser

HostileSite = tuple[Path, Path, list[str]]


@pytest.fixture(scope="module")
def hostile_url(hostile_site: HostileSite) -> Iterator[str]:
    server = SiteServer(hostile_site[1])
    yield server.url
    server.close()


def visit(page: Page, guard: Guard, url: str) -> None:
    """Open the page and do what a visitor does: read, hover, tab through the content."""
    response = page.goto(url)
    assert response is not None and response.ok, url
    expect(page.locator(".wo-footer-links")).to_be_visible()
    article = page.locator("article").first
    article.hover()
    for _ in range(8):
        page.keyboard.press("Tab")
    guard.collect()


def test_every_page_of_the_hostile_practices_is_inert(
    page: Page, hostile_site: HostileSite, hostile_url: str
) -> None:
    _, _, slugs = hostile_site
    guard = Guard(page)
    pages = [f"practices/{slug}/" for slug in slugs]
    pages += ["", "practices/", "countries/de/", "categories/interventions/", "evidence/"]
    for path in pages:
        visit(page, guard, hostile_url + path)
    guard.assert_clean("the pages of the hostile practices")
    # The pages were really shown, with their hostile text as text.
    page.goto(hostile_url + "practices/attribute-breakout/")
    expect(page.locator("h1")).to_have_text('Quotes " and \' & ampersands "onmouseover="alert(1)')


def test_searching_for_hostile_text_shows_it_as_text(page: Page, hostile_url: str) -> None:
    guard = Guard(page)
    page.goto(hostile_url)
    page.keyboard.press("/")
    box = page.locator("input.md-search__input")
    expect(box).to_be_focused()
    for query in ("alert", "script", "onerror"):
        box.fill(query)
        box.press("End")
        expect(page.locator(".md-search-result__item").first).to_be_visible()
    page.locator(".md-search-result__item a").first.hover()
    guard.assert_clean("search results for hostile text")


def test_the_explorer_filters_the_hostile_practices(
    page: Page, hostile_site: HostileSite, hostile_url: str
) -> None:
    matching = [
        entry
        for entry in load_catalogue([hostile_site[0]]).published
        if "alert"
        in " ".join(
            [entry.practice.title, entry.practice.title_en or "", entry.practice.summary]
            + [name for o in entry.practice.organisations for name in (o.name, o.name_en or "")]
        )
    ]
    assert len(matching) > 1
    guard = Guard(page)
    page.goto(hostile_url + "practices/?text=alert")
    expect(page.locator("[data-wo-explorer].wo-explorer--enhanced")).to_be_attached()
    expect(page.locator("[data-wo-list] > article:visible")).to_have_count(len(matching))
    guard.assert_clean("the explorer searching for 'alert'")
