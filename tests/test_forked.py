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
from wayout.forked import MIN_ITEMS, SharedWork

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


def test_the_two_processes_share_the_items_from_both_ends() -> None:
    found = run_alone(
        """
        import json, os, time
        from wayout.forked import MIN_ITEMS, SharedWork
        def square_and_pid(n):
            time.sleep(0.002)  # long enough for the child to take its share
            return n * n, os.getpid()
        print(json.dumps([os.getpid(), SharedWork(square_and_pid, range(MIN_ITEMS)).results()]))
        """
    )
    assert isinstance(found, list)
    parent, results = found
    assert [value for value, _ in results] == [n * n for n in range(MIN_ITEMS)]
    pids = [pid for _, pid in results]
    here = pids.count(parent)
    assert 0 < here < MIN_ITEMS
    assert set(pids[:here]) == {parent}  # the first items here, the last in the child
    assert parent not in pids[here:]


def test_a_failing_child_leaves_the_work_to_this_process() -> None:
    found = run_alone(
        """
        import json, os
        from wayout.forked import MIN_ITEMS, SharedWork
        parent = os.getpid()
        def fails_in_the_child(n):
            if os.getpid() != parent:
                raise RuntimeError("the child fails")
            return n + 1
        print(json.dumps(SharedWork(fails_in_the_child, range(MIN_ITEMS)).results()))
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
        pid = pending.child.pid
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


def test_a_child_with_a_head_start_does_more() -> None:
    found = run_alone(
        """
        import json, os, time
        from wayout.forked import SharedWork
        def slow(n):
            time.sleep(0.002)
            return n, os.getpid()
        work = SharedWork(slow, range(300))
        time.sleep(0.3)  # busy elsewhere: the child has taken about 150 items meanwhile
        print(json.dumps([os.getpid(), work.results()]))
        """
    )
    assert isinstance(found, list)
    parent, results = found
    assert [n for n, _ in results] == list(range(300))
    here = [n for n, pid in results if pid == parent]
    assert here == list(range(len(here)))
    assert 0 < len(here) < 100


# A SharedWork over 300 items whose child dies after taking items 299 to 250.
DYING_CHILD = """
import json, os, time
from wayout.forked import SharedWork
parent = os.getpid()
def dies_in_the_child(n):
    if os.getpid() != parent and n < 250:
        os._exit(3)
    time.sleep(0.002)
    return n, os.getpid()
work = SharedWork(dies_in_the_child, range(300))
time.sleep(0.2)  # the child takes its 50 items and dies meanwhile
"""


def test_a_child_that_dies_midway_leaves_its_items_to_this_process() -> None:
    found = run_alone(DYING_CHILD + "print(json.dumps([n for n, _ in work.results()]))")
    assert found == list(range(300))


def test_a_loop_of_its_own_claims_each_item_before_doing_it() -> None:
    found = run_alone(
        """
        import json, os, time
        from wayout.forked import SharedWork
        parent = os.getpid()
        def render(n):
            time.sleep(0.002)
            # The child cannot do every fifth item (it logged something, say): None.
            return None if n % 5 == 0 and os.getpid() != parent else (n * n, os.getpid())
        work = SharedWork(render, range(300))
        done = []
        for index in range(300):  # as MkDocs goes through its pages
            known = work.claim(index)
            done.append(known if known is not None else render(index))
        work.finish()
        print(json.dumps([parent, done]))
        """
    )
    assert isinstance(found, list)
    parent, done = found
    assert [value for value, _ in done] == [n * n for n in range(300)]
    from_child = [n for n, (_, pid) in enumerate(done) if pid != parent]
    assert from_child and all(n % 5 for n in from_child)
    assert min(from_child) > max(n for n in range(300) if n not in from_child and n % 5)


def test_a_loop_of_its_own_does_what_a_dying_child_left() -> None:
    found = run_alone(
        DYING_CHILD
        + """
done = []
for index in range(300):
    known = work.claim(index)
    done.append(known if known is not None else dies_in_the_child(index))
work.finish()
print(json.dumps([parent, done]))
"""
    )
    assert isinstance(found, list)
    parent, done = found
    assert [n for n, _ in done] == list(range(300))
    from_child = [n for n, pid in done if pid != parent]
    assert from_child == list(range(250, 300))


def test_forking_can_be_turned_off() -> None:
    found = run_alone(
        """
        import json, os
        os.environ["WAYOUT_FORK"] = "off"
        from wayout import forked
        from wayout.forked import MIN_ITEMS, SharedWork
        results = SharedWork(lambda n: os.getpid(), range(MIN_ITEMS)).results()
        print(json.dumps([forked.can_fork(), set(results) == {os.getpid()}]))
        """
    )
    assert found == [False, True]


def test_few_items_are_mapped_here() -> None:
    results = SharedWork(square_and_pid, range(MIN_ITEMS - 1)).results()
    assert {pid for _, pid in results} == {os.getpid()}


def test_a_process_with_threads_does_not_fork() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not forked.can_fork()
        results = SharedWork(square_and_pid, range(MIN_ITEMS)).results()
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
        import json, time
        from pathlib import Path
        from wayout import forked
        from wayout.catalogue.catalogue import load_catalogue, start_loading
        folder = Path({str(folder)!r})
        assert forked.can_fork()
        two = load_catalogue([folder])
        loading = start_loading([folder])
        time.sleep(0.3)  # the child's head start
        early = loading.catalogue()
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


def test_the_map_outlines_read_in_a_child_are_those_read_here() -> None:
    found = run_alone(
        """
        import json
        from wayout.site import europe_map
        europe_map.start_reading_shapes()
        forked = europe_map._reading is not None and europe_map._reading.child is not None
        shapes = europe_map.european_shapes()
        europe_map.start_reading_shapes()  # read already: no second child
        print(json.dumps([forked, europe_map._reading is None,
                          shapes == europe_map.read_shapes(), len(shapes)]))
        """
    )
    assert isinstance(found, list)
    assert found[:3] == [True, True, True]
    assert found[3] > 40  # the countries of Europe and around
