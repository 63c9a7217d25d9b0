"""Work done on a second core: in a forked child, while this process goes on.

Parsing and validating practice files, and most of what a build does, is pure Python, so
one process uses one core. `Forked` starts a computation in a forked child the moment it
is made and hands its result over, pickled through a pipe, when `result()` is asked for:
the site's build writes the open-data files while it prepares the pages. `SharedWork` maps
a function over a list of items on both processes, which take the items as they go: the
site's build starts loading the catalogue while MkDocs still reads its theme, and renders
pages' Markdown on both processes (`wayout_mkdocs.parallel`). The child inherits
everything (modules, the vocabulary), so nothing but results is pickled.

Children are forked only where that is safe: on Linux, in a process without other
threads, and unless WAYOUT_FORK=off. Should forking be unsafe, or the child fail in any
way, this process does the work itself when asked for the result: the result is always
the one the same code gives on one process.
"""

from __future__ import annotations

import contextlib
import gc
import mmap
import os
import pickle
import select
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
    forked, so a lock held by another thread would stay locked in the child), and not
    turned off with WAYOUT_FORK=off (everything done in one process, as a check or to
    measure the work on one core)."""
    return (
        sys.platform == "linux"
        and hasattr(os, "fork")
        and threading.active_count() == 1
        and os.environ.get("WAYOUT_FORK", "").lower() != "off"
    )


class Child:
    """A forked child that runs `run(write_end)`, writing to a pipe this process reads
    from `read_end`, and leaves at once (exit status 0 if `run` returned)."""

    def __init__(self, run: Callable[[int], object]) -> None:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                os.close(read_end)
                run(write_end)
                os.close(write_end)
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        self.pid, self.read_end = pid, read_end

    def finished(self) -> bool:
        """Wait for the child to end (its output read); whether it succeeded."""
        os.close(self.read_end)
        _, status = os.waitpid(self.pid, 0)
        return os.waitstatus_to_exitcode(status) == 0

    def stop(self) -> None:
        os.close(self.read_end)
        with contextlib.suppress(ProcessLookupError):  # it has just finished
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)


class Forked(Generic[R]):
    """`function()`, computed in a forked child from now on (when `fork` is true and
    forking is safe); `result()` waits for it, or computes it here if there is no child
    or the child failed."""

    def __init__(self, function: Callable[[], R], *, fork: bool = True) -> None:
        self.function = function
        self.child: Child | None = None
        if fork and can_fork():
            # Pickled whole before writing: the parent reads only when it needs it.
            self.child = Child(lambda out: write_all(out, pickle.dumps(function(), -1)))

    def result(self) -> R:
        """The value of `function()` (call once)."""
        child, self.child = self.child, None
        if child is not None:
            with open(child.read_end, "rb", closefd=False) as received:
                data = received.read()
            if child.finished():
                with contextlib.suppress(pickle.UnpicklingError, EOFError, AttributeError):
                    return pickle.loads(data)  # type: ignore[no-any-return]
        return self.function()

    def cancel(self) -> None:
        """Stop the child, if any: its result is not wanted."""
        child, self.child = self.child, None
        if child is not None:
            child.stop()


_SIZE = 8  # bytes of the length before each pickled result a SharedWork child sends


class SharedWork(Generic[T, R]):
    """`[function(item) for item in items]`, done by two processes that share the items
    as they go: a forked child starts at once, taking items one at a time from the end,
    while this process takes them from the start until the two meet. Neither waits for
    the other whatever their speeds or head start (the site's build starts the child while
    MkDocs reads its theme). Fewer than MIN_ITEMS items, or `fork` false, are all done
    here.

    This process goes through the items either in `results()`, or in a loop of its own,
    asking `claim(index)` before each item in order: None means the item is this
    process's to do (or the child could not do it: its result was None); anything else is
    the child's result (MkDocs renders pages one by one, and the child renders them too).

    Each process writes only its own counter in a shared page (this process the next item
    from the start, the child the last one it took from the end) and reads the other's.
    A value read may be out of date, but only ever by making both do the item where they
    meet, never by leaving one out. The child sends each result as soon as it has it, and
    this process takes them in between its own items, so that little is left to unpickle
    when the two meet. Any result the child did not send (it failed) is done here."""

    def __init__(
        self,
        function: Callable[[T], R],
        items: Sequence[T],
        *,
        fork: bool = True,
    ) -> None:
        self.function = function
        self.items = items
        self.child: Child | None = None
        # [0]: the next item to take here; [1]: the last item the child took.
        self.counters = memoryview(mmap.mmap(-1, 16)).cast("q")
        self.counters[0], self.counters[1] = 0, len(items)
        self.sent: dict[int, R] = {}  # results received from the child, by index
        self.buffer = bytearray()  # received, not yet a whole result
        if fork and len(items) >= MIN_ITEMS and can_fork():
            self.child = Child(self._take_from_the_end)
            os.set_blocking(self.child.read_end, False)

    def _take_from_the_end(self, out: int) -> None:
        """In the child: send (index, result) of each item taken, pickled, with its length.
        What the pipe cannot take yet waits here: the child never waits for this process
        to read (it reads only once it works on the items too)."""
        gc.disable()  # a short-lived process that makes results only to send them
        counters, waiting = self.counters, bytearray()
        os.set_blocking(out, False)
        while (index := counters[1] - 1) >= counters[0]:
            counters[1] = index  # taken
            data = pickle.dumps((index, self.function(self.items[index])), -1)
            waiting += len(data).to_bytes(_SIZE, "little") + data
            with contextlib.suppress(BlockingIOError):
                del waiting[: os.write(out, waiting)]
        os.set_blocking(out, True)
        write_all(out, waiting)

    def claim(self, index: int) -> R | None:
        """Before this process does item `index` (items are claimed in order): the
        child's result if the child took it (waiting for it if need be), else None."""
        counters = self.counters
        if index < counters[1]:  # not taken by the child (or there is none): this process's
            counters[0] = index + 1
            if self.child is not None:
                self._receive(wait=False)
            return None
        while index not in self.sent and self.child is not None and self._receive(wait=True):
            pass
        return self.sent.pop(index, None)

    def _receive(self, *, wait: bool) -> bool:
        """Take what the child has sent (waiting for more if `wait`); False once it has
        sent everything."""
        assert self.child is not None
        read_end = self.child.read_end
        if wait:
            select.select([read_end], [], [])
        try:
            chunk = os.read(read_end, 1 << 20)
        except BlockingIOError:
            return True
        if not chunk:
            self.finish()
            return False
        self.buffer += chunk
        _take_results(self.buffer, self.sent)
        return True

    def results(self) -> list[R]:
        """The results of every item, in order (call once)."""
        function, items = self.function, self.items
        found: list[R] = []
        for index, item in enumerate(items):
            result = self.claim(index)
            found.append(function(item) if result is None else result)
        self.finish()
        return found

    def finish(self) -> None:
        """Wait for the child to end, once this process has claimed every item it needs."""
        child, self.child = self.child, None
        if child is not None:
            child.finished()  # if it failed, what it did not send is done here

    def cancel(self) -> None:
        """Stop the child, if any: its results are not wanted."""
        child, self.child = self.child, None
        if child is not None:
            child.stop()


def write_all(out: int, data: bytes | bytearray) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(out, view) :]


def _take_results(buffer: bytearray, sent: dict[int, R]) -> None:
    """Move every complete (index, result) message from the start of `buffer` to `sent`."""
    while len(buffer) >= _SIZE:
        size = int.from_bytes(buffer[:_SIZE], "little")
        if len(buffer) < _SIZE + size:
            return
        data = bytes(buffer[_SIZE : _SIZE + size])
        del buffer[: _SIZE + size]
        with contextlib.suppress(pickle.UnpicklingError, EOFError, AttributeError):
            index, result = pickle.loads(data)
            sent[index] = result
