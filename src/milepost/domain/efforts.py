"""Best efforts: the fastest time to cover each standard distance anywhere inside a recording.

Time as a function of distance is piecewise linear between samples, so the time a window of
length ``D`` takes is piecewise linear in where the window starts, with corners only where one of
its ends sits on a sample. The fastest window therefore starts or ends on a sample: two sweeps
(one with each end on a sample, the other end interpolated) find it. numpy does the sweeps: the
one place in the domain where a loop over every sample of every run was the import's bottleneck.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from milepost.domain.activity import Samples
from milepost.domain.units import HALF_MARATHON_M, MARATHON_M, METRES_PER_MILE

# Best efforts (and so VDOT from training) only mean something on foot at running pace.
EFFORT_SPORTS = frozenset({"running", "trail_running", "treadmill_running"})

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


def fastest_window(
    time_s: Sequence[float] | NDArray[np.float64],
    distance_m: Sequence[float] | NDArray[np.float64],
    target_m: float,
) -> tuple[float, float] | None:
    """``(duration_s, start_s)`` of the quickest stretch covering ``target_m``, if any does.

    ``distance_m`` must be cumulative (never decreasing) and ``time_s`` in order. Both sweeps
    are vectorised: the interpolated other end of every window is found with one binary search
    per sample (numpy), an hour at 1 Hz in about a millisecond per distance.
    """
    d = np.asarray(distance_m, dtype=np.float64)
    t = np.asarray(time_s, dtype=np.float64)
    n = len(d)
    if n < 2 or target_m <= 0 or d[-1] - d[0] < target_m:
        return None
    best: tuple[float, float] | None = None
    # Windows ending on sample j; the start falls between samples i and i + 1, where i + 1 is
    # the first sample past the start.
    start_m = d - target_m
    ends = np.nonzero(start_m >= d[0])[0]
    if len(ends):
        after = np.searchsorted(d, start_m[ends], side="right")
        i, k = after - 1, after
        t_start = t[i] + (t[k] - t[i]) * (start_m[ends] - d[i]) / (d[k] - d[i])
        durations = t[ends] - t_start
        m = int(np.argmin(durations))
        best = (float(durations[m]), float(t_start[m]))
    # Windows starting on sample i; the end falls between samples j - 1 and j, where j is the
    # first sample at or past the end.
    end_m = d[:-1] + target_m
    starts = np.nonzero(end_m <= d[-1])[0]
    if len(starts):
        j = np.searchsorted(d, end_m[starts], side="left")
        exact = d[j] == end_m[starts]
        before = np.maximum(j - 1, 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            between = t[before] + (t[j] - t[before]) * (end_m[starts] - d[before]) / (
                d[j] - d[before]
            )
        t_end = np.where(exact, t[j], between)
        durations = t_end - t[starts]
        m = int(np.argmin(durations))
        if best is None or durations[m] < best[0]:
            best = (float(durations[m]), float(t[starts][m]))
    return best


def best_efforts(
    samples: Samples, distances: Sequence[float] = BEST_EFFORT_DISTANCES_M
) -> tuple[BestEffort, ...]:
    """The fastest time for each of ``distances`` the recording covers, shortest first."""
    if samples.time_s is None or samples.distance_m is None:
        return ()
    times = np.asarray(samples.time_s, dtype=np.float64)  # converted once for every distance
    dist = np.asarray(samples.distance_m, dtype=np.float64)
    efforts = []
    for target_m in sorted(distances):
        found = fastest_window(times, dist, target_m)
        if found is None:
            break
        duration_s, start_s = found
        efforts.append(BestEffort(target_m, duration_s, start_s - float(times[0])))
    return tuple(efforts)
