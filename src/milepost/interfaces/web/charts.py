"""Shaping logged data into the series the Chart.js charts draw, in display units.

A watch records a point a second, so a long run holds thousands; a phone draws a few hundred
smoothly and a screen has no more pixels than that, so each series is cut to MAX_POINTS buckets
(averages, not every n-th reading, so a short spike neither vanishes nor dominates).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from milepost.domain.activity import Lap, Samples
from milepost.domain.load import LoadDay, VdotPoint
from milepost.domain.units import Units

MAX_POINTS = 500
# Slower than this is standing at a crossing, not running: no pace is drawn there.
MIN_SPEED_M_S = 0.5


def _buckets(n: int, limit: int = MAX_POINTS) -> list[tuple[int, int]]:
    """``[start, end)`` index ranges covering ``n`` samples in at most ``limit`` buckets."""
    if n <= limit:
        return [(i, i + 1) for i in range(n)]
    edges = [round(k * n / limit) for k in range(limit + 1)]
    return [(a, b) for a, b in pairwise(edges) if b > a]


def _finite(values: Sequence[float]) -> list[float]:
    return [v for v in values if math.isfinite(v)]


def _mean(values: Sequence[float]) -> float | None:
    found = _finite(values)
    return sum(found) / len(found) if found else None


def _last(values: Sequence[float]) -> float | None:
    return next((v for v in reversed(values) if math.isfinite(v)), None)


def activity_charts(samples: Samples | None, units: Units) -> dict[str, Any] | None:
    """Pace (minutes per km or mile), heart rate and elevation against distance (or, for a
    recording without distance, minutes from the start); None when there is nothing to draw."""
    if samples is None or len(samples) < 2:
        return None
    time_s, distance_m = samples.time_s, samples.distance_m
    by_distance = distance_m is not None and bool(_finite(distance_m))
    if not by_distance and time_s is None:
        return None
    t0 = next((v for v in time_s if math.isfinite(v)), None) if time_s else None
    series: dict[str, list[dict[str, float]]] = {"pace": [], "hr": [], "altitude": []}
    previous: tuple[float, float] | None = None  # (time, distance) where the last bucket ended
    for start, end in _buckets(len(samples)):
        t_end = _last(time_s[start:end]) if time_s else None
        d_end = _last(distance_m[start:end]) if distance_m else None
        if by_distance:
            if d_end is None:
                continue
            x = d_end / units.metres
        else:
            if t_end is None or t0 is None:
                continue
            x = (t_end - t0) / 60.0
        x = round(x, 3)
        if t_end is not None and d_end is not None:
            if previous is not None and t_end > previous[0]:
                speed = (d_end - previous[1]) / (t_end - previous[0])
                if speed >= MIN_SPEED_M_S:
                    minutes = units.metres / speed / 60.0
                    series["pace"].append({"x": x, "y": round(minutes, 3)})
            previous = (t_end, d_end)
        for key, column in (("hr", samples.hr_bpm), ("altitude", samples.altitude_m)):
            value = _mean(column[start:end]) if column else None
            if value is not None:
                series[key].append({"x": x, "y": round(value, 1)})
    return {
        "x_title": f"Distance ({units.value})" if by_distance else "Time (min)",
        "pace_title": f"Pace (min/{units.value})",
        **{key: points for key, points in series.items() if points},
    }


def lap_rows(laps: Sequence[Lap]) -> list[dict[str, Any]]:
    rows = []
    for number, lap in enumerate(laps, start=1):
        moving = lap.timer_s or lap.elapsed_s
        rows.append(
            {
                "number": number,
                "distance_m": lap.distance_m,
                "duration_s": moving,
                "pace_s_per_km": moving / (lap.distance_m / 1000.0) if lap.distance_m else None,
                "avg_hr_bpm": lap.avg_hr_bpm,
            }
        )
    return rows


def _spread(items: Sequence[Any], limit: int = MAX_POINTS) -> list[Any]:
    """At most ``limit`` items, evenly spaced, always keeping the latest."""
    if len(items) <= limit:
        return list(items)
    step = len(items) / limit
    picked = [items[math.floor(k * step)] for k in range(limit - 1)]
    return [*picked, items[-1]]


def fitness_chart(days: Sequence[LoadDay]) -> dict[str, Any]:
    picked = _spread(days)
    return {
        "labels": [d.date.isoformat() for d in picked],
        "fitness": [round(d.fitness_ctl, 1) for d in picked],
        "fatigue": [round(d.fatigue_atl, 1) for d in picked],
        "form": [round(d.form_tsb, 1) for d in picked],
    }


def vdot_chart(points: Sequence[VdotPoint]) -> dict[str, Any]:
    """Races and best efforts as two series over the same dates (a gap where the other is)."""
    picked = _spread(points)
    return {
        "labels": [p.date.isoformat() for p in picked],
        "race": [round(p.vdot, 1) if p.source == "race" else None for p in picked],
        "effort": [round(p.vdot, 1) if p.source != "race" else None for p in picked],
    }
