"""Pages' Markdown rendered on two cores, without changing a byte of output.

MkDocs renders the Markdown of one page after another, in one process. `SharedRendering`,
made when the navigation is ready, forks a child that renders the pages from the last
(`wayout.forked.SharedWork`) while MkDocs renders them here from the first. Just before
MkDocs renders a page (`stand_in`), the child's rendering, if it has one, replaces
`Page.render` for that page. The child renders a page as MkDocs does (`Page.read_source`,
then `Page.render`) and sends back everything `render` sets: the HTML, the table of
contents, the title found in it, the anchors and the links to anchors.

A page whose rendering logged or warned anything (a link to a missing file, say) is left
to this process, so that every message is shown once, here, and counts for `--strict`.
So is a page whose Markdown a plugin changed before it was rendered here (the child
rendered the Markdown as read), and every page if `Page.render` sets anything that
`ChildRendering` does not carry (another MkDocs version than 1.6): the output can only ever
be the one rendering here gives. This module knows MkDocs, not the catalogue.
"""

from __future__ import annotations

import functools
import logging
import warnings
from dataclasses import dataclass
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from wayout.forked import SharedWork

# What `Page.render` sets on a page (MkDocs 1.6), all of which `ChildRendering` carries.
RENDERED = {"content", "toc", "_title_from_render", "present_anchor_ids", "links_to_anchors"}


@dataclass
class ChildRendering:
    """What `Page.render` set on a page, as the child found it, for the Markdown it read."""

    markdown: str
    content: str
    toc: Any
    title: str | None
    anchors: set[str]
    links: dict[str, dict[str, str]] | None  # by the src_uri of the page linked to


class Noticed(logging.Handler):
    """Counts the log records of level INFO and above made (in the child, instead of
    showing them). Debug records of the pages the child renders are not shown."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _silence_logging() -> Noticed:
    """In the child: every logger's records go to one counting handler instead."""
    noticed = Noticed()
    loggers = [logging.getLogger()]
    loggers += [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    for logger in loggers:
        logger.handlers = [noticed] if logger.handlers or not logger.propagate else []
    logging.getLogger().handlers = [noticed]
    return noticed


def render_here(
    file: File, config: MkDocsConfig, files: Files, noticed: Noticed
) -> ChildRendering | None:
    """In the child: `file`'s page rendered as MkDocs renders it, or None if rendering it
    said anything (left to the parent, so that the message is shown there)."""
    before = noticed.count
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            page = file.page if file.page is not None else Page(None, file, config)
            page.read_source(config)
            markdown, state = page.markdown, dict(vars(page))
            page.render(config, files)
    except Exception:  # rendered again in the parent, which reports it
        return None
    if caught or noticed.count != before or markdown is None or page.content is None:
        return None
    changed = {name for name, value in vars(page).items() if state.get(name, state) is not value}
    if not changed <= RENDERED:  # another MkDocs than this module knows: render it there
        return None
    links = page.links_to_anchors
    return ChildRendering(
        markdown,
        page.content,
        page.toc,
        page._title_from_render,
        set(page.present_anchor_ids or ()),
        None if links is None else {linked.src_uri: dict(to) for linked, to in links.items()},
    )


def _restore(page: Page, known: ChildRendering, config: MkDocsConfig, files: Files) -> None:
    """Stands in for `Page.render`: the child's rendering, if it rendered this Markdown."""
    if page.markdown != known.markdown:
        Page.render(page, config, files)
        return
    page.content = known.content
    page.toc = known.toc
    page._title_from_render = known.title
    page.present_anchor_ids = known.anchors
    if known.links is not None:
        linked = {uri: files.get_file_from_path(uri) for uri in known.links}
        page.links_to_anchors = {
            file: known.links[uri] for uri, file in linked.items() if file is not None
        }
        if len(page.links_to_anchors) != len(known.links):
            Page.render(page, config, files)


class SharedRendering:
    """The documentation pages' Markdown, rendered by a forked child from the last page
    while MkDocs renders them here from the first. Without a child (forking unsafe, as
    under `mkdocs serve`, or too few pages), every page is rendered here as usual."""

    def __init__(self, config: MkDocsConfig, files: Files) -> None:
        pages = list(files.documentation_pages())
        self.config, self.files = config, files
        self.index = {file.src_uri: number for number, file in enumerate(pages)}
        self.pages = len(pages)
        self.from_child = 0  # pages whose rendering came from the child
        self.noticed: Noticed | None = None  # in the child, once it renders
        self.work: SharedWork[File, ChildRendering | None] = SharedWork(self._in_child, pages)

    def _in_child(self, file: File) -> ChildRendering | None:
        """What the child does with each page it takes (this process only claims pages)."""
        if self.noticed is None:
            self.noticed = _silence_logging()
        return render_here(file, self.config, self.files, self.noticed)

    def stand_in(self, page: Page) -> None:
        """Just before MkDocs renders `page`: use the child's rendering if it has one."""
        number = self.index.get(page.file.src_uri)
        if number is None:
            return
        known = self.work.claim(number)
        if known is not None:
            self.from_child += 1
            page.render = functools.partial(_restore, page, known)  # type: ignore[method-assign]

    def end(self) -> None:
        """Every page is rendered (or the build stopped): the child is not needed."""
        self.work.cancel()
