"""`wayout review` lists overdue practices oldest first, `wayout stats` counts practices by
facet, and `wayout changes` says in plain words what a change does to practices/."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import GOOD_FRONT, WritePractice
from wayout.catalogue.catalogue import load_catalogue
from wayout.catalogue.changes import Change, changes_markdown, parse_name_status
from wayout.catalogue.facets import FACETS
from wayout.catalogue.review import overdue, review_markdown, review_text
from wayout.catalogue.stats import stats, stats_markdown, stats_text
from wayout.cli import main

TODAY = date(2026, 6, 15)


def reviewed(on: str, title: str = "Test practice") -> str:
    front = GOOD_FRONT.replace("last_reviewed: 2026-01-01", f"last_reviewed: {on}")
    return front.replace("title: Test practice", f"title: {title}")


@pytest.fixture
def folder(write_practice: WritePractice, tmp_path: Path) -> Path:
    write_practice("recent", reviewed("2025-01-10", "Recent"))
    write_practice("oldest", reviewed("2019-03-01", "Oldest | first"))
    write_practice("older", reviewed("2022-02-20", "Older"))
    write_practice("exactly-24", reviewed("2024-06-15", "Exactly 24 months"))
    return tmp_path / "practices"


# --- review --------------------------------------------------------------------------------


def test_overdue_practices_come_oldest_first_with_their_age(folder: Path) -> None:
    catalogue = load_catalogue([folder], today=TODAY)
    items = overdue(catalogue.entries.values(), TODAY, 24)
    assert [(o.slug, o.months) for o in items] == [("oldest", 87), ("older", 51)]
    assert items[0].last_reviewed == date(2019, 3, 1)
    assert items[0].title == "Oldest | first"


def test_the_threshold_can_be_changed(folder: Path) -> None:
    entries = load_catalogue([folder], today=TODAY).entries.values()
    assert [o.slug for o in overdue(entries, TODAY, 18)] == ["oldest", "older", "exactly-24"]
    assert overdue(entries, TODAY, 120) == []


def test_review_text_is_a_table_and_says_when_nothing_is_due(folder: Path) -> None:
    items = overdue(load_catalogue([folder], today=TODAY).entries.values(), TODAY, 24)
    lines = review_text(items, 24).splitlines()
    assert lines[0] == "2 practice(s) not reviewed for more than 24 months, oldest first:"
    assert lines[1].split() == ["slug", "last", "reviewed", "months", "title"]
    assert lines[2].split()[:3] == ["oldest", "2019-03-01", "87"]
    assert review_text([], 24) == "No practice is due for review (threshold: 24 months)."


def test_review_markdown_is_a_table_for_a_job_summary(folder: Path) -> None:
    items = overdue(load_catalogue([folder], today=TODAY).entries.values(), TODAY, 24)
    text = review_markdown(items, 24)
    assert text.startswith("## Practices due for review\n")
    assert "| Practice | Last reviewed | Months ago |" in text
    assert "| Oldest \\| first (`oldest`) | 2019-03-01 | 87 |" in text
    assert "more than 6 months ago" in review_markdown([], 6)


def test_wayout_review_prints_the_list(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", str(folder), "--months", "1", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.index("`oldest`") < out.index("`older`") < out.index("`recent`")


# --- stats ---------------------------------------------------------------------------------


def test_stats_count_published_practices_by_every_facet(
    write_practice: WritePractice, tmp_path: Path
) -> None:
    write_practice("one")
    write_practice("two", GOOD_FRONT.replace("[DE]", "[DE, PT]").replace("[prison]", "[online]"))
    write_practice("hidden", GOOD_FRONT + "draft: true\n")
    numbers = stats(load_catalogue([tmp_path / "practices"]))
    assert (numbers.published, numbers.drafts) == (2, 1)
    assert [counts.facet for counts in numbers.facets] == list(FACETS)
    by_key = {counts.facet.key: dict(counts.values) for counts in numbers.facets}
    assert by_key["countries"]["Germany"] == 2 and by_key["countries"]["Portugal"] == 1
    assert by_key["countries"]["Belgium"] == 0  # a partner country, shown with zero
    assert by_key["settings"] == {
        "Prison": 1, "Youth detention": 0, "Pre-trial": 0, "Probation": 0,
        "Post-release": 0, "Community": 0, "Online": 1,
    }  # fmt: skip
    evidence = next(c for c in numbers.facets if c.facet.key == "evidence")
    assert evidence.without_value == 2  # no evaluation given


def test_stats_render_as_text_and_markdown(write_practice: WritePractice, tmp_path: Path) -> None:
    write_practice("one")
    numbers = stats(load_catalogue([tmp_path / "practices"]))
    text = stats_text(numbers)
    assert text.startswith("Published practices: 1\nDrafts: 0\n")
    assert "\nSettings\n" in text and "  Prison" in text
    markdown = stats_markdown(numbers)
    assert "### Settings\n\n| Value | Practices |\n| --- | ---: |\n| Prison | 1 |" in markdown
    assert "| *(none given)* | 1 |" in markdown


def test_wayout_stats_reads_the_folder_given(
    write_practice: WritePractice, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_practice("one")
    assert main(["stats", str(tmp_path / "practices")]) == 0
    assert capsys.readouterr().out.startswith("Published practices: 1\n")


# --- changes -------------------------------------------------------------------------------

NAME_STATUS = (
    "A\tpractices/new-one.md\n"
    "M\tpractices/exit-deutschland.md\n"
    "D\tpractices/old-one.md\n"
    "R087\tpractices/before.md\tpractices/after.md\n"
    "M\tpractices/notes.txt\n"
    "M\tREADME.md\n"
    "A\tpractices/sub/deeper.md\n"
)


def test_name_status_output_gives_the_practice_changes() -> None:
    assert parse_name_status(NAME_STATUS) == [
        Change("added", "practices/new-one.md"),
        Change("updated", "practices/exit-deutschland.md"),
        Change("removed", "practices/old-one.md"),
        Change("renamed", "practices/after.md", "practices/before.md"),
    ]


def test_moves_in_and_out_of_the_folder_are_additions_and_removals() -> None:
    moved = "R100\tdrafts/x.md\tpractices/x.md\nR100\tpractices/y.md\tarchive/y.md\n"
    assert parse_name_status(moved) == [
        Change("added", "practices/x.md"),
        Change("removed", "practices/y.md"),
    ]


def test_changes_are_described_in_plain_words_with_titles(
    write_practice: WritePractice, tmp_path: Path
) -> None:
    write_practice("new-one", reviewed("2026-01-01", "A new | practice"))
    write_practice("exit-deutschland", reviewed("2026-01-01", "EXIT-Deutschland"))
    write_practice("after", reviewed("2026-01-01", "Renamed one"))
    text = changes_markdown(parse_name_status(NAME_STATUS), tmp_path)
    assert text.splitlines() == [
        "## Practices in this change",
        "",
        "- Adds practice **A new \\| practice** (`new-one`)",
        "- Updates practice **EXIT-Deutschland** (`exit-deutschland`)",
        "- Removes practice `old-one`",
        "- Renames practice `before` to **Renamed one** (`after`)",
    ]


def test_a_file_with_broken_front_matter_is_named_by_its_slug(
    write_practice: WritePractice, tmp_path: Path
) -> None:
    write_practice("new-one", GOOD_FRONT.replace("[DE]", "[DE"))
    text = changes_markdown([Change("added", "practices/new-one.md")], tmp_path)
    assert "- Adds practice `new-one`" in text


def test_no_practice_change_is_said_plainly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("M\tREADME.md\n"))
    assert main(["changes", "-"]) == 0
    assert "does not add, update or remove any practice" in capsys.readouterr().out
