"""Pace adjustments for heat, altitude and hills (docs/science.md §5).

Each adjustment says which training zones it touches and why, so the runner sees the reason.
Zones are Daniels' E, M, T, I, R. Paces are seconds per kilometre.
"""

from __future__ import annotations

from dataclasses import dataclass

from milepost.domain.units import METRES_PER_FOOT, METRES_PER_MILE, c_to_f
from milepost.errors import InputError

ZONES = ("E", "M", "T", "I", "R")

# Hadley's rule: temperature + dew point (°F) → slowdown in percent, linear inside each band
# (docs/science.md §5, [S]). Each row: (upper bound of the sum, slowdown % at the band's top).
_HEAT_BANDS: tuple[tuple[float, float], ...] = (
    (100.0, 0.0),
    (110.0, 0.5),
    (120.0, 1.0),
    (130.0, 2.0),
    (140.0, 3.0),
    (150.0, 4.5),
    (160.0, 6.0),
    (170.0, 8.0),
    (180.0, 10.0),
)
HEAT_LIMIT_F = 180.0

# Daniels (VDOT O2 "Ask a coach", [P]): T and I slow by about 4–5 s/mile per 1,000 ft above
# 3,000 ft; R is unchanged (recoveries get longer instead). We take the middle, 4.5 s/mile, and
# give it to every aerobic pace, E and M too [D: thinner air costs every aerobic effort; left
# unslowed, M would end up a few seconds from T].
ALTITUDE_THRESHOLD_FT = 3000.0
ALTITUDE_S_PER_MILE_PER_1000FT = 4.5
ALTITUDE_ZONES = ("E", "M", "T", "I")

# Downhill credit [S: Daniels' rule of thumb — each 1 % of downgrade gives back about 8 s/mile,
# less than the 12–15 s/mile each 1 % of upgrade costs]. Minetti's cost curve keeps falling to
# about −20 %, which would credit an easy pace of 3:17/km at −10 %; the credit is capped here.
DOWNHILL_S_PER_MILE_PER_PCT = 8.0

# Minetti et al. (J Appl Physiol 2002, [P]): the formula holds for gradients in [-0.45, 0.45].
MAX_ABS_GRADE = 0.45


@dataclass(frozen=True)
class Adjustment:
    """What one condition does to each zone's pace."""

    kind: str  # "heat" | "altitude" | "grade"
    reason: str
    factor_by_zone: dict[str, float]  # multiplies the pace (1.0 = unchanged)
    add_s_per_km_by_zone: dict[str, float]  # then adds seconds per km
    hard_running_advised: bool = True
    max_credit_s_per_km: float | None = None  # the most it may take off a pace (downhill)

    def apply(self, zone: str, pace_s_per_km: float) -> float:
        adjusted = pace_s_per_km * self.factor_by_zone.get(
            zone, 1.0
        ) + self.add_s_per_km_by_zone.get(zone, 0.0)
        if self.max_credit_s_per_km is not None:
            adjusted = max(adjusted, pace_s_per_km - self.max_credit_s_per_km)
        return adjusted


def heat_slowdown_pct(temp_c: float, dew_point_c: float) -> float:
    """Hadley's slowdown (%) for a temperature and dew point; beyond 180 °F the top band's 10 %."""
    if dew_point_c > temp_c + 0.05:
        raise InputError(
            f"a dew point of {dew_point_c:.1f} °C cannot be above the temperature "
            f"({temp_c:.1f} °C)",
            hint="the dew point is at most the air temperature",
        )
    total_f = c_to_f(temp_c) + c_to_f(dew_point_c)
    low_sum, low_pct = 0.0, 0.0
    for upper, pct in _HEAT_BANDS:
        if total_f <= upper:
            if pct == 0.0:
                return 0.0
            return low_pct + (pct - low_pct) * (total_f - low_sum) / (upper - low_sum)
        low_sum, low_pct = upper, pct
    return _HEAT_BANDS[-1][1]


def heat_adjustment(temp_c: float, dew_point_c: float) -> Adjustment:
    pct = heat_slowdown_pct(temp_c, dew_point_c)
    total_f = c_to_f(temp_c) + c_to_f(dew_point_c)
    full = 1.0 + pct / 100.0
    half = 1.0 + pct / 200.0  # repeats of a mile or less take half the adjustment
    too_hot = total_f > HEAT_LIMIT_F
    reason = (
        f"heat: {temp_c:.0f} °C with a {dew_point_c:.0f} °C dew point "
        f"(sum {total_f:.0f} °F) slows E, M and T by {pct:.1f} %, I and R by {pct / 2:.1f} %"
    )
    if too_hot:
        reason += "; above 180 °F no hard running is advised: run easy or move indoors"
    return Adjustment(
        kind="heat",
        reason=reason,
        factor_by_zone={"E": full, "M": full, "T": full, "I": half, "R": half},
        add_s_per_km_by_zone={},
        hard_running_advised=not too_hot,
    )


def altitude_adjustment(altitude_m: float) -> Adjustment:
    altitude_ft = altitude_m / METRES_PER_FOOT
    above = max(0.0, altitude_ft - ALTITUDE_THRESHOLD_FT)
    s_per_mile = ALTITUDE_S_PER_MILE_PER_1000FT * above / 1000.0
    s_per_km = s_per_mile * 1000.0 / METRES_PER_MILE
    if above == 0.0:
        reason = f"altitude: {altitude_m:.0f} m is below 3,000 ft (914 m): no change"
    else:
        reason = (
            f"altitude: {altitude_m:.0f} m ({altitude_ft:,.0f} ft) slows E, M, T and I by "
            f"{s_per_km:.0f} s/km ({s_per_mile:.0f} s/mile); R is unchanged, take longer recoveries"
        )
    return Adjustment(
        kind="altitude",
        reason=reason,
        factor_by_zone={},
        add_s_per_km_by_zone=dict.fromkeys(ALTITUDE_ZONES, s_per_km),
    )


def energy_cost_j_per_kg_m(grade: float) -> float:
    """Minetti's cost of running per metre at gradient ``grade`` (fraction, e.g. 0.06)."""
    i = grade
    return 155.4 * i**5 - 30.4 * i**4 - 43.3 * i**3 + 46.3 * i**2 + 19.5 * i + 3.6


def grade_factor(grade: float) -> float:
    """How much slower a pace on this gradient costs the same energy as on the flat."""
    if not -MAX_ABS_GRADE <= grade <= MAX_ABS_GRADE:
        raise InputError(
            f"a gradient of {grade * 100:.0f} % is outside what the hill model covers (±45 %)"
        )
    return energy_cost_j_per_kg_m(grade) / energy_cost_j_per_kg_m(0.0)


def grade_adjustment(grade: float) -> Adjustment:
    factor = grade_factor(grade)
    direction = "uphill" if grade > 0 else "downhill" if grade < 0 else "flat"
    reason = (
        f"gradient: {grade * 100:+.1f} % {direction} costs {factor:.2f}× the energy of the flat "
        "(Minetti 2002); run by effort"
    )
    credit: float | None = None
    if grade < 0:
        per_mile = DOWNHILL_S_PER_MILE_PER_PCT * -grade * 100
        credit = per_mile * 1000.0 / METRES_PER_MILE
        reason += (
            f"; the downhill credit is capped at {credit:.0f} s/km ({per_mile:.0f} s/mile), "
            "Daniels' 8 s/mile per 1 % — descents load the thighs eccentrically (braking "
            "muscle work): expect soreness, and add downhill running a little at a time"
        )
    return Adjustment(
        kind="grade",
        reason=reason,
        factor_by_zone=dict.fromkeys(ZONES, factor),
        add_s_per_km_by_zone={},
        max_credit_s_per_km=credit,
    )


def adjust_pace(zone: str, pace_s_per_km: float, adjustments: list[Adjustment]) -> float:
    for adjustment in adjustments:
        pace_s_per_km = adjustment.apply(zone, pace_s_per_km)
    return pace_s_per_km


def grade_adjusted_pace(pace_s_per_km: float, grade: float) -> float:
    """The flat-ground pace that costs the same as ``pace_s_per_km`` on ``grade``.

    Downhill, the credit is capped as in :func:`grade_adjustment`: a descent run at a pace is
    worth at most Daniels' 8 s/mile per 1 % slower on the flat."""
    flat = pace_s_per_km / grade_factor(grade)
    if grade < 0:
        cap = DOWNHILL_S_PER_MILE_PER_PCT * -grade * 100 * 1000.0 / METRES_PER_MILE
        flat = min(flat, pace_s_per_km + cap)
    return flat
