"""Build the site into a temporary folder from a given practices folder (for the tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def build_site(
    practices: Path,
    site_dir: Path,
    *,
    strict: bool = True,
    verbose: bool = False,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build` with WAYOUT_PRACTICES pointing at `practices` (and `env` added
    to the environment)."""
    command = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site_dir)]
    if strict:
        command.append("--strict")
    if verbose:
        command.append("--verbose")
    env = {
        **os.environ,
        **(env or {}),
        "WAYOUT_PRACTICES": str(practices),
        "NO_MKDOCS_2_WARNING": "1",
    }
    return subprocess.run(
        command, cwd=PROJECT, env=env, capture_output=True, text=True, check=False
    )
