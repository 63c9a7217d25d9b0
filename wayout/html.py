"""Make rendered practice bodies safe: what a contributor's Markdown may become in HTML.

Bodies arrive by pull request from people maintainers do not know. After Markdown is
rendered, `sanitise` keeps only plain document markup (no script, no event handlers, no
iframes, forms, images or styles), only http(s) and mailto links, and marks every link
`rel="noopener noreferrer"`.
"""

from __future__ import annotations

import nh3

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h2",
        "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "span", "strong", "sub", "sup",
        "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "abbr": {"title"},
    "code": {"class"},
    "div": {"class"},
    "span": {"class"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitise(html: str) -> str:
    """The HTML with everything outside the allow-lists removed."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
