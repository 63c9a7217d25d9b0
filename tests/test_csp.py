"""The page policy (wayout.site.csp) and the link helpers of wayout.site.html, as pure functions."""

from __future__ import annotations

import pytest

from tests.page_scan import scan
from wayout.site.csp import content_security_policy, inline_script_hashes, script_hash, with_csp
from wayout.site.html import mark_external_links, sanitise

PAGE = """<!doctype html>
<html>
  <head>
    <meta charset="utf-8">
    <title>t</title>
    <script>var inline = 1;</script>
    <script type="application/ld+json">{"@type": "Article"}</script>
  </head>
  <body>
    <script id="__config" type="application/json">{"base": "."}</script>
    <article><script>alert("contributed")</script></article>
    <script type="module">import "./x.js";</script>
    <script src="assets/bundle.js"></script>
  </body>
</html>
"""
CONTENT = '<script>alert("contributed")</script>'


def test_the_hash_is_the_one_browsers_compute() -> None:
    # The example of MDN's script-src documentation.
    assert script_hash("var inline = 1;") == "'sha256-B2yPHKaXnvFWtRChIbabYmUBFZdVfKKXHbWtWidDVF8='"
    assert script_hash("a\r\nb") == script_hash("a\nb")  # browsers read CRLF as LF


def test_only_scripts_that_run_inline_are_hashed() -> None:
    assert inline_script_hashes(PAGE) == [
        script_hash("var inline = 1;"),
        script_hash('alert("contributed")'),
        script_hash('import "./x.js";'),
    ]


def test_a_script_in_the_untrusted_content_is_not_allowed() -> None:
    policy = scan(with_csp(PAGE, untrusted=[CONTENT])).directive("script-src")
    assert policy == ["'self'", script_hash("var inline = 1;"), script_hash('import "./x.js";')]


def test_a_script_written_inside_an_attribute_is_not_a_script() -> None:
    html = '<p><a title="<script>alert(1)</script>">x</a></p>'
    assert inline_script_hashes(html) == []


def test_the_policy_comes_right_after_the_charset_declaration() -> None:
    page = scan(with_csp(PAGE))
    head = [e for e in page.elements if e.in_head]
    assert head[0].tag == "head" and head[1].attrs == {"charset": "utf-8"}
    assert head[2].attrs["http-equiv"] == "Content-Security-Policy"
    assert len(page.policies) == 1


def test_without_a_charset_the_policy_is_the_first_child_of_head() -> None:
    html = with_csp("<html><head><title>t</title></head><body></body></html>")
    assert html.startswith('<html><head>\n    <meta http-equiv="Content-Security-Policy"')
    assert with_csp("<p>a fragment</p>") == "<p>a fragment</p>"


def test_the_policy_forbids_what_the_site_does_not_need() -> None:
    directives = dict(
        (part.split()[0], part.split()[1:])
        for part in content_security_policy(["'sha256-x'"]).split("; ")
    )
    assert directives["script-src"] == ["'self'", "'sha256-x'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == directives["frame-src"] == ["'none'"]
    assert directives["base-uri"] == directives["form-action"] == ["'self'"]
    assert directives["connect-src"] == ["'self'"]
    text = content_security_policy([])
    assert "unsafe-eval" not in text and "script-src 'self';" in text
    assert "'unsafe-inline'" not in text.split("script-src", 1)[1].split(";", 1)[0]


def test_the_local_preview_allows_the_live_reload_script() -> None:
    """`mkdocs serve` adds an inline script to every page; the preview's policy allows
    inline scripts (and no hashes, which would make browsers ignore that) and keeps the
    rest."""
    page = scan(with_csp(PAGE, untrusted=[CONTENT], allow_inline=True))
    assert page.directive("script-src") == ["'self'", "'unsafe-inline'"]
    assert page.directive("connect-src") == ["'self'"]
    assert page.directive("object-src") == ["'none'"]


# --- wayout.site.html ---------------------------------------------------------------------------


REL = 'rel="noopener noreferrer"'


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<a href="https://e.org/">x</a>', f'<a href="https://e.org/" {REL}>x</a>'),
        ("<a href='//e.org/'>x</a>", f"<a href='//e.org/' {REL}>x</a>"),
        ('<a href="//e.org" rel="edit">x</a>', f'<a href="//e.org" rel="edit {REL[5:]}>x</a>'),
        (f'<a {REL} href="http://e.org">x</a>', f'<a {REL} href="http://e.org">x</a>'),
        ('<a title="1 > 0" href="//e.org">x</a>', f'<a title="1 > 0" href="//e.org" {REL}>x</a>'),
        ('<a href="../about/">x</a>', '<a href="../about/">x</a>'),
        ('<a href="#aim">x</a><abbr title="y">z</abbr>',) * 2,
    ],
)  # fmt: skip
def test_external_links_are_marked(html: str, expected: str) -> None:
    assert mark_external_links(html) == expected


def test_heading_ids_of_the_theme_are_dropped() -> None:
    assert sanitise('<h2 id="__config">a</h2><h3 id="aim">b</h3>') == (
        '<h2>a</h2><h3 id="aim">b</h3>'
    )


@pytest.mark.parametrize("href", ["java   script:alert(1)", "\\\\evil.example/x", "a\x01b"])
def test_link_targets_a_browser_could_misread_are_dropped(href: str) -> None:
    assert sanitise(f'<a href="{href}">x</a>') == '<a rel="noopener noreferrer">x</a>'


def test_relative_and_web_links_are_kept() -> None:
    html = '<a href="../x/">a</a><a href="https://e.org/?a=1&amp;b=2">b</a>'
    assert sanitise(html) == (
        '<a href="../x/" rel="noopener noreferrer">a</a>'
        '<a href="https://e.org/?a=1&amp;b=2" rel="noopener noreferrer">b</a>'
    )
