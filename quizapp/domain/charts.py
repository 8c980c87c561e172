"""Charts drawn as inline SVG on the server: a calendar heatmap and a bar chart.

Pure functions from numbers to an SVG string. Every chart carries ``role="img"``, a ``<title>``
and a ``<desc>`` (named by ``aria-labelledby``), sizes itself with a ``viewBox`` so it shrinks to
any width, and takes its colours from CSS classes (``chart-*``), never from inline styles, so it
follows the page's light or dark palette and a strict Content-Security-Policy. The same numbers
are shown beside each chart in a table by the templates; the charts add no data of their own.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

#: Heatmap shades: 0 is an empty day, 1..4 the quartiles of the busiest day.
HEAT_LEVELS = 4
_ids = itertools.count(1)


def _number(value: float) -> str:
    """A coordinate without trailing zeros ("12", "12.5")."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _open(width: float, height: float, title: str, desc: str, css_class: str) -> list[str]:
    n = next(_ids)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {escape(css_class)}" role="img" '
        f'viewBox="0 0 {_number(width)} {_number(height)}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" aria-labelledby="chart-t{n} chart-d{n}">',
        f'<title id="chart-t{n}">{escape(title)}</title>',
        f'<desc id="chart-d{n}">{escape(desc)}</desc>',
    ]


def heat_level(count: int, busiest: int) -> int:
    """The shade of a day with ``count`` reviews when the busiest day had ``busiest``: 0 for
    none, else 1..:data:`HEAT_LEVELS` by the quarter of ``busiest`` it reaches."""
    if count <= 0 or busiest <= 0:
        return 0
    return min(HEAT_LEVELS, 1 + (count * HEAT_LEVELS - 1) // busiest)


def heatmap(
    counts: Mapping[date, int],
    *,
    end: date,
    days: int = 365,
    title: str,
    desc: str,
    cell: int = 10,
    gap: int = 2,
) -> str:
    """A calendar of the ``days`` days ending on ``end``: one column per week (Monday on top),
    one square per day, shaded by its count. Each square has a ``<title>`` ("3 reviews on
    2026-11-30") for pointer users; screen readers get the chart's title and description."""
    start = end - timedelta(days=days - 1)
    first_monday = start - timedelta(days=start.weekday())
    weeks = (end - first_monday).days // 7 + 1
    step = cell + gap
    top = 12  # room for month labels
    width = weeks * step
    height = top + 7 * step
    busiest = max((c for d, c in counts.items() if start <= d <= end), default=0)
    parts = _open(width, height, title, desc, "chart-heatmap")
    for week in range(weeks):
        monday = first_monday + timedelta(days=7 * week)
        week_days = [monday + timedelta(days=i) for i in range(7)]
        firsts = [d for d in week_days if d.day == 1 and start <= d <= end]
        if firsts and week < weeks - 2:  # a month starts this week: label it
            parts.append(
                f'<text class="chart-label" x="{week * step}" y="9">'
                f"{firsts[0].strftime('%b')}</text>"
            )
        for weekday, day in enumerate(week_days):
            if day < start or day > end:
                continue
            count = int(counts.get(day, 0))
            noun = "review" if count == 1 else "reviews"
            parts.append(
                f'<rect class="chart-heat{heat_level(count, busiest)}" x="{week * step}" '
                f'y="{top + weekday * step}" width="{cell}" height="{cell}" rx="2">'
                f"<title>{count} {noun} on {day.isoformat()}</title></rect>"
            )
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Bar:
    label: str  # shown under the bar when there is room, and in the bar's tooltip
    value: float
    tooltip: str = ""
    css_class: str = ""


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    desc: str,
    height: int = 120,
    bar_width: int = 12,
    gap: int = 4,
    label_every: int = 1,
) -> str:
    """Vertical bars scaled to the largest value, a baseline, the largest value marked on the
    left, and every ``label_every``-th label under its bar."""
    left = 28  # room for the scale label
    bottom = 16
    plot = height - bottom - 6
    width = left + max(1, len(bars)) * (bar_width + gap)
    peak = max((b.value for b in bars), default=0)
    parts = _open(width, height, title, desc, "chart-bars")
    base_y = 6 + plot
    parts.append(f'<line class="chart-axis" x1="{left}" y1="{base_y}" x2="{width}" y2="{base_y}"/>')
    parts.append(f'<text class="chart-label" x="0" y="12">{escape(_short(peak))}</text>')
    for i, bar in enumerate(bars):
        x = left + i * (bar_width + gap) + gap / 2
        h = 0 if peak <= 0 else plot * bar.value / peak
        if bar.value > 0:
            h = max(h, 1)
        tip = bar.tooltip or f"{bar.label}: {_short(bar.value)}"
        classes = " ".join(c for c in ("chart-bar", bar.css_class) if c)
        parts.append(
            f'<rect class="{escape(classes)}" x="{_number(x)}" '
            f'y="{_number(base_y - h)}" width="{bar_width}" height="{_number(h)}">'
            f"<title>{escape(tip)}</title></rect>"
        )
        if label_every > 0 and i % label_every == 0:
            parts.append(
                f'<text class="chart-label" x="{_number(x)}" y="{height - 3}">'
                f"{escape(bar.label)}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def _short(value: float) -> str:
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    if value >= 1000:
        return f"{value / 1000:.1f}k"
    return _number(value)
