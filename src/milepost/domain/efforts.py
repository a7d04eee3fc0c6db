"""Best efforts: the fastest time to cover each standard distance anywhere inside a recording.

Time as a function of distance is piecewise linear between samples, so the time a window of
length ``D`` takes is piecewise linear in where the window starts, with corners only where one of
its ends sits on a sample. The fastest window therefore starts or ends on a sample: two sweeps of
two pointers over cumulative distance (one with each end on a sample, the other end interpolated)
find it in O(n) per distance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from milepost.domain.activity import Samples
from milepost.domain.units import HALF_MARATHON_M, MARATHON_M, METRES_PER_MILE

BEST_EFFORT_DISTANCES_M: tuple[float, ...] = (
    400.0,
    1000.0,
    METRES_PER_MILE,
    5000.0,
    10000.0,
    HALF_MARATHON_M,
    MARATHON_M,
)


@dataclass(frozen=True)
class BestEffort:
    distance_m: float
    duration_s: float
    start_offset_s: float  # from the first sample of the activity

    @property
    def pace_s_per_km(self) -> float:
        return self.duration_s / (self.distance_m / 1000.0)


def _interpolate(t0: float, t1: float, d0: float, d1: float, at_m: float) -> float:
    return t0 + (t1 - t0) * (at_m - d0) / (d1 - d0)


def fastest_window(
    time_s: Sequence[float], distance_m: Sequence[float], target_m: float
) -> tuple[float, float] | None:
    """``(duration_s, start_s)`` of the quickest stretch covering ``target_m``, if any does.

    ``distance_m`` must be cumulative (never decreasing) and ``time_s`` in order.
    """
    n = len(distance_m)
    if n < 2 or target_m <= 0 or distance_m[-1] - distance_m[0] < target_m:
        return None
    best: tuple[float, float] | None = None
    # Windows ending on sample j; the start falls between samples i and i + 1.
    i = 0
    for j in range(1, n):
        start_m = distance_m[j] - target_m
        if start_m < distance_m[0]:
            continue
        while distance_m[i + 1] <= start_m:
            i += 1
        t_start = _interpolate(time_s[i], time_s[i + 1], distance_m[i], distance_m[i + 1], start_m)
        if best is None or time_s[j] - t_start < best[0]:
            best = (time_s[j] - t_start, t_start)
    # Windows starting on sample i; the end falls between samples j - 1 and j.
    j = 0
    for i in range(n - 1):
        end_m = distance_m[i] + target_m
        if end_m > distance_m[-1]:
            break
        while distance_m[j] < end_m:
            j += 1
        t_end = (
            time_s[j]
            if distance_m[j] == end_m
            else _interpolate(time_s[j - 1], time_s[j], distance_m[j - 1], distance_m[j], end_m)
        )
        if best is None or t_end - time_s[i] < best[0]:
            best = (t_end - time_s[i], time_s[i])
    return best


def best_efforts(
    samples: Samples, distances: Sequence[float] = BEST_EFFORT_DISTANCES_M
) -> tuple[BestEffort, ...]:
    """The fastest time for each of ``distances`` the recording covers, shortest first."""
    times, dist = samples.time_s, samples.distance_m
    if times is None or dist is None:
        return ()
    efforts = []
    for target_m in sorted(distances):
        found = fastest_window(times, dist, target_m)
        if found is None:
            break
        duration_s, start_s = found
        efforts.append(BestEffort(target_m, duration_s, start_s - times[0]))
    return tuple(efforts)
