"""The built site in a real browser: accessibility (axe-core), search, navigation by links,
practice pages, print, and screenshots for human review.

Every test drives the site built from the repository's own practices/ (fixtures in
conftest.py). Waiting is done by Playwright's auto-waiting expectations, never by sleeping.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from playwright.sync_api import Locator, Page, Route, ViewportSize, expect

from tests.browser.axe import assert_no_violations
from tests.conftest import PROJECT
from wayout.catalogue.catalogue import load_catalogue
from wayout.record.loader import Entry

pytestmark = pytest.mark.browser

CONFIG = yaml.safe_load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"))
REPO_URL: str = CONFIG["repo_url"].rstrip("/")
# The path GitHub Pages serves the site under ("/wayout-practices/"); 404.html links to it.
PAGES_PREFIX: str = urlsplit(CONFIG["site_url"]).path

PUBLISHED: list[Entry] = load_catalogue([PROJECT / "practices"]).published
BY_SLUG = {entry.slug: entry for entry in PUBLISHED}

DESKTOP: ViewportSize = {"width": 1280, "height": 900}
MOBILE: ViewportSize = {"width": 375, "height": 812}

# One page of each template, as (test id, path below the site's base URL).
PAGES = [
    ("home", ""),
    ("practice", "practices/exit-deutschland/"),
    ("country", "countries/de/"),
    ("countries", "countries/"),
    ("category", "categories/aftercare/"),
    ("categories", "categories/"),
    ("target-groups", "target-groups/"),
    ("framework", "framework/"),
    ("explorer", "practices/"),
    ("fields", "fields/"),
    ("contribute", "contribute/"),
    ("api", "api/"),
    ("about", "about/"),
    ("accessibility", "accessibility/"),
    ("privacy", "privacy/"),
    ("404", "404.html"),
]

SEARCH_BOX = "input.md-search__input"
RESULTS = ".md-search-result__list > li.md-search-result__item"


# --- helpers ---------------------------------------------------------------------------


def serve_like_github_pages(page: Page, site_url: str, site: Path) -> str:
    """Serve the built site below PAGES_PREFIX, as GitHub Pages does, and return that URL.

    404.html links its assets absolutely (it is served for any missing address), so it only
    shows as visitors see it under the real prefix. Missing files answer 404.html, status 404.
    """
    base = site_url.rstrip("/") + PAGES_PREFIX
    root = site.resolve()

    def handle(route: Route) -> None:
        relative = unquote(urlsplit(route.request.url).path).removeprefix(PAGES_PREFIX)
        target = (root / relative).resolve()
        if target.is_dir():
            target = target / "index.html"
        if target.is_relative_to(root) and target.is_file():
            route.fulfill(path=target)
        else:
            route.fulfill(status=404, path=root / "404.html")

    page.route(f"{base}**", handle)
    return base


def open_site_page(page: Page, site_url: str, site: Path, path: str) -> None:
    """Open `path` of the site; the 404 page as a missing address under GitHub Pages."""
    if path == "404.html":
        base = serve_like_github_pages(page, site_url, site)
        response = page.goto(f"{base}no-such-page/")
        assert response is not None and response.status == 404
    else:
        response = page.goto(site_url + path)
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
    expect_styled(page)


def expect_styled(page: Page) -> None:
    """The project's stylesheet is applied (axe checks contrast on the page as styled)."""
    expect(page.locator(".wo-footer-links")).to_have_css("display", "flex")


def open_search(page: Page) -> Locator:
    """Open search the way a keyboard user does ("/") and return the search box."""
    page.keyboard.press("/")
    box = page.locator(SEARCH_BOX)
    expect(box).to_be_focused()
    return box


def result_links(
    page: Page, slugs: list[str], *, top: int | None = None, query: str = ""
) -> Locator:
    """Search results that link to any of the practice pages `slugs`, among the first `top`.

    With `query`, only results for that (one-word) query: their links highlight it (`?h=`),
    so a result left from a shorter prefix typed on the way does not count.
    """
    item = RESULTS if top is None else f"{RESULTS}:nth-child(-n+{top})"
    suffix = f"?h={query.lower()}" if query else ""
    return page.locator(
        ", ".join(
            f'{item} > a.md-search-result__link[href*="/practices/{slug}/{suffix}"]'
            for slug in slugs
        )
    )


def clear_search(box: Locator) -> None:
    """Empty the search box with the keyboard so that the results are reset."""
    box.press("Control+a")
    box.press("Backspace")
    expect(box.page.locator(".md-search-result__meta")).to_have_text("Type to start searching")


# --- accessibility -----------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "mobile"])
@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_page_template_has_no_wcag_violations(
    page: Page, site_url: str, real_site: Path, name: str, path: str, viewport: ViewportSize
) -> None:
    page.set_viewport_size(viewport)
    open_site_page(page, site_url, real_site, path)
    assert_no_violations(page, f"the {name} page ({path or '/'}, {viewport['width']}px wide)")


def test_open_search_with_results_has_no_wcag_violations(page: Page, site_url: str) -> None:
    page.goto(site_url)
    open_search(page).press_sequentially("Portugal")
    expect(page.locator(RESULTS).first).to_be_visible()
    assert_no_violations(page, "the home page with search results for 'Portugal' open")


def test_open_navigation_drawer_has_no_wcag_violations(page: Page, site_url: str) -> None:
    page.set_viewport_size(MOBILE)
    page.goto(site_url + "practices/exit-deutschland/")
    page.locator(".md-header__button[for=__drawer]").click()
    expect(page.locator("nav.md-nav--primary").first).to_be_in_viewport()
    assert_no_violations(page, "a practice page with the navigation drawer open (375px wide)")


def test_search_highlight_on_a_practice_page_has_no_wcag_violations(
    page: Page, site_url: str
) -> None:
    page.goto(site_url + "practices/r2pris/?h=portugal")
    expect(page.locator("mark").first).to_be_visible()
    assert_no_violations(page, "a practice page with 'portugal' highlighted by search")


# --- search --------------------------------------------------------------------------------


def test_searching_a_country_finds_its_practices(page: Page, site_url: str) -> None:
    portuguese = [entry.slug for entry in PUBLISHED if "PT" in entry.practice.countries]
    assert portuguese, "the repository has no practice in Portugal to search for"
    page.goto(site_url)
    open_search(page).press_sequentially("Portugal")
    found = result_links(page, portuguese, query="Portugal").first
    expect(found).to_be_visible()
    found.click()
    expect(page).to_have_url(re.compile(r"/practices/[^/]+/\?h=portugal"))
    slug = urlsplit(page.url).path.rstrip("/").rsplit("/", 1)[-1]
    assert slug in portuguese
    expect(page.locator("h1")).to_have_text(BY_SLUG[slug].practice.title)
    expect(page.locator("mark").first).to_have_text(re.compile("portugal", re.IGNORECASE))


def test_searching_a_setting_finds_practices_in_it(page: Page, site_url: str) -> None:
    on_probation = [entry.slug for entry in PUBLISHED if "probation" in entry.practice.settings]
    assert on_probation, "the repository has no practice in probation to search for"
    page.goto(site_url)
    page.locator(SEARCH_BOX).click()
    page.locator(SEARCH_BOX).press_sequentially("probation")
    expect(result_links(page, on_probation, query="probation").first).to_be_visible()
    expect(page.locator(".md-search-result__meta")).to_have_text(
        re.compile(r"^\d+ matching documents?$")
    )


def test_search_opens_from_the_header_button_on_a_phone(page: Page, site_url: str) -> None:
    page.set_viewport_size(MOBILE)
    page.goto(site_url)
    box = page.locator(SEARCH_BOX)
    toggle = page.locator("#__search")  # Material's search dialog is open while it is checked
    expect(toggle).not_to_be_checked()
    page.locator(".md-header__button[for=__search]").click()
    expect(toggle).to_be_checked()
    expect(box).to_be_in_viewport()
    expect(box).to_be_focused()
    box.press_sequentially("probation")
    expect(page.locator(RESULTS).first).to_be_visible()


def test_typing_a_practice_title_finds_that_practice(page: Page, site_url: str) -> None:
    """Every published practice is among the first three results for its own title."""
    page.goto(site_url)
    box = open_search(page)
    missed: list[str] = []
    for entry in PUBLISHED:
        clear_search(box)
        # Pasted, not typed: one query for the whole title, no results for prefixes on the way
        # (Material searches on key-up, so a key press after the paste runs the query).
        box.fill(entry.practice.title)
        box.press("End")
        try:
            expect(result_links(page, [entry.slug], top=3).first).to_be_visible(timeout=5_000)
        except AssertionError:
            missed.append(entry.practice.title)
    assert not missed, f"not in the first three results for their own title: {missed}"


def word_only_in_a_summary() -> tuple[str, str]:
    """A long word of one practice's summary that no body, title or other summary has:
    (the word, the practice's slug)."""

    def words(text: str) -> set[str]:
        return set(re.findall(r"[a-z]{9,}", text.lower()))

    elsewhere = set().union(*(words(f"{e.body} {e.practice.title}") for e in PUBLISHED))
    for entry in PUBLISHED:
        others = set().union(*(words(e.practice.summary) for e in PUBLISHED if e is not entry))
        unique = sorted(words(entry.practice.summary) - elsewhere - others)
        if unique:
            return unique[0], entry.slug
    raise AssertionError("no summary has a word of its own to search for")


def test_searching_a_word_of_a_summary_finds_that_practice(page: Page, site_url: str) -> None:
    """The summary is shown above the body, outside the indexed content: it reaches the
    search index through the page's own entry."""
    word, slug = word_only_in_a_summary()
    page.goto(site_url)
    box = open_search(page)
    box.fill(word)
    box.press("End")
    expect(result_links(page, [slug]).first).to_be_visible()


# --- navigation by links -------------------------------------------------------------------


def test_from_a_home_tile_to_a_practice_and_back_to_its_category(page: Page, site_url: str) -> None:
    category_url = f"{site_url}categories/aftercare/"
    page.goto(site_url)
    page.locator(".wo-tiles").get_by_role("link", name=re.compile(r"^Aftercare\b")).click()
    expect(page).to_have_url(category_url)
    expect(page.locator("h1")).to_have_text("Aftercare")

    first_card = page.locator(".wo-card__title a").first
    title = first_card.inner_text()
    first_card.click()
    expect(page).to_have_url(re.compile(re.escape(site_url) + r"practices/[^/]+/$"))
    expect(page.locator("h1")).to_have_text(title)

    panel = page.locator("section.wo-meta")
    expect(panel.get_by_role("heading", name="At a glance")).to_be_visible()
    back = panel.get_by_role("link", name="Aftercare", exact=True)
    expect(back).to_be_visible()
    back.click()
    expect(page).to_have_url(category_url)


# --- practice pages ------------------------------------------------------------------------


@pytest.mark.parametrize("slug", sorted(BY_SLUG))
def test_practice_page_has_edit_link_sources_and_json_ld(
    page: Page, site_url: str, slug: str
) -> None:
    practice = BY_SLUG[slug].practice
    page_url = f"{site_url}practices/{slug}/"
    response = page.goto(page_url)
    assert response is not None and response.ok

    suggest = page.get_by_role("link", name="Suggest a change to this practice")
    expect(suggest).to_be_visible()
    expect(suggest).to_have_attribute("href", f"{REPO_URL}/edit/main/practices/{slug}.md")
    assert (PROJECT / "practices" / f"{slug}.md").is_file()

    sources = page.locator("section.wo-sources ol > li")
    expect(sources).to_have_count(len(practice.sources))
    expect(sources.first).to_have_css("list-style-type", "decimal")
    for number, (item, source) in enumerate(zip(sources.all(), practice.sources, strict=True), 1):
        expect(item).to_have_attribute("id", f"source-{number}")
        link = item.get_by_role("link", name=source.title, exact=True)
        expect(link).to_have_attribute("href", str(source.url))

    scripts = page.locator('script[type="application/ld+json"]').all_text_contents()
    assert len(scripts) == 1, f"expected one JSON-LD block, found {len(scripts)}"
    data = json.loads(scripts[0])
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Article"
    assert data["headline"] == practice.title
    assert data["url"] == urljoin(CONFIG["site_url"], f"practices/{slug}/")


def test_missing_address_shows_the_styled_404_page(
    page: Page, site_url: str, real_site: Path
) -> None:
    open_site_page(page, site_url, real_site, "404.html")
    expect(page.locator("h1")).to_contain_text("404")
    expect(page.locator(".md-header")).to_be_visible()
    statement = page.locator(".wo-footer-links").get_by_role("link", name="Accessibility statement")
    expect(statement).to_have_attribute("href", f"{PAGES_PREFIX}accessibility/")


# --- print ---------------------------------------------------------------------------------


def test_printed_practice_page_is_a_handout(page: Page, site_url: str) -> None:
    practice = BY_SLUG["exit-deutschland"].practice
    page.goto(site_url + "practices/exit-deutschland/")
    chrome = [".md-header", ".md-tabs", ".md-footer", ".md-sidebar--primary", ".wo-suggest"]
    for selector in chrome:
        expect(page.locator(selector)).to_be_visible()
    urls = page.locator(".wo-url")
    expect(urls).to_have_count(len(practice.sources))
    expect(urls.first).to_be_hidden()

    page.emulate_media(media="print")
    for selector in chrome:
        expect(page.locator(selector)).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("section.wo-meta")).to_be_visible()
    for url, source in zip(urls.all(), practice.sources, strict=True):
        expect(url).to_be_visible()
        expect(url).to_have_text(str(source.url))


# --- screenshots for human review ---------------------------------------------------------

SCREENSHOTS = [
    ("home", ""),
    ("practice", "practices/exit-deutschland/"),
    ("country", "countries/de/"),
    ("framework", "framework/"),
]


@pytest.mark.parametrize(("name", "path"), SCREENSHOTS, ids=[name for name, _ in SCREENSHOTS])
def test_save_screenshot_for_review(page: Page, site_url: str, name: str, path: str) -> None:
    """An artefact, not an assertion: full-page PNGs into $WAYOUT_SCREENSHOTS when set."""
    folder = os.environ.get("WAYOUT_SCREENSHOTS")
    if not folder:
        pytest.skip("set WAYOUT_SCREENSHOTS to a folder to save screenshots")
    page.goto(site_url + path)
    expect_styled(page)
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=target / f"{name}.png", full_page=True)
