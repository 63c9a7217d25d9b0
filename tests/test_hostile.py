"""Hostile contributions: each case of the corpus (tests/hostile.py) is either refused by
`wayout validate` and the site build with one precise message, or shown as harmless text.

The refused cases are checked in one run of each command over a folder holding all of
them; the harmless ones in the site built from them (the `hostile_site` fixture).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.hostile import REJECTED, REJECTED_DIR, Rejection, write_generated_rejections
from tests.page_scan import html_pages, is_external, loads, scan, scan_file, scheme
from tests.site_build import build_site
from wayout.catalogue.catalogue import load_catalogue
from wayout.record.loader import StrictLoader, nesting_bound
from wayout.record.problems import printable

HostileSite = tuple[Path, Path, list[str]]


@pytest.fixture(scope="module")
def rejected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Rejection]]:
    """A folder with every refused case, committed and generated, and what to say of each."""
    root = tmp_path_factory.mktemp("rejected")
    folder = root / "practices"
    folder.mkdir()
    for path in REJECTED_DIR.glob("*.md"):
        shutil.copy(path, folder)
    cases = dict(REJECTED)
    cases.update(write_generated_rejections(folder, root / "outside"))
    return folder, cases


def expected_line(name: str, rejection: Rejection) -> str:
    field = f"{rejection.field}: " if rejection.field else ""
    return f"{printable(name)}:{rejection.line}:{rejection.column}: error: {field}"


def test_every_committed_case_is_listed() -> None:
    assert sorted(p.name for p in REJECTED_DIR.glob("*.md")) == sorted(REJECTED)


def test_validate_refuses_each_case_with_one_precise_message(
    rejected: tuple[Path, dict[str, Rejection]],
) -> None:
    folder, cases = rejected
    result = subprocess.run(
        [sys.executable, "-m", "wayout", "validate", "."],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, "GITHUB_ACTIONS": ""},
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    missing = []
    for name, rejection in cases.items():
        prefix = expected_line(name, rejection)
        found = [line for line in errors if line.startswith(prefix)]
        if len(found) != 1 or rejection.message not in found[0]:
            missing.append(f"{prefix}... {rejection.message}: found {found}")
    assert not missing, "\n".join(missing)
    assert len(errors) == len(cases), "\n".join(errors)


def test_quoted_values_cannot_act_on_the_terminal_or_split_lines(
    rejected: tuple[Path, dict[str, Rejection]],
) -> None:
    folder, _ = rejected
    for fmt in ("human", "github"):
        result = subprocess.run(
            [sys.executable, "-m", "wayout", "validate", "--format", fmt, "."],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e]", result.stdout), fmt
        lines = result.stdout.splitlines()
        assert len(lines) == len(set(lines)) and len(lines) == 1 + sum(
            1 for line in lines if ": error: " in line or line.startswith("::error ")
        ), fmt
    assert "'java\\tscript:alert(1)'" in result.stdout  # the tab shown, not typed
    assert "line\\nbreak.md" in result.stdout


def test_the_build_refuses_each_case_with_the_same_message(
    rejected: tuple[Path, dict[str, Rejection]], tmp_path: Path
) -> None:
    folder, cases = rejected
    result = build_site(folder, tmp_path / "site")
    assert result.returncode == 1, result.stderr  # an orderly failure, not a crash
    assert "invalid practice files" in result.stderr
    missing = [
        name
        for name, rejection in cases.items()
        if not re.search(
            re.escape("/" + expected_line(name, rejection)) + r".*" + re.escape(rejection.message),
            result.stderr,
        )
    ]
    assert not missing, result.stderr


# --- The harmless cases ---------------------------------------------------------------------


def test_harmless_cases_are_valid(hostile_site: HostileSite) -> None:
    practices, _, slugs = hostile_site
    catalogue = load_catalogue([practices])
    assert catalogue.problems == []
    assert sorted(catalogue.entries) == slugs


def test_no_page_carries_contributed_code(hostile_site: HostileSite) -> None:
    _, site, _ = hostile_site
    for path in html_pages(site):
        page = scan_file(path)
        where = path.relative_to(site)
        for element in page.elements:
            handlers = [name for name in element.attrs if name.startswith("on")]
            assert not handlers, (where, element)
            for name, value in element.attrs.items():
                if name in ("href", "src", "action", "formaction", "xlink:href", "data"):
                    assert scheme(value) in ("", "http", "https", "mailto"), (where, element)
            assert element.tag not in {"iframe", "frame", "object", "embed", "base", "img"}, (
                where,
                element,
            )
            assert not (element.tag == "meta" and "http-equiv" in element.attrs) or (
                element.attrs["http-equiv"].lower() == "content-security-policy"
            ), (where, element)
            if element.tag == "form":  # only the site's search and filter forms
                assert element.attrs.get("name") == "search" or "data-wo-form" in element.attrs
        allowed = set(page.directive("script-src"))
        for script in page.scripts:
            if script.runs_inline:
                assert f"'sha256-{_digest(script.text)}'" in allowed, (where, script.text[:80])


def _digest(text: str) -> str:
    import base64
    import hashlib

    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def test_no_page_loads_anything_from_another_site(hostile_site: HostileSite) -> None:
    _, site, _ = hostile_site
    for path in html_pages(site):
        for element in scan_file(path).elements:
            external = [url for url in loads(element) if is_external(url)]
            assert not external, (path.relative_to(site), element)


def test_hostile_text_is_shown_exactly_as_written(hostile_site: HostileSite) -> None:
    practices, site, _ = hostile_site
    entry = load_catalogue([practices]).entries["attribute-breakout"]
    practice = entry.practice
    html = (site / "practices" / "attribute-breakout" / "index.html").read_text(encoding="utf-8")
    page = scan(html)
    assert page.h1 == practice.title
    assert page.title == f"{practice.title} - WayOut Practice Repository"
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None
    data = json.loads(block.group(1))
    assert data["headline"] == practice.title and data["description"] == practice.summary
    meta = [e.attrs["content"] for e in page.elements if e.attrs.get("name") == "description"]
    assert meta == [practice.summary]
    assert "{{ 7*7 }}" in html and "49" not in html.split("<article", 1)[1].split("</article>")[0]

    explorer = scan_file(site / "practices" / "index.html")
    cards = [e for e in explorer.elements if e.tag == "article" and "data-title" in e.attrs]
    assert practice.title.lower() in [card.attrs["data-title"] for card in cards]


def test_body_headings_cannot_take_the_place_of_the_theme_elements(
    hostile_site: HostileSite,
) -> None:
    _, site, _ = hostile_site
    page = scan_file(site / "practices" / "body-headings" / "index.html")
    ids = [e.attrs["id"] for e in page.elements if "id" in e.attrs]
    assert ids.count("__config") == 1 and ids.count("__search") == 1
    config = next(e for e in page.elements if e.attrs.get("id") == "__config")
    assert config.tag == "script"


def test_the_search_index_holds_hostile_text_as_text(hostile_site: HostileSite) -> None:
    _, site, _ = hostile_site
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"]).lower()
    assert "alert('entity')" in text  # the escaped example is searchable ...
    for raw in ("<script", "<img", "<iframe", "<svg", "<style", "<form", "javascript:alert(1)"):
        assert raw not in text  # ... but no markup is


# --- Deep YAML ------------------------------------------------------------------------------


def yaml_depth(text: str) -> int:
    depth = deepest = 0
    for event in yaml.parse(text, Loader=StrictLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return deepest


NESTED = st.recursive(
    st.text(alphabet="a -:?[", max_size=3),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(alphabet="ab", min_size=1, max_size=2), inner, max_size=3)
    ),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None)
@given(NESTED, st.sampled_from([None, True, False]))
def test_the_cheap_nesting_bound_is_never_below_the_real_depth(
    value: object, flow: bool | None
) -> None:
    """Only front matter whose bound exceeds SAFE_YAML_BOUND is measured before libyaml
    composes it, so the bound must never be lower than the depth."""
    text = yaml.safe_dump({"x": value}, default_flow_style=flow)
    assert nesting_bound(text) >= yaml_depth(text)
