"""Benchmark the practice explorer (/practices/) at N cards in headless Chromium.

Builds the site from practices/ into a temporary folder, serves it on 127.0.0.1, and
serves the explorer page with its cards duplicated to N (each copy with its own title,
start year and review date, the facet values of the card it copies) so that
assets/explorer.js initialises on N cards. It then times, with performance.now() inside
the page, a programmatic click on a filter checkbox until the list is updated (the script's
work alone, then with the browser's style and layout forced), and the same for a second
facet and for a sort change; each a median of --runs runs. It also prints the page's
transfer size, raw and gzipped, at the current number of practices and at N.

Prints figures only; it asserts nothing.

    .venv/bin/python scripts/bench_explorer.py [--n 5000] [--runs 20]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTICLE = re.compile(r'<article class="wo-card"[^>]*>.*?</article>', re.S)


def build(site: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("WAYOUT_PRACTICES", None)
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)]
    subprocess.run(command, cwd=PROJECT, env=env, check=True)


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def replace_attribute(tag: str, name: str, value: str) -> str:
    return re.sub(rf'{name}="[^"]*"', lambda _: f'{name}="{value}"', tag, count=1)


def with_cards(html: str, n: int) -> str:
    """The explorer page with its cards repeated (and varied) up to `n`."""
    cards = ARTICLE.findall(html)
    copies = []
    for i in range(n):
        card = cards[i % len(cards)]
        if i >= len(cards):
            copy = i // len(cards)
            head, rest = card.split(">", 1)
            title = re.search(r'data-title="([^"]*)"', head)
            text = re.search(r'data-text="([^"]*)"', head)
            head = replace_attribute(
                head, "data-title", f"{title.group(1) if title else ''} {copy}"
            )
            head = replace_attribute(head, "data-text", f"{text.group(1) if text else ''} {copy}")
            year = "" if i % 7 == 0 else str(1990 + (i * 13) % 36)
            head = replace_attribute(head, "data-start", year)
            reviewed = f"20{20 + i % 7}-{1 + i % 12:02d}-{1 + i % 28:02d}"
            head = replace_attribute(head, "data-reviewed", reviewed)
            rest = re.sub(r"(</a></h2>)", f" ({copy})\\1", rest, count=1)
            card = f"{head}>{rest}"
        copies.append(card)
    matches = list(ARTICLE.finditer(html))
    return html[: matches[0].start()] + "\n".join(copies) + html[matches[-1].end() :]


MEASURE = """
async ({selector, runs}) => {
  const box = document.querySelector(selector);
  const frame = () => new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const script = [], layout = [];
  for (let i = 0; i < runs; i++) {
    await frame();
    const t0 = performance.now();
    box.click();                       // the change handler updates the list synchronously
    const t1 = performance.now();
    void document.body.offsetHeight;   // style and layout of the updated list
    const t2 = performance.now();
    script.push(t1 - t0);
    layout.push(t2 - t0);
  }
  const shown = document.querySelectorAll("[data-wo-list] > article:not([hidden])").length;
  return {script, layout, shown, status: document.querySelector("[data-wo-status]").textContent};
}
"""

MEASURE_SORT = """
async ({runs}) => {
  const select = document.querySelector("[data-wo-sort]");
  const frame = () => new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const script = [], layout = [];
  const keys = ["start", "reviewed", "title"];
  for (let i = 0; i < runs; i++) {
    await frame();
    const t0 = performance.now();
    select.value = keys[i % keys.length];
    select.dispatchEvent(new Event("change", {bubbles: true}));
    const t1 = performance.now();
    void document.body.offsetHeight;
    const t2 = performance.now();
    script.push(t1 - t0);
    layout.push(t2 - t0);
  }
  return {script, layout};
}
"""

READY = """
(() => {
  window.__bench = {};
  document.addEventListener("DOMContentLoaded", () => {
    window.__bench.dcl = performance.now();
    const root = document.querySelector("[data-wo-explorer]");
    if (!root) return;
    new MutationObserver((_, observer) => {
      if (root.classList.contains("wo-explorer--enhanced")) {
        window.__bench.ready = performance.now();
        observer.disconnect();
      }
    }).observe(root, {attributes: true, attributeFilter: ["class"]});
  }, {capture: true, once: true});
})();
"""


def figures(values: list[float]) -> str:
    return (
        f"median {statistics.median(values):7.2f} ms  "
        f"(min {min(values):.2f}, max {max(values):.2f}, n={len(values)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="number of cards (default 5000)")
    parser.add_argument("--runs", type=int, default=20, help="runs per measure (default 20)")
    args = parser.parse_args()

    from playwright.sync_api import Route, sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        build(site)
        page_html = (site / "practices" / "index.html").read_text(encoding="utf-8")
        current = len(ARTICLE.findall(page_html))
        big_html = with_cards(page_html, args.n)
        script = (site / "assets" / "explorer.js").read_bytes()

        handler = functools.partial(_Quiet, directory=str(site))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{httpd.server_address[1]}/practices/"

        def serve_big(route: Route) -> None:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=big_html)

        print(f"Explorer benchmark: N = {args.n} cards ({current} practices, duplicated)")
        for label, data in (
            (f"explorer page HTML at the current N = {current}", page_html.encode()),
            (f"explorer page HTML at N = {args.n}", big_html.encode()),
            ("assets/explorer.js", script),
        ):
            print(f"  {label}: {len(data):,} bytes raw, {gzipped(data):,} bytes gzipped")

        results: dict[str, Any] = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.add_init_script(READY)
            page.route(url, serve_big)
            page.goto(url)
            page.wait_for_selector("[data-wo-explorer].wo-explorer--enhanced", state="attached")
            page.wait_for_function("window.__bench.ready !== undefined")
            bench = page.evaluate("window.__bench")
            cards = page.locator("[data-wo-list] > article").count()
            results["start-up"] = bench["ready"] - bench["dcl"]
            country = 'fieldset[data-facet="country"] input'
            first_country = page.locator(country).first.get_attribute("value")
            results["one"] = page.evaluate(
                MEASURE, {"selector": f'{country}[value="{first_country}"]', "runs": args.runs}
            )
            # With a country ticked, time a click in a second facet.
            page.locator(f'{country}[value="{first_country}"]').check()
            results["two"] = page.evaluate(
                MEASURE,
                {"selector": 'fieldset[data-facet="category"] input', "runs": args.runs},
            )
            page.locator(f'{country}[value="{first_country}"]').uncheck()
            results["sort"] = page.evaluate(MEASURE_SORT, {"runs": args.runs})
            browser.close()
        httpd.shutdown()
        httpd.server_close()

    print(f"  cards in the page: {cards:,}")
    print(f"  script start-up (DOMContentLoaded to explorer ready): {results['start-up']:.1f} ms")
    for key, label in (
        ("one", f"tick/untick a country ({first_country})"),
        ("two", "tick/untick a category, a country ticked"),
    ):
        result = results[key]
        print(f"  {label}, {result['status']} after the last run:")
        print(f"    click to list updated (script)          {figures(result['script'])}")
        print(f"    click to list updated (+ style, layout) {figures(result['layout'])}")
    print("  change the sort order (reorder all cards):")
    print(f"    change to list reordered (script)          {figures(results['sort']['script'])}")
    print(f"    change to list reordered (+ style, layout) {figures(results['sort']['layout'])}")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


if __name__ == "__main__":
    main()
