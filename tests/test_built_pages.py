"""Every page of the site built from the repository's own practices: a policy that allows
exactly its own inline scripts, external links that give the other site nothing, nothing
loaded from another site, and a title of its own that says where the visitor is."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.conftest import PROJECT
from tests.page_scan import PageScan, html_pages, is_external, loads, scan_file, sha256_source
from tests.site_build import build_site

SITE_NAME = "WayOut Practice Repository"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, PageScan]:
    site = tmp_path_factory.mktemp("site")
    result = build_site(PROJECT / "practices", site)
    assert result.returncode == 0, result.stderr
    return {str(path.relative_to(site)): scan_file(path) for path in html_pages(site)}


def test_every_page_has_one_policy_before_anything_it_governs(pages: dict[str, PageScan]) -> None:
    assert len(pages) > 100
    for where, page in pages.items():
        assert len(page.policies) == 1, where
        head = [e for e in page.elements if e.in_head]
        policy = next(i for i, e in enumerate(head) if e.attrs.get("http-equiv"))
        governed = [e.tag for e in head[:policy] if e.tag in ("script", "link", "style")]
        assert not governed, (where, governed)


def test_the_policy_allows_exactly_the_inline_scripts_of_the_page(
    pages: dict[str, PageScan],
) -> None:
    for where, page in pages.items():
        hashes = {sha256_source(s.text) for s in page.scripts if s.runs_inline}
        assert hashes, where  # Material's own scripts are there and allowed
        sources = page.directive("script-src")
        assert sources[0] == "'self'" and set(sources[1:]) == hashes, where
        assert page.directive("object-src") == ["'none'"]


def test_every_external_link_is_marked_noopener_noreferrer(pages: dict[str, PageScan]) -> None:
    unmarked = [
        (where, link.attrs["href"])
        for where, page in pages.items()
        for link in page.links()
        if is_external(link.attrs["href"])
        and not {"noopener", "noreferrer"} <= set(link.attrs.get("rel", "").split())
    ]
    assert not unmarked, unmarked[:10]


def test_no_page_loads_anything_from_another_site(pages: dict[str, PageScan]) -> None:
    loaded = [
        (where, url)
        for where, page in pages.items()
        for element in page.elements
        for url in loads(element)
        if is_external(url)
    ]
    assert not loaded, loaded[:10]
    # The repository link does not make the theme ask GitHub's API for stars and forks.
    for page in pages.values():
        assert not any(e.attrs.get("data-md-component") == "source" for e in page.elements)


def test_page_titles_are_unique_and_say_where_you_are(pages: dict[str, PageScan]) -> None:
    counts = Counter(page.title for page in pages.values())
    assert [title for title, n in counts.items() if n > 1] == []
    for where, page in pages.items():
        assert page.h1, where
        if where == "index.html":
            assert page.title == SITE_NAME
        else:
            assert page.title.endswith(f" - {SITE_NAME}"), (where, page.title)
            assert page.h1 in page.title, (where, page.title, page.h1)


def test_the_missing_page_says_so_in_its_title(pages: dict[str, PageScan]) -> None:
    page = pages["404.html"]
    assert page.title == f"Page not found (404) - {SITE_NAME}"
    assert "404" in page.h1


def test_titles_of_values_name_their_facet(pages: dict[str, PageScan]) -> None:
    assert pages["countries/de/index.html"].title == f"Germany — Country - {SITE_NAME}"
    assert pages["countries/index.html"].title == f"Countries - {SITE_NAME}"
