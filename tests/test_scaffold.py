"""`wayout new` writes a practice file from answers that validates once its placeholders are
replaced, and the placeholders are reported until they are."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import frontmatter
import pytest

from wayout.cli import main
from wayout.contribute.interview import interview, prompt
from wayout.contribute.new_practice import front_matter
from wayout.contribute.questions import QUESTIONS, check_all
from wayout.contribute.scaffold import (
    SECTION_PLACEHOLDERS,
    body_text,
    placeholder,
    placeholder_problems,
)
from wayout.record.loader import load_file, slugify, split
from wayout.record.problems import display_path
from wayout.record.sections import REQUIRED_SECTIONS, body_problems
from wayout.record.vocabulary import Vocabulary

ESSENTIALS = [
    "--title", "Ausstieg & Zukunft: Köln",
    "--summary", "A test practice: counsellors accompany people who leave extremist groups "
    "in the Cologne region, in prison and after release.",
    "--country", "DE",
    "--country", "NL",
    "--category", "interventions",
    "--category", "aftercare",
    "--standard", "victims",
    "--target-group", "radicalised-inmates",
    "--setting", "prison",
    "--organisation", "Beispielverein Köln e.V.",
    "--organisation-type", "ngo",
    "--source-title", "Annual report 2024",
    "--source-url", "https://www.example.org/report-2024",
]  # fmt: skip
SLUG = "ausstieg-zukunft-koln"


def new(tmp_path: Path, *extra: str) -> int:
    return main(["new", "--non-interactive", "--dir", str(tmp_path), *ESSENTIALS, *extra])


def fill_in(text: str) -> str:
    """The file with every placeholder line replaced by text, as a contributor would."""
    for title in REQUIRED_SECTIONS:
        text = text.replace(placeholder(title), f"What the sources say about {title} [1].")
    return text


# --- The body and its placeholders -------------------------------------------------------


def test_the_placeholders_cover_the_required_sections_in_order() -> None:
    assert tuple(SECTION_PLACEHOLDERS) == REQUIRED_SECTIONS
    sections = [q.label for q in QUESTIONS if q.kind == "section"]
    assert tuple(sections) == REQUIRED_SECTIONS


def test_a_new_body_has_every_section_with_its_marked_placeholder() -> None:
    body = body_text({})
    headings = re.findall(r"^## (.+)$", body, re.MULTILINE)
    assert tuple(headings) == REQUIRED_SECTIONS
    for title in REQUIRED_SECTIONS:
        assert placeholder(title).startswith("TODO: describe")
        assert placeholder(title) in body
    # Each section is present and not empty; only its placeholder may be reported.
    assert all("placeholder" in p.message for p in body_problems(body, 1, "x.md"))


def test_text_given_for_a_section_replaces_its_placeholder() -> None:
    body = body_text({"Aim": "To help people leave [1]."})
    assert "To help people leave [1]." in body
    assert placeholder("Aim") not in body
    assert placeholder("Approach") in body


def test_every_placeholder_left_is_an_error_on_its_line() -> None:
    body = body_text({"Approach": "Weekly meetings."})
    problems = list(placeholder_problems(body, 20, "practices/x.md"))
    assert len(problems) == 3
    lines = body.split("\n")
    for problem in problems:
        assert problem.is_error
        assert (problem.path, problem.field, problem.column) == ("practices/x.md", "body", 1)
        assert lines[problem.line - 20].startswith("TODO:")
        assert problem.hint.startswith("replace the placeholder text with ")
    aim = problems[0]
    assert aim.line == 22 and "what the practice wants to achieve" in aim.hint


def test_placeholders_in_lists_and_other_sections_are_found_but_not_in_code() -> None:
    body = (
        "## Aim\n\nTo help.\n\n- TODO: add the second aim\n\n"
        "## Open questions\n\n```\nTODO: inside code is an example\n```\n\n  TODO: ask them\n"
    )
    problems = list(placeholder_problems(body, 1, "x.md"))
    assert [(p.line, p.column) for p in problems] == [(5, 3), (13, 3)]
    assert "what the practice wants to achieve" in problems[0].hint
    assert problems[1].hint == "replace the placeholder text with the text the placeholder asks for"


def test_a_body_without_placeholders_has_no_placeholder_problem() -> None:
    body = fill_in(body_text({}))
    assert list(placeholder_problems(body, 1, "x.md")) == []


# --- wayout new with options ---------------------------------------------------------------


def test_new_writes_the_practice_named_after_its_title(tmp_path: Path) -> None:
    assert new(tmp_path) == 0
    path = tmp_path / f"{SLUG}.md"
    assert slugify("Ausstieg & Zukunft: Köln") == SLUG
    post = frontmatter.load(path)
    assert post.metadata["title"] == "Ausstieg & Zukunft: Köln"
    assert post.metadata["countries"] == ["DE", "NL"]
    assert post.metadata["organisations"] == [{"name": "Beispielverein Köln e.V.", "type": "ngo"}]
    assert post.metadata["last_reviewed"] == date.today()
    keys = list(post.metadata)
    assert (keys[0], keys[-1]) == ("title", "last_reviewed")


def test_reading_the_new_file_gives_back_what_was_written(
    tmp_path: Path, vocabulary: Vocabulary
) -> None:
    keys = {q.option: q.key for q in QUESTIONS}
    texts: dict[str, str] = {}
    for option, value in zip(ESSENTIALS[::2], ESSENTIALS[1::2], strict=True):
        texts[keys[option]] = f"{texts[keys[option]]}\n{value}" if keys[option] in texts else value
    assert new(tmp_path) == 0
    text = (tmp_path / f"{SLUG}.md").read_text(encoding="utf-8")
    post = frontmatter.loads(text)
    answers, problems = check_all(texts, vocabulary)
    assert problems == []
    assert post.metadata == front_matter(answers, date.today())
    assert frontmatter.dumps(post, sort_keys=False) + "\n" == text


def test_the_new_file_validates_once_the_placeholders_are_replaced(tmp_path: Path) -> None:
    assert new(tmp_path, "--ideology", "islamist", "--language", "de") == 0
    path = tmp_path / f"{SLUG}.md"
    _, _, body, body_line = split(path.read_text(encoding="utf-8"))
    placeholders = list(placeholder_problems(body, body_line, display_path(path)))
    assert len(placeholders) == 4
    _, problems = load_file(path)
    assert set(problems) <= set(placeholders)  # nothing but the placeholders is wrong
    path.write_text(fill_in(path.read_text(encoding="utf-8")), encoding="utf-8")
    entry, problems = load_file(path)
    assert problems == [] and entry is not None
    assert list(placeholder_problems(entry.body, entry.body_line, "x")) == []
    assert entry.practice.standards == ["victims"]
    assert entry.practice.ideologies == ["islamist"]


def test_the_slug_and_folder_can_be_chosen(tmp_path: Path) -> None:
    folder = tmp_path / "elsewhere"
    args = ["--slug", "koln", "--dir", str(folder)]
    assert main(["new", "--non-interactive", *ESSENTIALS, *args]) == 0
    assert (folder / "koln.md").is_file()


def test_an_invalid_slug_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert new(tmp_path, "--slug", "Köln Practice") == 1
    assert "--slug: 'Köln Practice.md' is not a valid slug" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_new_refuses_to_overwrite_a_practice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    existing = tmp_path / f"{SLUG}.md"
    existing.write_text("my work", encoding="utf-8")
    assert new(tmp_path) == 1
    err = capsys.readouterr().err
    assert "already exists" in err and f"{SLUG}.md" in err
    assert existing.read_text(encoding="utf-8") == "my work"


def test_missing_options_fail_with_exit_2_naming_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "--non-interactive", "--title", "X", "--dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    for option in ("--summary", "--country", "--category", "--source-url"):
        assert option in err
    assert "--title" not in err.split("options:")[1].split("(")[0]
    assert "--standard" not in err  # optional
    assert list(tmp_path.iterdir()) == []


def test_without_a_terminal_new_does_not_ask(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "wayout", "new", "--title", "X", "--dir", str(tmp_path)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "missing required options" in result.stderr and "--country" in result.stderr


def test_invalid_options_are_reported_with_the_validators_hints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [a.replace("NL", "Portgal") for a in ESSENTIALS]
    args = [a.replace("https://www.example.org/report-2024", "www.example.org") for a in args]
    assert main(["new", "--non-interactive", "--dir", str(tmp_path), *args]) == 1
    err = capsys.readouterr().err
    assert "--country: 'Portgal' is not an ISO 3166-1 alpha-2 country code" in err
    assert "(did you mean 'PT' (Portugal)?)" in err
    assert "--source-url:" in err and "starting with https://" in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_standard_outside_the_categories_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert new(tmp_path, "--standard", "security") == 1
    assert "add 'objectives-and-organisation' to categories" in capsys.readouterr().err


def test_rules_across_fields_are_checked_before_writing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert new(tmp_path, "--findings", "positive") == 1
    err = capsys.readouterr().err
    assert "--evidence-level: is required (add the evidence level" in err
    assert list(tmp_path.iterdir()) == []


# --- The interview -------------------------------------------------------------------------


class Terminal:
    """Scripted answers for the interview, and everything it showed."""

    def __init__(self, answers: list[str]) -> None:
        self.answers: Iterator[str] = iter(answers)
        self.shown: list[str] = []

    def read(self, prompt: str) -> str:
        self.shown.append(prompt)
        return next(self.answers)

    def write(self, text: str) -> None:
        self.shown.append(text)


INTERVIEW = [
    "Ausstieg Köln",  # title
    "",  # title_en, skipped
    "Too short.",  # summary: refused
    "A test practice: counsellors accompany people who leave extremist groups in Cologne.",
    "Germny",  # refused
    "de, nl",
    "interventions, aftercar",  # refused
    "Interventions, Aftercare",  # labels are accepted too
    "security",  # not a standard of those categories: refused
    "victims",
    "radicalised-inmates",
    "prison",
    "Beispielverein",
    "club",  # refused
    "ngo",
    "Annual report",
    "https://www.example.org/report",
]


def test_the_interview_re_asks_a_bad_answer_with_the_validators_hint(
    vocabulary: Vocabulary,
) -> None:
    terminal = Terminal(INTERVIEW)
    answers = interview({}, vocabulary, (terminal.read, terminal.write))
    shown = "\n".join(terminal.shown)
    assert "error: 'Germny' is not an ISO 3166-1 alpha-2 country code" in shown
    assert "(did you mean 'DE' (Germany)?)" in shown
    assert "did you mean 'aftercare'?" in shown
    assert "add 'objectives-and-organisation' to categories, or remove 'security'" in shown
    assert "String should have at least 40 characters" in shown
    assert answers["countries"] == ["DE", "NL"]
    assert answers["categories"] == ["interventions", "aftercare"]
    assert answers["standards"] == ["victims"]
    assert answers["organisation_type"] == "ngo"
    assert answers["title_en"] is None and answers["ideologies"] == []


def test_the_interview_shows_the_allowed_ids_before_asking(vocabulary: Vocabulary) -> None:
    terminal = Terminal(INTERVIEW)
    interview({}, vocabulary, (terminal.read, terminal.write))
    shown = terminal.shown
    settings_prompt = next(i for i, text in enumerate(shown) if text.startswith("Settings"))
    before = "\n".join(shown[:settings_prompt])
    for term_id in vocabulary.ids("settings"):
        assert re.search(rf"^  {term_id} +{vocabulary.label('settings', term_id)}$", before, re.M)
    standards = next(q for q in QUESTIONS if q.key == "standards")
    start = shown.index(standards.help)
    listed = "\n".join(shown[start : shown.index(prompt(standards), start)])
    assert "victims" in listed and "continuity-of-aftercare" in listed
    assert "  security " not in listed  # a standard of a category not chosen


def test_answers_given_as_options_are_not_asked_again(vocabulary: Vocabulary) -> None:
    terminal = Terminal(INTERVIEW[1:])
    answers = interview({"title": "Ausstieg Köln"}, vocabulary, (terminal.read, terminal.write))
    assert answers["title"] == "Ausstieg Köln"
    assert not any(text.startswith("Name of the practice") for text in terminal.shown)


def test_new_in_a_terminal_asks_and_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter(INTERVIEW)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    assert main(["new", "--dir", str(tmp_path)]) == 0
    assert f"wrote {tmp_path / 'ausstieg-koln.md'}" in capsys.readouterr().out
    post = frontmatter.load(tmp_path / "ausstieg-koln.md")
    assert post.metadata["countries"] == ["DE", "NL"]
    assert post.metadata["standards"] == ["victims"]


def test_an_interrupted_interview_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def end_of_input(prompt: str = "") -> str:
        raise EOFError

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", end_of_input)
    assert main(["new", "--dir", str(tmp_path)]) == 1
    assert "nothing written" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
