"""The vocabulary file holds the WayOut framework and every controlled term, well formed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wayout.record.vocabulary import (
    DEFAULT_VOCABULARY_PATH,
    VOCABULARY_FIELDS,
    Vocabulary,
    VocabularyError,
    country_hint,
    country_name,
    language_name,
    load_vocabulary,
)

CATEGORY_IDS = [
    "objectives-and-organisation",
    "risk-analysis-and-classification",
    "engagement-and-participation",
    "interventions",
    "aftercare",
    "monitoring-and-evaluation",
]


def test_the_six_framework_categories_in_order(vocabulary: Vocabulary) -> None:
    assert vocabulary.ids("categories") == CATEGORY_IDS


def test_the_framework_has_44_standards(vocabulary: Vocabulary) -> None:
    counts = [len(c.standards) for c in vocabulary.categories]
    assert counts == [6, 9, 3, 14, 10, 2] and sum(counts) == 44


@pytest.mark.parametrize("name", sorted(set(VOCABULARY_FIELDS.values())))
def test_every_term_has_a_short_description(vocabulary: Vocabulary, name: str) -> None:
    for term in vocabulary.terms[name].values():
        sentences = re.findall(r"[.!?](?:\s|$)", term.description)
        assert 1 <= len(sentences) <= 3, (term.id, term.description)
        assert "DESCRIBE" not in term.description


def test_evidence_levels_run_from_unknown_to_comparison(vocabulary: Vocabulary) -> None:
    levels = vocabulary.ids("evidence_levels")
    assert levels[0] == "no-evaluation-known" and levels[-1] == "comparison-group-study"
    assert levels.index("process-evaluation") < levels.index("outcome-evaluation")


def test_findings_include_null_and_negative_results(vocabulary: Vocabulary) -> None:
    assert vocabulary.ids("findings") == ["positive", "mixed", "no-effect", "negative"]


def test_partner_countries_are_the_wayout_partners(vocabulary: Vocabulary) -> None:
    assert sorted(vocabulary.partner_countries) == ["BE", "DE", "FR", "NL", "PT"]


def test_countries_and_languages_come_from_pycountry() -> None:
    assert country_name("NO") == "Norway" and country_name("GB") == "United Kingdom"
    assert country_name("UK") is None and country_name("de") is None
    assert language_name("pt") == "Portuguese" and language_name("xx") is None
    assert country_hint("UK").startswith("did you mean 'GB'")


def test_a_repeated_id_breaks_the_vocabulary(tmp_path: Path) -> None:
    text = DEFAULT_VOCABULARY_PATH.read_text(encoding="utf-8")
    broken = tmp_path / "v.yml"
    broken.write_text(text.replace("id: youth-detention", "id: prison"), encoding="utf-8")
    with pytest.raises(VocabularyError, match="settings: ids must be unique"):
        load_vocabulary(broken)
