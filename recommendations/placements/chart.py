"""Geometry of the daily CTR chart: the template draws it as inline SVG, with no JS library."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..models import Variant
from .stats import DailyPoint

# Distinguishable for the common colour-vision deficiencies (Okabe–Ito).
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 12, 28


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Line:
    name: str
    colour: str
    dots: list[Dot]

    @property
    def points(self) -> str:
        return " ".join(f"{d.x},{d.y}" for d in self.dots)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    lines: list[Line]
    x_ticks: list[Tick]
    y_ticks: list[Tick]


def ctr_chart(
    variants: Sequence[Variant],
    daily: dict[int, list[DailyPoint]],
    *,
    width: int = 720,
    height: int = 240,
) -> Chart | None:
    """Daily CTR per variant; a day without impressions has no point. None without data."""
    days = sorted({p.day for points in daily.values() for p in points if p.impressions})
    if not days:
        return None
    right, bottom = width - RIGHT, height - BOTTOM
    ctrs = [p.ctr for points in daily.values() for p in points if p.ctr is not None]
    top_ctr = max(max(ctrs), 0.001) * 1.1
    step = (right - LEFT) / (len(days) - 1) if len(days) > 1 else 0
    column = {day: i for i, day in enumerate(days)}

    def x(day: date) -> float:
        return round(LEFT + step * column[day] if step else (LEFT + right) / 2, 1)

    def y(ctr: float) -> float:
        return round(bottom - (bottom - TOP) * ctr / top_ctr, 1)

    lines = [
        Line(
            name=variant.name,
            colour=COLOURS[index % len(COLOURS)],
            dots=[
                Dot(
                    x(p.day),
                    y(p.ctr),
                    f"{variant.name}, {p.day:%Y-%m-%d}: {p.ctr:.2%} ({p.clicks}/{p.impressions})",
                )
                for p in daily.get(variant.pk, [])
                if p.ctr is not None
            ],
        )
        for index, variant in enumerate(variants)
    ]
    x_ticks = [Tick(x(d), f"{d:%b %d}") for d in sorted({days[0], days[len(days) // 2], days[-1]})]
    y_ticks = [Tick(y(top_ctr * f), f"{top_ctr * f:.1%}") for f in (0, 0.5, 1)]
    return Chart(width, height, LEFT, right, TOP, bottom, lines, x_ticks, y_ticks)
