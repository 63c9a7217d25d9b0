"""The loader turns each practice file into a Practice or into located, hinted problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURE_PRACTICES, GOOD_BODY, GOOD_FRONT, WritePractice
from wayout.catalogue.catalogue import load_catalogue
from wayout.record.loader import load_file, slugify
from wayout.record.problems import Problem


def problems_of(path: Path) -> list[Problem]:
    return load_file(path)[1]


def only_error(path: Path) -> Problem:
    errors = [p for p in problems_of(path) if p.is_error]
    assert len(errors) == 1, [p.text() for p in errors]
    return errors[0]


def test_fixture_practices_are_valid() -> None:
    for path in FIXTURE_PRACTICES.glob("*.md"):
        entry, problems = load_file(path)
        assert entry is not None, [p.text() for p in problems]
        assert problems == []
        assert entry.slug == path.stem


def test_a_valid_practice_keeps_its_fields_and_body(write_practice: WritePractice) -> None:
    entry, problems = load_file(write_practice())
    assert problems == [] and entry is not None
    assert entry.practice.countries == ["DE"]
    assert entry.practice.organisations[0].type == "ngo"
    assert "## Aim" in entry.body


def test_norway_stays_a_country_not_false(write_practice: WritePractice) -> None:
    path = write_practice(front=GOOD_FRONT.replace("[DE]", "[NO, DE]"))
    entry, problems = load_file(path)
    assert problems == [] and entry is not None
    assert entry.practice.countries == ["NO", "DE"]


@pytest.mark.parametrize("word", ["yes", "on", "off", "No", "y"])
def test_yaml_11_booleans_are_read_as_text(write_practice: WritePractice, word: str) -> None:
    path = write_practice(front=GOOD_FRONT.replace("title: Test practice", f"title: {word}"))
    entry, _ = load_file(path)
    assert entry is not None and entry.practice.title == word


def test_an_unknown_country_names_the_nearest_code(write_practice: WritePractice) -> None:
    problem = only_error(write_practice(front=GOOD_FRONT.replace("[DE]", "[Portgal]")))
    assert (problem.line, problem.column, problem.field) == (4, 13, "countries[0]")
    assert "did you mean 'PT' (Portugal)?" in problem.hint


def test_a_lowercase_country_code_is_told_to_use_capitals(write_practice: WritePractice) -> None:
    problem = only_error(write_practice(front=GOOD_FRONT.replace("[DE]", "[de]")))
    assert "'DE'" in problem.hint


def test_a_misspelt_key_suggests_the_right_one(write_practice: WritePractice) -> None:
    front = GOOD_FRONT.replace("target_groups:", "target_group:")
    errors = [p for p in problems_of(write_practice(front=front)) if p.is_error]
    misspelt = next(p for p in errors if p.field == "target_group")
    assert misspelt.line == 7 and "did you mean 'target_groups'?" in misspelt.hint
    assert any(p.field == "target_groups" and "required" in p.message for p in errors)


def test_a_misspelt_nested_key_suggests_the_nested_field(write_practice: WritePractice) -> None:
    front = GOOD_FRONT.replace("    url: https://example.org/source", "    ulr: https://x.org")
    problem = next(p for p in problems_of(write_practice(front=front)) if p.field.endswith("ulr"))
    assert problem.field == "sources[0].ulr" and "did you mean 'url'?" in problem.hint


def test_missing_sources_is_reported_with_a_hint(write_practice: WritePractice) -> None:
    front = GOOD_FRONT.replace(
        "sources:\n  - title: A source\n    url: https://example.org/source\n", ""
    )
    problem = only_error(write_practice(front=front))
    assert problem.field == "sources" and "required" in problem.message
    assert "title and a url" in problem.hint


def test_an_unknown_vocabulary_id_suggests_the_nearest(write_practice: WritePractice) -> None:
    problem = only_error(write_practice(front=GOOD_FRONT.replace("[prison]", "[prisons]")))
    assert problem.field == "settings[0]" and "did you mean 'prison'" in problem.hint


def test_a_short_vocabulary_lists_its_ids(write_practice: WritePractice) -> None:
    problem = only_error(write_practice(front=GOOD_FRONT.replace("[prison]", "[xyz]")))
    assert problem.hint.startswith("allowed: prison, youth-detention")


def test_a_standard_outside_the_categories_is_located(write_practice: WritePractice) -> None:
    front = GOOD_FRONT.replace("[victims]", "[victims, co-ownership]")
    problem = only_error(write_practice(front=front))
    assert (problem.field, problem.line) == ("standards[1]", 6)
    assert "add 'aftercare' to categories" in problem.hint


def test_a_broken_yaml_line_is_located(write_practice: WritePractice) -> None:
    problem = only_error(write_practice(front=GOOD_FRONT.replace("[DE]", "[DE")))
    assert "broken YAML" in problem.message and problem.line in (4, 5)
    assert problem.hint


@pytest.mark.parametrize("opener", ["[", "{a: "])
def test_nesting_past_the_yaml_librarys_own_limit_is_located_at_ours(
    write_practice: WritePractice, opener: str
) -> None:
    """PyYAML 6.0.4 refuses 1,000 levels itself, while reading ahead: the message is still
    ours, at the bracket that opens level 11 (the top mapping is level 1)."""
    closer = "]" if opener == "[" else "}"
    deep = f"x: ['[{{', {opener * 2000}{closer * 2000}]\n"
    problem = only_error(write_practice(front=deep + GOOD_FRONT))
    assert "nested more than 10 levels deep" in problem.message
    assert (problem.line, problem.column) == (2, 11 + 8 * len(opener))


def test_an_empty_aim_section_is_reported(write_practice: WritePractice) -> None:
    body = GOOD_BODY.replace("To test.", "<!-- write here -->")
    problem = only_error(write_practice(body=body))
    assert problem.field == "body" and "'## Aim' is empty" in problem.message
    assert problem.line == 18


def test_a_missing_section_suggests_the_near_heading(write_practice: WritePractice) -> None:
    body = GOOD_BODY.replace("## Evaluation and results", "## Evaluation")
    problem = only_error(write_practice(body=body))
    assert "rename '## Evaluation' to '## Evaluation and results'" in problem.hint


def test_headings_inside_code_fences_do_not_count(write_practice: WritePractice) -> None:
    body = GOOD_BODY.replace(
        "## Transferability\n\nAnywhere tests run.", "```\n## Transferability\n```"
    )
    assert "'## Transferability' is missing" in only_error(write_practice(body=body)).message


def test_a_repeated_section_is_reported(write_practice: WritePractice) -> None:
    problem = only_error(write_practice(body=GOOD_BODY + "\n## Aim\n\nAgain.\n"))
    assert "appears twice" in problem.message


def test_a_first_level_heading_is_reported(write_practice: WritePractice) -> None:
    problem = only_error(write_practice(body="\n# Title again\n" + GOOD_BODY))
    assert "first-level heading" in problem.message


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ("last_reviewed: 2026-01-01", "last_reviewed: 2099-01-01", "last_reviewed", "future"),
        ("last_reviewed: 2026-01-01", "last_reviewed: 2026-13", "last_reviewed", "date"),
        ("https://example.org/source", "javascript:alert(1)", "sources[0].url", "https://"),
        ("https://example.org/source", "ftp://example.org/x", "sources[0].url", "https://"),
        ("title: Test practice", "title: <b>Bold</b>", "title", "plain text"),
        ("[DE]", "[DE, DE]", "countries", "listed twice"),
        ("[DE]", "DE", "countries", "must be a list"),
        ("    type: ngo", "    type: charity", "organisations[0].type", "not a known id"),
    ],
)
def test_field_rules(
    write_practice: WritePractice, old: str, new: str, field: str, words: str
) -> None:
    problem = only_error(write_practice(front=GOOD_FRONT.replace(old, new)))
    assert problem.field == field
    assert words in problem.message + problem.hint


def test_period_must_not_end_before_it_starts(write_practice: WritePractice) -> None:
    front = GOOD_FRONT + "period:\n  start: 2020\n  end: 2010\n"
    problem = only_error(write_practice(front=front))
    assert problem.field == "period.end" and problem.line == 18


def test_a_year_with_words_asks_for_the_year_alone(write_practice: WritePractice) -> None:
    front = GOOD_FRONT + "period:\n  start: 2011 (pilot)\n"
    problem = only_error(write_practice(front=front))
    assert problem.field == "period.start" and "year alone" in problem.hint


def test_findings_without_an_evaluation_are_refused(write_practice: WritePractice) -> None:
    front = GOOD_FRONT + "evaluation:\n  level: no-evaluation-known\n  findings: positive\n"
    problem = only_error(write_practice(front=front))
    assert problem.field == "evaluation.findings"


def test_an_old_review_is_a_warning_not_an_error(write_practice: WritePractice) -> None:
    front = GOOD_FRONT.replace("2026-01-01", "2020-01-01")
    entry, problems = load_file(write_practice(front=front))
    assert entry is not None
    assert [p.field for p in problems] == ["last_reviewed"]
    assert not problems[0].is_error and "months ago" in problems[0].message


def test_a_personal_mailbox_is_a_warning(write_practice: WritePractice) -> None:
    front = GOOD_FRONT + "contact:\n  email: jane.doe@example.org\n"
    entry, problems = load_file(write_practice(front=front))
    assert entry is not None and problems[0].field == "contact.email"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"just text\n", "does not start with front matter"),
        (b"---\ntitle: x\n", "not closed"),
        (b"---\n- a\n- b\n---\n", "a list, not a set of fields"),
        (b"---\n---\n## Aim\n", "front matter is empty"),
        (b"---\ntitle: caf\xe9\n---\n", "not UTF-8"),
        (b"---\ntitle: a\x00b\n---\n", "NUL"),
        (b"---\ntitle: !!python/object:os.system x\n---\n", "tag"),
        (b"---\ntitle: a\ntitle: b\n---\n", "appears twice"),
        (b"---\na: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n---\n", "aliases"),
        (b"---\n? [a, b]\n: c\n---\n", "keys must be plain"),
    ],
)
def test_malformed_files_are_problems_not_crashes(
    tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "broken.md"
    path.write_bytes(content)
    entry, problems = load_file(path)
    assert entry is None
    assert any(words in p.message for p in problems), [p.text() for p in problems]


def test_the_line_of_invalid_bytes_is_given(tmp_path: Path) -> None:
    path = tmp_path / "broken.md"
    path.write_bytes(b"---\ntitle: ok\nsummary: caf\xe9\n---\n")
    assert problems_of(path)[0].line == 3


def test_exponential_aliases_are_refused_quickly(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 12)]
    path = tmp_path / "laughs.md"
    path.write_text("---\n" + "\n".join(lines) + "\n---\n")
    assert "aliases" in only_error(path).message


def test_a_ten_megabyte_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    path.write_bytes(b"---\ntitle: x\n---\n" + b"a" * 10_000_000)
    assert "at most" in only_error(path).message


def test_a_bom_and_crlf_line_ends_are_accepted(write_practice: WritePractice) -> None:
    path = write_practice()
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    entry, problems = load_file(path)
    assert problems == [] and entry is not None


@pytest.mark.parametrize("name", ["My Practice", "Exit", "caf\u00e9", "a..b", "under_score"])
def test_a_bad_file_name_gets_a_slug_suggestion(write_practice: WritePractice, name: str) -> None:
    problem = only_error(write_practice(slug=name))
    assert problem.field == "file name"
    assert f"'{slugify(name)}.md'" in problem.hint


def test_one_bad_file_hides_neither_problems_nor_valid_practices(
    write_practice: WritePractice, tmp_path: Path
) -> None:
    write_practice("good-one")
    write_practice("bad-country", front=GOOD_FRONT.replace("[DE]", "[Portgal]"))
    write_practice("bad-key", front=GOOD_FRONT + "colour: red\n")
    (tmp_path / "practices" / "broken-yaml.md").write_text("---\ntitle: [x\n---\n")
    catalogue = load_catalogue([tmp_path / "practices"])
    assert list(catalogue.entries) == ["good-one"]
    assert {Path(p.path).stem for p in catalogue.errors} == {
        "bad-country",
        "bad-key",
        "broken-yaml",
    }
    assert catalogue.problems == sorted(catalogue.problems)
