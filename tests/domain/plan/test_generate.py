"""generate_plan against Daniels' rules, as properties over random requests (docs/science.md §2)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from milepost.domain.plan.generate import generate_plan
from milepost.domain.plan.model import Phase, Plan, Repeat, Segment, SessionKind, Zone
from milepost.domain.plan.request import PlanRequest, TuneUp
from milepost.domain.plan.volume import allocate_phases, rise_limit_m
from milepost.domain.plan.workouts import run_share_cap_m
from milepost.domain.units import Units
from milepost.errors import InfeasiblePlanError, InputError

TODAY = date(2026, 11, 27)
MONDAY = date(2026, 11, 30)


def zone_m(segments: tuple[Segment, ...], zone: Zone) -> float:
    total = 0.0
    for s in segments:
        if isinstance(s, Repeat):
            total += s.times * zone_m(s.steps, zone)
        elif s.zone is zone and s.distance_m:
            total += s.distance_m
    return total


@st.composite
def requests(draw: st.DrawFn) -> PlanRequest:
    runs = draw(st.integers(3, 7))
    long_day = draw(st.integers(0, 6))
    others = [d for d in range(7) if d != long_day]
    rest = draw(st.lists(st.sampled_from(others), unique=True, max_size=7 - runs))
    weeks = draw(st.integers(6, 24))
    race_weekday = draw(st.integers(0, 6))
    weekly_km = draw(st.floats(15, 110))
    return PlanRequest(
        race_distance_m=draw(st.sampled_from([5000.0, 10000.0, 15000.0, 21097.5, 42195.0])),
        race_date=MONDAY + timedelta(weeks=weeks - 1, days=race_weekday),
        vdot=draw(st.floats(30, 70)),
        weekly_m=weekly_km * 1000,
        peak_m=draw(st.none() | st.floats(weekly_km, weekly_km * 1.8).map(lambda k: k * 1000)),
        runs_per_week=runs,
        long_run_day=long_day,
        rest_days=tuple(rest),
        start=MONDAY,
        units=draw(st.sampled_from(["km", "mi"])),
        strength_per_week=draw(st.integers(0, 3)),
    )


def plan_for(request: PlanRequest) -> Plan:
    try:
        return generate_plan(request, TODAY)
    except InfeasiblePlanError:
        assume(False)
        raise


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(requests())
def test_weekly_volume_follows_the_progression_rule(request: PlanRequest) -> None:
    plan = plan_for(request)
    step = rise_limit_m(request.runs_per_week)
    build = [w for w in plan.weeks if w.phase is not Phase.TAPER and not w.cutback]
    held = 0
    for previous, week in itertools.pairwise(build):
        held += 1
        if week.target_m > previous.target_m + 1:
            assert week.target_m - previous.target_m <= step + 1
            assert held >= 3, f"week {week.number} rises after {held} week(s) at one volume"
            held = 0
        else:
            assert week.target_m == pytest.approx(previous.target_m)
    unit = Units(request.units).metres
    for week in build:
        assert abs(week.total_m - week.target_m) <= 0.25 * unit * request.runs_per_week + unit


@PROPERTY
@given(requests())
def test_no_session_breaks_the_per_session_limits(request: PlanRequest) -> None:
    plan = plan_for(request)
    for week in plan.weeks[:-1]:
        total = max(week.total_m, week.target_m)  # the rules speak of the week's planned volume
        for day in week.days:
            for s in day.sessions:
                assert zone_m(s.segments, Zone.T) <= 0.10 * total + 1, s.title
                assert zone_m(s.segments, Zone.I) <= min(10_000, 0.08 * total) + 1, s.title
                if zone_m(s.segments, Zone.R) > 0 and s.kind is SessionKind.REPETITION:
                    # The floor of four short reps may pass 5 % in the smallest weeks.
                    assert zone_m(s.segments, Zone.R) <= max(min(8000, 0.05 * total), 800) + 1
                if s.kind is SessionKind.LONG:
                    cap = run_share_cap_m(total, request.runs_per_week)
                    assert s.distance_m <= cap + 1, f"week {week.number}: {s.title}"
                    assert s.duration_s <= 150 * 60 + 1
                if s.kind in (SessionKind.EASY, SessionKind.STRIDES):
                    # 30 minutes at least; 20 in the taper, where volume falls and runs stay.
                    least = 20 * 60 if week.phase is Phase.TAPER else 30 * 60
                    assert s.duration_s >= least - 1, f"week {week.number}: {s.title}"


@PROPERTY
@given(requests())
def test_the_last_session_is_the_race_on_race_day(request: PlanRequest) -> None:
    plan = plan_for(request)
    days_with_sessions = [d for d in plan.days() if d.sessions]
    last = days_with_sessions[-1]
    assert last.date == request.race_date
    assert [s.kind for s in last.sessions] == [SessionKind.RACE]
    assert last.sessions[0].distance_m == request.race_distance_m


@PROPERTY
@given(requests())
def test_taper_volume_falls(request: PlanRequest) -> None:
    plan = plan_for(request)
    taper = [w for w in plan.weeks if w.phase is Phase.TAPER]
    assert len(taper) == (3 if request.race_distance_m > 42000 else 2)
    peak = max(w.target_m for w in plan.weeks if w.phase is not Phase.TAPER)
    non_race = [
        sum(s.distance_m for d in w.days for s in d.runs if s.kind is not SessionKind.RACE)
        for w in taper
    ]
    assert non_race[0] < peak
    assert all(a > b for a, b in itertools.pairwise(non_race)), non_race


@PROPERTY
@given(requests())
def test_the_runs_per_week_are_honoured_and_rest_days_kept(request: PlanRequest) -> None:
    plan = plan_for(request)
    for week in plan.weeks:
        runs = [d for d in week.days if d.runs]
        if week is plan.weeks[-1]:
            assert len(runs) <= request.runs_per_week
        else:
            assert len(runs) == request.runs_per_week, f"week {week.number}"
        for day in runs:
            if day.date != request.race_date:
                assert day.date.weekday() not in request.rest_days


@PROPERTY
@given(requests())
def test_never_two_hard_days_in_a_row_and_no_strength_on_the_eve_of_one(
    request: PlanRequest,
) -> None:
    plan = plan_for(request)
    days = plan.days()

    def hard(i: int) -> bool:
        return any(s.is_quality or s.kind is SessionKind.LONG for s in days[i].sessions)

    for i in range(len(days) - 1):
        assert not (hard(i) and hard(i + 1)), f"{days[i].date} and the next day are both hard"
        strength = any(s.kind is SessionKind.STRENGTH for s in days[i].sessions)
        quality_next = any(s.is_quality for s in days[i + 1].sessions)
        assert not (strength and quality_next), f"strength on {days[i].date}, eve of quality"


@PROPERTY
@given(requests())
def test_every_week_knows_its_countdown(request: PlanRequest) -> None:
    plan = plan_for(request)
    n = len(plan.weeks)
    assert plan.weeks[0].countdown(n) == f"Week 1 of {n} — {n - 1} to go"
    assert plan.weeks[-1].countdown(n) == f"Week {n} of {n} — race week"
    assert all(w.starts.weekday() == 0 for w in plan.weeks)


def test_fewer_weeks_fill_phase_one_first_then_four_two_three() -> None:
    assert allocate_phases(3) == [Phase.FOUNDATION] * 3
    assert allocate_phases(6) == [Phase.FOUNDATION] * 3 + [Phase.FINAL_QUALITY] * 3
    assert allocate_phases(8) == (
        [Phase.FOUNDATION] * 3 + [Phase.EARLY_QUALITY] * 2 + [Phase.FINAL_QUALITY] * 3
    )
    assert allocate_phases(22).count(Phase.FOUNDATION) == 6
    assert len(allocate_phases(22)) == 22


def _half(**changes: object) -> PlanRequest:
    base = {
        "race_distance_m": 21097.5,
        "race_date": date(2027, 3, 21),
        "vdot": 42.0,
        "weekly_m": 30000.0,
        "start": MONDAY,
    }
    base.update(changes)
    return PlanRequest(**base)  # type: ignore[arg-type]


def test_half_and_marathon_long_runs_carry_marathon_pace_segments() -> None:
    plan = generate_plan(_half(), TODAY)
    m_longs = [
        s
        for d in plan.days()
        for s in d.sessions
        if s.kind is SessionKind.LONG and zone_m(s.segments, Zone.M) > 0
    ]
    assert m_longs and "M /" in m_longs[0].title


def test_a_tune_up_race_is_followed_by_a_recovery_week() -> None:
    plan = generate_plan(_half(tune_up=TuneUp(10000.0, date(2027, 2, 21))), TODAY)
    tune_week = plan.week_of(date(2027, 2, 21))
    assert tune_week is not None
    races = [s for d in tune_week.days for s in d.sessions if s.kind is SessionKind.RACE]
    assert len(races) == 1 and races[0].distance_m == 10000
    recovery = plan.weeks[tune_week.number]
    assert recovery.cutback
    assert not any(d.is_quality for d in recovery.days)


def test_a_start_in_the_past_is_allowed() -> None:
    plan = generate_plan(_half(start=date(2026, 11, 2)), TODAY)
    assert plan.starts == date(2026, 11, 2)


def test_strength_is_lighter_in_the_taper() -> None:
    plan = generate_plan(_half(), TODAY)
    build = [
        s
        for w in plan.weeks[:3]
        for d in w.days
        for s in d.sessions
        if s.kind is SessionKind.STRENGTH
    ]
    taper = [
        s
        for w in plan.weeks
        if w.phase is Phase.TAPER
        for d in w.days
        for s in d.sessions
        if s.kind is SessionKind.STRENGTH
    ]
    assert len(build) == 6
    assert len(taper) <= 1
    assert all(e.sets >= 1 for s in build + taper for e in s.exercises)
    assert sum(e.sets for e in taper[0].exercises) < sum(e.sets for e in build[0].exercises)


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"race_date": date(2026, 12, 20)}, InfeasiblePlanError, "choose a race on or after"),
        ({"race_date": date(2027, 9, 5)}, InfeasiblePlanError, "start the plan on"),
        ({"race_date": date(2025, 3, 21)}, InputError, "not in the future"),
        ({"runs_per_week": 8}, InputError, "outside 3–7"),
        (
            {"weekly_m": 13500.0, "runs_per_week": 6, "race_distance_m": 10000.0},
            InfeasiblePlanError,
            "ask for 3 runs a week",
        ),
        ({"rest_days": (0, 1, 2)}, InfeasiblePlanError, "do not fit"),
        ({"peak_m": 20000.0}, InputError, "peak volume"),
        ({"tune_up": TuneUp(10000.0, date(2027, 3, 14))}, InfeasiblePlanError, "tune-up"),
    ],
)
def test_requests_that_cannot_work_get_an_explanation_and_a_way_out(
    changes: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as info:
        generate_plan(_half(**changes), TODAY)
    text = str(info.value) + " " + str(getattr(info.value, "hint", "") or "")
    assert message in text
