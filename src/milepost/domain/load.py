"""Training load: how hard each day was, and fitness, fatigue and form over time.

Sources (../shared/science.md §6):

* TRIMP (Banister 1991): minutes × x × k·e^(b·x) with x = (HR − rest) / (max − rest), the
  heart-rate reserve fraction; k, b = 0.64, 1.92 for men and 0.86, 1.67 for women.
* Running TSS (Coggan's TSS carried over to pace): hours × IF² × 100 with IF = threshold pace /
  pace, threshold pace being Daniels' T pace for the runner's VDOT.
* Fitness–fatigue (Banister's impulse–response model, in the exponentially weighted form used by
  most training software): CTL and ATL move toward each day's load by 1/42 and 1/7 of the gap;
  form TSB = CTL − ATL. Check: 42 days of 100 from zero give CTL 63.7 and ATL 99.8.
* The acute:chronic ratio is given as information only: it is widely criticised as a predictor of
  injury (Lolli 2019; Impellizzeri 2020) and never decides anything here.

An hour at threshold is 100 TSS, and an hour near threshold heart rate is roughly 100 TRIMP, so
the two are added into one daily load; a run with heart rate uses TRIMP, one without uses TSS.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from milepost.domain.athlete import Sex
from milepost.domain.efforts import BestEffort
from milepost.domain.vdot import (
    PLAUSIBLE_MAX_VDOT,
    PLAUSIBLE_MIN_VDOT,
    oxygen_cost,
    sustainable_fraction,
)

CTL_DAYS = 42
ATL_DAYS = 7
# Banister's weighting of the heart-rate reserve fraction: (k, b) in k·e^(b·x).
TRIMP_WEIGHTS: dict[Sex, tuple[float, float]] = {
    Sex.MALE: (0.64, 1.92),
    Sex.FEMALE: (0.86, 1.67),
}
# Without a sex (or for "other") the mean of the two curves: they differ by under 10 % over the
# range runners train in, less than the error of an estimated maximum heart rate.
# When the athlete gave no resting heart rate: a typical adult value (trained runners sit lower,
# which raises their TRIMP a little).
DEFAULT_REST_HR_BPM = 60.0
# When neither a recorded nor an age-based maximum is known.
DEFAULT_MAX_HR_BPM = 190.0
# Best efforts shorter than this give VDOTs the formula was not fitted for (Daniels' races run
# from 1500 m up, over about 3.5 minutes).
MIN_EFFORT_FOR_VDOT_M = 1600.0


def trimp(
    duration_s: float,
    avg_hr_bpm: float,
    rest_hr_bpm: float,
    max_hr_bpm: float,
    sex: Sex | None = None,
) -> float:
    """Banister's TRIMP for a session at an average heart rate (science.md §6)."""
    if duration_s <= 0 or max_hr_bpm <= rest_hr_bpm:
        return 0.0
    x = (avg_hr_bpm - rest_hr_bpm) / (max_hr_bpm - rest_hr_bpm)
    x = min(1.0, max(0.0, x))
    minutes = duration_s / 60.0
    curves = [TRIMP_WEIGHTS[sex]] if sex in TRIMP_WEIGHTS else list(TRIMP_WEIGHTS.values())
    weight = sum(k * math.exp(b * x) for k, b in curves) / len(curves)
    return minutes * x * weight


def running_tss(duration_s: float, pace_s_per_km: float, threshold_pace_s_per_km: float) -> float:
    """hours × IF² × 100 with IF = threshold pace / pace (science.md §6)."""
    if duration_s <= 0 or pace_s_per_km <= 0:
        return 0.0
    intensity = threshold_pace_s_per_km / pace_s_per_km
    return duration_s / 3600.0 * intensity**2 * 100.0


def age_predicted_max_hr_bpm(age_years: float) -> float:
    """208 − 0.7 × age (Tanaka, Monahan & Seals 2001), for when no maximum was ever recorded."""
    return 208.0 - 0.7 * age_years


@dataclass(frozen=True)
class HeartRateBounds:
    rest_hr_bpm: float
    max_hr_bpm: float
    source: str  # what the numbers come from, for the runner to read


def heart_rate_bounds(
    *,
    highest_recorded_hr_bpm: float | None,
    age_years: float | None,
    rest_hr_bpm: float | None = None,
) -> HeartRateBounds:
    """Resting and maximum heart rate for TRIMP, with where each number came from.

    The maximum is the higher of the highest heart rate in the log and the age prediction:
    a recorded value is a true lower bound, and the prediction errs by ±10 bpm either way.
    """
    candidates = []
    if highest_recorded_hr_bpm is not None:
        candidates.append((highest_recorded_hr_bpm, "the highest heart rate in your log"))
    if age_years is not None:
        candidates.append((age_predicted_max_hr_bpm(age_years), "208 − 0.7 × age (Tanaka 2001)"))
    max_hr, max_source = max(
        candidates, default=(DEFAULT_MAX_HR_BPM, "a default of 190 bpm"), key=lambda c: c[0]
    )
    rest = rest_hr_bpm if rest_hr_bpm is not None else DEFAULT_REST_HR_BPM
    rest_source = "yours" if rest_hr_bpm is not None else f"a default of {rest:.0f} bpm"
    return HeartRateBounds(
        rest_hr_bpm=rest,
        max_hr_bpm=max_hr,
        source=f"maximum heart rate {max_hr:.0f} bpm from {max_source}; resting {rest_source}",
    )


@dataclass(frozen=True)
class SessionLoad:
    load: float
    method: str  # "trimp" | "tss"


def session_load(
    *,
    duration_s: float | None,
    distance_m: float | None,
    avg_hr_bpm: float | None,
    bounds: HeartRateBounds,
    sex: Sex | None,
    threshold_pace_s_per_km: float | None,
) -> SessionLoad | None:
    """TRIMP when there is heart rate, else running TSS from pace; ``None`` when neither works."""
    if not duration_s or duration_s <= 0:
        return None
    if avg_hr_bpm is not None:
        return SessionLoad(
            trimp(duration_s, avg_hr_bpm, bounds.rest_hr_bpm, bounds.max_hr_bpm, sex), "trimp"
        )
    if distance_m and threshold_pace_s_per_km:
        pace = duration_s / (distance_m / 1000.0)
        return SessionLoad(running_tss(duration_s, pace, threshold_pace_s_per_km), "tss")
    return None


@dataclass(frozen=True)
class LoadDay:
    date: date
    load: float
    fitness_ctl: float
    fatigue_atl: float

    @property
    def form_tsb(self) -> float:
        return self.fitness_ctl - self.fatigue_atl

    @property
    def acute_chronic_ratio(self) -> float | None:
        """ATL / CTL, as information only (see the module docstring)."""
        return self.fatigue_atl / self.fitness_ctl if self.fitness_ctl > 0 else None


def fitness_fatigue(
    daily_load: Mapping[date, float],
    start: date,
    end: date,
    *,
    fitness_ctl: float = 0.0,
    fatigue_atl: float = 0.0,
) -> list[LoadDay]:
    """CTL, ATL (and so TSB) for each day from ``start`` to ``end``; days without load count 0."""
    days: list[LoadDay] = []
    ctl, atl = fitness_ctl, fatigue_atl
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        load = daily_load.get(day, 0.0)
        ctl += (load - ctl) / CTL_DAYS
        atl += (load - atl) / ATL_DAYS
        days.append(LoadDay(day, load, ctl, atl))
    return days


@dataclass(frozen=True)
class VdotPoint:
    date: date
    vdot: float
    source: str  # "race" | "best effort"
    distance_m: float
    time_s: float


def _plausible(distance_m: float, time_s: float) -> float | None:
    minutes = time_s / 60.0
    if distance_m <= 0 or minutes <= 0:
        return None
    # vdot_from_race's formula; it raises outside the plausible range, where a jogged 5K is
    # simply not a data point
    value = oxygen_cost(distance_m / minutes) / sustainable_fraction(minutes)
    return value if PLAUSIBLE_MIN_VDOT <= value <= PLAUSIBLE_MAX_VDOT else None


def vdot_history(
    races: Iterable[tuple[date, float, float]],
    efforts: Iterable[tuple[date, BestEffort]],
) -> list[VdotPoint]:
    """VDOT over time: each race ``(date, distance_m, time_s)``, and for each day with best
    efforts the highest VDOT among efforts of a mile or more (a training effort is not a race,
    so these read low: a floor on fitness, not an estimate of it)."""
    points = []
    for on, distance_m, time_s in races:
        value = _plausible(distance_m, time_s)
        if value is not None:
            points.append(VdotPoint(on, value, "race", distance_m, time_s))
    best: dict[date, VdotPoint] = {}
    for on, effort in efforts:
        if effort.distance_m < MIN_EFFORT_FOR_VDOT_M:
            continue
        value = _plausible(effort.distance_m, effort.duration_s)
        if value is None:
            continue
        if on not in best or value > best[on].vdot:
            best[on] = VdotPoint(on, value, "best effort", effort.distance_m, effort.duration_s)
    points.extend(best.values())
    return sorted(points, key=lambda p: (p.date, p.source != "race"))
