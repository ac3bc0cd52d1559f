"""A mean day's hourly shapes as a small SVG line chart, with no plotting library.

docs/realism.md shows the household's mean day against the BDEW profiles; the
charts are hand-written SVG polylines (a few kB each, readable in any browser and
on GitHub), written by `python -m bench realism --svg DIR`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 640, 360
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 40, 64


@dataclass(frozen=True)
class Series:
    label: str
    shares: Sequence[float]
    """24 hourly shares of the day (summing to 1)."""
    colour: str
    dashed: bool = False


def _x(hour: float) -> float:
    return LEFT + hour / 24 * (WIDTH - LEFT - RIGHT)


def _y(percent: float, top: float) -> float:
    return TOP + (1 - percent / top) * (HEIGHT - TOP - BOTTOM)


def mean_day_svg(title: str, series: Sequence[Series]) -> str:
    """The shapes in % of the day's energy per hour, each hour's point at its middle."""
    highest = max(max(s.shares) for s in series) * 100
    top = max(2.0, 2.0 * int(highest / 2.0 + 1))  # a whole number of 2 % grid lines
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{WIDTH / 2}" y="22" text-anchor="middle" font-size="14">{escape(title)}</text>',
    ]
    for step in range(0, int(top) + 1, 2):
        y = _y(step, top)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#ddd"/>'
        )
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{step} %</text>')
    for hour in range(0, 25, 3):
        x = _x(hour)
        parts.append(
            f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{HEIGHT - BOTTOM}" stroke="#eee"/>'
        )
        label_y = HEIGHT - BOTTOM + 16
        parts.append(f'<text x="{x:.1f}" y="{label_y}" text-anchor="middle">{hour:02d}:00</text>')
    parts.append(
        f'<text x="14" y="{(TOP + HEIGHT - BOTTOM) / 2}" text-anchor="middle" '
        f'transform="rotate(-90 14 {(TOP + HEIGHT - BOTTOM) / 2})">share of the day per hour</text>'
    )
    for i, s in enumerate(series):
        points = " ".join(
            f"{_x(h + 0.5):.1f},{_y(share * 100, top):.1f}" for h, share in enumerate(s.shares)
        )
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{s.colour}" stroke-width="2"{dash}/>'
        )
        x, y = LEFT + 10 + i * 190, HEIGHT - 18
        parts.append(
            f'<line x1="{x}" y1="{y - 4}" x2="{x + 24}" y2="{y - 4}" stroke="{s.colour}" '
            f'stroke-width="2"{dash}/>'
        )
        parts.append(f'<text x="{x + 30}" y="{y}">{escape(s.label)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
