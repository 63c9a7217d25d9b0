"""The hostile-input corpus (tests/fixtures/hostile/) and what must happen to each case.

`rejected/` holds practice files that `wayout validate` and the site build must refuse,
each with exactly one error at a known place; `REJECTED` says where and with what message.
`harmless/` holds valid practice files full of hostile-looking text that the site must show
as text and never run. Cases that are bytes or file-system tricks, which a repository
cannot hold well (non-UTF-8, NUL and control bytes, a 10 MB file, odd file names, links
out of the folder, slugs differing in case, a BOM with CRLF line ends), are written into
a temporary folder by `write_generated_rejections` and `write_harmless`.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import FIXTURES

HOSTILE = FIXTURES / "hostile"
REJECTED_DIR = HOSTILE / "rejected"
HARMLESS_DIR = HOSTILE / "harmless"

NOT_PLAIN = "must be plain text, without HTML tags or character entities"
NOT_WEB = "is not a web address: only addresses starting with http:// or https:// are allowed"
NOT_EMAIL = "is not an e-mail address such as info@example.org"
ALIASES = "YAML anchors and aliases (&name, *name) are not allowed"
BAD_SLUG = "is not a valid slug: use lowercase ASCII letters, digits and hyphens"


@dataclass(frozen=True)
class Rejection:
    """Where `wayout validate` reports a case's one error, and a part of its message."""

    line: int
    column: int
    field: str
    message: str


REJECTED: dict[str, Rejection] = {
    # Markup in plain-text fields, also as entities and YAML escapes.
    "title-script-tag.md": Rejection(2, 8, "title", NOT_PLAIN),
    "title-html-entities.md": Rejection(2, 8, "title", NOT_PLAIN),
    "title-unicode-escapes.md": Rejection(2, 8, "title", NOT_PLAIN),
    "title-en-numeric-entities.md": Rejection(3, 11, "title_en", NOT_PLAIN),
    "summary-event-handler.md": Rejection(3, 10, "summary", NOT_PLAIN),
    "organisation-name-svg.md": Rejection(9, 11, "organisations[0].name", NOT_PLAIN),
    "organisation-name-en-iframe.md": Rejection(10, 14, "organisations[0].name_en", NOT_PLAIN),
    "source-title-form.md": Rejection(12, 12, "sources[0].title", NOT_PLAIN),
    "source-publisher-link.md": Rejection(14, 16, "sources[0].publisher", NOT_PLAIN),
    "funder-style.md": Rejection(14, 11, "funders[0]", NOT_PLAIN),
    "evaluator-script.md": Rejection(16, 14, "evaluation.evaluator", NOT_PLAIN),
    "evaluator-escaped-entity.md": Rejection(16, 14, "evaluation.evaluator", NOT_PLAIN),
    "contact-email-markup.md": Rejection(15, 10, "contact.email", NOT_EMAIL),
    "contact-email-quote.md": Rejection(15, 10, "contact.email", NOT_EMAIL),
    # Invisible characters and line breaks written as YAML escapes.
    "title-control-character.md": Rejection(2, 8, "title", "invisible character U+001B"),
    "title-nul-escape.md": Rejection(2, 8, "title", "invisible character U+0000"),
    "title-bidi-override.md": Rejection(2, 8, "title", "invisible character U+202E"),
    "title-line-break.md": Rejection(2, 8, "title", "must be a single line of text"),
    # Addresses that are not http(s), or that hide where they lead.
    "contact-url-javascript.md": Rejection(15, 8, "contact.url", NOT_WEB),
    "source-url-data.md": Rejection(13, 10, "sources[0].url", NOT_WEB),
    "website-javascript-tab.md": Rejection(
        14, 10, "website", "'java\\tscript:alert(1)' " + NOT_WEB
    ),
    "organisation-url-vbscript.md": Rejection(11, 10, "organisations[0].url", NOT_WEB),
    "evaluation-url-file.md": Rejection(16, 8, "evaluation.url", NOT_WEB),
    "source-url-protocol-relative.md": Rejection(13, 10, "sources[0].url", NOT_WEB),
    "source-url-mailto.md": Rejection(13, 10, "sources[0].url", NOT_WEB),
    "source-url-quote.md": Rejection(13, 10, "sources[0].url", "contains '\"'"),
    "source-url-credentials.md": Rejection(13, 10, "sources[0].url", "user name or password"),
    "related-path-traversal.md": Rejection(14, 11, "related[0]", "is not a practice's slug"),
    # YAML features a practice file has no use for.
    "yaml-billion-laughs.md": Rejection(15, 7, "lol1[0]", ALIASES),
    "yaml-deep-nesting.md": Rejection(
        14, 19, "funders" + "[0]" * 9, "the front matter is nested more than 10 levels deep"
    ),
    "yaml-merge-key.md": Rejection(2, 11, "<<", ALIASES),
    "yaml-python-object.md": Rejection(
        2, 8, "title", "the YAML tag '!!python/object/apply:os.system' is not allowed"
    ),
    "yaml-duplicate-key.md": Rejection(8, 1, "title", "the key 'title' appears twice"),
}

# The body of a valid practice file, starting on line 16 of the generated files.
_VALID = (REJECTED_DIR / "title-script-tag.md").read_text(encoding="utf-8")
VALID_TEXT = _VALID.replace("title: <script>alert(1)</script>", "title: Generated case")
_AIM = "To test."


def write_generated_rejections(folder: Path, outside: Path) -> dict[str, Rejection]:
    """Write the byte-level and file-system cases into `folder` (and a practice file into
    `outside`, for a link to point at); return what `wayout validate` must say of each."""
    text = VALID_TEXT.encode("utf-8")
    cases: dict[str, Rejection] = {}

    def write(name: str, data: bytes, rejection: Rejection) -> None:
        (folder / name).write_bytes(data)
        cases[name] = rejection

    aim = _AIM.encode()
    line = VALID_TEXT[: VALID_TEXT.index(_AIM)].count("\n") + 1
    write(
        "not-utf8.md",
        text.replace(aim, b"To test caf\xe9."),
        Rejection(line, 12, "", "the file is not UTF-8 text"),
    )
    write(
        "nul-byte.md",
        text.replace(aim, b"To\x00test."),
        Rejection(line, 3, "", "the file contains a NUL character"),
    )
    write(
        "body-control-character.md",
        text.replace(aim, b"To \x1b[2Jtest."),
        Rejection(line, 4, "", "the file contains the control character U+001B"),
    )
    write(
        "ten-megabytes.md",
        text + b"A" * 10_000_000,
        Rejection(1, 1, "", "practice files may be at most 512 KB"),
    )
    nested = b"[" * 100_000 + b"]" * 100_000
    write(
        "deep-nesting.md",
        text.replace(b"last_reviewed:", b"x: " + nested + b"\nlast_reviewed:"),
        Rejection(14, 13, "", "the front matter is nested more than 10 levels deep"),
    )
    for name in ("My Practice.md", "a..b.md", "café.md", "Same-Slug.md", "line\nbreak.md"):
        write(name, text, Rejection(1, 1, "file name", BAD_SLUG))
    write(
        "same-slug.md",
        text,
        Rejection(1, 1, "file name", "the slug 'same-slug' clashes with"),
    )
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.md").write_bytes(text)
    (folder / "outside-link.md").symlink_to(outside / "secret.md")
    cases["outside-link.md"] = Rejection(
        1, 1, "file name", "the file is a link to a place outside the practices folder"
    )
    return cases


def write_harmless(folder: Path) -> list[str]:
    """Copy the harmless cases into `folder`, add one saved with a BOM and CRLF line ends,
    and return the slugs of all of them."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in HARMLESS_DIR.glob("*.md"):
        shutil.copy(path, folder)
    crlf = VALID_TEXT.replace("Generated case", "Saved with a BOM and CRLF line ends")
    (folder / "bom-and-crlf.md").write_bytes(b"\xef\xbb\xbf" + crlf.replace("\n", "\r\n").encode())
    return sorted(path.stem for path in folder.glob("*.md"))
