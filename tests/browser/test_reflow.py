"""Reflow (WCAG 1.4.10) and zoom (1.4.4): every page template fits a 320 px wide screen,
and a 1280 px screen zoomed to 200 %, without scrolling sideways. With $WAYOUT_SCREENSHOTS
set, a screenshot of each is saved there for human review."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.test_site import PAGES, open_site_page

pytestmark = pytest.mark.browser

# (name, CSS viewport, device pixel ratio): 200 % zoom of 1280 by 900 is 640 by 450 CSS px.
SCREENS = [
    ("320px", {"width": 320, "height": 640}, 1),
    ("zoom-200", {"width": 640, "height": 450}, 2),
]

OVERFLOW = """() => {
  const root = document.documentElement;
  const wide = [...document.querySelectorAll("body *")].filter((e) => {
    const box = e.getBoundingClientRect();
    return box.width > 0 && box.right > root.clientWidth + 1 && !e.closest("[hidden]");
  }).slice(0, 3).map((e) => e.tagName.toLowerCase() + "." + [...e.classList].join("."));
  return {scroll: root.scrollWidth, width: root.clientWidth, wide};
}"""


# Tags (facet values) narrower than their own label on one line: squeezed into a column
# so narrow that the words break inside.
NARROW_TAGS = """() => [...document.querySelectorAll(".wo-tag")].filter((tag) => {
  const box = tag.getBoundingClientRect();
  return box.width > 0 && (tag.scrollWidth > box.width + 1 || box.height > 80);
}).slice(0, 3).map((tag) => tag.textContent.trim())"""


@pytest.fixture(params=SCREENS, ids=[name for name, _, _ in SCREENS])
def screen(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[str, Page]]:
    name, viewport, ratio = request.param
    context = browser.new_context(viewport=viewport, device_scale_factor=ratio)
    yield name, context.new_page()
    context.close()


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_page_fits_without_scrolling_sideways(
    screen: tuple[str, Page], site_url: str, real_site: Path, name: str, path: str
) -> None:
    size, page = screen
    open_site_page(page, site_url, real_site, path)
    found = page.evaluate(OVERFLOW)
    assert found["scroll"] <= found["width"], (
        f"the {name} page is {found['scroll']} px wide in a {found['width']} px window "
        f"({size}); widest: {found['wide']}"
    )
    narrow = page.evaluate(NARROW_TAGS)
    assert not narrow, f"tags squeezed to a few letters on the {name} page ({size}): {narrow}"
    folder = os.environ.get("WAYOUT_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(folder) / f"{size}-{name}.png", full_page=True)
