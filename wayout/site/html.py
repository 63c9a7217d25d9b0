"""Make rendered practice bodies safe: what a contributor's Markdown may become in HTML.

Bodies arrive by pull request from people maintainers do not know. After Markdown is
rendered, `sanitise` keeps only plain document markup (no script, no event handlers, no
iframes, forms, images or styles), only http(s), mailto and relative links, and marks
every link `rel="noopener noreferrer"`. It also drops the two attribute values that are
harmless to the sanitiser but not to the page: heading ids that begin with "_" (the
theme's own elements are `__config`, `__search`, ...; a heading with such an id would
take their place) and link targets with spaces, control characters or backslashes
(which browsers read in more than one way).

`mark_external_links` gives the same `rel` to the external links of the site's own pages.
"""

from __future__ import annotations

import re
from functools import cache

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
EXTERNAL_REL = "noopener noreferrer"

_LOOSE_HREF = re.compile(r"[\s\x00-\x1f\x7f\\]")


def _attribute_value(tag: str, attribute: str, value: str) -> str | None:
    """The value to keep for an allowed attribute, or None to drop the attribute."""
    if attribute == "id" and value.startswith("_"):
        return None
    if attribute == "href" and _LOOSE_HREF.search(value):
        return None
    return value


@cache
def _cleaner() -> nh3.Cleaner:
    """The sanitiser, configured once: `nh3.clean` builds its configuration on every call,
    which cost three times the cleaning of a practice body."""
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_value,
        url_schemes=set(URL_SCHEMES),
        link_rel=EXTERNAL_REL,
        strip_comments=True,
    )


def sanitise(html: str) -> str:
    """The HTML with everything outside the allow-lists removed."""
    return _cleaner().clean(html)


# A start tag of a link, with quoted attribute values that may contain ">".
_LINK_TAG = re.compile(r"""<a(?=[\s>])(?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)
_HREF = re.compile(r"""\shref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_REL = re.compile(r"""\srel\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def _with_rel(match: re.Match[str]) -> str:
    tag = match.group()
    href = _HREF.search(tag)
    target = (href.group(1) or href.group(2) or "") if href else ""
    if not target.lower().startswith(("http://", "https://", "//")):
        return tag
    rel = _REL.search(tag)
    if rel is None:
        return f'{tag[:-1]} rel="{EXTERNAL_REL}">'
    tokens = (rel.group(1) or rel.group(2) or "").split()
    tokens += [token for token in EXTERNAL_REL.split() if token not in tokens]
    return f'{tag[: rel.start()]} rel="{" ".join(tokens)}"{tag[rel.end() :]}'


def mark_external_links(html: str) -> str:
    """Rendered HTML of the site's own pages with `rel="noopener noreferrer"` on every link
    to another site (absolute http(s) or protocol-relative address)."""
    return _LINK_TAG.sub(_with_rel, html)
