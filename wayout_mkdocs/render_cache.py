"""Reuse rendered HTML whose inputs have not changed, without changing a byte of output.

A build renders the same fragments many times: Material's navigation, for instance, is
identical on every practice page, and under `mkdocs serve` most pages are identical from
one rebuild to the next. `FragmentCache` wraps a Jinja template so that rendering it in a
context whose key it has seen yields the stored HTML instead of running the template again.
The key function must capture everything the output depends on; it returns None for a
context that must always be rendered. This module knows Jinja, not MkDocs: `fragments` and
`serve` decide what a key is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from jinja2 import Template
from jinja2.bccache import Bucket, BytecodeCache
from jinja2.runtime import Context

KeyFunction = Callable[[Context], Hashable | None]
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class FragmentCache:
    """Rendered output by key, for the templates it wraps. Counts hits and misses.
    Give it a `store` that outlives the build to reuse output across rebuilds."""

    def __init__(self, key: KeyFunction, store: Generational[Hashable, str] | None = None) -> None:
        self.key = key
        self.store: Generational[Hashable, str] = store if store is not None else Generational()
        self.hits = 0
        self.misses = 0

    def wrap(self, template: Template) -> None:
        """Make `template` (as rendered or included from now on) use this cache."""
        render = template.root_render_func
        if getattr(render, "fragment_cache", None) is not None:
            return

        def cached(context: Context) -> Iterator[str]:
            key = (template.name, self.key(context))
            if key[1] is None:
                yield from render(context)
                return
            html = self.store.get(key)
            if html is None:
                self.misses += 1
                html = "".join(render(context))
                self.store.put(key, html)
            else:
                self.hits += 1
            yield html

        cached.fragment_cache = self  # type: ignore[attr-defined]
        template.root_render_func = cached


class CallCache:
    """Output of a template macro by key, for one build: `call(key, keep, macro, *args)`
    runs the macro the first time a key is seen. `keep` is an object the key refers to by
    its id: it is held, so that the id cannot be reused while the key is remembered."""

    def __init__(self) -> None:
        self.store: dict[Hashable, tuple[object, str]] = {}
        self.hits = 0

    def call(self, key: Hashable, keep: object, macro: Callable[..., str], *args: Any) -> str:
        known = self.store.get(key)
        if known is not None and known[0] is keep:
            self.hits += 1
            return known[1]
        html = macro(*args)
        self.store[key] = (keep, html)
        return html


class PageCache:
    """Whole finished pages by key, across builds. A wrapped page template yields the
    finished page stored for its key instead of rendering; `finish` then returns that
    page as it is, or finishes a freshly rendered one (adds what comes after the template,
    such as the Content-Security-Policy) and stores it. The key covers everything the
    finished page depends on; the key function gives (page id, key), or None."""

    def __init__(self) -> None:
        self.store: Generational[str, str] = Generational()
        self.keys: dict[str, str] = {}
        self.served: dict[str, str] = {}

    def wrap(self, template: Template, key: Callable[[Context], tuple[str, str] | None]) -> None:
        render = template.root_render_func

        def cached(context: Context) -> Iterator[str]:
            found = key(context)
            if found is None:
                yield from render(context)
                return
            page_id, page_key = found
            self.keys[page_id] = page_key
            page = self.store.get(page_key)
            if page is None:
                yield from render(context)
                return
            self.served[page_id] = page
            yield page

        template.root_render_func = cached

    def finish(self, page_id: str, output: str, complete: Callable[[str], str]) -> str:
        """The finished page for the template's `output`."""
        page_key = self.keys.pop(page_id, None)
        served = self.served.pop(page_id, None)
        if served is not None:
            return served
        page = complete(output)
        if page_key is not None:
            self.store.put(page_key, page)
        return page


def digest(*parts: Any) -> str:
    """A short, stable fingerprint of strings, bytes and other values (by their repr)."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        if isinstance(part, bytes):
            data = part
        elif isinstance(part, str):
            data = part.encode("utf-8", "surrogatepass")
        else:
            data = repr(part).encode("utf-8", "surrogatepass")
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


@dataclass
class RenderedPage:
    """What MkDocs made of one page's Markdown: its HTML content (after the hook's own
    changes), its table of contents, its anchors and links to them, and its search-index
    entries."""

    content: str
    toc: Any
    anchors: frozenset[str]
    own_links: dict[str, str]
    search_entries: tuple[dict[str, Any], ...] = ()


class Generational(Generic[K, V]):
    """A store that forgets what a whole build did not use: `sweep` after each build keeps
    only the keys read or written since the previous sweep."""

    def __init__(self) -> None:
        self.current: dict[K, V] = {}
        self.previous: dict[K, V] = {}

    def get(self, key: K) -> V | None:
        if key in self.current:
            return self.current[key]
        value = self.previous.get(key)
        if value is not None:
            self.current[key] = value
        return value

    def put(self, key: K, value: V) -> None:
        self.current[key] = value

    def sweep(self) -> None:
        self.previous, self.current = self.current, {}

    def __len__(self) -> int:
        return len(self.current.keys() | self.previous.keys())


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory, for a process that makes a new Jinja environment
    for every build (`mkdocs serve`). Jinja compares each template's source checksum, so an
    edited template is compiled again."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()
