"""Work done on a second core: in a forked child, while this process goes on.

Parsing and validating practice files, and most of what a build does, is pure Python, so
one process uses one core. `Forked` starts a computation in a forked child the moment it
is made and hands its result over, pickled through a pipe, when `result()` is asked for:
the site's build writes the open-data files while it prepares the pages. `SharedWork` maps
a function over a list of items on both processes, which take the items as they go: the
site's build starts loading the catalogue while MkDocs still reads its theme. The child
inherits everything (modules, the vocabulary), so nothing but results is pickled.

Children are forked only where that is safe: on Linux, in a process without other
threads. Should forking be unsafe, or the child fail in any way, this process does the
work itself when asked for the result: the result is always the one the same code gives
on one process.
"""

from __future__ import annotations

import contextlib
import gc
import mmap
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
    as they go: a forked child starts at once, taking items one at a time from the end;
    `results()` takes them here from the start until the two meet. Neither waits for
    the other whatever their speeds or head start (the site's build starts the child while
    MkDocs reads its theme). Fewer than MIN_ITEMS items, or `fork` false, are all done here.

    Each process writes only its own counter in a shared page (this process the next item
    from the start, the child the last one it took from the end) and reads the other's.
    A value read may be out of date, but only ever by making both do the item where they
    meet, never by leaving one out. The child sends each result as soon as it has it, and
    this process takes them in between its own items, so that little is left to unpickle
    when the two meet. Any result the child did not send (it failed) is computed here."""

    def __init__(
        self, function: Callable[[T], R], items: Sequence[T], *, fork: bool = True
    ) -> None:
        self.function = function
        self.items = items
        self.child: Child | None = None
        # [0]: the next item to take here; [1]: the last item the child took.
        self.counters = memoryview(mmap.mmap(-1, 16)).cast("q")
        self.counters[0], self.counters[1] = 0, len(items)
        if fork and len(items) >= MIN_ITEMS and can_fork():
            self.child = Child(self._take_from_the_end)

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

    def results(self) -> list[R]:
        """The results of every item, in order (call once)."""
        child, self.child = self.child, None
        counters, function, items = self.counters, self.function, self.items
        if child is None:
            return [function(item) for item in items]
        found: list[R] = []
        sent: dict[int, R] = {}
        buffer = bytearray()
        os.set_blocking(child.read_end, False)
        while (index := counters[0]) < counters[1]:
            counters[0] = index + 1  # taken
            found.append(function(items[index]))
            with contextlib.suppress(BlockingIOError):
                buffer += os.read(child.read_end, 1 << 20)
                _take_results(buffer, sent)
        os.set_blocking(child.read_end, True)
        while chunk := os.read(child.read_end, 1 << 20):
            buffer += chunk
            _take_results(buffer, sent)
        child.finished()  # if it failed, what it did not send is computed below
        for index in range(len(found), len(items)):
            found.append(sent[index] if index in sent else function(items[index]))
        return found

    def cancel(self) -> None:
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
