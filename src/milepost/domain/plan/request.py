"""What a runner asks for, and whether it can work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from milepost.domain.units import (
    MARATHON_M,
    Units,
    format_distance,
    format_volume,
    parse_date,
    parse_distance,
)
from milepost.domain.vdot import PLAUSIBLE_MAX_VDOT, PLAUSIBLE_MIN_VDOT
from milepost.errors import InfeasiblePlanError, InputError

MIN_WEEKS = 6
MAX_WEEKS = 24
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class TuneUp:
    distance_m: float
    date: date


@dataclass(frozen=True)
class PlanRequest:
    race_distance_m: float
    race_date: date
    vdot: float  # current fitness, from a recent race or given
    weekly_m: float  # what the runner runs a week now
    peak_m: float | None = None  # None: derived from the race and the time available
    runs_per_week: int = 5
    long_run_day: int = 6  # 0 = Monday … 6 = Sunday
    rest_days: tuple[int, ...] = ()  # weekdays never to run
    start: date | None = None  # None: the next Monday after today
    units: str = "km"
    tune_up: TuneUp | None = None
    strength_per_week: int = 2
    race_name: str = ""
    goal_s: float | None = None
    # VDOTs of her other recorded races, to check the one the paces come from against them
    # (plan/readiness.py); the service fills it from the athlete's races.
    other_vdots: tuple[float, ...] = ()

    @property
    def is_long_race(self) -> bool:
        """Half marathon and longer: long runs carry marathon-pace segments."""
        return self.race_distance_m >= 20000.0

    @property
    def is_marathon(self) -> bool:
        return self.race_distance_m >= MARATHON_M - 1.0


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def next_monday(today: date) -> date:
    return today + timedelta(days=7 - today.weekday())


def parse_weekday(text: str) -> int:
    key = text.strip().lower()[:3]
    if key not in WEEKDAYS:
        raise InputError(f"'{text}' is not a day of the week", hint="use mon, tue, … sun")
    return WEEKDAYS.index(key)


def parse_tune_up(text: str) -> TuneUp:
    """A tune-up race from ``10k@2027-03-14``."""
    distance, sep, when = text.partition("@")
    if not sep:
        raise InputError(
            f"could not read '{text}' as a tune-up race",
            hint="write DISTANCE@DATE, e.g. 10k@2027-03-14",
        )
    return TuneUp(parse_distance(distance), parse_date(when))


def plan_start(request: PlanRequest, today: date) -> date:
    """The Monday the plan starts: the week of ``start``, or the next Monday."""
    return monday_of(request.start) if request.start else next_monday(today)


def plan_weeks(request: PlanRequest, today: date) -> int:
    return (monday_of(request.race_date) - plan_start(request, today)).days // 7 + 1


def validate_request(request: PlanRequest, today: date) -> None:
    """Raise a readable error, with a way out, for a request that cannot become a plan."""
    distance = format_distance(request.race_distance_m)
    if request.race_date <= today:
        raise InputError(
            f"the race date {request.race_date.isoformat()} is not in the future",
            hint="check the year: dates are YYYY-MM-DD",
        )
    start = plan_start(request, today)
    if request.race_date < start:
        raise InputError(
            f"the race ({request.race_date.isoformat()}) comes before the plan would start "
            f"({start.isoformat()})"
        )
    weeks = plan_weeks(request, today)
    if weeks < MIN_WEEKS:
        earliest = start + timedelta(weeks=MIN_WEEKS - 1, days=request.race_date.weekday())
        raise InfeasiblePlanError(
            f"a {distance} on {request.race_date.isoformat()} leaves {weeks} week(s) from "
            f"{start.isoformat()}; milepost builds plans of {MIN_WEEKS}–{MAX_WEEKS} weeks",
            alternative=f"choose a race on or after {earliest.isoformat()}, or start earlier "
            f"with --start (it may lie in the past)",
        )
    if weeks > MAX_WEEKS:
        later_start = monday_of(request.race_date) - timedelta(weeks=MAX_WEEKS - 1)
        raise InfeasiblePlanError(
            f"a {distance} on {request.race_date.isoformat()} is {weeks} weeks away; "
            f"milepost builds plans of {MIN_WEEKS}–{MAX_WEEKS} weeks",
            alternative=f"start the plan on {later_start.isoformat()} (--start "
            f"{later_start.isoformat()}) and build general fitness until then",
        )
    if not PLAUSIBLE_MIN_VDOT <= request.vdot <= PLAUSIBLE_MAX_VDOT:
        raise InputError(f"VDOT {request.vdot:.1f} is outside what milepost can plan for")
    if not 3 <= request.runs_per_week <= 7:
        raise InputError(
            f"{request.runs_per_week} runs a week is outside 3–7",
            hint="milepost plans three to seven runs a week",
        )
    if not 0 <= request.long_run_day <= 6:
        raise InputError("the long-run day must be a day of the week")
    if request.long_run_day in request.rest_days:
        raise InputError(
            f"{WEEKDAYS[request.long_run_day]} cannot be both the long-run day and a rest day"
        )
    free_days = 7 - len(set(request.rest_days))
    if request.runs_per_week > free_days:
        raise InfeasiblePlanError(
            f"{request.runs_per_week} runs do not fit in the {free_days} days left after the "
            "rest days",
            alternative=f"ask for at most {free_days} runs a week, or fewer rest days",
        )
    units = Units(request.units or "km")
    low, high = format_volume(5_000, units), format_volume(250_000, units)
    if not 5_000 <= request.weekly_m <= 250_000:
        example = "--weekly-km 40" if units is Units.KM else "--weekly-mi 25"
        raise InputError(
            f"a weekly volume of {format_volume(request.weekly_m, units)} is outside {low}–{high}",
            hint=f"give what you run in a typical week now, e.g. {example}",
        )
    if request.peak_m is not None and not request.weekly_m <= request.peak_m <= 250_000:
        raise InputError(
            f"the peak volume ({format_volume(request.peak_m, units)}) must lie between the "
            f"current weekly volume ({format_volume(request.weekly_m, units)}) and {high}"
        )
    if not 0 <= request.strength_per_week <= 3:
        raise InputError("strength sessions: 0 to 3 a week")
    if request.tune_up is not None:
        _validate_tune_up(request, start)


def _validate_tune_up(request: PlanRequest, start: date) -> None:
    assert request.tune_up is not None
    tune = request.tune_up
    latest = request.race_date - timedelta(days=21)
    if not start + timedelta(days=7) <= tune.date <= latest:
        raise InfeasiblePlanError(
            f"a tune-up race on {tune.date.isoformat()} does not fit: it needs a recovery week "
            "and two weeks before the goal race",
            alternative=f"choose a tune-up between {(start + timedelta(days=7)).isoformat()} "
            f"and {latest.isoformat()}",
        )
    if tune.distance_m > request.race_distance_m:
        raise InputError("a tune-up race should be shorter than the goal race")
