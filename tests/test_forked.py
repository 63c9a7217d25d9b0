"""Loading on two processes gives exactly what loading on one gives."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from tests.conftest import FIXTURE_PRACTICES
from wayout import forked
from wayout.catalogue import load_catalogue
from wayout.forked import MIN_ITEMS, forked_map

pytestmark = pytest.mark.skipif(not forked.can_fork(), reason="forks only on Linux")


def square_and_pid(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


def test_the_second_half_is_mapped_in_another_process() -> None:
    results = forked_map(square_and_pid, range(MIN_ITEMS))
    assert [value for value, _ in results] == [n * n for n in range(MIN_ITEMS)]
    pids = [pid for _, pid in results]
    half = MIN_ITEMS // 2
    assert set(pids[:half]) == {os.getpid()}
    assert os.getpid() not in pids[half:]


def test_few_items_are_mapped_here() -> None:
    results = forked_map(square_and_pid, range(MIN_ITEMS - 1))
    assert {pid for _, pid in results} == {os.getpid()}


def test_a_failing_child_leaves_the_work_to_this_process() -> None:
    parent = os.getpid()

    def fails_in_the_child(number: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return number + 1

    assert forked_map(fails_in_the_child, range(MIN_ITEMS)) == list(range(1, MIN_ITEMS + 1))


def test_a_process_with_threads_does_not_fork() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        results = forked_map(square_and_pid, range(MIN_ITEMS))
    finally:
        stop.set()
        thread.join()
    assert {pid for _, pid in results} == {os.getpid()}


def test_a_large_catalogue_loads_the_same_on_two_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "practices"
    folder.mkdir()
    sources = sorted(FIXTURE_PRACTICES.glob("*.md"))
    for index in range(MIN_ITEMS + 10):
        source = sources[index % len(sources)]
        text = source.read_text(encoding="utf-8")
        if index % 50 == 7:  # an error now and then, in both halves
            text = text.replace("countries: [", "countries: [XX, ", 1)
        (folder / f"{source.stem}-{index:03d}.md").write_text(text, encoding="utf-8")
    shutil.copy(sources[0], folder / "zz-last.md")
    two = load_catalogue([folder])
    monkeypatch.setattr(forked, "MIN_ITEMS", 10**9)
    one = load_catalogue([folder])
    assert two.problems == one.problems and two.files == one.files
    assert list(two.entries) == list(one.entries)
    assert [e.practice for e in two.entries.values()] == [e.practice for e in one.entries.values()]
    assert sum(1 for p in one.problems if "'XX'" in p.message) == 5
