"""`wayout.site.csp.script_elements` finds exactly the scripts its regular expression finds when
tried at every position (the slow way it replaces), on built pages and on generated text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import PROJECT
from wayout.site.csp import _SCRIPT, script_elements

PIECES = [
    "<script>", "</script>", "<SCRIPT type='module'>", "</script >", "<script src=x>",
    "<scripts>", "<script", ">", "<", " ", "\n", "\t", "\u00a0", "\u2003", "a", "x=1;",
    "<p>", "</p>", '"', "'", "<!-- ", " -->", "<a title=\"<script>1</script>\">",
]  # fmt: skip


def spans(matches: object) -> list[tuple[int, int, tuple[str | None, ...]]]:
    return [(m.start(), m.end(), m.groups()) for m in matches]  # type: ignore[attr-defined]


def found(html: str) -> list[tuple[int, int, tuple[str | None, ...]]]:
    return [(e.start, e.end, (e.attributes, e.source)) for e in script_elements(html)]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_the_same_matches_as_trying_every_position(pieces: list[str]) -> None:
    html = "".join(pieces)
    assert found(html) == spans(_SCRIPT.finditer(html))


def test_the_same_matches_on_the_site_templates() -> None:
    texts = [p.read_text(encoding="utf-8") for p in (PROJECT / "overrides").rglob("*.html")]
    texts.append("<html><head></head><body>" + "".join(texts) + "</body></html>")
    for html in texts:
        assert found(html) == spans(_SCRIPT.finditer(html))
        assert found(html.upper()) == spans(_SCRIPT.finditer(html.upper()))
        squeezed = re.sub(r">\s+<", "><", html)
        assert found(squeezed) == spans(_SCRIPT.finditer(squeezed))
