"""The practice record: the Pydantic model of a practice file's front matter.

Every field is documented here; the descriptions end up in the JSON Schema and on the
site's contribute page. Controlled fields take ids from `schema/vocabularies.yml`, passed
in the validation context as `{"vocabulary": Vocabulary}` (the project's own vocabulary
when none is given). Rules that span several fields live in `wayout.record.rules` and are
enforced here by one model validator.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
    ValidationInfo,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from wayout.record.vocabulary import Vocabulary, country_name, default_vocabulary, language_name

FIRST_YEAR = 1950
LAST_YEAR = 2100


def vocabulary_from(info: ValidationInfo) -> Vocabulary:
    """The vocabulary passed in the validation context, or the project's own."""
    context = info.context if isinstance(info.context, dict) else {}
    vocabulary = context.get("vocabulary")
    return vocabulary if isinstance(vocabulary, Vocabulary) else default_vocabulary()


class VocabularyTerm:
    """Marks a `str` as an id from one vocabulary of `schema/vocabularies.yml`."""

    def __init__(self, vocabulary: str) -> None:
        self.vocabulary = vocabulary

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        def check(value: str, info: ValidationInfo) -> str:
            if not vocabulary_from(info).has(self.vocabulary, value):
                raise PydanticCustomError(
                    "unknown_term",
                    "'{value}' is not a known id in '{vocabulary}'",
                    {"value": value, "vocabulary": self.vocabulary},
                )
            return value

        return core_schema.with_info_after_validator_function(check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["x-vocabulary"] = self.vocabulary
        return json_schema


def _country(value: str) -> str:
    if country_name(value) is None:
        raise PydanticCustomError(
            "unknown_country",
            "'{value}' is not an ISO 3166-1 alpha-2 country code",
            {"value": value},
        )
    return value


def _language(value: str) -> str:
    if language_name(value) is None:
        raise PydanticCustomError(
            "unknown_language", "'{value}' is not an ISO 639-1 language code", {"value": value}
        )
    return value


# Characters that no web address contains unencoded, and that could end an HTML attribute
# or be read differently by a browser (a backslash counts as "/" in http(s) addresses).
_URL_FORBIDDEN = re.compile(r"[\s\"<>\\`\x00-\x1f\x7f-\x9f]")


def _http_url(value: str) -> str:
    """An absolute http(s) address with a host, no credentials and no unsafe characters."""
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not value.lower().startswith(
        ("http://", "https://")
    ):
        raise PydanticCustomError(
            "not_http_url",
            "'{value}' is not a web address: only addresses starting with http:// or "
            "https:// are allowed",
            {"value": value},
        )
    bad = _URL_FORBIDDEN.search(value)
    if bad:
        raise PydanticCustomError(
            "unsafe_url_character",
            "the web address contains {character}, which a web address cannot contain",
            {"value": value, "character": _describe(bad.group())},
        )
    if not parts.hostname:
        raise PydanticCustomError(
            "not_http_url", "'{value}' has no host name after '//'", {"value": value}
        )
    if "@" in parts.netloc:
        raise PydanticCustomError(
            "url_with_credentials",
            "'{value}' has a user name or password before '@', which can disguise where a "
            "link goes",
            {"value": value},
        )
    return value


_MARKUP = re.compile(r"<\s*[/!?a-zA-Z]|&[#a-zA-Z0-9]+;")
# Control characters (except tab and line ends), and the invisible characters that reorder
# text (bidirectional embeddings, overrides and isolates): never part of a field's text.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _describe(character: str) -> str:
    """A character as a message shows it: quoted when visible, by its code point when not."""
    named = {" ": "a space", "\t": "a tab", "\n": "a line break", "\r": "a line break"}
    if character in named:
        return named[character]
    if character.isprintable():
        return f"'{character}'"
    return f"the invisible character U+{ord(character):04X}"


def _plain_text(value: str) -> str:
    """Text shown as it is: no HTML tags or entities, no control or reordering characters."""
    if _MARKUP.search(value):
        raise PydanticCustomError(
            "markup_in_plain_text",
            "must be plain text, without HTML tags or character entities",
            {"value": value},
        )
    invisible = _INVISIBLE.search(value)
    if invisible:
        raise PydanticCustomError(
            "invisible_character",
            "contains {character}",
            {"value": value, "character": _describe(invisible.group())},
        )
    return value


def _one_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise PydanticCustomError("not_one_line", "must be a single line of text", {"value": value})
    return value


_EMAIL = re.compile(
    r"^[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$"
)


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise PydanticCustomError(
            "not_email",
            "'{value}' is not an e-mail address such as info@example.org",
            {"value": value},
        )
    return value


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise PydanticCustomError(
                "duplicate_item", "'{value}' is listed twice", {"value": value}
            )
        seen.add(value)
    return values


def _no_future(value: date) -> date:
    if value > date.today():
        raise PydanticCustomError(
            "future_date", "{value} lies in the future", {"value": value.isoformat()}
        )
    return value


# The patterns are checked by the validators, with clearer messages; the JSON Schema shows
# them to other tools.
Line = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    AfterValidator(_one_line),
    AfterValidator(_plain_text),
    Field(json_schema_extra={"pattern": r"^[^\n\r]*$"}),
]
Url = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=2000),
    AfterValidator(_http_url),
    Field(json_schema_extra={"format": "uri", "pattern": r"^https?://\S+$"}),
]
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def _slug(value: str) -> str:
    if not re.match(SLUG_PATTERN, value):
        raise PydanticCustomError(
            "not_slug",
            "'{value}' is not a practice's slug (lowercase letters, digits and hyphens)",
            {"value": value},
        )
    return value


Slug = Annotated[
    str,
    StringConstraints(max_length=80),
    AfterValidator(_slug),
    Field(json_schema_extra={"pattern": SLUG_PATTERN}),
]
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR, strict=True)]
CountryCode = Annotated[
    str, AfterValidator(_country), Field(json_schema_extra={"x-vocabulary": "countries"})
]
LanguageCode = Annotated[
    str, AfterValidator(_language), Field(json_schema_extra={"x-vocabulary": "languages"})
]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254),
    AfterValidator(_email),
    Field(json_schema_extra={"format": "email", "pattern": _EMAIL.pattern}),
]


CategoryId = Annotated[str, VocabularyTerm("categories")]
StandardId = Annotated[str, VocabularyTerm("standards")]
TargetGroupId = Annotated[str, VocabularyTerm("target_groups")]
SettingId = Annotated[str, VocabularyTerm("settings")]
IdeologyId = Annotated[str, VocabularyTerm("ideologies")]
OrganisationTypeId = Annotated[str, VocabularyTerm("organisation_types")]
EvidenceLevelId = Annotated[str, VocabularyTerm("evidence_levels")]
FindingsId = Annotated[str, VocabularyTerm("findings")]
UNIQUE = Field(json_schema_extra={"uniqueItems": True})


class Strict(BaseModel):
    """Common configuration: unknown keys are errors, surrounding blanks are dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Organisation(Strict):
    """An organisation that runs the practice or partners in it (not a funder)."""

    name: Line = Field(description="Name in the original language, as the organisation writes it.")
    name_en: Line | None = Field(
        default=None, description="English rendering of the name, when the name is not English."
    )
    type: OrganisationTypeId = Field(
        description="Kind of organisation: an id from `organisation_types`."
    )
    url: Url | None = Field(default=None, description="The organisation's website.")


class Source(Strict):
    """A published source that supports the facts stated in the practice."""

    title: Line = Field(description="Title of the page, report or article.")
    url: Url = Field(description="Where the source can be read.")
    publisher: Line | None = Field(
        default=None, description="Who published it (organisation, journal, news outlet)."
    )
    year: Year | None = Field(default=None, description="Year of publication, when known.")


class Period(Strict):
    """When the practice ran. No start means unknown; no end means it is still running."""

    start: Year | None = Field(default=None, description="Year the practice started.")
    end: Year | None = Field(
        default=None, description="Year the practice ended; leave out while it is ongoing."
    )


class Evaluation(Strict):
    """What is known of the practice's evaluation, including null and negative findings."""

    level: EvidenceLevelId = Field(
        description=(
            "The strongest kind of evidence available: an id from `evidence_levels`, ordered "
            "from 'no-evaluation-known' to 'comparison-group-study'."
        )
    )
    independent: bool | None = Field(
        default=None,
        description=(
            "True when an independent third party carried out the evaluation, false when the "
            "practice evaluated itself; leave out when unknown."
        ),
    )
    findings: FindingsId | None = Field(
        default=None,
        description=(
            "Direction of the findings: an id from `findings` (positive, mixed, no-effect, "
            "negative). Only for levels that involve an evaluation."
        ),
    )
    evaluator: Line | None = Field(default=None, description="Who carried out the evaluation.")
    year: Year | None = Field(default=None, description="Year of the evaluation report.")
    url: Url | None = Field(default=None, description="Where the evaluation can be read.")


class Contact(Strict):
    """An organisational contact: a role mailbox or a web form, never a private person."""

    email: Email | None = Field(
        default=None, description="A role mailbox such as info@ or exit@, never a person's address."
    )
    url: Url | None = Field(default=None, description="A contact page or web form.")


class Practice(Strict):
    """The front matter of one practice file."""

    title: Line = Field(
        max_length=150,
        description="Name of the practice in its original language.",
    )
    title_en: Line | None = Field(
        default=None,
        max_length=150,
        description="English rendering of the title, when the title is not in English.",
    )
    summary: Annotated[str, AfterValidator(_plain_text)] = Field(
        min_length=40,
        max_length=600,
        description="What the practice does, for whom, in one to three sentences of plain text.",
    )
    countries: Annotated[list[CountryCode], UNIQUE, AfterValidator(_unique)] = Field(
        min_length=1,
        description="Countries where the practice runs: ISO 3166-1 alpha-2 codes (UK is GB).",
    )
    categories: Annotated[list[CategoryId], UNIQUE, AfterValidator(_unique)] = Field(
        min_length=1, description="WayOut framework categories the practice contributes to."
    )
    standards: Annotated[list[StandardId], UNIQUE, AfterValidator(_unique)] = Field(
        default_factory=list,
        description=(
            "WayOut framework standards the practice applies; each must belong to one of the "
            "listed categories."
        ),
    )
    target_groups: Annotated[list[TargetGroupId], UNIQUE, AfterValidator(_unique)] = Field(
        min_length=1, description="Who the practice works with."
    )
    settings: Annotated[list[SettingId], UNIQUE, AfterValidator(_unique)] = Field(
        min_length=1, description="Where the practice takes place."
    )
    ideologies: Annotated[list[IdeologyId], UNIQUE, AfterValidator(_unique)] = Field(
        default_factory=list,
        description="Forms of extremism the practice addresses; 'non-specific' for all forms.",
    )
    period: Period | None = Field(
        default=None, description="When the practice ran; leave out when unknown."
    )
    organisations: list[Organisation] = Field(
        min_length=1, description="Organisations that run the practice or partner in it."
    )
    funders: Annotated[list[Line], AfterValidator(_unique)] = Field(
        default_factory=list, description="Names of the bodies that fund or funded the practice."
    )
    evaluation: Evaluation | None = Field(
        default=None,
        description="What is known of the practice's evaluation; leave out only when unknown.",
    )
    languages: Annotated[list[LanguageCode], AfterValidator(_unique)] = Field(
        default_factory=list,
        description="Languages the practice is delivered in: ISO 639-1 codes.",
    )
    website: Url | None = Field(default=None, description="The practice's own website.")
    contact: Contact | None = Field(
        default=None, description="How to reach the organisation: a role mailbox or web form."
    )
    related: Annotated[list[Slug], AfterValidator(_unique)] = Field(
        default_factory=list,
        description="Slugs of related practices in this repository (their file names without .md).",
    )
    sources: list[Source] = Field(
        min_length=1,
        description=(
            "Published sources for the facts stated, in the order they are cited: [1], [2] ..."
        ),
    )
    last_reviewed: Annotated[date, AfterValidator(_no_future)] = Field(
        description="Date (YYYY-MM-DD) on which the entry was last checked against its sources."
    )
    draft: bool = Field(
        default=False,
        description="True keeps the practice off the public site while it is prepared.",
    )

    @model_validator(mode="after")
    def _cross_field_rules(self, info: ValidationInfo) -> Practice:
        from wayout.record.rules import cross_field_errors

        found = list(cross_field_errors(self, vocabulary_from(info)))
        if found:
            raise PydanticCustomError(
                "cross_field",
                "{count} rule(s) across fields broken",
                {"count": len(found), "problems": found},
            )
        return self
