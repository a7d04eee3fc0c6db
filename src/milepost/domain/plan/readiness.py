"""Is she ready for this race, and is her goal realistic? (docs/science.md §2, readiness)

Readiness [D]: a half marathon or a marathon needs a plan that reaches a least peak week and a
least longest run by its last build week (volume.READINESS_M); from her volume now, within the
weeks there are and the progression rule. A request that cannot get there is refused with what
would: a later race, the shorter race, a higher peak.
Goal realism [S: Daniels, about one VDOT point per 4–6 weeks of training that felt easy]: a goal
more than 3 VDOT above her fitness now gets a warning with the time that would be realistic.
Races [D]: a race that says more than 3 VDOT away from the middle of her other races gets a
warning; one that says more than 6 above them, or faster than the world records (VDOT 85.6 at
every distance from 5K to the marathon), is refused: a typo is likelier than the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from statistics import median

from milepost.domain.plan.model import Phase, Plan, SessionKind
from milepost.domain.plan.request import MAX_WEEKS, PlanRequest, plan_start, plan_weeks
from milepost.domain.plan.volume import readiness_m
from milepost.domain.units import (
    HALF_MARATHON_M,
    MARATHON_M,
    Units,
    format_distance,
    format_duration,
    format_volume,
)
from milepost.domain.vdot import race_time_s, vdot_from_race, vdot_warnings
from milepost.errors import InfeasiblePlanError, InputError

GOAL_VDOT_MARGIN = 3.0
RACE_VDOT_WARN = 3.0
RACE_VDOT_REFUSE = 6.0
WORLD_RECORD_VDOT = 86.0

Fits = Callable[[PlanRequest, date], bool]


def race_name(distance_m: float) -> str:
    """A race's name inside a sentence: "half marathon", "5K"."""
    label = format_distance(distance_m)
    return label[0].lower() + label[1:] if label[1:].islower() else label


def plan_peak_m(plan: Plan) -> float:
    return max((w.target_m for w in plan.weeks if w.phase is not Phase.TAPER), default=0.0)


def plan_longest_run_m(plan: Plan) -> float:
    return max(
        (s.distance_m for d in plan.days() for s in d.runs if s.kind is not SessionKind.RACE),
        default=0.0,
    )


def is_ready(request: PlanRequest, plan: Plan) -> bool:
    least_peak, least_long = readiness_m(request.race_distance_m)
    slack = 0.5 * Units(request.units).metres
    return (
        plan_peak_m(plan) >= least_peak - slack and plan_longest_run_m(plan) >= least_long - slack
    )


def check_readiness(
    request: PlanRequest, today: date, plan: Plan, *, explain: bool, fits: Fits
) -> None:
    """Refuse a half or marathon plan that cannot reach the least peak and longest run."""
    if is_ready(request, plan):
        return
    units = Units(request.units)
    least_peak, least_long = readiness_m(request.race_distance_m)
    race = race_name(request.race_distance_m)
    message = (
        f"a {race} needs a peak week of at least {format_volume(least_peak, units)} and a "
        f"longest run of {format_volume(least_long, units)}; from "
        f"{format_volume(request.weekly_m, units)} a week, {plan_weeks(request, today)} weeks "
        f"reach {format_volume(plan_peak_m(plan), units)} (longest run "
        f"{format_volume(plan_longest_run_m(plan), units)})"
    )
    if not explain:
        raise InfeasiblePlanError(message)
    raise InfeasiblePlanError(message, alternative=_ready_alternatives(request, today, fits))


def _ready_alternatives(request: PlanRequest, today: date, fits: Fits) -> str:
    units = Units(request.units)
    flag = "km" if units is Units.KM else "mi"
    options = []
    least_peak = readiness_m(request.race_distance_m)[0]
    if request.peak_m is not None and request.peak_m < least_peak:
        value = -(-least_peak // units.metres) * units.metres
        if fits(replace(request, peak_m=value), today):
            options.append(
                f"ask for a peak of at least {format_volume(value, units)} "
                f"(--peak-{flag} {value / units.metres:g})"
            )
    start = plan_start(request, today)
    for extra in range(1, MAX_WEEKS):
        later = replace(request, race_date=request.race_date + timedelta(weeks=extra), start=start)
        if plan_weeks(later, today) > MAX_WEEKS:
            break
        if fits(later, today):
            options.append(
                f"a race on or after {later.race_date.isoformat()} (--race-date "
                f"{later.race_date.isoformat()})"
            )
            break
    shorter = {MARATHON_M: (HALF_MARATHON_M, "half"), HALF_MARATHON_M: (10_000.0, "10k")}
    for distance, (other, key) in shorter.items():
        if abs(request.race_distance_m - distance) < 1.0 and fits(
            replace(request, race_distance_m=other, goal_s=None), today
        ):
            options.append(f"the {race_name(other)} on the same day (--race {key})")
    if not options:
        return (
            f"build up to {format_volume(least_peak * 0.6, units)} a week or more before "
            "starting a plan for this race"
        )
    return "; or ".join(options)


def goal_warnings(request: PlanRequest, plan: Plan) -> list[str]:
    """A goal more than about 3 VDOT above her fitness now, with the realistic time."""
    if request.goal_s is None:
        return []
    race = race_name(request.race_distance_m)
    try:
        goal_vdot = vdot_from_race(request.race_distance_m, request.goal_s)
    except InputError:
        goal_vdot = float("inf")
    if goal_vdot <= request.vdot + GOAL_VDOT_MARGIN:
        return []
    race_day = plan.expected_vdot[-1] if plan.expected_vdot else request.vdot
    realistic = race_time_s(race_day, request.race_distance_m)
    asks = "more than any runner has" if goal_vdot == float("inf") else f"VDOT {goal_vdot:.1f}"
    return [
        f"Your goal of {format_duration(request.goal_s)} for the {race} asks for {asks}, "
        f"more than {GOAL_VDOT_MARGIN:.0f} points above your VDOT {request.vdot:.1f} now "
        f"(Daniels: about one point per 4–6 weeks of training that felt easy). A realistic "
        f"goal is {format_duration(realistic)}, what VDOT {race_day:.1f} predicts on race day; "
        f"change it with: milepost plan retarget --goal {format_duration(realistic)}."
    ]


def race_warnings(request: PlanRequest, *, refuse: bool = True) -> list[str]:
    """Warn about (or, with ``refuse``, refuse) a fitness that contradicts her other races or
    the world records. Without ``refuse`` (a stored plan re-derived) the refusals are warnings."""
    warnings: list[str] = []

    def refusal(message: str, hint: str) -> None:
        if refuse:
            raise InputError(message, hint=hint)
        warnings.append(f"{message[0].upper()}{message[1:]}: {hint}.")

    if request.vdot > WORLD_RECORD_VDOT:
        refusal(
            f"VDOT {request.vdot:.1f} is faster than the world records (about VDOT 85.6 at "
            "every distance from 5K to the marathon)",
            "check the race's distance and time (h:mm:ss for hours), or give --vdot",
        )
    warnings += vdot_warnings(request.vdot)
    if not request.other_vdots:
        return warnings
    usual = median(request.other_vdots)
    gap = request.vdot - usual
    if gap > RACE_VDOT_REFUSE:
        refusal(
            f"your recent race says VDOT {request.vdot:.1f}, {gap:.1f} above your other "
            f"races (VDOT {usual:.1f}): a typo is likelier than that jump",
            f"check the race's time, or plan from your other races with --vdot {usual:.1f}",
        )
    elif abs(gap) > RACE_VDOT_WARN:
        direction = "above" if gap > 0 else "below"
        warnings.append(
            f"The race the paces come from says VDOT {request.vdot:.1f}, {abs(gap):.1f} "
            f"{direction} your other races (VDOT {usual:.1f}). If it was not a true effort, "
            f"plan from VDOT {usual:.1f} (--vdot {usual:.1f})."
        )
    return warnings
