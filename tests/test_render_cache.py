"""The render caches change no byte of the site: under simulated `mkdocs serve` rebuilds
every build equals one made without caches, and the pieces behave as documented."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from datetime import date

import pytest
from jinja2 import DictLoader, Environment

from tests.conftest import GOOD_FRONT, PROJECT, WritePractice
from wayout.catalogue.catalogue import LoadCache, load_catalogue
from wayout.record.loader import Entry
from wayout.record.vocabulary import Vocabulary
from wayout.site.exports import (
    CSV_COLUMNS,
    LICENCE_URL,
    RecordCache,
    csv_row,
    practice_record,
    practices_csv,
    practices_json,
)
from wayout.site.pages import PracticeView, ViewCache, site_pages
from wayout_mkdocs.render_cache import FragmentCache, Generational, MemoryBytecodeCache, PageCache

COPIED = ("mkdocs.yml", "docs", "overrides", "hooks", "schema", "practices")


@pytest.fixture(scope="module")
def rebuilds(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, object]]:
    """Run tests/serve_rebuilds.py on a copy of the project and its practices."""
    project = tmp_path_factory.mktemp("project")
    for name in COPIED:
        source = PROJECT / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        else:
            shutil.copy2(source, project / name)
    (project / "wayout").symlink_to(PROJECT / "wayout", target_is_directory=True)
    work = tmp_path_factory.mktemp("sites")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1893456000"}
    script = PROJECT / "tests" / "serve_rebuilds.py"
    result = subprocess.run(
        [sys.executable, str(script), str(project), str(work)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def test_every_cached_rebuild_equals_an_uncached_build(
    rebuilds: list[dict[str, object]],
) -> None:
    assert len(rebuilds) == 8
    for step in rebuilds:
        assert step["differences"] == [], step


def test_rebuilds_reuse_the_practices_that_did_not_change(
    rebuilds: list[dict[str, object]],
) -> None:
    hits = {str(step["step"]): step["hits"] for step in rebuilds}
    practices = len(list((PROJECT / "practices").glob("*.md")))
    assert hits["first build"] == 0
    assert hits["unchanged"] == practices
    assert hits["practice text edited"] == practices - 1
    assert 0 < int(str(hits["practice title edited"])) < practices - 1
    # A new set of files or a changed template invalidates every page.
    assert hits["practice deleted and another added"] == 0
    assert hits["template edited"] == 0
    assert hits["navigation title edited"] == practices
    assert hits["unchanged after all that"] == practices


def test_fragment_cache_renders_each_key_once() -> None:
    env = Environment(loader=DictLoader({"part.html": "{{ calls.append(1) or '' }}<p>{{ x }}</p>"}))
    template = env.get_template("part.html")
    cache = FragmentCache(lambda context: context.get("x") if context.get("x") != 3 else None)
    cache.wrap(template)
    cache.wrap(template)  # wrapping twice changes nothing
    calls: list[int] = []
    outputs = [template.render(x=x, calls=calls) for x in (1, 2, 1, 3, 3)]
    assert outputs == ["<p>1</p>", "<p>2</p>", "<p>1</p>", "<p>3</p>", "<p>3</p>"]
    assert len(calls) == 4  # x=1 once, x=2 once, x=3 (key None) every time
    assert (cache.hits, cache.misses) == (1, 2)


def test_page_cache_serves_the_finished_page() -> None:
    env = Environment(loader=DictLoader({"page.html": "{{ calls.append(1) or '' }}{{ x }}"}))
    template = env.get_template("page.html")
    cache = PageCache()
    cache.wrap(template, lambda context: ("page", str(context.get("x"))))
    calls: list[int] = []
    finished = [cache.finish("page", template.render(x=x, calls=calls), str.upper) for x in "aba"]
    assert finished == ["A", "B", "A"] and len(calls) == 2


def test_generational_store_forgets_what_a_build_did_not_use() -> None:
    store: Generational[str, int] = Generational()
    store.put("a", 1)
    store.put("b", 2)
    store.sweep()
    assert store.get("a") == 1
    store.sweep()
    assert store.get("a") == 1 and store.get("b") is None


def test_bytecode_cache_compiles_an_edited_template_again() -> None:
    sources = {"t.html": "one"}
    cache = MemoryBytecodeCache()
    for expected in ("one", "two"):
        env = Environment(loader=DictLoader(sources), bytecode_cache=cache)
        assert env.get_template("t.html").render() == expected
        sources["t.html"] = "two"
    assert len(cache.code) == 1


def test_practices_json_has_one_record_per_line(write_practice: WritePractice) -> None:
    for slug in ("alpha", "beta", "gamma"):
        write_practice(slug)
    folder = write_practice("delta").parent
    catalogue = load_catalogue([folder])
    cache = RecordCache()
    for entries in (catalogue.published, catalogue.published[:1], []):
        data = {
            "title": "WayOut Practice Repository: practices",
            "license": LICENCE_URL,
            "schema": "https://example.org/api/practice.schema.json",
            "count": len(entries),
            "practices": [practice_record(e, "https://example.org/", catalogue.vocabulary)
                          for e in entries],
        }  # fmt: skip
        for records in (None, cache, cache):
            text = practices_json(entries, "https://example.org/", catalogue.vocabulary, records)
            assert json.loads(text) == json.loads(json.dumps(data))
            lines = text.splitlines()
            assert lines[:2] == ["{", ' "title": "WayOut Practice Repository: practices",']
            one_per_line = [json.loads(line.strip().removesuffix(",")) for line in lines[6:-2]]
            assert one_per_line == data["practices"]


def test_practices_csv_is_the_same_from_the_cache(write_practice: WritePractice) -> None:
    def reference(entries: list[Entry], vocabulary: Vocabulary) -> str:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        for entry in entries:
            writer.writerow(csv_row(entry, "https://example.org/", vocabulary))
        return "\ufeff" + buffer.getvalue()

    for slug in ("alpha", "beta", "gamma"):
        write_practice(slug)
    front = GOOD_FRONT.replace("summary: A practice", "summary: 'A \"quoted\", comma; practice'", 1)
    folder = write_practice("delta", front).parent
    cache = RecordCache()
    catalogue = load_catalogue([folder])
    for entries in (catalogue.published, catalogue.published[:1], [], catalogue.published):
        for records in (None, cache, cache):
            # As open_data_files does: the cache holds each entry's JSON record too.
            practices_json(entries, "https://example.org/", catalogue.vocabulary, records)
            text = practices_csv(entries, "https://example.org/", catalogue.vocabulary, records)
            assert text == reference(entries, catalogue.vocabulary)
    (folder / "alpha.md").write_text(
        (folder / "alpha.md").read_text().replace("Test practice", "Changed practice")
    )
    again = load_catalogue([folder])  # new entries: encoded again
    text = practices_csv(again.published, "https://example.org/", again.vocabulary, cache)
    assert text == reference(again.published, again.vocabulary)
    assert "Changed practice" in text


def test_load_cache_parses_only_changed_files(write_practice: WritePractice) -> None:
    first = write_practice("first")
    second = write_practice("second")
    cache = LoadCache()
    before = load_catalogue([first.parent], cache=cache)
    second.write_text(second.read_text().replace("Test practice", "Changed practice"))
    third = write_practice("third")
    first.unlink()
    after = load_catalogue([first.parent], cache=cache)
    assert sorted(after.entries) == ["second", "third"]
    assert after.entries["second"] is not before.entries["second"]
    assert after.entries["second"].practice.title == "Changed practice"
    assert set(cache.results) == {second, third}
    again = load_catalogue([first.parent], cache=cache)
    assert all(again.entries[slug] is after.entries[slug] for slug in after.entries)
    assert cache.digest(after.entries["third"]) is not None
    assert cache.digest(before.entries["first"]) is None


def test_view_cache_makes_a_view_again_only_when_its_arguments_change(
    write_practice: WritePractice,
) -> None:
    first = write_practice("first")
    write_practice("second")
    files = LoadCache()
    views = ViewCache()
    today = date(2026, 11, 30)

    def build() -> dict[str, PracticeView]:
        catalogue = load_catalogue([first.parent], cache=files)
        pages = site_pages(catalogue, "https://example.org/", today, views)
        fresh = site_pages(catalogue, "https://example.org/", today)
        made = {p.src_uri: p.data["view"] for p in pages if "view" in p.data}
        assert made == {p.src_uri: p.data["view"] for p in fresh if "view" in p.data}
        return made

    before = build()
    again = build()
    assert all(again[uri] is before[uri] for uri in before)  # reused
    first.write_text(first.read_text().replace("Test practice", "Changed practice"))
    after = build()
    assert after["practices/first.md"] is not before["practices/first.md"]
    assert after["practices/first.md"].entry.practice.title == "Changed practice"
    assert after["practices/second.md"] is before["practices/second.md"]
    later = site_pages(load_catalogue([first.parent], cache=files), "https://example.org/",
                       date(2026, 12, 1), views)  # fmt: skip
    assert (
        next(p for p in later if p.src_uri == "practices/second.md").data["view"]
        is not (before["practices/second.md"])
    )
    assert set(views.views) == {"first", "second"}
