"""The `wayout` command: validate practice files, export open data, write the JSON Schema,
start new practices (from answers or from an issue), and report on the catalogue.

Exit codes: 0 clean (warnings allowed), 1 problems found, 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from wayout.catalogue.catalogue import DEFAULT_PRACTICES_DIR, load_catalogue
from wayout.catalogue.changes import changes_markdown, parse_name_status
from wayout.catalogue.review import overdue, review_markdown, review_text
from wayout.catalogue.stats import stats, stats_markdown, stats_text
from wayout.contribute.interview import interview
from wayout.contribute.issue_form import FORM_PATH, issue_answers, render_form
from wayout.contribute.new_practice import Draft, draft, write
from wayout.contribute.questions import (
    QUESTIONS,
    AnswerProblem,
    Question,
    check_all,
    question_for_field,
)
from wayout.record.problems import Problem, display_path, format_problems
from wayout.record.rules import REVIEW_AFTER_MONTHS
from wayout.record.schema import SCHEMA_PATH, render_schema
from wayout.record.vocabulary import VocabularyError, default_vocabulary
from wayout.site.exports import open_data_files

FORMATS = ("human", "github", "json")
SITE_URL = "https://wayout-practices.github.io/wayout-practices/"


def default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "human"


def use_colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def cmd_validate(args: argparse.Namespace) -> int:
    catalogue = load_catalogue(args.paths or [DEFAULT_PRACTICES_DIR], default_vocabulary())
    fmt = args.format or default_format()
    print(format_problems(catalogue.problems, catalogue.files, fmt, colour=use_colour()))
    return 1 if catalogue.errors else 0


def write_or_check(path: Path, text: str, command: str, *, check: bool) -> int:
    """Write a generated file, or with --check only say whether it is up to date."""
    shown = display_path(path)
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if check:
        if current != text:
            print(f"{shown} is out of date: run `wayout {command}`", file=sys.stderr)
            return 1
        print(f"{shown} is up to date")
        return 0
    if current != text:
        path.write_text(text, encoding="utf-8")
    print(f"{'wrote' if current != text else 'unchanged:'} {shown}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    text = render_schema(default_vocabulary())
    return write_or_check(SCHEMA_PATH, text, "schema", check=args.check)


def cmd_export(args: argparse.Namespace) -> int:
    catalogue = load_catalogue(args.paths or [DEFAULT_PRACTICES_DIR], default_vocabulary())
    if catalogue.errors:
        print(format_problems(catalogue.errors, catalogue.files, "human"), file=sys.stderr)
        return 1
    files = open_data_files(catalogue.published, args.site_url, catalogue.vocabulary)
    text = files[EXPORT_FILES[args.format]]
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {len(catalogue.published)} practices to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


# --- new and from-issue -----------------------------------------------------------------

# Where an answer was given: (path, line, field) for the question, or for the file name.
Place = Callable[[Question | None], tuple[str, int, str]]


def answer_problems(found: Iterable[AnswerProblem], place: Place) -> list[Problem]:
    """Problems of answers, located where each answer was given."""
    problems = []
    for item in found:
        path, line, field = place(item.question)
        problems.append(Problem(path, line, 1, field, item.message, item.hint))
    return problems


def draft_problems(new: Draft, place: Place) -> list[Problem]:
    """Problems of the file the answers give, located at the answer behind each field."""
    problems = []
    for problem in new.problems:
        question = None if problem.field == "file name" else question_for_field(problem.field)
        path, line, field = place(question)
        message = problem.message
        if question is not None and problem.field != question.field:
            message = f"{problem.field}: {message}"
        problems.append(Problem(path, line, 1, field, message, problem.hint))
    return problems


def create(answers: Mapping[str, Any], args: argparse.Namespace, place: Place) -> Draft | None:
    """Write the practice the answers give; print its problems and return None if it has any."""
    new = draft(answers, default_vocabulary(), folder=args.dir, slug=args.slug)
    problems = draft_problems(new, place)
    if not problems:
        try:
            write(new)
        except FileExistsError:
            path, line, field = place(None)
            problems.append(
                Problem(path, line, 1, field, f"{display_path(new.path)} already exists",
                        "choose another slug, or update the existing practice instead")
            )  # fmt: skip
        except OSError as exc:
            problems.append(Problem(display_path(new.path), 1, 1, "", f"cannot write: {exc}"))
    if problems:
        print(format_problems(sorted(problems), 1, "human"), file=sys.stderr)
        return None
    return new


def option_texts(args: argparse.Namespace) -> dict[str, str]:
    """The answers given as options, as text (repeated options one per line)."""
    texts = {}
    for question in QUESTIONS:
        value = getattr(args, question.key, None)
        if value is not None:
            texts[question.key] = "\n".join(value) if isinstance(value, list) else str(value)
    return texts


def option_place(args: argparse.Namespace) -> Place:
    def place(question: Question | None) -> tuple[str, int, str]:
        if question is None:
            return "command line", 1, "--slug" if args.slug else "--title"
        return "command line", 1, question.option

    return place


def cmd_new(args: argparse.Namespace) -> int:
    vocabulary = default_vocabulary()
    given = option_texts(args)
    place = option_place(args)
    if not args.non_interactive and sys.stdin.isatty():
        try:
            answers = interview(given, vocabulary, (input, print))
        except (EOFError, KeyboardInterrupt):
            print("\ncancelled: nothing written", file=sys.stderr)
            return 1
    else:
        missing = [q.option for q in QUESTIONS if q.required and not given.get(q.key, "").strip()]
        if missing:
            print(
                f"wayout new: error: missing required options: {' '.join(missing)} "
                "(or run `wayout new` in a terminal to be asked for them)",
                file=sys.stderr,
            )
            return 2
        answers, found = check_all(given, vocabulary)
        if found:
            print(format_problems(answer_problems(found, place), 1, "human"), file=sys.stderr)
            return 1
    new = create(answers, args, place)
    if new is None:
        return 1
    shown = display_path(new.path)
    print(f"wrote {shown}")
    print(f"Next: replace each 'TODO:' line with your text, then run `wayout validate {shown}`.")
    return 0


def read_input(name: str) -> str:
    """The text of a file, or of standard input for `-`."""
    return sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")


def cmd_from_issue(args: argparse.Namespace) -> int:
    try:
        body = read_input(args.issue)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"wayout from-issue: error: cannot read {args.issue}: {exc}", file=sys.stderr)
        return 2
    given = issue_answers(body)
    source = "issue" if args.issue == "-" else display_path(Path(args.issue))

    def place(question: Question | None) -> tuple[str, int, str]:
        question = question or QUESTIONS[0]
        answer = given.get(question.key)
        return source, answer.line if answer else 1, question.label

    answers, found = check_all({k: a.text for k, a in given.items()}, default_vocabulary())
    if found:
        print(format_problems(answer_problems(found, place), 1, "human"), file=sys.stderr)
        return 1
    new = create(answers, args, place)
    if new is None:
        return 1
    print(display_path(new.path))
    return 0


# --- issue-form, review, stats, changes ------------------------------------------------


def cmd_issue_form(args: argparse.Namespace) -> int:
    text = render_form(default_vocabulary())
    return write_or_check(FORM_PATH, text, "issue-form", check=args.check)


def cmd_review(args: argparse.Namespace) -> int:
    catalogue = load_catalogue(args.paths or [DEFAULT_PRACTICES_DIR], default_vocabulary())
    items = overdue(catalogue.entries.values(), date.today(), args.months)
    render = review_markdown if args.format == "markdown" else review_text
    print(render(items, args.months))
    if catalogue.errors:
        print(
            f"note: files with errors are not listed; run `wayout validate` "
            f"({len(catalogue.errors)} error(s))",
            file=sys.stderr,
        )
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    catalogue = load_catalogue(args.paths or [DEFAULT_PRACTICES_DIR], default_vocabulary())
    numbers = stats(catalogue)
    print(stats_markdown(numbers) if args.format == "markdown" else stats_text(numbers))
    return 0


def cmd_changes(args: argparse.Namespace) -> int:
    try:
        text = read_input(args.name_status)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"wayout changes: error: cannot read {args.name_status}: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(changes_markdown(parse_name_status(text, args.dir.as_posix())))
    return 0


EXPORT_FILES = {"json": "api/practices.json", "csv": "api/practices.csv", "atom": "feed.xml"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wayout", description="Tools for the WayOut Practice Repository."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check practice files and report every problem")
    validate.add_argument(
        "paths", nargs="*", type=Path, help="files or folders (default: practices/)"
    )
    validate.add_argument(
        "--format",
        choices=FORMATS,
        help="output format (default: github when GITHUB_ACTIONS=true, else human)",
    )
    validate.set_defaults(run=cmd_validate)

    export = commands.add_parser("export", help="write the open-data files of the site")
    export.add_argument(
        "paths", nargs="*", type=Path, help="files or folders (default: practices/)"
    )
    export.add_argument("--format", choices=sorted(EXPORT_FILES), default="json")
    export.add_argument(
        "--output", "-o", type=Path, help="file to write (default: standard output)"
    )
    export.add_argument(
        "--site-url", default=SITE_URL, help=f"canonical address of the site (default: {SITE_URL})"
    )
    export.set_defaults(run=cmd_export)

    schema = commands.add_parser("schema", help="write schema/practice.schema.json")
    schema.add_argument("--check", action="store_true", help="only check that it is up to date")
    schema.set_defaults(run=cmd_schema)
    add_new_parser(commands)
    add_from_issue_parser(commands)
    add_report_parsers(commands)
    return parser


Commands = Any  # argparse's private _SubParsersAction


def add_target_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dir", type=Path, default=DEFAULT_PRACTICES_DIR,
        help=f"folder to write the practice to (default: {DEFAULT_PRACTICES_DIR})",
    )  # fmt: skip
    parser.add_argument("--slug", help="file name without .md (default: made from the title)")


def add_new_parser(commands: Commands) -> None:
    new = commands.add_parser(
        "new",
        help="start a new practice file from answers, asked in a terminal or given as options",
        description="Write practices/<slug>.md from the answers; ask for the essentials "
        "missing when run in a terminal. Repeat list options (--country DE --country NL).",
    )
    for question in QUESTIONS:
        several = question.multiple
        new.add_argument(
            question.option,
            dest=question.key,
            action="append" if several else "store",
            metavar="TEXT",
            help=question.help + (" Repeatable." if several else ""),
        )
    add_target_options(new)
    new.add_argument(
        "--non-interactive", action="store_true",
        help="never ask: fail (exit 2) naming the required options missing",
    )  # fmt: skip
    new.set_defaults(run=cmd_new)


def add_from_issue_parser(commands: Commands) -> None:
    from_issue = commands.add_parser(
        "from-issue",
        help="turn a submitted 'New practice' issue into a practice file",
        description="Read the Markdown body of an issue made with the 'New practice' form "
        "and write the practice `wayout new` would write from the same answers; print its "
        "path. Missing or invalid answers are reported and nothing is written (exit 1).",
    )
    from_issue.add_argument("issue", help="file with the issue body, or - for standard input")
    add_target_options(from_issue)
    from_issue.set_defaults(run=cmd_from_issue)


def add_report_parsers(commands: Commands) -> None:
    issue_form = commands.add_parser("issue-form", help=f"write {display_path(FORM_PATH)}")
    issue_form.add_argument("--check", action="store_true", help="only check that it is up to date")
    issue_form.set_defaults(run=cmd_issue_form)

    review = commands.add_parser("review", help="list the practices due for review, oldest first")
    review.add_argument("paths", nargs="*", type=Path, help=PATHS_HELP)
    review.add_argument(
        "--months", type=int, default=REVIEW_AFTER_MONTHS,
        help=f"due when last reviewed more than this many months ago "
        f"(default: {REVIEW_AFTER_MONTHS})",
    )  # fmt: skip
    review.add_argument("--format", choices=REPORT_FORMATS, default="text")
    review.set_defaults(run=cmd_review)

    numbers = commands.add_parser("stats", help="count the published practices by every facet")
    numbers.add_argument("paths", nargs="*", type=Path, help=PATHS_HELP)
    numbers.add_argument("--format", choices=REPORT_FORMATS, default="text")
    numbers.set_defaults(run=cmd_stats)

    changes = commands.add_parser(
        "changes",
        help="describe in Markdown the practices a change adds, updates or removes",
        description="Read the output of `git diff --name-status` and print a Markdown list "
        "of the practices added, updated, renamed or removed, for a job summary.",
    )
    changes.add_argument("name_status", metavar="FILE", help="git diff --name-status output, or -")
    changes.add_argument(
        "--dir", type=Path, default=DEFAULT_PRACTICES_DIR,
        help=f"the practices folder, relative to the repository (default: {DEFAULT_PRACTICES_DIR})",
    )  # fmt: skip
    changes.set_defaults(run=cmd_changes)


REPORT_FORMATS = ("text", "markdown")
PATHS_HELP = "files or folders (default: practices/)"


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except VocabularyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 1
