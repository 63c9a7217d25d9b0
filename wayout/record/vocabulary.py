"""The controlled vocabularies: `schema/vocabularies.yml`, countries and languages.

Practice files carry only ids. This module loads the vocabulary file (itself validated),
answers "is this id allowed, and what is it called", and checks countries and languages
against ISO 3166-1 alpha-2 and ISO 639-1 through pycountry.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from functools import cache, cached_property
from pathlib import Path
from typing import Annotated

import pycountry
import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_VOCABULARY_PATH = PROJECT_ROOT / "schema" / "vocabularies.yml"

TermId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]

# The lists of terms in vocabularies.yml, by the practice field that uses them.
VOCABULARY_FIELDS: dict[str, str] = {
    "categories": "categories",
    "standards": "standards",
    "target_groups": "target_groups",
    "settings": "settings",
    "ideologies": "ideologies",
    "organisation_types": "organisation_types",
    "evidence_levels": "evidence_levels",
    "findings": "findings",
}


class Term(BaseModel):
    """One controlled value: a stable id, a label for people and a short description."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: TermId
    label: str = Field(min_length=1)
    description: str = Field(min_length=1)


class Category(Term):
    """A WayOut framework category with its standards."""

    standards: tuple[Term, ...] = Field(min_length=1)


class VocabularyFile(BaseModel):
    """The shape of `schema/vocabularies.yml`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    partner_countries: tuple[str, ...]
    categories: tuple[Category, ...] = Field(min_length=1)
    target_groups: tuple[Term, ...] = Field(min_length=1)
    settings: tuple[Term, ...] = Field(min_length=1)
    ideologies: tuple[Term, ...] = Field(min_length=1)
    organisation_types: tuple[Term, ...] = Field(min_length=1)
    evidence_levels: tuple[Term, ...] = Field(min_length=1)
    findings: tuple[Term, ...] = Field(min_length=1)


class VocabularyError(Exception):
    """The vocabulary file itself is broken: nothing can be validated against it."""


class Vocabulary:
    """All controlled terms, looked up by vocabulary name and id."""

    def __init__(self, data: VocabularyFile) -> None:
        self.data = data
        self.terms: dict[str, dict[str, Term]] = {
            "categories": {c.id: c for c in data.categories},
            "standards": {s.id: s for c in data.categories for s in c.standards},
            "target_groups": {t.id: t for t in data.target_groups},
            "settings": {t.id: t for t in data.settings},
            "ideologies": {t.id: t for t in data.ideologies},
            "organisation_types": {t.id: t for t in data.organisation_types},
            "evidence_levels": {t.id: t for t in data.evidence_levels},
            "findings": {t.id: t for t in data.findings},
        }
        self.category_of_standard: dict[str, str] = {
            s.id: c.id for c in data.categories for s in c.standards
        }
        self._check_unique()
        self._check_countries()

    def _check_unique(self) -> None:
        lists: dict[str, Iterable[Term]] = {
            "categories": self.data.categories,
            "standards": [s for c in self.data.categories for s in c.standards],
            "target_groups": self.data.target_groups,
            "settings": self.data.settings,
            "ideologies": self.data.ideologies,
            "organisation_types": self.data.organisation_types,
            "evidence_levels": self.data.evidence_levels,
            "findings": self.data.findings,
        }
        for name, terms in lists.items():
            ids = [t.id for t in terms]
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise VocabularyError(f"{name}: ids must be unique, repeated: {', '.join(dupes)}")

    def _check_countries(self) -> None:
        for code in self.data.partner_countries:
            if country_name(code) is None:
                raise VocabularyError(f"partner_countries: {code!r} is not an ISO 3166-1 code")

    @property
    def categories(self) -> tuple[Category, ...]:
        return self.data.categories

    @property
    def partner_countries(self) -> tuple[str, ...]:
        return self.data.partner_countries

    def ids(self, vocabulary: str) -> list[str]:
        """The ids of one vocabulary, in the order of the vocabulary file."""
        return list(self.terms[vocabulary])

    def has(self, vocabulary: str, term_id: str) -> bool:
        return term_id in self.terms[vocabulary]

    def term(self, vocabulary: str, term_id: str) -> Term:
        return self.terms[vocabulary][term_id]

    def label(self, vocabulary: str, term_id: str) -> str:
        term = self.terms[vocabulary].get(term_id)
        return term.label if term else term_id

    def rank(self, vocabulary: str, term_id: str) -> int:
        """Position of a term in its vocabulary (evidence levels are ordered)."""
        return self.ids(vocabulary).index(term_id)

    @cached_property
    def standard_ids(self) -> list[str]:
        return self.ids("standards")

    def suggest(self, vocabulary: str, value: str) -> str:
        """A fix hint for an unknown id: the nearest ids, or all of them when few."""
        ids = self.ids(vocabulary)
        close = difflib.get_close_matches(value.lower().replace("_", "-").replace(" ", "-"), ids)
        if close:
            return "did you mean " + " or ".join(f"'{c}'" for c in close[:2]) + "?"
        if len(ids) <= 12:
            return "allowed: " + ", ".join(ids)
        return f"see the {len(ids)} allowed ids under '{vocabulary}' in schema/vocabularies.yml"


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_vocabulary(path: Path = DEFAULT_VOCABULARY_PATH) -> Vocabulary:
    """Read and check the vocabulary file; raise `VocabularyError` with a plain message."""
    try:
        # libyaml's parser where PyYAML has it: a fifth of the time of the Python one.
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise VocabularyError(f"{path}: cannot read the vocabulary file: {exc}") from None
    from pydantic import ValidationError

    try:
        return Vocabulary(VocabularyFile.model_validate(raw))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise VocabularyError(f"{path}: {where}: {first['msg']}") from None


@cache
def default_vocabulary() -> Vocabulary:
    """The project's vocabulary, read once per process."""
    return load_vocabulary(DEFAULT_VOCABULARY_PATH)


# --- Countries and languages (pycountry) -------------------------------------------------


@cache
def country_name(code: str) -> str | None:
    """Common English name of an ISO 3166-1 alpha-2 code, or None when it is not one."""
    if len(code) != 2 or not code.isascii() or not code.isupper():
        return None
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return None
    return str(getattr(country, "common_name", None) or country.name)


@cache
def language_name(code: str) -> str | None:
    """English name of an ISO 639-1 code, or None when it is not one."""
    if len(code) != 2 or not code.isascii() or not code.islower():
        return None
    language = pycountry.languages.get(alpha_2=code)
    return None if language is None else str(language.name)


@cache
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                names[value.lower()] = country.alpha_2
    names["uk"] = "GB"
    names["england"] = "GB"
    return names


@cache
def _language_names() -> dict[str, str]:
    return {
        str(lang.name).lower(): str(lang.alpha_2)
        for lang in pycountry.languages
        if hasattr(lang, "alpha_2")
    }


def country_hint(value: str) -> str:
    """What the contributor probably meant by an invalid country value."""
    names = _country_names()
    if country_name(value.upper()):
        code = value.upper()
        return f"write the code in capitals: '{code}' ({country_name(code)})"
    match = names.get(value.lower()) or _closest(value, names)
    if match:
        return f"did you mean '{match}' ({country_name(match)})?"
    return "use an ISO 3166-1 alpha-2 code such as 'DE', 'FR' or 'PT'"


def language_hint(value: str) -> str:
    """What the contributor probably meant by an invalid language value."""
    names = _language_names()
    if language_name(value.lower()):
        return f"write the code in lower case: '{value.lower()}' ({language_name(value.lower())})"
    match = names.get(value.lower()) or _closest(value, names)
    if match:
        return f"did you mean '{match}' ({language_name(match)})?"
    return "use an ISO 639-1 code such as 'en', 'de' or 'fr'"


def _closest(value: str, codes_by_name: dict[str, str]) -> str | None:
    """The code whose name is nearest to `value`, if any is near enough."""
    close = difflib.get_close_matches(value.lower(), codes_by_name, n=1, cutoff=0.75)
    return codes_by_name[close[0]] if close else None
