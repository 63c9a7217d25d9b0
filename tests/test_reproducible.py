"""Reproducible builds: with SOURCE_DATE_EPOCH set, two builds of the same practices give
byte-identical sites, and every date the build itself writes is that date."""

from __future__ import annotations

import gzip
import re
import struct
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.conftest import PROJECT
from tests.site_build import build_site
from wayout.record.loader import load_file
from wayout.record.rules import months_between
from wayout.site.pages import age_text

EPOCH = 1893456000  # 2030-01-01 00:00:00 UTC: later than every review, so pages age


def files(site: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        sites = []
        for name in ("first", "second"):
            site = tmp_path_factory.mktemp(name)
            result = build_site(PROJECT / "practices", site)
            assert result.returncode == 0, result.stderr
            sites.append(site)
    return sites[0], sites[1]


def test_two_builds_are_byte_identical(two_builds: tuple[Path, Path]) -> None:
    first, second = (files(site) for site in two_builds)
    assert sorted(first) == sorted(second)
    differing = [path for path in first if first[path] != second[path]]
    assert not differing, differing
    assert len(first) > 100 and "search/search_index.json" in first and "feed.xml" in first


def test_the_dates_the_build_writes_are_the_source_date(two_builds: tuple[Path, Path]) -> None:
    site = two_builds[0]
    day = datetime.fromtimestamp(EPOCH, tz=UTC).date().isoformat()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)) == {day}
    packed = (site / "sitemap.xml.gz").read_bytes()
    assert struct.unpack("<I", packed[4:8])[0] == EPOCH  # the gzip header's time stamp
    assert gzip.decompress(packed).decode("utf-8") == sitemap
    # How long ago a practice was reviewed is counted up to the source date, not today.
    entry = load_file(PROJECT / "practices" / "exit-deutschland.md")[0]
    assert entry is not None
    months = months_between(entry.practice.last_reviewed, date.fromisoformat(day))
    page = (site / "practices" / "exit-deutschland" / "index.html").read_text(encoding="utf-8")
    assert f"last reviewed {age_text(months)}" in " ".join(page.split())
