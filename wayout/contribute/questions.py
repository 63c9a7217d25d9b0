"""The questions about a new practice, and the check of each answer on its own.

One table, `QUESTIONS`, drives `wayout new` (its options and its interview), the issue
form (its fields) and `wayout from-issue` (which answer is which). Each answer is given
as text, turned into the value of a front-matter field, and checked against the model
field it fills, so that it gets the same messages and hints as `wayout validate`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from wayout.record.loader import MESSAGES, Loc, field_path, hint_for, model_at
from wayout.record.model import Practice
from wayout.record.rules import standards_in_categories
from wayout.record.vocabulary import Vocabulary

Kind = Literal[
    "line", "text", "url", "year", "yes-no", "term", "terms", "countries", "languages",
    "lines", "sources", "section",
]  # fmt: skip
LIST_KINDS = frozenset({"terms", "countries", "languages", "lines", "sources"})
COMMA_KINDS = frozenset({"terms", "countries", "languages"})
URL_HINT = "give the full address, starting with https://"
SOURCE_LINE_HINT = "write each source on its own line as: Title | https://..."
YES = ("yes", "y", "true")
NO = ("no", "n", "false")


@dataclass(frozen=True)
class Question:
    """One question: its answer's key, wording, kind, and the field its answer fills."""

    key: str
    option: str
    label: str
    help: str
    kind: Kind
    loc: Loc
    required: bool = False
    vocabulary: str = ""
    asked: bool = False  # asked in an interactive `wayout new`
    example: str = ""

    @property
    def multiple(self) -> bool:
        return self.kind in LIST_KINDS

    @property
    def field(self) -> str:
        """The front-matter field the answer fills, e.g. `organisations[0].type`."""
        return field_path(self.loc)


@dataclass(frozen=True)
class AnswerProblem:
    """What is wrong with one answer: a message and a hint, as `wayout validate` words them."""

    question: Question
    message: str
    hint: str = ""


def _q(key: str, option: str, label: str, help: str, kind: Kind, *loc: str | int,
       **more: Any) -> Question:  # fmt: skip
    return Question(key, option, label, help, kind, tuple(loc), **more)


QUESTIONS: tuple[Question, ...] = (
    _q("title", "--title", "Name of the practice",
       "The name in its original language, as the organisation writes it.",
       "line", "title", required=True, asked=True, example="EXIT-Deutschland"),
    _q("title_en", "--title-en", "English name",
       "An English rendering of the name, when the name is not in English.",
       "line", "title_en", asked=True, example="EXIT-Germany"),
    _q("summary", "--summary", "Summary",
       "What the practice does, for whom, in one to three sentences of plain text "
       "(40 to 600 characters).",
       "text", "summary", required=True, asked=True),
    _q("countries", "--country", "Countries",
       "Where the practice runs: ISO codes, comma-separated, e.g. DE, NL (the UK is GB).",
       "countries", "countries", required=True, asked=True, example="DE, NL"),
    _q("categories", "--category", "Framework categories",
       "The categories of the WayOut framework the practice contributes to.",
       "terms", "categories", required=True, vocabulary="categories", asked=True),
    _q("standards", "--standard", "Framework standards",
       "The standards of the WayOut framework the practice applies; each must belong to one "
       "of the categories chosen.",
       "terms", "standards", vocabulary="standards", asked=True),
    _q("target_groups", "--target-group", "Target groups", "Who the practice works with.",
       "terms", "target_groups", required=True, vocabulary="target_groups", asked=True),
    _q("settings", "--setting", "Settings", "Where the practice takes place.",
       "terms", "settings", required=True, vocabulary="settings", asked=True),
    _q("ideologies", "--ideology", "Ideologies",
       "The forms of extremism the practice addresses.",
       "terms", "ideologies", vocabulary="ideologies"),
    _q("organisation", "--organisation", "Organisation",
       "The organisation that runs the practice, named in its original language.",
       "line", "organisations", 0, "name", required=True, asked=True),
    _q("organisation_type", "--organisation-type", "Type of organisation",
       "What kind of organisation runs the practice.",
       "term", "organisations", 0, "type", required=True, vocabulary="organisation_types",
       asked=True),
    _q("organisation_url", "--organisation-url", "Website of the organisation",
       "The organisation's own website.", "url", "organisations", 0, "url",
       example="https://www.example.org"),
    _q("source_title", "--source-title", "Source title",
       "The title of a public page, report or article that supports the facts.",
       "line", "sources", 0, "title", required=True, asked=True),
    _q("source_url", "--source-url", "Source web address", "Where the source can be read.",
       "url", "sources", 0, "url", required=True, asked=True,
       example="https://www.example.org/report"),
    _q("more_sources", "--more-source", "More sources",
       "Further public sources, one per line, as: Title | https://...",
       "sources", "sources"),
    _q("period_start", "--start", "Start year", "The year the practice started.",
       "year", "period", "start", example="2015"),
    _q("period_end", "--end", "End year",
       "The year the practice ended; leave empty while it is running.",
       "year", "period", "end"),
    _q("evaluation_level", "--evidence-level", "Evidence level",
       "The strongest kind of evidence about the practice that you know of.",
       "term", "evaluation", "level", vocabulary="evidence_levels"),
    _q("evaluation_independent", "--independent", "Independent evaluation",
       "Yes when an outside party evaluated the practice, no when it evaluated itself.",
       "yes-no", "evaluation", "independent"),
    _q("evaluation_findings", "--findings", "Findings",
       "What the evaluation found; no-effect and negative findings are shown too.",
       "term", "evaluation", "findings", vocabulary="findings"),
    _q("evaluator", "--evaluator", "Evaluator", "Who carried out the evaluation.",
       "line", "evaluation", "evaluator"),
    _q("evaluation_url", "--evaluation-url", "Evaluation report",
       "Where the evaluation can be read.", "url", "evaluation", "url"),
    _q("languages", "--language", "Languages",
       "Languages the practice is delivered in: ISO codes, comma-separated, e.g. de, en.",
       "languages", "languages", example="de, en"),
    _q("funders", "--funder", "Funders",
       "The bodies that fund or funded the practice, one per line.", "lines", "funders"),
    _q("website", "--website", "Website of the practice", "The practice's own website.",
       "url", "website"),
    _q("contact_email", "--contact-email", "Contact mailbox",
       "A role mailbox such as info@..., never a person's address.",
       "line", "contact", "email", example="info@example.org"),
    _q("contact_url", "--contact-url", "Contact page", "A contact page or web form.",
       "url", "contact", "url"),
    _q("aim", "--aim", "Aim",
       "What the practice wants to achieve, and for whom.", "section", "body"),
    _q("approach", "--approach", "Approach",
       "What the practice does, who delivers it and where.", "section", "body"),
    _q("results", "--results", "Evaluation and results",
       "What is known about how well the practice works, and from which studies.",
       "section", "body"),
    _q("transferability", "--transferability", "Transferability",
       "What someone would need to adapt or run the practice elsewhere.", "section", "body"),
)  # fmt: skip

NO_ANSWER = frozenset({"", "_no response_", "none"})

_URL = re.compile(r"https?://\S+")
_SOURCE_SEPARATORS = " \t|:;,-\u2013\u2014"


# --- Text -> value ----------------------------------------------------------------------


def is_blank(text: str) -> bool:
    """An empty answer, or GitHub's marker for a question left unanswered."""
    return text.strip().casefold() in NO_ANSWER


def items(question: Question, text: str) -> list[str]:
    """The items of a list answer: lines, or for codes and terms also comma-separated."""
    pieces = [line.strip() for line in text.splitlines()]
    if question.kind in COMMA_KINDS:
        pieces = [part.strip() for line in pieces for part in line.split(",")]
    return [piece for piece in pieces if piece and not is_blank(piece)]


def term_ids(vocabulary: Vocabulary, name: str, text: str) -> list[str]:
    """Ids for a list of ids or labels; labels may contain commas, unknown items stay as given."""
    by_name = {term_id.casefold(): term_id for term_id in vocabulary.ids(name)}
    by_name.update({vocabulary.label(name, i).casefold(): i for i in vocabulary.ids(name)})
    pieces = [piece.strip() for line in text.splitlines() for piece in line.split(",")]
    pieces = [piece for piece in pieces if piece]
    found: list[str] = []
    start = 0
    while start < len(pieces):
        for end in range(len(pieces), start, -1):
            joined = ", ".join(pieces[start:end]).casefold()
            if joined in by_name:
                found.append(by_name[joined])
                start = end
                break
        else:
            found.append(pieces[start])
            start += 1
    return found


def parse(question: Question, text: str, vocabulary: Vocabulary) -> tuple[Any, list[AnswerProblem]]:
    """The value an answer gives its field (None or [] when blank), or what is wrong."""
    if is_blank(text):
        return ([] if question.multiple else None), []
    text = text.strip()
    kind = question.kind
    if kind == "terms":
        return term_ids(vocabulary, question.vocabulary, text), []
    if kind == "term":
        found = term_ids(vocabulary, question.vocabulary, text)
        return (found[0] if len(found) == 1 else text), []
    if kind == "countries":
        return [_code(item, str.upper) for item in items(question, text)], []
    if kind == "languages":
        return [_code(item, str.lower) for item in items(question, text)], []
    if kind == "lines":
        return items(question, text), []
    if kind == "sources":
        return _sources(question, text)
    if kind == "year":
        return (int(text) if text.isdigit() else text), []
    if kind == "yes-no":
        return _yes_no(question, text)
    return text, []


def _code(item: str, case: Callable[[str], str]) -> str:
    """Two-letter codes in the case ISO uses; anything else is left for the check to name."""
    return case(item) if len(item) == 2 and item.isalpha() else item


def _yes_no(question: Question, text: str) -> tuple[bool | None, list[AnswerProblem]]:
    word = re.split(r"[\s,.:;(]", text.casefold(), maxsplit=1)[0]
    if word in YES:
        return True, []
    if word in NO:
        return False, []
    return None, [AnswerProblem(question, f"'{text}' is not yes or no", "answer yes or no")]


def _sources(question: Question, text: str) -> tuple[list[dict[str, str]], list[AnswerProblem]]:
    sources: list[dict[str, str]] = []
    problems: list[AnswerProblem] = []
    for line in items(question, text):
        found = _URL.search(line)
        title = _URL.sub("", line).strip(_SOURCE_SEPARATORS) if found else line
        if found is None or not title:
            missing = "web address" if found is None else "title"
            problems.append(AnswerProblem(question, f"'{line}' has no {missing}", SOURCE_LINE_HINT))
        else:
            sources.append({"title": title, "url": found.group(0)})
    return sources, problems


# --- Value -> problems, as the validator words them --------------------------------------


def model_problems(
    question: Question, loc: Loc, value: Any, vocabulary: Vocabulary
) -> Iterator[AnswerProblem]:
    """Problems of `value` as the field at `loc` of a practice, with the validator's hints.

    A mapping (a source) is checked as the model at `loc`; any other value as the one
    field `loc[-1]` of the model that holds it.
    """
    whole = isinstance(value, dict)
    model = model_at(loc if whole else loc[:-1])
    if model is None:
        return
    payload = value if whole else {loc[-1]: value}
    prefix = loc if whole else loc[:-1]
    try:
        model.model_validate(payload, context={"vocabulary": vocabulary})
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            if not whole and (error["type"] == "missing" or error["loc"][:1] != loc[-1:]):
                continue
            located: dict[str, Any] = {**error, "loc": (*prefix, *error["loc"])}
            yield _answer_problem(question, loc, located, vocabulary)


def _answer_problem(
    question: Question, loc: Loc, error: dict[str, Any], vocabulary: Vocabulary
) -> AnswerProblem:
    hint = hint_for(error, vocabulary)
    if not hint and (question.kind == "url" or "url" in str(error["loc"][-1])):
        hint = URL_HINT
    message = MESSAGES.get(error["type"], error["msg"])
    inner = error["loc"][len(loc) :]
    if any(isinstance(part, str) for part in inner):
        message = f"{field_path(inner)}: {message}"
    return AnswerProblem(question, message, hint or f"answer: {question.help}")


def check(
    question: Question, text: str, vocabulary: Vocabulary, answers: Mapping[str, Any]
) -> tuple[Any, list[AnswerProblem]]:
    """The value of one answer and its problems; `answers` are the values given before it."""
    value, problems = parse(question, text, vocabulary)
    if value in (None, []):
        if question.required and not problems:
            problems.append(AnswerProblem(question, "is required", f"answer: {question.help}"))
        return value, problems
    if question.kind == "sources":
        for index, source in enumerate(value, start=1):
            problems.extend(model_problems(question, ("sources", index), source, vocabulary))
    elif question.kind != "section":
        problems.extend(model_problems(question, question.loc, value, vocabulary))
    if question.key == "standards" and not problems:
        problems.extend(_standards_outside(question, value, answers, vocabulary))
    return value, problems


def _standards_outside(
    question: Question, standards: list[str], answers: Mapping[str, Any], vocabulary: Vocabulary
) -> Iterator[AnswerProblem]:
    """The cross-field rule of `wayout.record.rules`: standards belong to the categories chosen."""
    fields: dict[str, Any] = {
        "standards": standards,
        "categories": list(answers.get("categories") or []),
    }
    for breach in standards_in_categories(Practice.model_construct(**fields), vocabulary):
        yield AnswerProblem(question, breach.message, breach.hint)


def check_all(
    texts: Mapping[str, str], vocabulary: Vocabulary
) -> tuple[dict[str, Any], list[AnswerProblem]]:
    """Every answer checked in the order of `QUESTIONS`; unanswered questions are blank."""
    answers: dict[str, Any] = {}
    problems: list[AnswerProblem] = []
    for question in QUESTIONS:
        value, found = check(question, texts.get(question.key, ""), vocabulary, answers)
        answers[question.key] = value
        problems.extend(found)
    return answers, problems


def question_for_field(field: str) -> Question | None:
    """The question whose answer fills a front-matter field such as `sources[2].url`."""
    best: Question | None = None
    for question in QUESTIONS:
        path = question.field
        covers = field == path or field.startswith((f"{path}.", f"{path}["))
        if covers and question.kind != "section" and (best is None or len(path) > len(best.field)):
            best = question
    return best
