"""The search plugin's index as the hook reads and extends it.

Material's search plugin indexes each page's content in its own `on_page_context`; the
hook runs after it (a lower event priority) and finds the page's new entries at the end
of the plugin's list.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig

SearchEntry = dict[str, Any]


def search_entries(config: MkDocsConfig) -> list[SearchEntry] | None:
    """The entries of the search plugin's index being built, if the plugin is on."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        entries = getattr(index, "entries", None)
        if isinstance(entries, list):
            return entries
    return None


def add_search_text(entries: list[SearchEntry], start: int, url: str, text: str) -> None:
    """Put `text` (escaped HTML, as the index holds it) first in the page's own entry: the
    first of the entries from `start` on whose location is the page's URL without an
    anchor. A practice page's "at a glance" labels reach search this way, because its
    template renders the panel outside the content that the plugin parses."""
    for entry in entries[start:]:
        if entry.get("location") == url:
            entry["text"] = text + entry.get("text", "")
            return
