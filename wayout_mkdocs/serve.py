"""What `mkdocs serve` keeps between rebuilds, so that saving one practice is quick.

`mkdocs build` never uses this. Under `mkdocs serve` the hook keeps one `ServeCache` for
the life of the process: the practice files as last loaded, each practice page's rendered
content, search-index entries and finished HTML, and the finished facet value pages, all
by keys that cover everything they depend on. After an edit only the changed practice is
rendered again; the explorer, the facet overviews, the home page and the search index are
always rebuilt. A key can only miss, never serve something stale:
tests/test_render_cache.py compares every cached rebuild with a build without caches.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

from jinja2 import Environment
from jinja2.runtime import Context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from wayout.catalogue.catalogue import LoadCache
from wayout.record.loader import Entry
from wayout.site.exports import RecordCache
from wayout.site.pages import Page as GeneratedPage
from wayout.site.pages import ViewCache, build_date
from wayout_mkdocs.render_cache import (
    Generational,
    MemoryBytecodeCache,
    PageCache,
    RenderedPage,
    digest,
)
from wayout_mkdocs.search import SearchEntry

# The templates whose whole pages are reused: practice pages and facet value pages.
CACHED_TEMPLATES = ("wayout/practice.html", "wayout/facet-value.html")


def site_fingerprint(config: MkDocsConfig, files: Files) -> str:
    """What every cached page depends on beyond its own data: the configuration, the
    templates of custom_dir, the set of files (links resolve against it) and the date."""
    templates: list[tuple[str, int, int]] = []
    if config.theme.custom_dir:
        root = Path(config.theme.custom_dir)
        for path in sorted(root.rglob("*")):
            if path.is_file():
                stat = path.stat()
                templates.append(
                    (path.relative_to(root).as_posix(), stat.st_mtime_ns, stat.st_size)
                )
    return digest(
        Path(config.config_file_path).read_bytes() if config.config_file_path else b"",
        config.site_url,
        templates,
        sorted(file.src_uri for file in files),
        build_date(),
        os.environ.get("WAYOUT_PRACTICES"),
    )


def nav_signature(nav: Navigation) -> str:
    """The navigation as every page shows it: each item's kind, title and URL."""

    def walk(items: list[Any]) -> list[Any]:
        return [
            (type(item).__name__, item.title, getattr(item, "url", None), walk(item.children or []))
            for item in items
        ]

    return digest(walk(nav.items), nav.homepage.url if nav.homepage else None)


def restore_render(page: Page, known: RenderedPage, config: MkDocsConfig, files: Files) -> None:
    """Stands in for `Page.render` of a page rendered before with the same inputs."""
    page.content = known.content
    page.toc = known.toc
    page.present_anchor_ids = set(known.anchors)
    page.links_to_anchors = {page.file: dict(known.own_links)} if known.own_links else {}


class ServeCache:
    """The caches that outlive a build, and what the current build found in them."""

    def __init__(self) -> None:
        self.files = LoadCache()
        self.pages: Generational[str, RenderedPage] = Generational()
        self.html = PageCache()
        self.records = RecordCache()
        self.views = ViewCache()
        self.bytecode = MemoryBytecodeCache()
        self.warned: frozenset[str] = frozenset()  # the warnings of the previous build
        self.begin(None)

    def begin(self, fingerprint: str | None) -> None:
        """Start a build: with a fingerprint (`site_fingerprint`) the caches are used, with
        None they are not (`mkdocs build`, or the caches turned off)."""
        self.fingerprint = fingerprint
        self.keys: dict[str, str] = {}  # each cacheable page's key, by src_uri
        self.hits: dict[str, RenderedPage] = {}  # pages restored from the cache
        self.fresh: dict[str, RenderedPage] = {}  # pages rendered afresh, to keep
        self.nav: str | None = None

    @property
    def active(self) -> bool:
        return self.fingerprint is not None

    def wrap_templates(self, env: Environment) -> None:
        """Keep compiled templates, and serve unchanged pages whole."""
        env.bytecode_cache = self.bytecode
        for name in CACHED_TEMPLATES:
            self.html.wrap(env.get_template(name), self.page_html_key)

    def entry_key(self, entry: Entry) -> tuple[str, str] | None:
        """An entry by the file it was loaded from: its path and a fingerprint of its bytes."""
        found = self.files.digest(entry)
        return None if found is None else (str(entry.path), found)

    def page_key(
        self, generated: GeneratedPage, page: Page, markdown: str, vocabulary: object
    ) -> str | None:
        """What a practice page's content, or a facet value page, depends on (with the
        site's fingerprint), or None for the pages that are always rendered."""
        data = generated.data
        own: object
        rest: list[Any]
        if "view" in data:
            # The view is a function of the entry, its related links and what the site's
            # fingerprint covers (the vocabulary, the date and site_url): see practice_view.
            view = data["view"]
            own = self.entry_key(view.entry)
            rest = [view.related, id(vocabulary)]
        elif "cards" in data and "value" in data:
            value, cards = data["value"], data["cards"]
            own = value.id, value.label, value.description, data["facet"].key
            rest = [
                (self.entry_key(c.entry), c.url, c.countries, c.categories, c.evidence)
                for c in cards
            ]
            if any(item[0] is None for item in rest):
                return None
        else:
            return None
        if own is None:
            return None
        return digest(
            self.fingerprint,
            page.file.src_uri,
            page.url,
            page.edit_url,
            markdown,
            generated.title,
            generated.description,
            generated.search,
            generated.template,
            own,
            rest,
        )

    def page_html_key(self, context: Context) -> tuple[str, str] | None:
        """A cached page's whole HTML depends on its own key, the navigation and its place."""
        page, nav = context.get("page"), context.get("nav")
        key = self.keys.get(page.file.src_uri) if isinstance(page, Page) else None
        if key is None or not isinstance(page, Page) or not isinstance(nav, Navigation):
            return None
        if self.nav is None:
            self.nav = nav_signature(nav)
        html_key = digest(key, self.nav, page.title, page.canonical_url, context.get("base_url"))
        return page.file.src_uri, html_key

    def consider(
        self, generated: GeneratedPage, page: Page, markdown: str, vocabulary: object
    ) -> None:
        """Before a page's Markdown is rendered: a practice page rendered before with the
        same inputs is restored instead (its search entries are added after indexing)."""
        key = self.page_key(generated, page, markdown, vocabulary)
        if key is None:
            return
        self.keys[page.file.src_uri] = key
        known = self.pages.get(key) if "view" in generated.data else None
        if known is not None:
            self.hits[page.file.src_uri] = known
            page.meta["search"] = {"exclude": True}
            page.render = functools.partial(restore_render, page, known)  # type: ignore[method-assign]

    def keep(self, page: Page, content: str) -> None:
        """After a practice page's content is made: keep it for later builds, unless it
        links to anchors of other pages, which MkDocs checks against those pages as they
        are then."""
        links = page.links_to_anchors or {}
        if page.file.src_uri in self.keys and set(links) <= {page.file}:
            anchors = frozenset(page.present_anchor_ids or ())
            own = dict(links.get(page.file, {}))
            self.fresh[page.file.src_uri] = RenderedPage(content, page.toc, anchors, own)

    def reuse_search_entries(
        self, page: Page, entries: list[SearchEntry], start: int, search: dict[str, Any]
    ) -> None:
        """After the search plugin has indexed `page` (its entries are those from `start`):
        add a restored page's entries to the index (the plugin skipped it, see `consider`)
        and give it back its `search` metadata, or keep a fresh page's entries for later."""
        src_uri = page.file.src_uri
        known, fresh = self.hits.get(src_uri), self.fresh.pop(src_uri, None)
        if known is not None:
            if search:
                page.meta["search"] = search
            else:
                page.meta.pop("search", None)
            entries.extend(dict(entry) for entry in known.search_entries)
        elif fresh is not None:
            fresh.search_entries = tuple(dict(entry) for entry in entries[start:])
            self.pages.put(self.keys[src_uri], fresh)

    def new_warnings(self, warnings: list[str]) -> tuple[list[str], int]:
        """The warnings the previous build did not show, and how many others there are (a
        contributor saving a file sees what changed, not every old warning again)."""
        new = [text for text in warnings if text not in self.warned]
        self.warned = frozenset(warnings)
        return new, len(warnings) - len(new)

    def end(self) -> None:
        """After a build: forget what it did not use."""
        if self.active:
            self.pages.sweep()
            self.html.store.sweep()
