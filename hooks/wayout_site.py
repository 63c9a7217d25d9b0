"""MkDocs hook: adapt the `wayout` catalogue to MkDocs. All logic lives in `wayout`.

Per build: load the catalogue (stop the build on any error, with the messages of
`wayout validate`), add every generated page as an in-memory file, hand each page's
data to its template, sanitise rendered practice bodies, mark external links and give
every HTML page its Content-Security-Policy. Module state is reset in
`on_config`, because `mkdocs serve` imports this module once and rebuilds many times.

Rendering is cached (`wayout.render_cache`) without changing a byte of output: in every
build, Material's navigation of pages out of the nav and each practice card of the facet
pages are rendered once; under `mkdocs serve`, the practice and facet value pages whose
inputs did not change since the previous rebuild are reused (`ServeCache`). Set
WAYOUT_RENDER_CACHE=off to render everything (tests/test_render_cache.py compares both).
"""

from __future__ import annotations

import functools
import logging
import os
import posixpath
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url, normalize_url

from wayout.catalogue import Catalogue, LoadCache, load_catalogue
from wayout.csp import with_csp
from wayout.exports import RecordCache, open_data_files
from wayout.html import mark_external_links, sanitise
from wayout.loader import Entry
from wayout.pages import Card, build_date, home_data, site_pages
from wayout.pages import Page as GeneratedPage
from wayout.problems import format_problems
from wayout.render_cache import (
    CallCache,
    FragmentCache,
    Generational,
    MemoryBytecodeCache,
    PageCache,
    RenderedPage,
    digest,
)

log = logging.getLogger("mkdocs.hooks.wayout")

# Pages listed in mkdocs.yml's nav; every other generated page is kept out of the nav.
IN_NAV = {"practices/index.md", "framework.md", "fields.md"}


class State:
    """What one build knows: the command, the catalogue and the generated pages."""

    def __init__(self) -> None:
        self.command = "build"
        self.reset()

    def reset(self) -> None:
        """Forget the previous build (mkdocs serve keeps this module between rebuilds)."""
        self.catalogue: Catalogue | None = None
        self.pages: dict[str, GeneratedPage] = {}
        self.env: Environment | None = None
        self.nav_urls: list[str] | None = None
        # Under `mkdocs serve` only: what the build's cache keys depend on, the key of each
        # practice page, the pages found in the cache and those rendered afresh.
        self.fingerprint: str | None = None
        self.keys: dict[str, str] = {}
        self.hits: dict[str, RenderedPage] = {}
        self.fresh: dict[str, RenderedPage] = {}
        self.search_mark = 0
        self.nav_signature: str | None = None


state = State()


class ServeCache:
    """What `mkdocs serve` keeps between rebuilds (`mkdocs build` never uses it): the files
    as last loaded, and each practice page's rendered content, search entries and whole
    HTML, by a key that covers everything they depend on. After an edit only the changed
    practice is rendered again; the explorer, facet pages and search index always are."""

    def __init__(self) -> None:
        self.files = LoadCache()
        self.pages: Generational[str, RenderedPage] = Generational()
        self.html = PageCache()
        self.records = RecordCache()
        self.bytecode = MemoryBytecodeCache()


serve_cache = ServeCache()


def on_startup(command: str, dirty: bool) -> None:
    state.command = command


def on_config(config: MkDocsConfig) -> None:
    state.reset()


def practices_dir(config: MkDocsConfig) -> Path:
    """`practices/` beside mkdocs.yml, or the folder named by WAYOUT_PRACTICES."""
    override = os.environ.get("WAYOUT_PRACTICES")
    return Path(override) if override else Path(config.config_file_path).parent / "practices"


def load(config: MkDocsConfig) -> Catalogue:
    cache = serve_cache.files if serving_from_cache() else None
    catalogue = load_catalogue([practices_dir(config)], cache=cache)
    for warning in catalogue.warnings:
        log.info(warning.text())
    if catalogue.errors:
        report = format_problems(catalogue.errors, catalogue.files, "human")
        if state.command != "serve":
            raise PluginError(f"invalid practice files:\n{report}")
        log.error("invalid practice files are left out of this preview:\n%s", report)
    return catalogue


def on_files(files: Files, config: MkDocsConfig) -> Files:
    catalogue = state.catalogue = load(config)
    for page in site_pages(catalogue, config.site_url or "/"):
        state.pages[page.src_uri] = page
        inclusion = (
            InclusionLevel.UNDEFINED
            if page.src_uri in IN_NAV or page.src_uri.endswith("/index.md")
            else InclusionLevel.NOT_IN_NAV
        )
        files.append(
            File.generated(config, page.src_uri, content=page.markdown, inclusion=inclusion)
        )
    records = serve_cache.records if serving_from_cache() else None
    data = open_data_files(
        catalogue.published, config.site_url or "/", catalogue.vocabulary, records
    )
    for path, content in data.items():
        files.append(File.generated(config, path, content=content))
    if serving_from_cache():
        state.fingerprint = site_fingerprint(config, files)
    return files


# Material partials whose output depends only on the navigation and the page's folder
# when the page is not in the navigation (practice and facet value pages), and partials
# that are the same on every page. Each is rendered once per build and reused.
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


def shared_nav_key(context: Context) -> Hashable | None:
    """Pages out of the navigation, in one folder, have the same navigation and tabs: no
    item is active, and every link is relative to the same folder. None for other pages."""
    page, nav = context.get("page"), context.get("nav")
    if not isinstance(page, Page) or not isinstance(nav, Navigation):
        return None
    if state.nav_urls is None:
        state.nav_urls = nav_urls(nav)
    if page in nav.pages or any(url.startswith(page.url) for url in state.nav_urls):
        return None
    return posixpath.dirname(page.url.rstrip("/")), context.get("base_url")


def render_cache_enabled() -> bool:
    """False when WAYOUT_RENDER_CACHE=off: every page rendered in full, to check that the
    caches change nothing (the tests compare both builds byte for byte)."""
    return os.environ.get("WAYOUT_RENDER_CACHE", "").lower() != "off"


def serving_from_cache() -> bool:
    return state.command == "serve" and render_cache_enabled()


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    if not render_cache_enabled():
        return env
    cards = CallCache()

    @pass_context
    def cached_card(context: Context, card: Card, heading: str, macro: Callable[..., str]) -> str:
        """A card as the `practice_card` macro renders it: the same for the same entry,
        heading and link (relative to the page)."""
        url = normalize_url(card.url, context.get("page"), context.get("base_url", ""))
        facts = (tuple(card.countries), tuple(card.categories), card.evidence, card.url)
        key = (id(card.entry), heading, url, facts)
        return cards.call(key, card.entry, macro, card, heading)

    env.globals["cached_card"] = cached_card
    shared = FragmentCache(shared_nav_key)
    constant = FragmentCache(lambda context: "")
    for name in NAV_PARTIALS:
        shared.wrap(env.get_template(name))
    for name in CONSTANT_PARTIALS:
        constant.wrap(env.get_template(name))
    if state.fingerprint is not None:
        env.bytecode_cache = serve_cache.bytecode
        for name in ("wayout/practice.html", "wayout/facet-value.html"):
            serve_cache.html.wrap(env.get_template(name), page_html_key)
    return env


# --- mkdocs serve: render again only what changed -----------------------------------------


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


def entry_key(entry: Entry) -> tuple[str, str] | None:
    """An entry by the file it was loaded from: its path and a fingerprint of its bytes."""
    found = serve_cache.files.digest(entry)
    return None if found is None else (str(entry.path), found)


def page_key(generated: GeneratedPage, page: Page, markdown: str) -> str | None:
    """What a practice page's content, or a facet value page, depends on (with the site's
    fingerprint), or None for the pages that are always rendered."""
    data = generated.data
    own: object
    rest: list[Any]
    if "view" in data:
        # The view is a function of the entry, its related links and what the site's
        # fingerprint covers (the vocabulary, the date and site_url): see practice_view.
        view = data["view"]
        own = entry_key(view.entry)
        rest = [view.related, id(state.catalogue.vocabulary) if state.catalogue else None]
    elif "cards" in data and "value" in data:
        value, cards = data["value"], data["cards"]
        own = value.id, value.label, value.description, data["facet"].key
        rest = [(entry_key(c.entry), c.url, c.countries, c.categories, c.evidence) for c in cards]
        if any(item[0] is None for item in rest):
            return None
    else:
        return None
    if own is None:
        return None
    return digest(
        state.fingerprint,
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


def page_html_key(context: Context) -> tuple[str, str] | None:
    """A cached page's whole HTML depends on its own key, the navigation and its place."""
    page, nav = context.get("page"), context.get("nav")
    key = state.keys.get(page.file.src_uri) if isinstance(page, Page) else None
    if key is None or not isinstance(page, Page) or not isinstance(nav, Navigation):
        return None
    if state.nav_signature is None:
        state.nav_signature = nav_signature(nav)
    html_key = digest(
        key, state.nav_signature, page.title, page.canonical_url, context.get("base_url")
    )
    return page.file.src_uri, html_key


def search_entries(config: MkDocsConfig) -> list[dict[str, Any]] | None:
    """The entries of the search plugin's index being built, if the plugin is on."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        entries = getattr(index, "entries", None)
        if isinstance(entries, list):
            return entries
    return None


def on_post_build(config: MkDocsConfig) -> None:
    if state.fingerprint is not None:
        serve_cache.pages.sweep()
        serve_cache.html.store.sweep()


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    generated = state.pages.get(page.file.src_uri)
    if generated is None:
        return markdown
    page.meta.update(
        title=generated.title,
        template=generated.template,
        description=generated.description,
    )
    if generated.search:
        page.meta["search"] = generated.search
    slug = page.file.src_uri.removeprefix("practices/").removesuffix(".md")
    if "view" in generated.data and config.repo_url:
        page.edit_url = f"{config.repo_url.rstrip('/')}/edit/main/practices/{slug}.md"
    else:
        page.edit_url = None
    key = page_key(generated, page, markdown) if state.fingerprint is not None else None
    if key is not None:
        state.keys[page.file.src_uri] = key
        known = serve_cache.pages.get(key) if "view" in generated.data else None
        if known is not None:
            # Rendered before with the same inputs: restore the result instead of rendering
            # the Markdown, and add its search entries in on_page_context.
            state.hits[page.file.src_uri] = known
            page.meta["search"] = {"exclude": True}
            page.render = functools.partial(restore_render, page, known)  # type: ignore[method-assign]
    return markdown


def restore_render(page: Page, known: RenderedPage, config: MkDocsConfig, files: Files) -> None:
    """Stands in for `Page.render` of a page rendered before with the same inputs."""
    page.content = known.content
    page.toc = known.toc
    page.present_anchor_ids = set(known.anchors)
    page.links_to_anchors = {page.file: dict(known.own_links)} if known.own_links else {}


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.src_uri in state.hits:
        return html  # restored as it was
    generated = state.pages.get(page.file.src_uri)
    if generated is None or "view" not in generated.data:
        return mark_external_links(html)
    # The metadata panel is part of the content so that search finds its labels. Pages are
    # rendered to HTML before MkDocs creates its template environment, so make one here.
    if state.env is None:
        state.env = config.theme.get_env()
        if state.fingerprint is not None:
            state.env.bytecode_cache = serve_cache.bytecode
    panel = state.env.get_template("wayout/practice-meta.html").render(
        view=generated.data["view"],
        page=page,
        config=config,
        base_url=get_relative_url(".", page.url),
    )
    content = panel + sanitise(html)
    links = page.links_to_anchors or {}
    if page.file.src_uri in state.keys and set(links) <= {page.file}:
        # Kept for later builds unless it links to anchors of other pages, which MkDocs
        # checks against those pages as they are then.
        anchors = frozenset(page.present_anchor_ids or ())
        own = dict(links.get(page.file, {}))
        state.fresh[page.file.src_uri] = RenderedPage(content, page.toc, anchors, own)
    return content


def on_page_context(
    context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation
) -> dict[str, Any]:
    generated = state.pages.get(page.file.src_uri)
    if generated is not None:
        context["wayout"] = generated.data
    if page.is_homepage and state.catalogue is not None:
        context["home"] = home_data(state.catalogue)
    context["build_date"] = build_date()
    if state.fingerprint is not None:
        reuse_search_entries(page, config)
    return context


def reuse_search_entries(page: Page, config: MkDocsConfig) -> None:
    """Runs after the search plugin has indexed `page`: add a cached page's entries to the
    index (the plugin skipped it), or keep a freshly rendered page's entries for later."""
    src_uri = page.file.src_uri
    entries = search_entries(config)
    known, fresh = state.hits.get(src_uri), state.fresh.pop(src_uri, None)
    if known is not None:
        search = state.pages[src_uri].search
        if search:
            page.meta["search"] = search
        else:
            page.meta.pop("search", None)
        if entries is not None:
            entries.extend(dict(entry) for entry in known.search_entries)
    elif fresh is not None:
        if entries is not None:
            fresh.search_entries = tuple(dict(entry) for entry in entries[state.search_mark :])
        serve_cache.pages.put(state.keys[src_uri], fresh)
    if entries is not None:
        state.search_mark = len(entries)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    def finish(html: str) -> str:
        # The page's content is left out of the hashed scripts: only the templates' may run.
        return with_csp(html, untrusted=[page.content or ""], allow_inline=preview())

    # Under `mkdocs serve`, an unchanged page comes finished from the cache: what `finish`
    # depends on must be covered by `page_html_key` (the output and the page's content are).
    return serve_cache.html.finish(page.file.src_uri, output, finish)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    if not template_name.endswith(".html"):
        return output_content
    return with_csp(output_content, allow_inline=preview())


def preview() -> bool:
    """`mkdocs serve` adds an inline live-reload script to every page; the preview allows it."""
    return state.command == "serve"
