"""The Content-Security-Policy in a real browser: it blocks what it should, and everything
the site does - search in a web worker, the explorer, the map, the colour palette - still
works under it, with no violation reported and no request to another site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.guard import Guard
from tests.browser.test_site import PAGES, SEARCH_BOX, open_site_page
from wayout.site.csp import with_csp

pytestmark = pytest.mark.browser

PRIMARY = "rgb(11, 79, 108)"  # --md-primary-fg-color in overrides/assets/wayout.css


def test_the_policy_runs_the_site_scripts_and_blocks_others(page: Page, site_url: str) -> None:
    """A control for the tests below: a policy made by `with_csp` really is enforced."""
    content = "<script>window.contributed = true;</script>"
    html = with_csp(
        "<html><head><meta charset='utf-8'><title>t</title>"
        "<script>window.own = true;</script></head>"
        f"<body>{content}<img src='https://example.org/x.png' alt=''></body></html>",
        untrusted=[content],
    )
    url = site_url + "policy-control.html"
    page.route(url, lambda route: route.fulfill(body=html, content_type="text/html"))
    guard = Guard(page)
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(str(request.failure)))
    page.goto(url)
    assert page.evaluate("window.own") is True
    assert page.evaluate("window.contributed") is None
    expect(page.locator("img")).to_have_js_property("naturalWidth", 0)
    guard.collect()
    assert any(v.startswith("script-src") for v in guard.violations), guard.violations
    assert any(v.startswith("img-src") for v in guard.violations), guard.violations
    assert failed == ["csp"]  # the image was blocked by the policy, never fetched


def test_every_page_template_loads_under_the_policy(
    page: Page, site_url: str, real_site: Path
) -> None:
    guard = Guard(page)
    for name, path in PAGES:
        open_site_page(page, site_url, real_site, path)
        guard.collect()
        if name == "404":  # the page's own status is reported as a failed load
            guard.errors = [e for e in guard.errors if "status of 404" not in e]
    guard.assert_clean("the page templates")


def test_search_runs_in_its_worker_under_the_policy(page: Page, site_url: str) -> None:
    guard = Guard(page)
    page.goto(site_url)
    page.keyboard.press("/")
    page.locator(SEARCH_BOX).press_sequentially("probation")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    guard.assert_clean("site search")


def test_the_explorer_filters_under_the_policy(page: Page, site_url: str) -> None:
    guard = Guard(page)
    page.goto(site_url + "practices/")
    explorer = page.locator("[data-wo-explorer].wo-explorer--enhanced")
    expect(explorer).to_be_attached()
    status = page.locator("[data-wo-status]")
    before = status.inner_text()
    page.locator("fieldset[data-facet] input").first.check()
    expect(status).not_to_have_text(before)
    guard.assert_clean("the explorer")


def test_the_map_is_drawn_and_links_under_the_policy(page: Page, site_url: str) -> None:
    guard = Guard(page)
    page.goto(site_url + "countries/")
    germany = page.locator('svg.wo-map a[href="de/"]')
    expect(germany).to_be_visible()
    fill = germany.locator("path").first.evaluate("p => getComputedStyle(p).fill")
    assert fill not in ("rgb(0, 0, 0)", "none")  # the stylesheet colours it
    germany.click()
    expect(page).to_have_url(re.compile(r"/countries/de/$"))
    guard.assert_clean("the map")


def test_the_colour_palette_applies_under_the_policy(page: Page, site_url: str) -> None:
    guard = Guard(page)
    page.goto(site_url)
    expect(page.locator(".md-header")).to_have_css("background-color", PRIMARY)
    expect(page.locator("body")).to_have_attribute("data-md-color-primary", "custom")
    guard.assert_clean("the palette")
