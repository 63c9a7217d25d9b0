"""The interview of `wayout new`: ask for the essentials in a terminal, one by one.

Before each question the allowed ids are shown; each answer is checked at once, with the
messages and hints of `wayout validate`, and asked again until it passes. Answers given
as options are checked the same way and only asked again when they fail.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from wayout.contribute.questions import COMMA_KINDS, QUESTIONS, AnswerProblem, Question, check
from wayout.record.vocabulary import Vocabulary, country_name

Read = Callable[[str], str]
Write = Callable[[str], None]


def choices(question: Question, vocabulary: Vocabulary, answers: Mapping[str, Any]) -> list[str]:
    """Lines that list what a question accepts, shown before it is asked."""
    if question.kind in ("term", "terms"):
        ids = vocabulary.ids(question.vocabulary)
        if question.key == "standards":
            chosen = set(answers.get("categories") or [])
            ids = [i for i in ids if vocabulary.category_of_standard.get(i) in chosen]
        width = max((len(term_id) for term_id in ids), default=0)
        return [f"  {i:<{width}}  {vocabulary.label(question.vocabulary, i)}" for i in ids]
    if question.kind == "countries":
        examples = ", ".join(f"{c} ({country_name(c)})" for c in vocabulary.partner_countries)
        return [f"  ISO 3166-1 alpha-2 codes, for example {examples}; the UK is GB"]
    if question.kind == "languages":
        return ["  ISO 639-1 codes, for example de, en, fr, nl, pt"]
    return []


def prompt(question: Question) -> str:
    """The prompt of a question, saying whether it may be skipped or take several answers."""
    optional = "" if question.required else " (optional: press Enter to skip)"
    several = " (separate several with commas)" if question.kind in COMMA_KINDS else ""
    return f"{question.label}{several}{optional}: "


def ask(
    question: Question,
    vocabulary: Vocabulary,
    answers: Mapping[str, Any],
    io: tuple[Read, Write],
    given: str | None = None,
) -> Any:
    """The checked value of one answer: `given` if it passes, else asked until one does."""
    read, write = io
    if given is not None:
        value, problems = check(question, given, vocabulary, answers)
        if not problems:
            return value
        _explain(problems_text(problems), write)
    write("")
    write(question.help)
    for line in choices(question, vocabulary, answers):
        write(line)
    while True:
        value, problems = check(question, read(prompt(question)), vocabulary, answers)
        if not problems:
            return value
        _explain(problems_text(problems), write)


def problems_text(problems: list[AnswerProblem]) -> list[str]:
    """One line per problem of an answer: its message and, in brackets, its hint."""
    return [f"{p.message} ({p.hint})" if p.hint else p.message for p in problems]


def _explain(lines: list[str], write: Write) -> None:
    for line in lines:
        write(f"  error: {line}")


def interview(
    given: Mapping[str, str], vocabulary: Vocabulary, io: tuple[Read, Write]
) -> dict[str, Any]:
    """Every answer: options given are checked, the essentials still missing are asked, and
    the other questions stay unanswered."""
    answers: dict[str, Any] = {}
    for question in QUESTIONS:
        text = given.get(question.key)
        if text is None and not question.asked:
            answers[question.key], _ = check(question, "", vocabulary, answers)
        else:
            answers[question.key] = ask(question, vocabulary, answers, io, text)
    return answers
