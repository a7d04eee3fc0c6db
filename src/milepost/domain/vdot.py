"""Jack Daniels' VDOT system: fitness from a race, equivalent race times, training paces.

Sources (docs/science.md §1): Daniels & Gilbert, *Oxygen Power* (1979); Daniels' Running Formula,
3rd ed., Tables 5.1 and 5.2. The race equations are published; the training-pace shares of VDOT
are a least-squares fit to Table 5.2 (public notebook tlgs/vdot), checked in tests against the book.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from milepost.domain.units import STANDARD_DISTANCES, format_distance, format_duration
from milepost.errors import InputError

# The range Daniels' tables cover; outside it we extrapolate and say so.
TABLE_MIN_VDOT = 30.0
TABLE_MAX_VDOT = 85.0
# Beyond these the numbers stop describing a runner: a typo is likelier than a result.
PLAUSIBLE_MIN_VDOT = 15.0
PLAUSIBLE_MAX_VDOT = 95.0

# Training-pace intensities as shares of VDOT: a minimax fit to Table 5.2 over VDOT 40–85
# (docs/science.md §1), close to the tlgs/vdot least-squares shares (63.0 / 73.5 / 88.0 / 97.4 %).
E_SLOW_SHARE = 0.6295
E_FAST_SHARE = 0.7315
T_SHARE = 0.8795
I_SHARE = 0.974
# The book's per-400 m column for I sits a little faster than its per-km column (98.1 % of VDOT
# fits it to within 1 s per 400 m), and R per 400 m is that I less 8 s below VDOT 48, 7 s at 48–49
# and 6 s from 50 up: the pattern of every row of Table 5.2. [D: our fit to the table]
I_400_SHARE = 0.981


def _r_offset_s_per_400m(vdot: float) -> float:
    if vdot < 48.0:
        return 8.0
    return 7.0 if vdot < 50.0 else 6.0


def oxygen_cost(speed_m_per_min: float) -> float:
    """VO2 (ml/kg/min) of running at a speed (Daniels & Gilbert)."""
    v = speed_m_per_min
    return -4.60 + 0.182258 * v + 0.000104 * v * v


def speed_for_oxygen(vo2: float) -> float:
    """Speed (m/min) whose oxygen cost is ``vo2``: the positive root of :func:`oxygen_cost`."""
    a, b, c = 0.000104, 0.182258, -4.60 - vo2
    return (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)


def sustainable_fraction(duration_min: float) -> float:
    """Share of VO2max a runner can hold for ``duration_min`` minutes (Daniels & Gilbert)."""
    t = duration_min
    return 0.8 + 0.1894393 * math.exp(-0.012778 * t) + 0.2989558 * math.exp(-0.1932605 * t)


def vdot_from_race(distance_m: float, time_s: float) -> float:
    """VDOT of a race of ``distance_m`` run in ``time_s``; raises if the result is implausible."""
    if distance_m <= 0 or time_s <= 0:
        raise InputError("a race needs a distance and a time longer than zero")
    minutes = time_s / 60.0
    value = oxygen_cost(distance_m / minutes) / sustainable_fraction(minutes)
    if not PLAUSIBLE_MIN_VDOT <= value <= PLAUSIBLE_MAX_VDOT:
        raise InputError(
            f"{format_distance(distance_m)} in {format_duration(time_s)} gives a VDOT of "
            f"{value:.1f}, outside anything a runner records "
            f"({PLAUSIBLE_MIN_VDOT:.0f}–{PLAUSIBLE_MAX_VDOT:.0f})",
            hint="check the distance and the time (h:mm:ss for hours)",
        )
    return value


def race_time_s(vdot: float, distance_m: float) -> float:
    """The time (s) a runner of this VDOT is predicted to race ``distance_m`` in.

    Solves ``oxygen_cost(d/t) / sustainable_fraction(t) = vdot`` for t; the left side falls
    monotonically with t, so bisection on a generous bracket always converges.
    """
    _check_vdot(vdot)
    if distance_m <= 0:
        raise InputError("a race distance must be longer than zero")
    lo, hi = distance_m / 1000.0, distance_m / 20.0  # 1000 m/min down to 20 m/min, in minutes
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        if oxygen_cost(distance_m / mid) / sustainable_fraction(mid) > vdot:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-9:
            break
    return 0.5 * (lo + hi) * 60.0


@dataclass(frozen=True)
class TrainingPaces:
    """Daniels' training paces in seconds per kilometre. E is a range (fast, slow)."""

    vdot: float
    easy: tuple[float, float]
    marathon: float
    threshold: float
    interval: float
    repetition: float
    interval_400m_s: float  # the book's per-400 m I, slightly faster than its per-km I
    repetition_400m_s: float

    def rounded(self, decimals: int = 1) -> TrainingPaces:
        """The same paces to a tenth of a second: what plans store and show."""
        return TrainingPaces(
            vdot=self.vdot,
            easy=(round(self.easy[0], decimals), round(self.easy[1], decimals)),
            marathon=round(self.marathon, decimals),
            threshold=round(self.threshold, decimals),
            interval=round(self.interval, decimals),
            repetition=round(self.repetition, decimals),
            interval_400m_s=round(self.interval_400m_s, decimals),
            repetition_400m_s=round(self.repetition_400m_s, decimals),
        )

    def by_zone(self) -> dict[str, tuple[float, float]]:
        """Each zone as a (fast, slow) range; single paces have fast == slow."""
        return {
            "E": self.easy,
            "M": (self.marathon, self.marathon),
            "T": (self.threshold, self.threshold),
            "I": (self.interval, self.interval),
            "R": (self.repetition, self.repetition),
        }


def _pace_at_share(vdot: float, share: float) -> float:
    return 1000.0 / speed_for_oxygen(vdot * share) * 60.0


def training_paces(vdot: float) -> TrainingPaces:
    """E, M, T, I and R paces for a VDOT (docs/science.md §1)."""
    _check_vdot(vdot)
    interval_400m = _pace_at_share(vdot, I_400_SHARE) * 0.4
    repetition_400m = interval_400m - _r_offset_s_per_400m(vdot)
    return TrainingPaces(
        vdot=vdot,
        easy=(_pace_at_share(vdot, E_FAST_SHARE), _pace_at_share(vdot, E_SLOW_SHARE)),
        marathon=race_time_s(vdot, 42195.0) / 42.195,
        threshold=_pace_at_share(vdot, T_SHARE),
        interval=_pace_at_share(vdot, I_SHARE),
        repetition=repetition_400m * 2.5,
        interval_400m_s=interval_400m,
        repetition_400m_s=repetition_400m,
    )


def equivalent_times(vdot: float) -> dict[str, float]:
    """Predicted race times (s) for every distance in Daniels' Table 5.1, keyed by distance key."""
    return {d.key: race_time_s(vdot, d.metres) for d in STANDARD_DISTANCES}


def vdot_warnings(vdot: float) -> list[str]:
    """Say so when a VDOT lies outside the range Daniels' tables cover."""
    if TABLE_MIN_VDOT <= vdot <= TABLE_MAX_VDOT:
        return []
    return [
        f"VDOT {vdot:.1f} is outside Daniels' tables ({TABLE_MIN_VDOT:.0f}–{TABLE_MAX_VDOT:.0f}): "
        "these numbers are extrapolated from the equations and less certain"
    ]


def _check_vdot(vdot: float) -> None:
    if not math.isfinite(vdot) or not PLAUSIBLE_MIN_VDOT <= vdot <= PLAUSIBLE_MAX_VDOT:
        raise InputError(
            f"VDOT {vdot} is outside what milepost can work with "
            f"({PLAUSIBLE_MIN_VDOT:.0f}–{PLAUSIBLE_MAX_VDOT:.0f})"
        )
