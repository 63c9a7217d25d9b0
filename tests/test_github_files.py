"""The GitHub workflows, issue form and pre-commit configuration parse, and only call `make`
targets and `wayout` subcommands that exist."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import PROJECT
from wayout.cli import build_parser
from wayout.contribute.issue_form import FORM_PATH
from wayout.contribute.questions import QUESTIONS
from wayout.record.vocabulary import Vocabulary

GITHUB = PROJECT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
YAML_FILES = [*WORKFLOWS, *sorted((GITHUB / "ISSUE_TEMPLATE").glob("*.yml"))]
PRE_COMMIT = PROJECT / ".pre-commit-config.yaml"


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def commands() -> list[str]:
    """The shell text of every workflow step and local pre-commit hook."""
    found = []
    for path in WORKFLOWS:
        for job in load(path)["jobs"].values():
            found += [step["run"] for step in job.get("steps", []) if "run" in step]
    for repo in load(PRE_COMMIT)["repos"]:
        found += [hook["entry"] for hook in repo["hooks"] if "entry" in hook]
    return found


def make_targets() -> set[str]:
    text = (PROJECT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z-]*):", text, re.MULTILINE))


def subcommands() -> set[str]:
    parser = build_parser()
    [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return set(action.choices)


def test_there_are_the_four_workflows_and_the_issue_form() -> None:
    names = {path.name for path in WORKFLOWS}
    assert names >= {"ci.yml", "pages.yml", "links.yml", "import-issue.yml"}
    assert FORM_PATH.exists()
    assert (GITHUB / "PULL_REQUEST_TEMPLATE.md").exists()


@pytest.mark.parametrize("path", [*YAML_FILES, PRE_COMMIT], ids=lambda p: p.name)
def test_every_yaml_file_parses(path: Path) -> None:
    assert isinstance(load(path), dict)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_workflow_has_triggers_and_steps(path: Path) -> None:
    workflow = load(path)
    assert workflow.get("name")
    # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on".
    assert workflow.get("on") or workflow.get(True)
    for job in workflow["jobs"].values():
        assert job["runs-on"] and job["steps"]


def test_every_make_target_called_exists() -> None:
    called = {m for text in commands() for m in re.findall(r"\bmake\s+([a-z][a-z-]*)", text)}
    assert called >= {"test", "validate", "build"}
    assert called <= make_targets(), called - make_targets()


def test_every_wayout_subcommand_called_exists() -> None:
    called = {m for text in commands() for m in re.findall(r"\bwayout\s+([a-z][a-z-]*)", text)}
    assert called >= {"validate", "from-issue", "changes"}
    assert called <= subcommands(), called - subcommands()


def test_the_makefile_has_review_and_stats() -> None:
    assert {"review", "stats"} <= make_targets()


def test_ci_runs_the_tests_with_the_browser_required_and_validates() -> None:
    ci = load(GITHUB / "workflows" / "ci.yml")
    steps = ci["jobs"]["test"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert any(u.startswith("actions/checkout@") for u in uses)
    assert any(u.startswith("actions/setup-python@") for u in uses)
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert python["with"]["python-version"] == "3.11"
    test = next(s for s in steps if s.get("run") == "make test")
    assert test["env"]["WAYOUT_REQUIRE_BROWSER"] == "1"
    assert any("apt-get install -y chromium" in s.get("run", "") for s in steps)
    assert any(s.get("run") == "make validate" for s in steps)
    assert any("GITHUB_STEP_SUMMARY" in s.get("run", "") for s in steps)


def test_pages_builds_strictly_and_deploys_with_the_official_actions() -> None:
    pages = load(GITHUB / "workflows" / "pages.yml")
    uses = {s.get("uses", "").split("@")[0] for job in pages["jobs"].values() for s in job["steps"]}
    assert {"actions/configure-pages", "actions/upload-pages-artifact"} <= uses
    assert "actions/deploy-pages" in uses
    upload = next(
        s
        for job in pages["jobs"].values()
        for s in job["steps"]
        if s.get("uses", "").startswith("actions/upload-pages-artifact")
    )
    assert upload["with"]["path"] == "site"
    assert "mkdocs build --strict" in (PROJECT / "Makefile").read_text(encoding="utf-8")


def test_the_link_check_never_fails_a_build() -> None:
    links = load(GITHUB / "workflows" / "links.yml")
    triggers = links.get("on") or links.get(True)
    assert "schedule" in triggers and "workflow_dispatch" in triggers
    steps = [s for job in links["jobs"].values() for s in job["steps"]]
    lychee = next(s for s in steps if s.get("uses", "").startswith("lycheeverse/lychee-action"))
    assert lychee["with"]["fail"] is False


def test_the_import_opens_a_pull_request_from_a_labelled_issue() -> None:
    workflow = load(GITHUB / "workflows" / "import-issue.yml")
    triggers = workflow.get("on") or workflow.get(True)
    assert "labeled" in triggers["issues"]["types"]
    [job] = workflow["jobs"].values()
    assert "new practice" in job["if"]
    uses = [s.get("uses", "") for s in job["steps"]]
    assert any(u.startswith("peter-evans/create-pull-request@") for u in uses)
    # The untrusted issue body reaches the shell only through the environment.
    for step in job["steps"]:
        assert "github.event.issue.body" not in step.get("run", "")


def test_the_issue_form_dropdowns_offer_the_vocabularies(vocabulary: Vocabulary) -> None:
    form = load(FORM_PATH)
    dropdowns = {item["id"]: item for item in form["body"] if item["type"] == "dropdown"}
    for question in QUESTIONS:
        if question.vocabulary:
            ids = vocabulary.ids(question.vocabulary)
            labels = [vocabulary.label(question.vocabulary, i) for i in ids]
            assert dropdowns[question.key]["attributes"]["options"] == labels


def test_pre_commit_runs_ruff_and_validates_changed_practices() -> None:
    config = load(PRE_COMMIT)
    repos = {repo["repo"]: repo for repo in config["repos"]}
    assert "https://github.com/astral-sh/ruff-pre-commit" in repos
    [hook] = repos["local"]["hooks"]
    assert hook["language"] == "system"
    assert hook["entry"] == ".venv/bin/wayout validate"
    assert re.search(hook["files"], "practices/exit-deutschland.md")
    assert not re.search(hook["files"], "docs/index.md")


def test_the_pull_request_template_has_the_reviewers_checklist() -> None:
    text = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    for item in ("Sources checked", "personal data", "Framework mapping", "Evidence level"):
        assert item in text
    assert "`last_reviewed` set" in text and "`make validate` passes" in text
    assert text.count("- [ ]") == 6
