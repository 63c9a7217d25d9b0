"""Rebuild a copy of the project as `mkdocs serve` does, with the render caches on, and
compare every build with one made with the caches off (for tests/test_render_cache.py).

    python tests/serve_rebuilds.py PROJECT_COPY WORK_DIR

PROJECT_COPY holds mkdocs.yml, docs/, overrides/, hooks/, schema/ and practices/. Between
builds the script edits what an author edits: a practice's text and title, deletes and
adds practices, changes a page title of the navigation and a template. For each step it
prints one JSON line: the step, the files that differ from the uncached build, and how
many practice pages came from the cache.
"""

from __future__ import annotations

import filecmp
import json
import logging
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

SERVE_URL = "http://127.0.0.1:8000/wayout-practices/"


def differences(left: Path, right: Path) -> list[str]:
    found: list[str] = []

    def walk(compared: filecmp.dircmp[str], prefix: str) -> None:
        found.extend(prefix + name for name in compared.left_only + compared.right_only)
        _, mismatch, errors = filecmp.cmpfiles(
            compared.left, compared.right, compared.common_files, shallow=False
        )
        found.extend(prefix + name for name in mismatch + errors)
        for name, sub in compared.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right), "")
    return sorted(found)


def main() -> None:
    project, work = Path(sys.argv[1]), Path(sys.argv[2])
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    os.environ.pop("WAYOUT_PRACTICES", None)
    logging.basicConfig(level=logging.ERROR)
    os.chdir(project)

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    def run(site: Path, cache: bool) -> int:
        os.environ["WAYOUT_RENDER_CACHE"] = "on" if cache else "off"
        config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site))
        config.site_url = SERVE_URL
        config.plugins.on_startup(command="serve", dirty=False)
        build(config, serve_url=SERVE_URL)
        hook = sys.modules["hooks/wayout_site.py"]
        return len(hook.serve_cache.hits)

    practices = sorted((project / "practices").glob("*.md"))
    first, second = practices[0], practices[1]

    def edit_text() -> None:
        text = first.read_text(encoding="utf-8")
        first.write_text(text.replace("## Aim\n", "## Aim\n\nEdited text.\n", 1), "utf-8")

    def edit_title() -> None:
        lines = second.read_text(encoding="utf-8").split("\n")
        at = next(i for i, line in enumerate(lines) if line.startswith("title: "))
        title = yaml.safe_load(lines[at])["title"]
        lines[at] = "title: " + json.dumps(f"Aaa {title}")
        second.write_text("\n".join(lines), encoding="utf-8")

    def delete_and_add() -> None:
        added = project / "practices" / "zz-added-practice.md"
        shutil.copy(practices[2], added)
        practices[3].unlink()
        # A practice whose `related` named the deleted one would now be an error.
        slug = practices[3].stem
        for path in (project / "practices").glob("*.md"):
            text = path.read_text(encoding="utf-8")
            if slug in text:
                text = text.replace(f"[{slug}]", "[]").replace(f"{slug}, ", "")
                path.write_text(text.replace(f", {slug}", ""), encoding="utf-8")

    def edit_nav_title() -> None:
        page = project / "docs" / "contribute.md"
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("# ", "# Please ", 1), encoding="utf-8")

    def edit_template() -> None:
        template = project / "overrides" / "wayout" / "practice.html"
        text = template.read_text(encoding="utf-8")
        template.write_text(text.replace("Cite this practice", "How to cite"), "utf-8")

    steps: list[tuple[str, Callable[[], None] | None]] = [
        ("first build", None),
        ("unchanged", None),
        ("practice text edited", edit_text),
        ("practice title edited", edit_title),
        ("practice deleted and another added", delete_and_add),
        ("navigation title edited", edit_nav_title),
        ("template edited", edit_template),
        ("unchanged after all that", None),
    ]
    for number, (name, change) in enumerate(steps):
        if change is not None:
            change()
        cached, plain = work / f"cached-{number}", work / f"plain-{number}"
        hits = run(cached, cache=True)
        run(plain, cache=False)
        print(json.dumps({"step": name, "differences": differences(cached, plain), "hits": hits}))
        shutil.rmtree(plain)
        shutil.rmtree(cached)


if __name__ == "__main__":
    main()
