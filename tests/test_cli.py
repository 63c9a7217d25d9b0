"""`wayout validate` prints every problem of every file, sorted, and exits 0, 1 or 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURE_PRACTICES, GOOD_BODY, GOOD_FRONT, WritePractice
from wayout.cli import main


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wayout", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "GITHUB_ACTIONS": "", **(env or {})},
        check=False,
    )


@pytest.fixture
def broken_folder(write_practice: WritePractice, tmp_path: Path) -> Path:
    """The five mistakes of the issue, spread over several files, next to a good one."""
    write_practice("good")
    write_practice("bad-country", front=GOOD_FRONT.replace("[DE]", "[Portgal]"))
    write_practice("misspelt-key", front=GOOD_FRONT.replace("settings:", "setting:"))
    write_practice(
        "no-sources",
        front=GOOD_FRONT.replace(
            "sources:\n  - title: A source\n    url: https://example.org/source\n", ""
        ),
    )
    write_practice("broken-yaml", front=GOOD_FRONT.replace("[DE]", "[DE"))
    write_practice("empty-aim", body=GOOD_BODY.replace("To test.", ""))
    return tmp_path / "practices"


def test_valid_fixtures_exit_zero() -> None:
    result = run("validate", str(FIXTURE_PRACTICES))
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith("3 file(s) checked: 0 error(s), 0 warning(s)")


def test_every_mistake_of_every_file_in_one_run(broken_folder: Path) -> None:
    result = run("validate", str(broken_folder))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    expected = {
        "bad-country.md:4:13: error: countries[0]": "did you mean 'PT' (Portugal)?",
        "misspelt-key.md:8:1: error: setting:": "did you mean 'settings'?",
        "no-sources.md:2:1: error: sources: is required": "title and a url",
        "broken-yaml.md:": "broken YAML",
        "empty-aim.md:18:1: error: body: the section '## Aim' is empty": "write its text",
    }
    for start, hint in expected.items():
        assert any(start in line and hint in line for line in lines), (start, result.stdout)
    assert not any("good.md" in line for line in lines)
    problem_lines = lines[:-1]
    assert problem_lines == sorted(problem_lines, key=lambda s: s.split(":")[0])


def test_github_format_writes_annotations(broken_folder: Path) -> None:
    result = run("validate", str(broken_folder / "bad-country.md"), "--format", "github")
    first = result.stdout.splitlines()[0]
    assert first.startswith("::error file=")
    assert ",line=4,col=13,title=countries[0]::'Portgal'" in first


def test_github_format_is_the_default_in_github_actions(broken_folder: Path) -> None:
    result = run("validate", str(broken_folder / "bad-country.md"), env={"GITHUB_ACTIONS": "true"})
    assert result.stdout.startswith("::error ")


def test_json_format(broken_folder: Path) -> None:
    result = run("validate", str(broken_folder), "--format", "json")
    data = json.loads(result.stdout)
    assert result.returncode == 1 and data["files"] == 6 and data["errors"] >= 5
    assert {"path", "line", "column", "field", "message", "hint", "severity"} <= set(
        data["problems"][0]
    )


def test_warnings_alone_exit_zero(write_practice: WritePractice, tmp_path: Path) -> None:
    write_practice(front=GOOD_FRONT.replace("2026-01-01", "2019-01-01"))
    result = run("validate", str(tmp_path / "practices"))
    assert result.returncode == 0 and ": warning: last_reviewed:" in result.stdout


def test_usage_errors_exit_two(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["validate", "--format", "xml"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main([])
    assert exc.value.code == 2


def test_a_missing_path_is_a_problem(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "nowhere"))
    assert result.returncode == 1 and "no such file or folder" in result.stdout
