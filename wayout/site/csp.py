"""The Content-Security-Policy of every built page: the site's own inline scripts and files
run; anything else that reaches a page (a script slipped past the sanitiser, an event
handler, a third-party address) does not.

Material's templates put a few small inline scripts on each page, some of which differ by
page (they hold its path), so their SHA-256 hashes are computed from each rendered page.
Scripts that are data, not code (`application/json`, `application/ld+json`, ...), need no
hash. The page's content - the only HTML written by contributors, already sanitised - is
left out before hashing, so a script in it is never allowed. The rest of the page comes
from templates that escape every value, so a `<script` there, after a tag, is a script.

The policy goes into a `<meta http-equiv>` tag, as static hosting such as GitHub Pages
sets no headers: right after `<meta charset>` when the head starts with it (the charset
must stay within the first 1024 bytes), else as the first child of `<head>`.

`mkdocs serve` adds an inline live-reload script of its own, different in every response,
to each page it serves; the local preview therefore allows inline scripts (`allow_inline`)
and keeps every other rule.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

# Types of <script> that a browser runs; every other type is a data block.
SCRIPT_TYPES = frozenset(
    {"", "text/javascript", "application/javascript", "application/ecmascript",
     "text/ecmascript", "module"}
)  # fmt: skip

POLICY = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self' 'unsafe-inline'"),
    ("img-src", "'self' data:"),
    ("connect-src", "'self'"),
    ("worker-src", "'self' blob:"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    ("frame-src", "'none'"),
)

# An inline or external script element that follows a tag (or starts the text): what
# `script_elements` finds, faster.
_SCRIPT = re.compile(r"(?:(?<=>)|^)\s*<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_TYPE = re.compile(r"""(?:^|\s)type\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_SRC = re.compile(r"(?:^|\s)src\s*=", re.I)
_HEAD = re.compile(r"<head\b[^>]*>", re.I)
_CHARSET = re.compile(r"\s*<meta\s+charset\s*=[^>]*>", re.I)


def _is_code(attributes: str) -> bool:
    found = _TYPE.search(attributes)
    kind = next((g for g in found.groups() if g is not None), "") if found else ""
    return kind.strip().lower() in SCRIPT_TYPES


def script_hash(source: str) -> str:
    """The CSP source expression ('sha256-...') that allows one inline script's text."""
    text = source.replace("\r\n", "\n").replace("\r", "\n")  # as the browser reads it
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


_SCRIPT_TAG = re.compile(r"<script\b", re.I)
# `_SCRIPT` in two parts: the start tag (with the blanks before it), and the end tag.
_START_TAG = re.compile(r"(?:(?<=>)|^)\s*<script\b([^>]*)>", re.I)
_END_TAG = re.compile(r"</script\s*>", re.I)


class ScriptElement(NamedTuple):
    """A match of `_SCRIPT`: where it starts and ends, the start tag's attributes, and the
    script's text."""

    start: int
    end: int
    attributes: str
    source: str


def script_elements(html: str) -> Iterator[ScriptElement]:
    """The matches of `_SCRIPT.finditer(html)`, found without trying the pattern at every
    position of the page (which took a tenth of the site's build): only from the start of
    the blanks before each `<script`, the one place where a match can begin; and the end
    tag is searched for, not tried after every character of the script (as `(.*?)` does),
    which halves the time again."""
    pos = 0
    while (tag := _SCRIPT_TAG.search(html, pos)) is not None:
        start = tag.start()
        while start > pos and html[start - 1].isspace():
            start -= 1
        opened = _START_TAG.match(html, start)
        if opened is None:
            pos = tag.start() + 1
            continue
        closed = _END_TAG.search(html, opened.end())
        if closed is None:
            return  # no end tag after this one: none after any later one either
        source = html[opened.end() : closed.start()]
        yield ScriptElement(start, closed.end(), opened.group(1), source)
        pos = closed.end()


def inline_script_hashes(html: str) -> list[str]:
    """The hashes of the inline scripts that run on the page, in order, each once."""
    hashes: list[str] = []
    for element in script_elements(html):
        if _SRC.search(element.attributes) or not _is_code(element.attributes):
            continue
        digest = script_hash(element.source)
        if digest not in hashes:
            hashes.append(digest)
    return hashes


def content_security_policy(hashes: Iterable[str], *, allow_inline: bool = False) -> str:
    """The policy text, with `hashes` added to script-src (or, with `allow_inline`, every
    inline script allowed: browsers ignore 'unsafe-inline' next to hashes)."""
    extra = "'unsafe-inline'" if allow_inline else " ".join(hashes)
    return "; ".join(
        f"{name} {sources} {extra}" if name == "script-src" and extra else f"{name} {sources}"
        for name, sources in POLICY
    )


def with_csp(html: str, untrusted: Iterable[str] = (), *, allow_inline: bool = False) -> str:
    """The page with its policy in a <meta> tag; scripts inside any of the `untrusted`
    fragments of the page (its contributed content) are not allowed by it."""
    head = _HEAD.search(html)
    if head is None:
        return html
    trusted = html
    for fragment in untrusted:
        if fragment:
            trusted = trusted.replace(fragment, "")
    hashes = [] if allow_inline else inline_script_hashes(trusted)
    policy = content_security_policy(hashes, allow_inline=allow_inline)
    meta = f'\n    <meta http-equiv="Content-Security-Policy" content="{policy}">'
    at = head.end()
    charset = _CHARSET.match(html, at)
    if charset:
        at = charset.end()
    return html[:at] + meta + html[at:]
