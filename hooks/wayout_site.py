"""MkDocs hook: adapt the `wayout` catalogue to MkDocs. All logic lives in `wayout`.

Per build: load the catalogue (stop the build on any error, with the messages of
`wayout validate`), add every generated page as an in-memory file, hand each page's
data to its template, and sanitise rendered practice bodies. Module state is reset in
`on_config`, because `mkdocs serve` imports this module once and rebuilds many times.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from wayout.catalogue import Catalogue, load_catalogue
from wayout.exports import open_data_files
from wayout.html import sanitise
from wayout.pages import Page as GeneratedPage
from wayout.pages import build_date, home_data, site_pages
from wayout.problems import format_problems

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


state = State()


def on_startup(command: str, dirty: bool) -> None:
    state.command = command


def on_config(config: MkDocsConfig) -> None:
    state.reset()


def practices_dir(config: MkDocsConfig) -> Path:
    """`practices/` beside mkdocs.yml, or the folder named by WAYOUT_PRACTICES."""
    override = os.environ.get("WAYOUT_PRACTICES")
    return Path(override) if override else Path(config.config_file_path).parent / "practices"


def load(config: MkDocsConfig) -> Catalogue:
    catalogue = load_catalogue([practices_dir(config)])
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
    data = open_data_files(catalogue.published, config.site_url or "/", catalogue.vocabulary)
    for path, content in data.items():
        files.append(File.generated(config, path, content=content))
    return files


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
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    generated = state.pages.get(page.file.src_uri)
    if generated is None or "view" not in generated.data:
        return html
    # The metadata panel is part of the content so that search finds its labels. Pages are
    # rendered to HTML before MkDocs creates its template environment, so make one here.
    state.env = state.env or config.theme.get_env()
    panel = state.env.get_template("wayout/practice-meta.html").render(
        view=generated.data["view"],
        page=page,
        config=config,
        base_url=get_relative_url(".", page.url),
    )
    return panel + sanitise(html)


def on_page_context(
    context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation
) -> dict[str, Any]:
    generated = state.pages.get(page.file.src_uri)
    if generated is not None:
        context["wayout"] = generated.data
    if page.is_homepage and state.catalogue is not None:
        context["home"] = home_data(state.catalogue)
    context["build_date"] = build_date()
    return context
