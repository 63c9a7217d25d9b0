"""`make bench` keeps working: scripts/benchmark.py runs at a small size, once, and prints
its tables (no time is asserted, and benchmarks/README.md is left alone)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import PROJECT


def test_the_benchmark_runs_at_a_small_size() -> None:
    results = PROJECT / "benchmarks" / "README.md"
    before = results.read_bytes() if results.exists() else None
    command = [sys.executable, "scripts/benchmark.py", "--sizes", "20", "--runs", "1"]
    command += ["--serve-size", "20", "--serve-edits", "1", "--validate-sizes", "30"]
    command.append("--no-write")
    result = subprocess.run(
        command, cwd=PROJECT, capture_output=True, text=True, timeout=900, check=False
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "| practices | `wayout validate` | full build" in result.stdout
    assert "\n| 20 | " in result.stdout
    assert "`mkdocs serve` at 20 practices" in result.stdout
    assert "No stale page was served." in result.stdout
    assert "`wayout validate` alone at 30 practices" in result.stdout
    assert (results.read_bytes() if results.exists() else None) == before
