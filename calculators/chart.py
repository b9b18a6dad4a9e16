"""Line-chart geometry: plain data that the build (as SVG text) and the browser (as SVG
elements) both draw, so the picture always shows the same numbers as the table."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .money import dollars

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 84, 16, 16, 40  # room for the axis labels


def _nice_step(span: float, ticks: int = 5) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about `ticks` ticks."""
    raw = span / ticks if span > 0 else 1.0
    # Powers of ten by multiplication, not log10: libm differs between CPython and
    # Pyodide in the last bit, and the chart must come out the same in both.
    power = 1.0
    while power * 10 <= raw:
        power *= 10
    while power > raw:
        power /= 10
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _compact_dollars(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"${value / 1_000_000:g}M"
    if abs(value) >= 1_000:
        return f"${value / 1_000:g}k"
    return dollars(value)


def line_chart(
    label: str, x_values: Sequence[int], series: Sequence[tuple[str, Sequence[float]]]
) -> dict[str, Any]:
    """Geometry for lines over x_values (years), one per (label, values) pair."""
    top_value = max((max(values) for _, values in series), default=0)
    low_value = min(0.0, min((min(values) for _, values in series), default=0))
    step = _nice_step(top_value - low_value)
    y_max = math.ceil(top_value / step) * step if top_value > 0 else step
    y_min = math.floor(low_value / step) * step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    first, last = x_values[0], x_values[-1]

    def x(value: int) -> float:
        return LEFT + (plot_w * (value - first) / (last - first) if last > first else plot_w / 2)

    def y(value: float) -> float:
        return TOP + plot_h * (y_max - value) / (y_max - y_min)

    x_step = max(1, math.ceil(len(x_values) / 8))
    return {
        "label": label,
        "width": WIDTH,
        "height": HEIGHT,
        "plot": {"left": LEFT, "right": WIDTH - RIGHT, "top": TOP, "bottom": HEIGHT - BOTTOM},
        "xTicks": [{"x": round(x(v), 1), "label": str(v)} for v in x_values[::x_step]],
        "yTicks": [
            {"y": round(y(y_min + k * step), 1), "label": _compact_dollars(y_min + k * step)}
            for k in range(round((y_max - y_min) / step) + 1)
        ],
        "series": [
            {
                "label": name,
                "points": " ".join(f"{x(xv):.1f},{y(v):.1f}" for xv, v in zip(x_values, values, strict=True)),
            }
            for name, values in series
        ],
    }
