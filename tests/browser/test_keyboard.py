"""The explorer with the keyboard alone: Tab from the top of the page reaches the site
search, the explorer's search, the first checkbox of every filter and the first practice,
in that order, and the keys a keyboard user expects operate each of them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

# Far more Tab presses than the page has controls before the first practice.
TAB_LIMIT = 400
STATUS = "[data-wo-status]"
FIRST_PRACTICE = "[data-wo-list] > article:first-child .wo-card__title a"


# Keeps each element Tab reached, to check at the end that they came in page order (a
# search that went round the page and back would otherwise go unnoticed).
REACHED = """s => {
  const element = document.activeElement;
  if (!element.matches(s)) return false;
  (window.__reached ||= []).push(element);
  return true;
}"""
IN_PAGE_ORDER = """() => window.__reached.every((element, i, all) =>
  i === 0 || (all[i - 1].compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING))"""


def tab_until(page: Page, selector: str) -> None:
    """Press Tab until the focused element matches `selector`."""
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if page.evaluate(REACHED, selector):
            return
    pytest.fail(f"Tab never reached {selector}")


def test_tab_reaches_and_keys_operate_every_control_of_the_explorer(
    page: Page, site_url: str
) -> None:
    page.goto(site_url + "practices/")
    expect(page.locator("[data-wo-explorer].wo-explorer--enhanced")).to_be_attached()
    status = page.locator(STATUS)
    everything = status.inner_text()

    # The site search in the header comes first; typing there searches the whole site.
    tab_until(page, "input.md-search__input")
    page.keyboard.type("probation")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    page.keyboard.press("Escape")

    # The explorer's search: typing narrows the list, Enter keeps it, emptying restores it.
    tab_until(page, "#wo-text")
    page.keyboard.type("exit")
    expect(status).not_to_have_text(everything)
    narrowed = status.inner_text()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/practices/\?text=exit$"))
    expect(status).to_have_text(narrowed)
    page.keyboard.press("Control+a")
    page.keyboard.press("Backspace")
    expect(status).to_have_text(everything)

    # Every filter, in page order: Tab lands on its first checkbox, Space ticks and unticks.
    facets = page.eval_on_selector_all(
        "fieldset[data-facet]", "sets => sets.map(s => s.dataset.facet)"
    )
    assert len(facets) >= 6
    for facet in facets:
        tab_until(page, f'fieldset[data-facet="{facet}"] input')
        first = page.locator(f'fieldset[data-facet="{facet}"] input').first
        expect(first).to_be_focused()
        page.keyboard.press("Space")
        expect(first).to_be_checked()
        expect(status).not_to_have_text(everything)
        page.keyboard.press("Space")
        expect(first).not_to_be_checked()
        expect(status).to_have_text(everything)

    # The first practice: Enter opens it.
    tab_until(page, FIRST_PRACTICE)
    title = page.locator(FIRST_PRACTICE).inner_text()
    assert page.evaluate("window.__reached.length") == 3 + len(facets)
    assert page.evaluate(IN_PAGE_ORDER), "Tab reached the controls out of page order"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/practices/[a-z0-9-]+/$"))
    expect(page.locator("h1")).to_have_text(title)
