"""Pages' Markdown rendered on two cores (wayout_mkdocs/parallel.py) gives the very site a
build on one core gives, and what rendering a page logs is still shown, once."""

from __future__ import annotations

import importlib.util
import logging
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page

from tests.conftest import PROJECT
from tests.site_build import build_site
from tests.test_reproducible import EPOCH, files
from wayout_mkdocs.parallel import Noticed, render_here

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="forks only on Linux")

PRACTICES = 250  # with the generated pages, more than wayout.forked.MIN_ITEMS pages
BROKEN_EVERY = 25  # every 25th practice links to a page that does not exist
RENDERED_BY_CHILD = re.compile(r"Markdown of (\d+) of (\d+) pages rendered by a forked child")
MISSING = re.compile(r"WARNING -  Doc file '([^']+)' contains a link 'missing-page\.md'")


def benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmark", PROJECT / "scripts/benchmark.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["benchmark"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def practices(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("practices")
    benchmark().write_practices(folder, PRACTICES, 7)
    for path in sorted(folder.glob("*.md"))[::BROKEN_EVERY]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text + "\nSee [the missing page](missing-page.md).\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def builds(
    practices: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[Path, str]]:
    """The same practices built on one core (WAYOUT_FORK=off) and on two."""
    found = {}
    for name, fork in (("one", "off"), ("two", "")):
        site = tmp_path_factory.mktemp(name)
        env = {"WAYOUT_FORK": fork, "SOURCE_DATE_EPOCH": str(EPOCH)}
        result = build_site(practices, site, strict=False, verbose=True, env=env)
        assert result.returncode == 0, result.stderr[-3000:]
        found[name] = site, result.stdout + result.stderr
    return found


def test_two_cores_build_the_very_site_one_core_builds(
    builds: dict[str, tuple[Path, str]],
) -> None:
    one, two = (files(site) for site, _ in builds.values())
    assert sorted(one) == sorted(two)
    differing = [path for path in one if one[path] != two[path]]
    assert not differing, differing[:10]


def test_the_child_renders_a_share_of_the_pages(builds: dict[str, tuple[Path, str]]) -> None:
    counts = {}
    for name, (_, log) in builds.items():
        found = RENDERED_BY_CHILD.search(log)
        assert found, f"no count of the pages rendered by a child in build '{name}'"
        counts[name] = int(found[1]), int(found[2])
    pages = counts["one"][1]
    assert pages > PRACTICES and counts["two"][1] == pages
    assert counts["one"][0] == 0
    assert 0 < counts["two"][0] < pages


def test_what_rendering_logs_is_shown_once_and_counts_for_strict(
    builds: dict[str, tuple[Path, str]], practices: Path, tmp_path: Path
) -> None:
    broken = {f"practices/{path.name}" for path in sorted(practices.glob("*.md"))[::BROKEN_EVERY]}
    for _, log in builds.values():
        warned = MISSING.findall(log)
        assert sorted(warned) == sorted(broken)  # each once, from both ends of the list
    strict = build_site(practices, tmp_path / "site", env={"SOURCE_DATE_EPOCH": str(EPOCH)})
    assert strict.returncode != 0
    assert sorted(MISSING.findall(strict.stderr)) == sorted(broken)


@pytest.fixture
def small_site(tmp_path: Path) -> tuple[Any, Any]:
    """A two-page MkDocs project, its configuration and files (no hook)."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\n## Part\n\nSee [b](b.md#part).\n")
    (tmp_path / "docs" / "b.md").write_text("# B\n\n## Part\n\nSee [c](missing.md).\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: Small\nmarkdown_extensions: [toc]\n")
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"))
    return config, get_files(config)


def test_the_child_renders_a_page_as_mkdocs_does(small_site: tuple[Any, Any]) -> None:
    config, files = small_site
    file = files.get_file_from_path("index.md")
    found = render_here(file, config, files, Noticed())
    page = Page(None, file, config)
    page.read_source(config)
    page.render(config, files)
    assert found is not None
    assert (found.content, found.title, found.anchors) == (
        page.content,
        page._title_from_render,
        page.present_anchor_ids,
    )
    assert [(item.title, item.id) for item in found.toc] == [(i.title, i.id) for i in page.toc]
    assert found.links == {"b.md": {"part": "b.md#part"}}


def test_the_child_leaves_a_page_whose_rendering_logs(small_site: tuple[Any, Any]) -> None:
    config, files = small_site
    noticed = Noticed()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(noticed)
    try:
        assert render_here(files.get_file_from_path("b.md"), config, files, noticed) is None
        assert noticed.count == 1
    finally:
        logger.removeHandler(noticed)


def test_the_child_leaves_a_page_to_an_mkdocs_it_does_not_know(
    small_site: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    config, files = small_site
    render = Page.render

    def render_and_more(page: Page, config: Any, files: Any) -> None:
        render(page, config, files)
        page.something_new = True  # type: ignore[attr-defined]

    monkeypatch.setattr(Page, "render", render_and_more)
    assert render_here(files.get_file_from_path("index.md"), config, files, Noticed()) is None
