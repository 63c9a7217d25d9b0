"""MkDocs hook: adapt the `wayout` catalogue to MkDocs. All logic lives in `wayout`.

Per build: load the catalogue (stop the build on any error, with the messages of
`wayout validate`), add every generated page as an in-memory file, hand each page's
data to its template, sanitise rendered practice bodies (all together in on_env, after
every page's Markdown is rendered and before any template or the search plugin reads
a page's content), give practice pages' search entries their "at a glance" labels, mark
external links and give every HTML page its Content-Security-Policy. Module state is reset
in `on_config`, because `mkdocs serve` imports this module once and rebuilds many times.

A build forks helpers (`wayout.forked`): in on_config, while MkDocs reads its theme, one
starts loading practices and another reads the map's outlines; in on_files another writes
the open data while this process makes the pages; in on_nav another renders pages'
Markdown from the last while MkDocs renders them from the first
(`wayout_mkdocs/parallel.py`). WAYOUT_FORK=off does everything in one process.
Under `mkdocs serve`, saves are noticed from the system's file events instead of polling
(`wayout_mkdocs/watcher.py`).

Rendering is cached without changing a byte of output (`wayout_mkdocs`): in every build,
Material's navigation of pages out of the nav and each practice card of the facet pages
are rendered once; under `mkdocs serve`, the pages whose inputs did not change since the
previous rebuild are reused. Set WAYOUT_RENDER_CACHE=off to render everything
(tests/test_render_cache.py compares both).
"""

from __future__ import annotations

import gc
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from wayout.catalogue.catalogue import Catalogue, Loading, start_loading
from wayout.forked import Forked
from wayout.record.problems import format_problems
from wayout.site.csp import with_csp
from wayout.site.europe_map import start_reading_shapes
from wayout.site.exports import open_data_files
from wayout.site.html import mark_external_links, sanitise
from wayout.site.pages import Page as GeneratedPage
from wayout.site.pages import build_date, home_data, site_pages
from wayout_mkdocs.fragments import cache_fragments
from wayout_mkdocs.outline import practice_outline
from wayout_mkdocs.parallel import SharedRendering
from wayout_mkdocs.search import add_search_text, search_entries
from wayout_mkdocs.serve import ServeCache, site_fingerprint

if TYPE_CHECKING:  # `mkdocs build` need not import the live-reload server (0.03 s)
    from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.hooks.wayout")

# Pages listed in mkdocs.yml's nav; every other generated page is kept out of the nav.
IN_NAV = {"practices/index.md", "framework.md", "fields.md"}


class State:
    """What one build knows: the command, the catalogue, the generated pages and how far
    the search index had been read."""

    def __init__(self) -> None:
        self.command = "build"
        self.loading: Loading | None = None  # started in on_config, finished in on_files
        self.rendering: SharedRendering | None = None  # from on_nav to on_env
        self.reset()

    def reset(self) -> None:
        """Forget the previous build (mkdocs serve keeps this module between rebuilds)."""
        if self.loading is not None:
            self.loading.cancel()  # left by a build that stopped before on_files
        self.loading = None
        self.end_rendering()
        self.catalogue: Catalogue | None = None
        self.pages: dict[str, GeneratedPage] = {}
        self.unsanitised: list[Page] = []  # practice pages whose content is not sanitised yet
        self.search_mark = 0

    def end_rendering(self) -> None:
        rendering, self.rendering = self.rendering, None
        if rendering is not None:
            rendering.end()
            log.debug(
                "Markdown of %d of %d pages rendered by a forked child",
                rendering.from_child,
                rendering.pages,
            )


state = State()
serve_cache = ServeCache()  # used by `mkdocs serve` only, kept across its rebuilds


def render_cache_enabled() -> bool:
    """False when WAYOUT_RENDER_CACHE=off: every page rendered in full, to check that the
    caches change nothing (the tests compare both builds byte for byte)."""
    return os.environ.get("WAYOUT_RENDER_CACHE", "").lower() != "off"


def serving_from_cache() -> bool:
    return state.command == "serve" and render_cache_enabled()


def preview() -> bool:
    """`mkdocs serve` adds an inline live-reload script to every page; the preview allows it."""
    return state.command == "serve"


def practices_dir(config: MkDocsConfig) -> Path:
    """`practices/` beside mkdocs.yml, or the folder named by WAYOUT_PRACTICES."""
    override = os.environ.get("WAYOUT_PRACTICES")
    return Path(override) if override else Path(config.config_file_path).parent / "practices"


def start_load(config: MkDocsConfig) -> Loading:
    """Start loading the practices: in a forked child too for `mkdocs build`; under
    `mkdocs serve`, here, parsing only the files changed since the last rebuild."""
    cache = serve_cache.files if serving_from_cache() else None
    return start_loading([practices_dir(config)], cache=cache)


def load(config: MkDocsConfig) -> Catalogue:
    loading, state.loading = state.loading or start_load(config), None
    catalogue = loading.catalogue()
    warnings = [warning.text() for warning in catalogue.warnings]
    if state.command == "serve":  # a rebuild repeats only the count of known warnings
        warnings, known = serve_cache.new_warnings(warnings)
        if known:
            noun = "warning" if known == 1 else "warnings"
            log.info("%d %s as in the previous build (`make validate` lists them)", known, noun)
    for text in warnings:
        log.info(text)
    if catalogue.errors:
        report = format_problems(catalogue.errors, catalogue.files, "human")
        if state.command != "serve":
            raise PluginError(f"invalid practice files:\n{report}")
        log.error("invalid practice files are left out of this preview:\n%s", report)
    return catalogue


def on_startup(command: str, dirty: bool) -> None:
    state.command = command


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
    # Saves noticed at once, from the system's file events (wayout_mkdocs/watcher.py).
    from wayout_mkdocs.watcher import use_native_watcher  # only `mkdocs serve` needs it

    use_native_watcher(server, [config.docs_dir, config.config_file_path, *config.theme.dirs])
    return server


def on_config(config: MkDocsConfig) -> None:
    state.reset()
    serve_cache.begin(None)
    # Forked children read the map's outlines and load practices while MkDocs reads its
    # theme (wayout.forked); `mkdocs serve` keeps the outlines and reloads changed files.
    start_reading_shapes()
    state.loading = start_load(config)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    catalogue = state.catalogue = load(config)
    # The catalogue, and below the pages' data, live until the build ends: the cyclic
    # garbage collector need not look at them again in every full collection.
    gc.freeze()
    records = serve_cache.records if serving_from_cache() else None
    # Written by a forked child while this process makes the pages (not with the serve
    # cache's records, which must stay here).
    exports = Forked(
        lambda: open_data_files(
            catalogue.published, config.site_url or "/", catalogue.vocabulary, records
        ),
        fork=records is None,
    )
    views = serve_cache.views if serving_from_cache() else None
    for page in site_pages(catalogue, config.site_url or "/", views=views):
        state.pages[page.src_uri] = page
        inclusion = (
            InclusionLevel.UNDEFINED
            if page.src_uri in IN_NAV or page.src_uri.endswith("/index.md")
            else InclusionLevel.NOT_IN_NAV
        )
        files.append(
            File.generated(config, page.src_uri, content=page.markdown, inclusion=inclusion)
        )
    for path, content in exports.result().items():
        files.append(File.generated(config, path, content=content))
    gc.freeze()
    if serving_from_cache():
        serve_cache.begin(site_fingerprint(config, files))
    return files


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    # A forked child renders pages' Markdown from the last while MkDocs renders them from
    # the first (wayout_mkdocs/parallel.py); not under `mkdocs serve`, which has threads.
    state.rendering = SharedRendering(config, files)
    return nav


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    state.end_rendering()
    # Every page's Markdown is rendered, no template has run: sanitise the practice bodies
    # now, all together (in one go nh3 takes half the time it takes between other work).
    for page in state.unsanitised:
        page.content = sanitise(page.content or "")
        if serve_cache.active:
            serve_cache.keep(page, page.content)
    state.unsanitised.clear()
    if render_cache_enabled():
        cache_fragments(env)
    if serve_cache.active:
        serve_cache.wrap_templates(env)
    return env


@event_priority(-100)  # the last to see the Markdown before it is rendered
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if state.rendering is not None:
        state.rendering.stand_in(page)
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
    if serve_cache.active and state.catalogue is not None:
        serve_cache.consider(generated, page, markdown, state.catalogue.vocabulary)
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.src_uri in serve_cache.hits:
        return html  # restored as it was
    generated = state.pages.get(page.file.src_uri)
    if generated is None or "view" not in generated.data:
        return mark_external_links(html)
    page.toc = practice_outline(page.toc, generated.data["view"])
    state.unsanitised.append(page)  # sanitised in on_env, before anything reads it
    return html


@event_priority(-50)  # after the search plugin has indexed the page
def on_page_context(
    context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation
) -> dict[str, Any]:
    generated = state.pages.get(page.file.src_uri)
    if generated is not None:
        context["wayout"] = generated.data
    if page.is_homepage and state.catalogue is not None:
        context["home"] = home_data(state.catalogue)
    context["build_date"] = build_date()
    entries = search_entries(config)
    if entries is not None:
        if generated is not None and "view" in generated.data:
            text = generated.data["view"].search_text
            add_search_text(entries, state.search_mark, page.url, text)
        if serve_cache.active and generated is not None:
            serve_cache.reuse_search_entries(page, entries, state.search_mark, generated.search)
        state.search_mark = len(entries)
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    def finish(html: str) -> str:
        # The page's content is left out of the hashed scripts: only the templates' may run.
        return with_csp(html, untrusted=[page.content or ""], allow_inline=preview())

    # Under `mkdocs serve`, an unchanged page comes finished from the cache: what `finish`
    # depends on must be covered by its key (the output and the page's content are).
    return serve_cache.html.finish(page.file.src_uri, output, finish)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    if not template_name.endswith(".html"):
        return output_content
    return with_csp(output_content, allow_inline=preview())


def on_post_build(config: MkDocsConfig) -> None:
    gc.unfreeze()  # `mkdocs serve`: what this build no longer uses can go
    serve_cache.end()


def on_build_error(error: Exception) -> None:
    state.end_rendering()
    gc.unfreeze()
