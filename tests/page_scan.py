"""Read a built HTML page as a browser's parser would: its elements and their attributes,
its scripts, its policy, its title and main heading (for the tests of built pages)."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

# Types of <script> a browser runs; others are data.
SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}
# Attributes that make a browser load or open an address.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}
# Elements whose address the browser fetches as soon as the page loads.
LOADING = {"script", "img", "iframe", "frame", "embed", "object", "source", "video", "audio",
           "track", "input", "image", "use"}  # fmt: skip
LOADING_LINK_RELS = {"stylesheet", "icon", "preload", "prefetch", "preconnect", "modulepreload",
                     "manifest", "dns-prefetch", "apple-touch-icon"}  # fmt: skip


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    in_head: bool


@dataclass
class Script:
    attrs: dict[str, str]
    text: str

    @property
    def runs_inline(self) -> bool:
        return "src" not in self.attrs and self.attrs.get("type", "").lower() in SCRIPT_TYPES


@dataclass
class PageScan:
    elements: list[Element] = field(default_factory=list)
    scripts: list[Script] = field(default_factory=list)
    title: str = ""
    h1: str = ""

    @property
    def policies(self) -> list[str]:
        return [
            e.attrs.get("content", "")
            for e in self.elements
            if e.tag == "meta"
            and e.attrs.get("http-equiv", "").lower() == "content-security-policy"
        ]

    def directive(self, name: str) -> list[str]:
        """The sources of one directive of the page's (single) policy."""
        (policy,) = self.policies
        for part in policy.split(";"):
            words = part.split()
            if words and words[0] == name:
                return words[1:]
        return []

    def links(self) -> list[Element]:
        return [e for e in self.elements if e.tag == "a" and "href" in e.attrs]


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = PageScan()
        self.in_head = False
        self.capture: str | None = None
        self.script: Script | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "head":
            self.in_head = True
        self.scan.elements.append(Element(tag, values, self.in_head))
        if tag == "script":
            self.script = Script(values, "")
        elif tag in ("title", "h1") and not getattr(self.scan, tag):
            self.capture = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False
        if tag == "script" and self.script is not None:
            self.scan.scripts.append(self.script)
            self.script = None
        if tag == self.capture:
            self.capture = None

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script.text += data
        elif self.capture:
            setattr(self.scan, self.capture, getattr(self.scan, self.capture) + data)


def scan(html: str) -> PageScan:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    result = parser.scan
    result.title = " ".join(result.title.split())
    result.h1 = " ".join(result.h1.replace("\N{PILCROW SIGN}", "").split())
    return result


def scan_file(path: Path) -> PageScan:
    return scan(path.read_text(encoding="utf-8"))


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def sha256_source(text: str) -> str:
    """The CSP source expression of a script, computed here independently of wayout.site.csp."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode() + "'"


def is_external(url: str) -> bool:
    """An address on another site: absolute http(s) or protocol-relative."""
    return bool(re.match(r"(?:https?:)?//", url.strip(), re.IGNORECASE))


def scheme(url: str) -> str:
    """The scheme a browser would read (it drops tabs, newlines and leading blanks)."""
    cleaned = re.sub(r"[\t\n\r]", "", url).lstrip("\x00 \x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c")
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else ""


def loads(element: Element) -> list[str]:
    """The addresses the element makes the browser fetch on page load."""
    if element.tag == "link":
        rels = set(element.attrs.get("rel", "").lower().split())
        return [element.attrs.get("href", "")] if rels & LOADING_LINK_RELS else []
    if element.tag in LOADING:
        names = ("src", "data", "poster", "href", "xlink:href", "srcset")
        return [element.attrs[name] for name in names if name in element.attrs]
    return []
