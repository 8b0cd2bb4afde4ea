"""Server-rendered SVG bar charts (no script, so the strict CSP holds). A chart is drawn
beside a table with the same numbers, which is its text alternative; hidden (suppressed)
values are drawn as no bar."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
HEIGHT = 200
LABEL_SPACE = 28
GAP = 4


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    text: str
    text_x: float
    text_y: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    baseline: float


def columns(labels: Sequence[str], values: Sequence[float | None], texts: Sequence[str]) -> Chart:
    """Vertical bars, one per label (a trend by month)."""
    n = max(len(labels), 1)
    top = max([v or 0 for v in values] + [1])
    plot = HEIGHT - LABEL_SPACE - 16
    step = WIDTH / n
    bars = []
    for i, (label, value, text) in enumerate(zip(labels, values, texts, strict=True)):
        h = plot * (value or 0) / top
        x = i * step + GAP / 2
        y = 16 + plot - h
        bars.append(Bar(x, y, step - GAP, h, label, text, x + (step - GAP) / 2, y - 3))
    return Chart(WIDTH, HEIGHT, bars, 16 + plot)


def rows(labels: Sequence[str], values: Sequence[float | None], texts: Sequence[str]) -> Chart:
    """Horizontal bars, one per label (municipalities side by side)."""
    line = 22
    label_width = 200.0
    top = max([v or 0 for v in values] + [1])
    plot = WIDTH - label_width - 60
    bars = []
    for i, (label, value, text) in enumerate(zip(labels, values, texts, strict=True)):
        w = plot * (value or 0) / top
        y = i * line + 2
        bars.append(Bar(label_width, y, w, line - GAP, label, text, label_width + w + 4, y + 14))
    return Chart(WIDTH, max(len(bars), 1) * line + 4, bars, label_width)
