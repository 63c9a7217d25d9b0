"""Work done on a second core: in a forked child, while this process goes on.

Parsing and validating practice files, and most of what a build does, is pure Python, so
one process uses one core. `Forked` starts a computation in a forked child the moment it
is made and hands its result over, pickled through a pipe, when `result()` is asked for:
the site's build starts loading the catalogue while MkDocs still reads its theme, and
writes the open-data files while it prepares the pages. `SplitWork` does one piece of work
on a list of items in two parts, the last part in a child; `forked_map` is the simplest
case. The child inherits everything (modules, the vocabulary), so nothing but results is
pickled.

Children are forked only where that is safe: on Linux, in a process without other
threads. Should forking be unsafe, or the child fail in any way, this process does the
work itself when asked for the result: the result is always the one the same code gives
on one process.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Fewer items are worked on in this process alone: forking and pickling would not pay.
MIN_ITEMS = 200


def can_fork() -> bool:
    """Forking is safe here: Linux, one thread (a forked child has only the thread that
    forked, so a lock held by another thread would stay locked in the child)."""
    return sys.platform == "linux" and hasattr(os, "fork") and threading.active_count() == 1


class Forked(Generic[R]):
    """`function()`, computed in a forked child from now on (when `fork` is true and
    forking is safe); `result()` waits for it, or computes it here if there is no child
    or the child failed."""

    def __init__(self, function: Callable[[], R], *, fork: bool = True) -> None:
        self.function = function
        self.pid: int | None = None
        self.read_end = -1
        if not (fork and can_fork()):
            return
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compute, send the result, and leave at once
            status = 1
            try:
                os.close(read_end)
                # Pickled whole before writing: the parent reads only when it needs it.
                data = pickle.dumps(function(), pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write_end, "wb") as out:
                    out.write(data)
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        self.pid, self.read_end = pid, read_end

    def result(self) -> R:
        """The value of `function()` (call once)."""
        received = self._receive()
        return received[0] if received is not None else self.function()

    def _receive(self) -> tuple[R] | None:
        if self.pid is None:
            return None
        pid, self.pid = self.pid, None
        with os.fdopen(self.read_end, "rb") as received:
            data = received.read()
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            return None
        try:
            return (pickle.loads(data),)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None

    def cancel(self) -> None:
        """Stop the child, if any: its result is not wanted."""
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        os.close(self.read_end)
        with contextlib.suppress(ProcessLookupError):  # it has just finished
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


class SplitWork(Generic[T, R]):
    """`work(items)`, for a `work` that gives one result per item in order, done in two
    parts: a forked child starts at once on the last `child_share` of the items (when
    there are at least MIN_ITEMS), and `results()` does the first part here, then joins
    the child's. A share above one half suits work started early: the child has a head
    start while this process is busy elsewhere."""

    def __init__(
        self,
        work: Callable[[Sequence[T]], list[R]],
        items: Sequence[T],
        child_share: float = 0.5,
    ) -> None:
        self.work = work
        self.items = items
        forking = len(items) >= MIN_ITEMS and 0 < child_share < 1
        self.split = len(items) - round(len(items) * child_share) if forking else len(items)
        rest = items[self.split :]
        self.child = Forked(lambda: work(rest), fork=forking)

    def results(self) -> list[R]:
        """The results of every item, in order (call once)."""
        first = self.work(self.items[: self.split])
        return first + self.child.result()

    def cancel(self) -> None:
        self.child.cancel()


def forked_map(function: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`[function(item) for item in items]`, the second half mapped in a forked child
    when there are at least MIN_ITEMS items and forking is safe."""
    return SplitWork(lambda part: [function(item) for item in part], items).results()
