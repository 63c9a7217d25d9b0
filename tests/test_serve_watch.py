"""`mkdocs serve` rebuilds once per saved change, at once, and never because a build read
the files it watches (wayout_mkdocs/watcher.py); a rebuild shows only new warnings."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from mkdocs.livereload import LiveReloadServer

from tests.conftest import FIXTURE_PRACTICES, PROJECT
from wayout_mkdocs.watcher import CHANGES, ChangeObserver, use_native_watcher

BUILDING = "Building documentation"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return bytes(response.read())
    except OSError:
        return b""


def wait_for(condition: object, timeout: float) -> bool:
    assert callable(condition)
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return False


def set_last_reviewed(practice: Path, day: str) -> None:
    text = practice.read_text(encoding="utf-8")
    practice.write_text(
        re.sub(r"^last_reviewed: .*$", f"last_reviewed: {day}", text, count=1, flags=re.M),
        encoding="utf-8",
    )


def test_the_server_watches_with_a_change_observer(tmp_path: Path) -> None:
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        (tmp_path / "docs").mkdir()
        server.watch(str(tmp_path / "docs"))
        use_native_watcher(server, [tmp_path / "docs", tmp_path / "not-watched"])
        assert isinstance(server.observer, ChangeObserver)
        server.watch(str(tmp_path))  # watches added later go to the new observer too
        watches = [emitter.watch for emitter in server.observer.emitters]
        assert {Path(watch.path) for watch in watches} == {tmp_path / "docs", tmp_path}
        assert all(set(watch.event_filter or ()) == set(CHANGES) for watch in watches)
    finally:
        server.server_close()


@pytest.mark.skipif(sys.platform != "linux", reason="inotify")
def test_serve_rebuilds_once_per_save_and_not_after_its_own_reads(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "docs", "overrides", "hooks", "schema"):
        source = PROJECT / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        else:
            shutil.copy2(source, project / name)
    shutil.copytree(FIXTURE_PRACTICES, project / "practices")
    # mkdocs.yml watches wayout/; the hook imports the installed package itself.
    (project / "wayout").symlink_to(PROJECT / "wayout", target_is_directory=True)
    practice, overdue = sorted((project / "practices").glob("*.md"))[:2]
    set_last_reviewed(overdue, "2020-01-01")  # a warning in every build
    port = free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("w", encoding="utf-8") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}/wayout-practices/"
    try:
        started = wait_for(lambda: fetch(base) or server.poll() is not None, 120)
        assert started and server.poll() is None, log_path.read_text()
        time.sleep(2)  # a build that set off another would show by now
        assert log_path.read_text().count(BUILDING) == 1, log_path.read_text()
        text = practice.read_text(encoding="utf-8")
        practice.write_text(text.replace("## Aim\n\n", "## Aim\n\nwatchedit ", 1))
        set_last_reviewed(practice, "2020-02-01")  # a new warning
        page = f"{base}practices/{practice.stem}/"
        assert wait_for(lambda: b"watchedit" in fetch(page), 60), log_path.read_text()
        time.sleep(2)
        log_text = log_path.read_text()
        assert log_text.count(BUILDING) == 2, log_text
        # The rebuild shows its new warning, and only counts the one shown before.
        assert log_text.count(f"{overdue.name}:") == 1, log_text
        assert log_text.count(f"{practice.name}:") == 1, log_text
        assert "1 warning as in the previous build" in log_text, log_text
    finally:
        server.send_signal(signal.SIGINT)  # as Ctrl-C: mkdocs serve removes its preview
        server.wait(timeout=30)
