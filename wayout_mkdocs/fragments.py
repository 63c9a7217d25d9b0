"""Fragments of a page that are rendered once per build and reused on other pages.

Material renders its navigation sidebar and tabs again for every page; for the pages out
of the navigation (practice and facet value pages) they depend only on the page's folder,
and its search box and repository link are the same everywhere. A practice's card is the
same on every facet page that lists it. `cache_fragments` wraps those templates and gives
the templates `cached_card`; the output is byte for byte what rendering would give.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Hashable

from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import normalize_url

from wayout.site.pages import Card
from wayout_mkdocs.render_cache import CallCache, FragmentCache

# Material partials whose output depends only on the navigation and the page's folder
# when the page is not in the navigation, and partials that are the same on every page.
NAV_PARTIALS = ("partials/nav.html", "partials/tabs.html")
CONSTANT_PARTIALS = ("partials/search.html", "partials/source.html")


def nav_urls(nav: Navigation) -> list[str]:
    """The URLs of every page and link in the navigation, and of the home page."""
    urls = [nav.homepage.url] if nav.homepage else []
    items = list(nav.items)
    while items:
        item = items.pop()
        items.extend(getattr(item, "children", None) or [])
        url = getattr(item, "url", None)
        if isinstance(url, str):
            urls.append(url)
    return urls


class SharedNavKey:
    """The key of a page's navigation: pages out of the navigation, in one folder, have the
    same navigation and tabs (no item is active, every link is relative to the same
    folder). None for other pages. One per build: it remembers the navigation's URLs."""

    def __init__(self) -> None:
        self.urls: list[str] | None = None

    def __call__(self, context: Context) -> Hashable | None:
        page, nav = context.get("page"), context.get("nav")
        if not isinstance(page, Page) or not isinstance(nav, Navigation):
            return None
        if self.urls is None:
            self.urls = nav_urls(nav)
        if page in nav.pages or any(url.startswith(page.url) for url in self.urls):
            return None
        return posixpath.dirname(page.url.rstrip("/")), context.get("base_url")


def card_renderer() -> Callable[..., str]:
    """`cached_card(card, heading, macro)` for the templates: a card as the `practice_card`
    macro renders it, once per entry, heading and link (relative to the page)."""
    cards = CallCache()

    @pass_context
    def cached_card(context: Context, card: Card, heading: str, macro: Callable[..., str]) -> str:
        url = normalize_url(card.url, context.get("page"), context.get("base_url", ""))
        facts = (tuple(card.countries), tuple(card.categories), card.evidence, card.url)
        key = (id(card.entry), heading, url, facts)
        return cards.call(key, card.entry, macro, card, heading)

    return cached_card


def cache_fragments(env: Environment) -> None:
    """Make this build's template environment reuse the fragments described above."""
    env.globals["cached_card"] = card_renderer()
    shared = FragmentCache(SharedNavKey())
    constant = FragmentCache(lambda context: "")
    for name in NAV_PARTIALS:
        shared.wrap(env.get_template(name))
    for name in CONSTANT_PARTIALS:
        constant.wrap(env.get_template(name))
