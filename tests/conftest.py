"""Shared fixtures: paths, the vocabulary, and a writer for practice files in tmp folders."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from wayout.record.vocabulary import Vocabulary, default_vocabulary

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_PRACTICES = FIXTURES / "practices"
PROJECT = Path(__file__).parent.parent


@pytest.fixture
def vocabulary() -> Vocabulary:
    return default_vocabulary()


GOOD_FRONT = """\
title: Test practice
summary: A practice written only for the tests, long enough to be a real summary.
countries: [DE]
categories: [interventions]
standards: [victims]
target_groups: [prison-staff]
settings: [prison]
organisations:
  - name: Test organisation
    type: ngo
sources:
  - title: A source
    url: https://example.org/source
last_reviewed: 2026-01-01
"""

GOOD_BODY = """
## Aim

To test.

## Approach

By testing.

## Evaluation and results

Tested.

## Transferability

Anywhere tests run.
"""

WritePractice = Callable[..., Path]


@pytest.fixture
def write_practice(tmp_path: Path) -> WritePractice:
    """Write `<slug>.md` into tmp_path/practices from front matter and body text."""
    folder = tmp_path / "practices"
    folder.mkdir(exist_ok=True)

    def write(slug: str = "test-practice", front: str = GOOD_FRONT, body: str = GOOD_BODY) -> Path:
        path = folder / f"{slug}.md"
        path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    """The site built from the harmless cases of the hostile corpus: (practices folder, site
    folder, their slugs). Shared by the build tests and the browser tests."""
    from tests.hostile import write_harmless
    from tests.site_build import build_site

    practices = tmp_path_factory.mktemp("hostile-practices")
    slugs = write_harmless(practices)
    site = tmp_path_factory.mktemp("hostile-site")
    result = build_site(practices, site)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return practices, site, slugs


DRAFT_TITLE = "Secret draft practice"


def fixtures_with_draft(folder: Path) -> Path:
    """Copy the fixture practices into `folder` and add a draft titled DRAFT_TITLE."""
    for path in FIXTURE_PRACTICES.glob("*.md"):
        shutil.copy(path, folder)
    front = GOOD_FRONT.replace("Test practice", DRAFT_TITLE) + "draft: true\n"
    (folder / "secret-draft.md").write_text(f"---\n{front}---\n{GOOD_BODY}", encoding="utf-8")
    return folder
