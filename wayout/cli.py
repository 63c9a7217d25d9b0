"""The `wayout` command: validate practice files, export open data, write the JSON Schema.

Exit codes: 0 clean (warnings allowed), 1 problems found, 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from wayout.catalogue import DEFAULT_PRACTICES_DIR, load_catalogue
from wayout.exports import open_data_files
from wayout.problems import display_path, format_problems
from wayout.schema import SCHEMA_PATH, render_schema, write_schema
from wayout.vocabulary import VocabularyError, default_vocabulary

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


def cmd_schema(args: argparse.Namespace) -> int:
    vocabulary = default_vocabulary()
    if args.check:
        current = SCHEMA_PATH.read_text(encoding="utf-8") if SCHEMA_PATH.exists() else ""
        if current != render_schema(vocabulary):
            print(f"{SCHEMA_PATH.name} is out of date: run `wayout schema`", file=sys.stderr)
            return 1
        print(f"{SCHEMA_PATH.name} is up to date")
        return 0
    changed = write_schema(vocabulary)
    print(f"{'wrote' if changed else 'unchanged:'} {display_path(SCHEMA_PATH)}")
    return 0


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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except VocabularyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 1
