"""The table of contents of a practice page: its body's sections and the template's own.

MkDocs builds a page's table of contents from its Markdown only. A practice page's
template adds sections around the body ("At a glance" before it; "Sources", "Related
practices" and "Cite this practice" after it), which readers of a long page want to
reach from the contents too. Material's "Skip to content" link also leads to the first
entry, which would otherwise be the body's first section, past the panel.
"""

from __future__ import annotations

from mkdocs.structure.toc import AnchorLink, TableOfContents

from wayout.pages import PracticeView

# The ids and titles of the sections that overrides/wayout/practice.html and
# practice-meta.html render (tests/test_site.py checks that every entry has its target).
BEFORE_BODY = (("at-a-glance", "At a glance"),)
AFTER_BODY = (
    ("sources", "Sources"),
    ("related", "Related practices"),
    ("cite", "Cite this practice"),
)


def practice_outline(body: TableOfContents, view: PracticeView) -> TableOfContents:
    """The body's table of contents with the template's sections before and after it."""
    after = [(id_, title) for id_, title in AFTER_BODY if id_ != "related" or view.related]
    return TableOfContents(
        [AnchorLink(title, id_, 2) for id_, title in BEFORE_BODY]
        + list(body)
        + [AnchorLink(title, id_, 2) for id_, title in after]
    )
