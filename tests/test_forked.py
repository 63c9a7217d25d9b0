"""Work done in a forked child gives exactly what it gives on one process.

`wayout.forked` forks only in a process without other threads, and a test process that has
run the browser tests has some (its local web server): the cases that must fork run in a
fresh Python process of their own.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from tests.conftest import FIXTURE_PRACTICES, PROJECT
from wayout import forked
from wayout.forked import MIN_ITEMS, forked_map

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="forks only on Linux")


def run_alone(code: str) -> object:
    """Run `code` in a new Python process (one thread) and return what it printed, as JSON."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def square_and_pid(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


def test_the_second_half_is_mapped_in_another_process() -> None:
    found = run_alone(
        """
        import json, os
        from wayout.forked import MIN_ITEMS, forked_map
        def square_and_pid(n):
            return n * n, os.getpid()
        print(json.dumps([os.getpid(), forked_map(square_and_pid, range(MIN_ITEMS))]))
        """
    )
    assert isinstance(found, list)
    parent, results = found
    assert [value for value, _ in results] == [n * n for n in range(MIN_ITEMS)]
    pids = [pid for _, pid in results]
    half = MIN_ITEMS // 2
    assert set(pids[:half]) == {parent}
    assert parent not in pids[half:]


def test_a_failing_child_leaves_the_work_to_this_process() -> None:
    found = run_alone(
        """
        import json, os
        from wayout.forked import MIN_ITEMS, forked_map
        parent = os.getpid()
        def fails_in_the_child(n):
            if os.getpid() != parent:
                raise RuntimeError("the child fails")
            return n + 1
        print(json.dumps(forked_map(fails_in_the_child, range(MIN_ITEMS))))
        """
    )
    assert found == list(range(1, MIN_ITEMS + 1))


def test_forked_work_runs_in_a_child_from_the_start() -> None:
    found = run_alone(
        """
        import json, os, time
        from wayout.forked import Forked
        started = time.monotonic()
        pending = Forked(lambda: (os.getpid(), time.monotonic()))
        time.sleep(0.5)  # the child works meanwhile
        child, when = pending.result()
        print(json.dumps([os.getpid(), child, when - started]))
        """
    )
    assert isinstance(found, list)
    parent, child, after = found
    assert child != parent
    assert after < 0.5  # computed before the result was asked for


def test_a_failing_forked_child_leaves_the_work_to_this_process() -> None:
    found = run_alone(
        """
        import json, os
        from wayout.forked import Forked
        parent = os.getpid()
        def fails_in_the_child():
            if os.getpid() != parent:
                os._exit(3)
            return "done here"
        print(json.dumps(Forked(fails_in_the_child).result()))
        """
    )
    assert found == "done here"


def test_a_cancelled_child_is_stopped() -> None:
    found = run_alone(
        """
        import json, os, time
        from wayout.forked import Forked
        pending = Forked(lambda: time.sleep(60))
        pid = pending.pid
        started = time.monotonic()
        pending.cancel()
        try:
            os.kill(pid, 0)
            alive = True
        except ProcessLookupError:
            alive = False
        print(json.dumps([alive, time.monotonic() - started < 10]))
        """
    )
    assert found == [False, True]


def test_a_larger_child_share_leaves_less_here() -> None:
    found = run_alone(
        """
        import json, os
        from wayout.forked import MIN_ITEMS, SplitWork
        work = SplitWork(lambda part: [(n, os.getpid()) for n in part], range(1000), 0.6)
        print(json.dumps([os.getpid(), work.results()]))
        """
    )
    assert isinstance(found, list)
    parent, results = found
    assert [n for n, _ in results] == list(range(1000))
    here = [n for n, pid in results if pid == parent]
    assert here == list(range(400))


def test_few_items_are_mapped_here() -> None:
    results = forked_map(square_and_pid, range(MIN_ITEMS - 1))
    assert {pid for _, pid in results} == {os.getpid()}


def test_a_process_with_threads_does_not_fork() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not forked.can_fork()
        results = forked_map(square_and_pid, range(MIN_ITEMS))
    finally:
        stop.set()
        thread.join()
    assert {pid for _, pid in results} == {os.getpid()}


def test_a_large_catalogue_loads_the_same_on_two_processes(tmp_path: Path) -> None:
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
    found = run_alone(
        f"""
        import json
        from pathlib import Path
        from wayout import forked
        from wayout.catalogue import load_catalogue, start_loading
        folder = Path({str(folder)!r})
        assert forked.can_fork()
        two = load_catalogue([folder])
        early = start_loading([folder], child_share=0.7).catalogue()
        assert early.problems == two.problems and list(early.entries) == list(two.entries)
        forked.MIN_ITEMS = 10**9
        one = load_catalogue([folder])
        print(json.dumps({{
            "problems": two.problems == one.problems and two.files == one.files,
            "slugs": list(two.entries) == list(one.entries),
            "practices": [e.practice for e in two.entries.values()]
            == [e.practice for e in one.entries.values()],
            "unknown": sum(1 for p in one.problems if "'XX'" in p.message),
            "entries": len(one.entries),
        }}))
        """
    )
    assert isinstance(found, dict)
    assert found["entries"] > MIN_ITEMS // 2  # valid ones in both halves
    del found["entries"]
    assert found == {"problems": True, "slugs": True, "practices": True, "unknown": 5}
