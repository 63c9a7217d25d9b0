"""Map a function over many items on two processes: the work of loading a large catalogue.

Parsing and validating practice files is pure Python, so one process uses one core.
`forked_map` forks a child that maps the second half of the items while this process maps
the first; the child sends its results back pickled through a pipe. The child inherits
everything (modules, the vocabulary), so nothing but results is pickled. It is used only
where forking is safe: on Linux, in a process without other threads, for enough items to
repay the pickling (about a tenth of the cost of loading a file). Should the child fail in
any way, this process maps the second half itself: the result is always the same as
`[function(item) for item in items]`.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Fewer items are mapped in this process alone: forking and pickling would not pay.
MIN_ITEMS = 200


def can_fork() -> bool:
    """Forking is safe here: Linux, one thread (a forked child has only the thread that
    forked, so a lock held by another thread would stay locked in the child)."""
    return sys.platform == "linux" and hasattr(os, "fork") and threading.active_count() == 1


def forked_map(function: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`[function(item) for item in items]`, the second half computed in a forked child
    when there are at least MIN_ITEMS items and forking is safe."""
    if len(items) < MIN_ITEMS or not can_fork():
        return [function(item) for item in items]
    half = len(items) // 2
    first, second = items[:half], items[half:]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: map the second half, send it, and leave at once
        status = 1
        try:
            os.close(read_end)
            # Pickled whole before writing: the parent reads only once its half is done.
            data = pickle.dumps([function(item) for item in second], pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    results = [function(item) for item in first]
    with os.fdopen(read_end, "rb") as received:
        data = received.read()
    _, status = os.waitpid(pid, 0)
    rest: list[R] | None = None
    if os.waitstatus_to_exitcode(status) == 0:
        try:
            rest = pickle.loads(data)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            rest = None
    if rest is None or len(rest) != len(second):
        rest = [function(item) for item in second]
    return results + rest
