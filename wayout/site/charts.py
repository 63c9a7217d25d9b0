"""Bar charts drawn at build time as accessible SVG: every bar a link with its number as text.

Used on the home page for practices by framework category and by setting. The numbers are
written next to each bar, so the chart is readable without telling colours or lengths
apart, and each bar's link has a name such as "Aftercare, 24 practices".
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

ROW_HEIGHT = 28
LABEL_WIDTH = 250
BAR_WIDTH = 300
NUMBER_WIDTH = 40


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value and where it links to (relative to the page)."""

    label: str
    value: int
    url: str


def bar_chart(bars: list[Bar], title: str, chart_id: str) -> str:
    """A horizontal bar chart as inline SVG markup."""
    largest = max((bar.value for bar in bars), default=0) or 1
    width = LABEL_WIDTH + BAR_WIDTH + NUMBER_WIDTH
    height = ROW_HEIGHT * len(bars)
    parts = [
        f'<svg class="wo-chart" viewBox="0 0 {width} {height}" role="group" '
        f'aria-labelledby="{chart_id}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}">{escape(title)}</title>',
    ]
    for index, bar in enumerate(bars):
        y = index * ROW_HEIGHT
        length = round(BAR_WIDTH * bar.value / largest, 1)
        noun = "practice" if bar.value == 1 else "practices"
        name = escape(f"{bar.label}, {bar.value} {noun}")
        parts.append(
            f'<a href="{escape(bar.url)}" aria-label="{name}">'
            f'<rect class="wo-chart__hit" x="0" y="{y}" width="{width}" height="{ROW_HEIGHT}"/>'
            f'<text class="wo-chart__label" x="{LABEL_WIDTH - 8}" y="{y + 18}" '
            f'text-anchor="end">{escape(bar.label)}</text>'
            f'<rect class="wo-chart__bar" x="{LABEL_WIDTH}" y="{y + 5}" width="{length}" '
            f'height="{ROW_HEIGHT - 10}"/>'
            f'<text class="wo-chart__value" x="{LABEL_WIDTH + length + 6}" y="{y + 18}">'
            f"{bar.value}</text></a>"
        )
    parts.append("</svg>")
    return "".join(parts)
