"""The catalogue: every practice file of a folder loaded, checked across files, and indexed.

One bad file never hides another's problems nor loses a valid practice: each file is
loaded on its own, then the set is checked for what no single file can show (slugs that
clash, `related` slugs that name no practice, files that are links out of the folder).
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from wayout.forked import SharedWork
from wayout.record.loader import Entry, load_file
from wayout.record.problems import Problem, Severity, display_path
from wayout.record.vocabulary import Vocabulary, default_vocabulary, language_name

PRACTICE_SUFFIX = ".md"
DEFAULT_PRACTICES_DIR = Path("practices")


@dataclass
class Catalogue:
    """The valid entries by slug, every problem found, and the number of files read."""

    entries: dict[str, Entry]
    problems: list[Problem]
    files: int
    vocabulary: Vocabulary = field(repr=False)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @cached_property
    def published(self) -> list[Entry]:
        """Entries on the public site (not drafts), sorted by title."""
        return sorted(
            (e for e in self.entries.values() if not e.practice.draft),
            key=lambda e: (e.practice.title.casefold(), e.slug),
        )

    @cached_property
    def published_slugs(self) -> frozenset[str]:
        return frozenset(e.slug for e in self.published)


def practice_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """The practice files named by `paths` (files, or folders read one level deep)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            root = path.resolve()
            for child in sorted(path.iterdir()):
                if child.name.startswith("."):
                    continue
                if child.is_symlink() and not _inside(child, root):
                    problems.append(
                        Problem(
                            display_path(child),
                            1,
                            1,
                            "file name",
                            "the file is a link to a place outside the practices folder",
                            "replace the link with the practice file itself",
                        )
                    )
                elif child.suffix == PRACTICE_SUFFIX and child.is_file():
                    files.append(child)
                else:
                    problems.append(
                        Problem(
                            display_path(child),
                            1,
                            1,
                            "file name",
                            "only practice files ending in .md belong in this folder",
                            f"rename it to end in {PRACTICE_SUFFIX}, or move it elsewhere",
                            Severity.WARNING,
                        )
                    )
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(str(path), 1, 1, "", "no such file or folder"))
    return files, problems


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def clashing_slugs(files: list[Path]) -> Iterator[Problem]:
    """Slugs must be unique, also when letters differ only in case."""
    seen: dict[str, Path] = {}
    for path in files:
        key = path.stem.casefold()
        if key in seen and seen[key] != path:
            yield Problem(
                display_path(path),
                1,
                1,
                "file name",
                f"the slug '{path.stem}' clashes with '{display_path(seen[key])}'",
                "give one of the practices a different file name",
            )
        seen.setdefault(key, path)


def unknown_related(entries: dict[str, Entry], slugs: set[str]) -> Iterator[Problem]:
    """Each `related` slug must name another practice file."""
    for entry in entries.values():
        for index, slug in enumerate(entry.practice.related):
            if slug == entry.slug or slug not in slugs:
                reason = "is the practice itself" if slug == entry.slug else "names no practice"
                yield Problem(
                    display_path(entry.path),
                    entry.line_of("related", index),
                    1,
                    f"related[{index}]",
                    f"'{slug}' {reason}",
                    "use the file name (without .md) of another practice in practices/",
                )


@dataclass
class LoadCache:
    """What each file held and gave when last loaded, so that a process that loads the
    catalogue again (`mkdocs serve`) reads every file but parses only those that changed.
    An unchanged file gives the very same `Entry` object as before."""

    results: dict[Path, tuple[object, tuple[Entry | None, list[Problem]]]] = field(
        default_factory=dict
    )
    digests: dict[Path, str] = field(default_factory=dict)

    def load(
        self, path: Path, vocabulary: Vocabulary, today: date
    ) -> tuple[Entry | None, list[Problem]]:
        try:
            content = path.read_bytes()
        except OSError:
            return load_file(path, vocabulary, today)
        key = (content, today, vocabulary)
        known = self.results.get(path)
        if known is not None and known[0] == key:
            return known[1][0], list(known[1][1])
        entry, problems = load_file(path, vocabulary, today, content)
        self.results[path] = (key, (entry, list(problems)))
        self.digests[path] = hashlib.blake2b(content, digest_size=16).hexdigest()
        return entry, problems

    def digest(self, entry: Entry) -> str | None:
        """A fingerprint of the file `entry` was loaded from (None if not loaded here)."""
        known = self.results.get(entry.path)
        if known is None or known[1][0] is not entry:
            return None
        return self.digests.get(entry.path)

    def forget_others(self, paths: Iterable[Path]) -> None:
        """Drop the files not in `paths` (deleted since)."""
        keep = set(paths)
        for path in [p for p in self.results if p not in keep]:
            del self.results[path]
            self.digests.pop(path, None)


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Loading makes many long-lived objects and hardly any reference cycles: without the
    cyclic garbage collector scanning them again and again, loading 10,000 files takes a
    fifth less time. It runs again (and collects any cycle) when loading is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Loading:
    """A catalogue being loaded (`start_loading`): the files are listed, and for a large
    catalogue a forked child is already loading them from the last (`wayout.forked`);
    `catalogue()` loads them here from the first until the two meet, and checks the set.
    With a `cache` (`LoadCache`), everything is loaded here, and unchanged files are not
    parsed again."""

    def __init__(
        self,
        paths: Iterable[Path],
        vocabulary: Vocabulary,
        today: date | None,
        cache: LoadCache | None = None,
    ) -> None:
        self.vocabulary = vocabulary
        # Read before forking what loading reads on first use, so that the child inherits
        # it instead of reading it again: pycountry's table of languages takes 0.05 s.
        language_name("en")
        self.files, self.problems = practice_files(paths)
        self.problems.extend(clashing_slugs(self.files))
        if cache is None:
            self.work = SharedWork(lambda path: load_file(path, vocabulary, today), self.files)
        else:  # the cache lives in this process: no child
            cache.forget_others(self.files)
            day = today or date.today()
            self.work = SharedWork(
                lambda path: cache.load(path, vocabulary, day), self.files, fork=False
            )

    def catalogue(self) -> Catalogue:
        """The loaded catalogue (call once)."""
        with cyclic_gc_paused():
            results = self.work.results()
        return assemble(self.files, self.problems, results, self.vocabulary)

    def cancel(self) -> None:
        """Stop loading: the catalogue is not wanted any more."""
        self.work.cancel()


def start_loading(
    paths: Iterable[Path] = (DEFAULT_PRACTICES_DIR,),
    vocabulary: Vocabulary | None = None,
    today: date | None = None,
    cache: LoadCache | None = None,
) -> Loading:
    """Start loading every practice file under `paths`. A caller with other work to do
    before it needs the catalogue (the site's build: MkDocs reads its theme) gives the
    forked child a head start, and loading takes it into account."""
    return Loading(paths, vocabulary or default_vocabulary(), today, cache)


def load_catalogue(
    paths: Iterable[Path] = (DEFAULT_PRACTICES_DIR,),
    vocabulary: Vocabulary | None = None,
    today: date | None = None,
    cache: LoadCache | None = None,
) -> Catalogue:
    """Load every practice file under `paths` and check the set; problems come sorted.
    With a `cache`, files unchanged since its last use are not parsed again; without one,
    a large catalogue is loaded on two processes (`wayout.forked`)."""
    return start_loading(paths, vocabulary, today, cache).catalogue()


def assemble(
    files: list[Path],
    problems: list[Problem],
    results: list[tuple[Entry | None, list[Problem]]],
    vocabulary: Vocabulary,
) -> Catalogue:
    """The catalogue of the files' load results: the valid entries, and every problem of
    a file or of the set (`related` slugs that name no practice), sorted."""
    problems = list(problems)
    entries: dict[str, Entry] = {}
    for entry, found in results:
        problems.extend(found)
        if entry is not None and entry.slug not in entries:
            entries[entry.slug] = entry
    related_errors = list(unknown_related(entries, {p.stem for p in files}))
    for problem in related_errors:
        entries.pop(Path(problem.path).stem, None)
    problems.extend(related_errors)
    return Catalogue(entries, sorted(set(problems)), len(files), vocabulary)
