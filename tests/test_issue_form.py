"""The "New practice" issue form mirrors the questions and vocabularies, and `wayout
from-issue` turns a submitted issue into the same file `wayout new` writes."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import FIXTURES
from wayout.cli import main
from wayout.contribute.issue_form import FORM_PATH, issue_answers, issue_sections, render_form
from wayout.contribute.questions import QUESTIONS, term_ids
from wayout.record.vocabulary import Vocabulary

ISSUES = FIXTURES / "issues"

# The options `wayout new` takes for the same answers as the complete and minimal issues.
COMPLETE_OPTIONS = [
    "--title", "Brückenschlag Nord",
    "--title-en", "Bridge-building North",
    "--summary", "A fictional test practice: a probation service and an NGO jointly mentor "
    "people on probation who want to leave right-wing extremist groups, from the last months "
    "in prison until a year after release.",
    "--country", "DE", "--country", "AT",
    "--category", "engagement-and-participation",
    "--category", "interventions",
    "--category", "aftercare",
    "--standard", "building-trust",
    "--standard", "creative-and-recreational-activities",
    "--standard", "continuity-of-aftercare",
    "--target-group", "people-on-probation", "--target-group", "released-offenders",
    "--setting", "prison", "--setting", "probation", "--setting", "post-release",
    "--ideology", "right-wing",
    "--organisation", "Bewährungshilfe Nord e.V.",
    "--organisation-type", "ngo",
    "--organisation-url", "https://www.example.org/bewaehrungshilfe-nord",
    "--source-title", "Brückenschlag Nord: Konzept und Jahresbericht 2023",
    "--source-url", "https://www.example.org/brueckenschlag/jahresbericht-2023.pdf",
    "--more-source", "Evaluation of Brückenschlag Nord, final report | "
    "https://www.example.org/brueckenschlag/evaluation",
    "--more-source", "Regional newspaper article on the programme | "
    "https://www.example.org/news/brueckenschlag",
    "--start", "2018",
    "--evidence-level", "process-evaluation",
    "--independent", "yes",
    "--findings", "mixed",
    "--evaluator", "Institut für Beispielforschung",
    "--evaluation-url", "https://www.example.org/brueckenschlag/evaluation",
    "--language", "de",
    "--funder", "Federal Ministry of Example Affairs",
    "--funder", "Example Foundation for Democracy",
    "--website", "https://www.example.org/brueckenschlag",
    "--contact-email", "info@example.org",
    "--aim", "The programme wants people on probation to leave right-wing extremist groups "
    "for good and to build a life without violence [1].",
    "--approach", "A mentor from the NGO meets each participant every week, from six months "
    "before release until a year after it [1]. Probation officers and mentors plan each step "
    "together, and families are invited to take part [1][3].",
    "--results", "An independent process evaluation found that participants valued the "
    "mentors, but that the hand-over from prison to probation often came too late [2].",
]  # fmt: skip
MINIMAL_OPTIONS = [
    "--title", "Samen Verder",
    "--title-en", "Moving On Together",
    "--summary", "A fictional test practice: volunteer mentors meet young people released "
    "from youth detention once a week to help them find school places, work and new friends "
    "away from extremist milieus.",
    "--country", "NL",
    "--category", "aftercare",
    "--target-group", "young-offenders", "--target-group", "released-offenders",
    "--setting", "post-release", "--setting", "community",
    "--organisation", "Stichting Samen Verder",
    "--organisation-type", "ngo",
    "--source-title", "Samen Verder \u2013 over ons",
    "--source-url", "https://www.example.org/samen-verder/over-ons",
]  # fmt: skip


def committed_form() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(FORM_PATH.read_text(encoding="utf-8"))
    return data


def fields() -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in committed_form()["body"] if "id" in item}


# --- The form ------------------------------------------------------------------------------


def test_the_committed_form_is_up_to_date(vocabulary: Vocabulary) -> None:
    assert FORM_PATH.read_text(encoding="utf-8") == render_form(vocabulary), (
        "the issue form is stale: run `wayout issue-form`"
    )


def test_issue_form_check_fails_when_the_form_is_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = tmp_path / "new-practice.yml"
    stale.write_text("name: old\n", encoding="utf-8")
    monkeypatch.setattr("wayout.cli.FORM_PATH", stale)
    assert main(["issue-form", "--check"]) == 1
    assert main(["issue-form"]) == 0
    assert main(["issue-form", "--check"]) == 0


def test_the_form_is_a_new_practice_issue_form() -> None:
    form = committed_form()
    assert form["labels"] == ["new practice"]
    assert {"name", "description", "title", "body"} <= set(form)
    kinds = {item["type"] for item in form["body"]}
    assert kinds == {"markdown", "input", "textarea", "dropdown", "checkboxes"}


def test_the_form_asks_every_question_once_with_its_requirement() -> None:
    found = fields()
    labels = [item["attributes"]["label"] for item in found.values()]
    assert len(labels) == len(set(labels))
    for question in QUESTIONS:
        item = found[question.key]
        assert item["attributes"]["label"] == question.label
        assert item["validations"]["required"] is question.required


def test_the_dropdown_options_are_the_vocabularies(vocabulary: Vocabulary) -> None:
    found = fields()
    for question in QUESTIONS:
        if not question.vocabulary:
            continue
        item = found[question.key]
        assert item["type"] == "dropdown"
        assert item["attributes"]["multiple"] is (question.kind == "terms")
        labels = item["attributes"]["options"]
        ids = vocabulary.ids(question.vocabulary)
        assert labels == [vocabulary.label(question.vocabulary, i) for i in ids]
        assert [term_ids(vocabulary, question.vocabulary, label) for label in labels] == [
            [i] for i in ids
        ]


def test_several_chosen_options_map_back_to_ids_even_with_commas_in_labels(
    vocabulary: Vocabulary,
) -> None:
    chosen = "Creative, cultural and recreational activities, Clarity about roles, "
    chosen += "responsibilities and goals, Incentives"
    assert term_ids(vocabulary, "standards", chosen) == [
        "creative-and-recreational-activities",
        "clear-roles-and-goals",
        "incentives",
    ]


def test_countries_are_asked_as_text() -> None:
    countries = fields()["countries"]
    assert countries["type"] == "input"
    assert "ISO codes, comma-separated, e.g. DE, NL" in countries["attributes"]["description"]


# --- Reading an issue ----------------------------------------------------------------------


def test_an_issue_body_is_read_by_label_with_the_line_of_each_answer() -> None:
    body = "### Name of the practice\n\nSamen Verder\n\n### Countries\n\n_No response_\n"
    assert issue_sections(body)["Name of the practice"].text == "Samen Verder"
    answers = issue_answers(body)
    assert (answers["title"].text, answers["title"].line) == ("Samen Verder", 3)
    assert (answers["countries"].text, answers["countries"].line) == ("_No response_", 7)
    assert "summary" not in answers


def test_windows_line_ends_read_the_same() -> None:
    body = (ISSUES / "complete.md").read_text(encoding="utf-8")
    assert issue_answers(body.replace("\n", "\r\n")) == issue_answers(body)


@pytest.mark.parametrize(
    ("issue", "options"), [("complete", COMPLETE_OPTIONS), ("minimal", MINIMAL_OPTIONS)]
)
def test_from_issue_writes_the_file_new_writes_from_the_same_answers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], issue: str, options: list[str]
) -> None:
    from_issue, from_options = tmp_path / "issue", tmp_path / "options"
    assert main(["from-issue", str(ISSUES / f"{issue}.md"), "--dir", str(from_issue)]) == 0
    written = capsys.readouterr().out.strip()
    assert main(["new", "--non-interactive", "--dir", str(from_options), *options]) == 0
    [path] = from_issue.iterdir()
    assert written == str(path)
    expected = (from_options / path.name).read_text(encoding="utf-8")
    assert path.read_text(encoding="utf-8") == expected


def test_from_issue_reads_standard_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = (ISSUES / "minimal.md").read_text(encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO(body))
    assert main(["from-issue", "-", "--dir", str(tmp_path)]) == 0
    assert (tmp_path / "samen-verder.md").is_file()


def test_missing_and_invalid_answers_are_reported_where_they_were_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    issue = ISSUES / "missing-answers.md"
    assert main(["from-issue", str(issue), "--dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = issue.read_text(encoding="utf-8").split("\n")
    expected = {
        "Summary": ("is required", "_No response_"),
        "Countries": ("'Italia' is not an ISO 3166-1 alpha-2 country code", "Italia"),
        "Target groups": ("is required", "_No response_"),
        "Type of organisation": ("is required", "_No response_"),
        "Source web address": ("is not a web address", "www.example.org/nuovi-orizzonti"),
        "More sources": ("has no web address", "Article in a regional newspaper, spring 2022"),
        "Start year": ("valid integer", "around 2019"),
        "Framework standards": ("not in categories", "Risk assessment"),
    }
    reported = [line for line in err.splitlines() if ": error: " in line]
    assert len(reported) == len(expected)
    for label, (message, answer) in expected.items():
        [line] = [text for text in reported if f": error: {label}: " in text]
        assert message in line
        number = int(line.split(":")[1])
        assert lines[number - 1] == answer
    assert "(write the year alone, e.g. 2015; put details in the text)" in err
    assert list(tmp_path.iterdir()) == []


def test_an_issue_without_the_form_reports_every_required_question(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    issue = tmp_path / "issue.md"
    issue.write_text("Please add EXIT Sweden, see https://example.org\n", encoding="utf-8")
    assert main(["from-issue", str(issue), "--dir", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    required = [q for q in QUESTIONS if q.required]
    assert err.count("is required") == len(required)
    assert not (tmp_path / "out").exists()


def test_from_issue_refuses_to_overwrite_a_practice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "samen-verder.md").write_text("mine", encoding="utf-8")
    assert main(["from-issue", str(ISSUES / "minimal.md"), "--dir", str(tmp_path)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert (tmp_path / "samen-verder.md").read_text(encoding="utf-8") == "mine"


def test_an_unreadable_issue_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["from-issue", str(tmp_path / "nope.md")]) == 2
    assert "cannot read" in capsys.readouterr().err
