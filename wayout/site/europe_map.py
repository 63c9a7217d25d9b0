"""An SVG map of Europe, each country shaded by its number of practices.

The country outlines come from the Natural Earth-based world map shipped by the
`pygal_maps_world` package (never hand-drawn); this module only selects the European
part, shades it, and makes each country with practices a link with an accessible name.
The table of countries and counts beside the map is its text alternative. Parsing the
world's outlines takes 0.14 s; the site's build has it done by a forked child
(`start_reading_shapes`) while it does other work.
"""

from __future__ import annotations

import importlib.util
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path

from wayout.forked import Forked

SVG = "{http://www.w3.org/2000/svg}"
# The part of the world map that shows Europe (map units of pygal's worldmap.svg).
VIEW_BOX = (1030.0, 55.0, 470.0, 355.0)
# Shade bins: (lowest count, legend text); a country falls into the last bin it reaches.
BINS = (
    (1, "1 practice"),
    (2, "2 to 3 practices"),
    (4, "4 to 6 practices"),
    (7, "7 or more practices"),
)

_START = re.compile(r"^[mM]\s*(-?[\d.]+)[ ,]+(-?[\d.]+)")


@dataclass(frozen=True)
class MapCountry:
    """A country to draw: its code, name, number of practices and page URL (if any)."""

    code: str
    name: str
    count: int
    url: str


def worldmap_path() -> Path:
    """The world map SVG inside the installed pygal_maps_world package (not imported)."""
    spec = importlib.util.find_spec("pygal_maps_world")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the package pygal_maps_world is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "worldmap.svg"


# Islands drawn with fewer characters than this are too small to see at this scale.
MIN_PATH_CHARS = 160


Point = tuple[float, float]
# A path command and its arguments (an exponent's "e" is part of a number, not a command).
_SEGMENT = re.compile(r"([MmLlCcSsQqTtHhVvZzAa])([^MmLlCcSsQqTtHhVvZzAa]*)")
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?")
_ARITY = {"m": 2, "l": 2, "c": 6, "s": 4, "q": 4, "t": 2, "h": 1, "v": 1, "z": 0}


def points(d: str) -> list[Point]:
    """The absolute end points of every segment of a path (control points left out)."""
    x = y = 0.0
    found: list[Point] = []
    for command, arguments in _SEGMENT.findall(d):
        lower = command.lower()
        relative = command != command.upper()
        arity = _ARITY.get(lower, 2)
        if not arity:
            continue
        numbers = [float(n) for n in _NUMBER.findall(arguments)]
        for index in range(0, len(numbers) - arity + 1, arity):
            if lower == "h":
                x = x + numbers[index] if relative else numbers[index]
            elif lower == "v":
                y = y + numbers[index] if relative else numbers[index]
            else:
                dx, dy = numbers[index + arity - 2], numbers[index + arity - 1]
                x, y = (x + dx, y + dy) if relative else (dx, dy)
            found.append((x, y))  # pairs after a move are lines: the same arity
    return found


def in_view(found: list[Point]) -> bool:
    """Whether the bounding box of a path's end points overlaps VIEW_BOX."""
    if not found:
        found = [(0.0, 0.0)]
    xs, ys = [p[0] for p in found], [p[1] for p in found]
    left, top, width, height = VIEW_BOX
    return (
        max(xs) >= left and min(xs) <= left + width and max(ys) >= top and min(ys) <= top + height
    )


# Points closer than this to the previous one are dropped: about one pixel on screen.
SIMPLIFY_STEP = 0.9


def simplified(found: list[Point]) -> str:
    """The outline as a polygon through its end points, without sub-pixel detail."""
    kept: list[Point] = []
    for x, y in found:
        if not kept or abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= SIMPLIFY_STEP:
            kept.append((x, y))
    if len(kept) < 3:
        return ""
    head, *rest = kept
    return f"M{head[0]:.1f} {head[1]:.1f}" + "".join(f"L{x:.1f} {y:.1f}" for x, y in rest) + "Z"


def _visible(paths: list[str]) -> tuple[str, ...]:
    """The shapes of a country that lie in view and are large enough to see."""
    shown = [(d, found) for d in paths if in_view(found := points(d))]
    if not shown:
        return ()
    largest = max((d for d, _ in shown), key=len)
    kept = (found for d, found in shown if d is largest or len(d) >= MIN_PATH_CHARS)
    return tuple(filter(None, (simplified(found) for found in kept)))


# Outlines being read in a forked child (`start_reading_shapes`), until first asked for.
_reading: Forked[dict[str, tuple[str, ...]]] | None = None


def start_reading_shapes() -> None:
    """Start reading the outlines in a forked child (`wayout.forked`), for a process with
    other work to do before it draws the map: parsing every outline of the world takes
    0.14 s, which the site's build then spends on its second core."""
    global _reading
    if _reading is None and european_shapes.cache_info().currsize == 0:
        _reading = Forked(read_shapes)


@cache
def european_shapes() -> dict[str, tuple[str, ...]]:
    """Path data of every country with an outline inside the view, by ISO alpha-2 code
    (read once a process)."""
    global _reading
    if _reading is not None:
        reading, _reading = _reading, None
        return reading.result()
    return read_shapes()


def read_shapes() -> dict[str, tuple[str, ...]]:
    """The outlines of `european_shapes`, read from the world map."""
    root = ET.parse(worldmap_path()).getroot()
    shapes: dict[str, tuple[str, ...]] = {}
    for group in root.iter(f"{SVG}g"):
        classes = (group.get("class") or "").split()
        if "country" not in classes:
            continue
        paths = _visible([p.get("d", "") for p in group.findall(f"{SVG}path")])
        if paths:
            shapes[classes[0].upper()] = paths
    return shapes


def shade(count: int) -> int:
    """The bin (0 = no practice) of a count."""
    return sum(1 for low, _ in BINS if count >= low)


def europe_svg(countries: list[MapCountry], *, title: str = "Practices by country") -> str:
    """The map as inline SVG markup; links are relative to the page that embeds it."""
    by_code = {c.code: c for c in countries}
    shapes = european_shapes()
    left, top, width, height = VIEW_BOX
    parts = [
        f'<svg class="wo-map" viewBox="{left:g} {top:g} {width:g} {height:g}" '
        f'role="group" aria-labelledby="wo-map-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="wo-map-title">{escape(title)}</title>',
    ]
    for code, paths in sorted(shapes.items()):
        country = by_code.get(code)
        d = " ".join(paths)
        if country is None or country.count == 0:
            parts.append(f'<path class="wo-map__land" d="{d}" aria-hidden="true"/>')
            continue
        noun = "practice" if country.count == 1 else "practices"
        name = escape(f"{country.name}, {country.count} {noun}")
        parts.append(
            f'<a href="{escape(country.url)}" aria-label="{name}">'
            f"<title>{name}</title>"
            f'<path class="wo-map__country wo-map__country--{shade(country.count)}" d="{d}"/></a>'
        )
    parts.append("</svg>")
    return "".join(parts)


def missing_from_map(countries: list[MapCountry]) -> list[MapCountry]:
    """Countries with practices that the European map cannot show (listed in the table)."""
    shapes = european_shapes()
    return [c for c in countries if c.count and c.code not in shapes]
