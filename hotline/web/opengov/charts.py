"""Trend charts drawn on the server as inline SVG: no script, no chart library, no CDN, and the page's own
stylesheet colours them (series s0, s1, s2 in opengov.css; the Content-Security-Policy allows no inline style).
Each chart is an image with a title and a description for screen readers, each bar and point has its value as
a tooltip, and the same numbers are in the table next to it."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 400, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 12, 38  # room for the axis labels: the month, and under it the year


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def _nice_step(value: float) -> float:
    """The smallest step of 1, 2, 2.5 or 5 times a power of ten that is at least `value`, and a whole number."""
    power = 10 ** math.floor(math.log10(value)) if value > 0 else 1
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value and float(step * power).is_integer():
            return step * power
    return 10 * power


def _axis(value: float) -> list[float]:
    """Gridlines for counts up to `value`: whole steps, four or five of them, the top as low as that allows."""
    best = min((k * max(_nice_step(value / k), 1), k) for k in (4, 5))
    top, k = best
    return [top * i / k for i in range(k + 1)]


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


class _Frame:
    def __init__(self, count: int, top: float):
        self.count, self.top = count, top
        self.plot_w, self.plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(self, i: int) -> float:  # the middle of the i-th slot
        return LEFT + self.plot_w * (i + 0.5) / max(self.count, 1)

    def y(self, value: float) -> float:
        return TOP + self.plot_h * (1 - value / self.top)

    @property
    def slot(self) -> float:
        return self.plot_w / max(self.count, 1)


def _frame(parts: list[str], frame: _Frame, labels: Sequence[str], ticks: Sequence[float], tick_label,
           years: Sequence[str] | None = None) -> None:
    for tick in ticks:
        y = frame.y(tick)
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="tick" x="{LEFT - 5}" y="{y + 4:.1f}" text-anchor="end">{escape(tick_label(tick))}'
                     '</text>')
    every = 1 if frame.slot >= 28 else 2  # labels that would touch are thinned, the latest always shown
    for i, label in enumerate(labels):
        if (len(labels) - 1 - i) % every == 0:
            parts.append(f'<text class="tick" x="{frame.x(i):.1f}" y="{HEIGHT - 21}" text-anchor="middle">'
                         f'{escape(label)}</text>')
        if years and years[i]:  # the first month and each January say their year
            parts.append(f'<text class="tick year" x="{frame.x(i):.1f}" y="{HEIGHT - 5}" text-anchor="middle">'
                         f'{escape(years[i])}</text>')
    parts.append(f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + frame.plot_h}" '
                 f'y2="{TOP + frame.plot_h}"/>')


def _open(ident: str, title: str, description: str) -> list[str]:
    return [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{ident}-t {ident}-d" '
            f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">',
            f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(description)}</desc>']


def bars(ident: str, title: str, description: str, labels: Sequence[str], series: Sequence[Series],
         long_labels: Sequence[str] | None = None, years: Sequence[str] | None = None) -> Markup:
    """Grouped bars, one group per label (month), one bar per series."""
    ticks = _axis(max((v or 0 for s in series for v in s.values), default=0))
    frame = _Frame(len(labels), ticks[-1])
    parts = _open(ident, title, description)
    _frame(parts, frame, labels, ticks, _number, years)
    width = frame.slot * 0.8 / max(len(series), 1)
    for n, s in enumerate(series):
        parts.append(f'<g class="s{n}">')
        for i, value in enumerate(s.values):
            value = value or 0
            x = frame.x(i) - frame.slot * 0.4 + n * width
            y = frame.y(value)
            tip = f"{(long_labels or labels)[i]} {s.name}: {_number(value)}"
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width - 1, 1):.1f}" '
                         f'height="{TOP + frame.plot_h - y:.1f}"><title>{escape(tip)}</title></rect>')
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 — every text in it is escaped above


def lines(ident: str, title: str, description: str, labels: Sequence[str], series: Sequence[Series],
          long_labels: Sequence[str] | None = None, years: Sequence[str] | None = None) -> Markup:
    """Rates (0..1) as lines over the months, on a 0–100 % axis; a month without a rate breaks the line."""
    frame = _Frame(len(labels), 1.0)
    parts = _open(ident, title, description)
    _frame(parts, frame, labels, [k / 4 for k in range(5)], lambda t: f"{t * 100:.0f}%", years)
    for n, s in enumerate(series):
        parts.append(f'<g class="s{n}">')
        run: list[str] = []
        for i, value in enumerate([*s.values, None]):
            if value is None:
                if len(run) > 1:
                    parts.append(f'<polyline points="{" ".join(run)}"/>')
                run = []
                continue
            run.append(f"{frame.x(i):.1f},{frame.y(value):.1f}")
        for i, value in enumerate(s.values):
            if value is not None:
                tip = f"{(long_labels or labels)[i]} {s.name}: {value * 100:.1f}%"
                parts.append(f'<circle cx="{frame.x(i):.1f}" cy="{frame.y(value):.1f}" r="3">'
                             f'<title>{escape(tip)}</title></circle>')
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 — every text in it is escaped above
