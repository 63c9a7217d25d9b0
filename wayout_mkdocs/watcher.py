"""`mkdocs serve` notices a saved file at once: the operating system's file events instead
of MkDocs' polling.

MkDocs watches with watchdog's `PollingObserver`: it lists every watched folder every
0.5 s (a thousand practice files, the code and the templates), so a save is noticed a
quarter of a second later on average, and each listing holds the interpreter while a build
runs. `use_native_watcher` moves the server's watches to watchdog's observer for the
platform (inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows), which
reports changes as they happen. It reports only changes (`CHANGES`): a native observer
also reports files opened and read, and every build reads the watched files, so each build
would start another.

Only the public parts of MkDocs' `LiveReloadServer` are used (`watch`, `unwatch` and its
`observer`). Should any of it fail, the server keeps its polling observer.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from watchdog import events
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

log = logging.getLogger("mkdocs.hooks.wayout")

# The events that mean a file changed (FileAttribEvent, e.g. `touch`, where watchdog has it).
CHANGES: list[type[events.FileSystemEvent]] = [
    events.FileCreatedEvent,
    events.FileModifiedEvent,
    events.FileDeletedEvent,
    events.FileMovedEvent,
    events.FileClosedEvent,
    events.DirCreatedEvent,
    events.DirDeletedEvent,
    events.DirMovedEvent,
]
if hasattr(events, "FileAttribEvent"):
    CHANGES.append(events.FileAttribEvent)


class ChangeObserver(Observer):  # type: ignore[misc,valid-type]
    """The platform's native observer, reporting only `CHANGES`."""

    def schedule(
        self,
        event_handler: events.FileSystemEventHandler,
        path: str | Path,
        *,
        recursive: bool = False,
        event_filter: list[type[events.FileSystemEvent]] | None = None,
        **options: Any,
    ) -> ObservedWatch:
        only = event_filter or CHANGES
        watch: ObservedWatch = super().schedule(
            event_handler, path, recursive=recursive, event_filter=only, **options
        )
        return watch


def use_native_watcher(server: Any, paths: Iterable[str | Path]) -> None:
    """Move the watches of `server` (MkDocs' LiveReloadServer, before it serves) on
    `paths` to a `ChangeObserver`; paths not watched are left alone, and so is the server
    if there is no native observer here. Watches added later go to the new observer."""
    try:
        observer = ChangeObserver()
    except Exception as error:
        log.info("file changes are polled (no native watcher: %s)", error)
        return
    watched: list[str] = []
    for path in dict.fromkeys(os.path.abspath(p) for p in paths):
        with contextlib.suppress(KeyError):  # not watched
            while True:  # as many times as it was watched
                server.unwatch(path)
                watched.append(path)
    server.observer = observer
    for path in watched:
        server.watch(path)
