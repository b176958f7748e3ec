"""Bar charts as inline SVG, computed at build time (no chart library reaches the browser).

`bar_chart(labels, series, ...)` draws grouped bars (one group per label, one bar per series)
with a legend, a value axis with round ticks and a text title/description for screen readers.
Colours come from CSS classes (`chart-bar--<css>`), with a fill attribute as fallback.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from math import ceil, floor, log10

from markupsafe import Markup

WIDTH, HEIGHT = 400, 280
LEFT, RIGHT, TOP, BOTTOM = 58, 8, 62, 30


@dataclass(frozen=True)
class Series:
    """One series of values (same order as the labels), its legend and its colour."""

    label: str
    values: tuple[float, ...]
    css: str
    fill: str


def nice_step(top: float, ticks: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 × 10^n) so that `ticks` steps reach `top`."""
    if top <= 0:
        return 1
    raw = top / ticks
    power = 10 ** floor(log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def number_fr(value: float) -> str:
    """12500 → "12 500" (narrow no-break space), 2.5 → "2,5"."""
    text = f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"
    return text.replace(",", "\u202f").replace(".", ",")


def _legend(series: list[Series]) -> list[str]:
    """One legend line per series, above the plot (fits a phone's width)."""
    parts = []
    for i, s in enumerate(series):
        y = 6 + 20 * i
        parts.append(f'<rect x="{LEFT}" y="{y}" width="14" height="14" rx="2" '
                     f'class="chart-bar chart-bar--{s.css}" fill="{s.fill}"/>')
        parts.append(f'<text x="{LEFT + 20}" y="{y + 12}" class="chart-legend">'
                     f'{escape(s.label)}</text>')
    return parts


def _axis(step: float, top: float, plot_h: float, unit: str) -> list[str]:
    parts, value = [], 0.0
    while value <= top + 1e-9:
        y = TOP + plot_h - value / top * plot_h
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     'class="chart-grid" stroke="#c9ccd1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
                     f'class="chart-tick">{number_fr(value)}{unit}</text>')
        value += step
    return parts


def bar_chart(labels: list[str], series: list[Series], title: str, description: str,
              chart_id: str = "chart", unit: str = "") -> Markup:
    """The chart as an <svg> element, labelled by its title and description."""
    highest = max((v for s in series for v in s.values), default=0)
    step = nice_step(highest)
    top = max(step, ceil(highest / step) * step)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(len(labels), 1)
    bar_w = min(36.0, group_w * 0.8 / max(len(series), 1))
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
             'xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{chart_id}-title">{escape(title)}</title>',
             f'<desc id="{chart_id}-desc">{escape(description)}</desc>']
    parts += _axis(step, top, plot_h, unit)
    parts += _legend(series)
    for i, label in enumerate(labels):
        centre = LEFT + group_w * (i + 0.5)
        start = centre - bar_w * len(series) / 2
        for j, s in enumerate(series):
            h = s.values[i] / top * plot_h
            parts.append(f'<rect x="{start + j * bar_w + 1:.1f}" y="{TOP + plot_h - h:.1f}" '
                         f'width="{bar_w - 2:.1f}" height="{h:.1f}" '
                         f'class="chart-bar chart-bar--{s.css}" fill="{s.fill}">'
                         f'<title>{escape(s.label)}, {escape(label)} : '
                         f'{number_fr(s.values[i])}{unit}</title></rect>')
        parts.append(f'<text x="{centre:.1f}" y="{HEIGHT - 10}" text-anchor="middle" '
                     f'class="chart-label">{escape(label)}</text>')
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" '
                 f'y2="{TOP + plot_h}" class="chart-baseline" stroke="#333"/>')
    parts.append("</svg>")
    return Markup("\n".join(parts))


BAR_H, GAP = 18, 30  # a horizontal bar, and the room for its label above it


def hbar_chart(labels: list[str], series: Series, title: str, description: str,
               chart_id: str = "chart", unit: str = "") -> Markup:
    """One horizontal bar per label, the label above its bar and the value after it:
    long names (communes) stay readable on a phone."""
    highest = max(series.values, default=0) or 1
    plot_w = WIDTH - 8 - 110  # room on the right for the value
    height = 8 + len(labels) * (BAR_H + GAP)
    parts = [f'<svg class="chart chart--horizontal" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
             'xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{chart_id}-title">{escape(title)}</title>',
             f'<desc id="{chart_id}-desc">{escape(description)}</desc>']
    for i, (label, value) in enumerate(zip(labels, series.values, strict=True)):
        y = 8 + i * (BAR_H + GAP) + GAP - 8
        w = value / highest * plot_w
        text = f"{number_fr(value)}{unit}"
        parts.append(f'<text x="8" y="{y - 6}" class="chart-label">{escape(label)}</text>')
        parts.append(f'<rect x="8" y="{y}" width="{w:.1f}" height="{BAR_H}" '
                     f'class="chart-bar chart-bar--{series.css}" fill="{series.fill}">'
                     f'<title>{escape(label)} : {text}</title></rect>')
        parts.append(f'<text x="{8 + w + 6:.1f}" y="{y + 14}" class="chart-tick">{text}</text>')
    parts.append("</svg>")
    return Markup("\n".join(parts))
