"""The table of contents of a practice page: its body's sections and the template's own.

MkDocs builds a page's table of contents from its Markdown only. A practice page's
template adds headings around the body (`wayout.site.pages.template_headings`), which readers
of a long page want to reach from the contents too. Material's "Skip to content" link
also leads to the first entry, which would otherwise be the body's first section, past
the "at a glance" panel.
"""

from __future__ import annotations

from mkdocs.structure.toc import AnchorLink, TableOfContents

from wayout.site.pages import Link, PracticeView, template_headings


def practice_outline(body: TableOfContents, view: PracticeView) -> TableOfContents:
    """The body's table of contents with the template's headings before and after it."""
    before, after = template_headings(view)

    def anchors(links: list[Link]) -> list[AnchorLink]:
        return [AnchorLink(link.label, link.url.removeprefix("#"), 2) for link in links]

    return TableOfContents(anchors(before) + list(body) + anchors(after))
