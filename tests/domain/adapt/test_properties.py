"""Safety properties of the adaptation over random episodes (issue #4)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from milepost.domain.adapt import derive_plan
from milepost.domain.adapt.model import Level
from milepost.domain.episode import FEVER_C, CheckIn, Episode, EpisodeKind, Symptoms
from milepost.domain.plan.request import PlanRequest

START = date(2027, 1, 4)
REQUEST = PlanRequest(
    race_distance_m=21097.5,
    race_date=date(2027, 4, 25),
    vdot=45.0,
    weekly_m=45_000.0,
    runs_per_week=5,
    long_run_day=6,
    start=START,
)
PLAN_DAYS = (REQUEST.race_date - START).days

PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def fevers(draw: st.DrawFn) -> tuple[Episode, list[CheckIn], date, set[date]]:
    """An illness with a run of fever days, reported day by day, and a day to look from."""
    start = START + timedelta(days=draw(st.integers(0, PLAN_DAYS - 20)))
    fever_days = draw(st.integers(1, 6))
    kind = draw(st.sampled_from([EpisodeKind.ILLNESS, EpisodeKind.MASTITIS]))
    episode = Episode(kind, start=start, fever_c=38.7, systemic=kind is EpisodeKind.MASTITIS, id=1)
    check_ins = [
        CheckIn(start + timedelta(days=i), 1, temp_c=38.4 if i < fever_days else 37.0)
        for i in range(1, fever_days + draw(st.integers(1, 3)))
    ]
    today = start + timedelta(days=draw(st.integers(0, fever_days + 4)))
    febrile = {c.on for c in check_ins if (c.temp_c or 0) >= FEVER_C} | {start}
    reported = [c for c in check_ins if c.on <= today]
    return episode, reported, today, febrile


@PROPERTY
@given(fevers())
def test_no_running_on_a_fever_day_or_within_24_hours_after_it(
    case: tuple[Episode, list[CheckIn], date, set[date]],
) -> None:
    episode, check_ins, today, febrile = case
    a = derive_plan(REQUEST, [episode], check_ins, today)
    known = {d for d in febrile if d <= today}
    for fever_day in known:
        for offset in (0, 1):
            day = a.plan.day(fever_day + timedelta(days=offset))
            assert day is None or not day.runs, f"a run {offset} day(s) after a fever"


@PROPERTY
@given(fevers())
def test_never_two_quality_days_in_a_row_and_the_race_kept_or_explained(
    case: tuple[Episode, list[CheckIn], date, set[date]],
) -> None:
    episode, check_ins, today, _ = case
    a = derive_plan(REQUEST, [episode], check_ins, today)
    days = a.plan.days()
    for first, second in itertools.pairwise(days):
        assert not (first.is_quality and second.is_quality), first.date
    race_day = a.plan.day(REQUEST.race_date)
    assert race_day is not None
    if not any(s.kind.value == "race" for s in race_day.sessions):
        assert a.forecast is not None and not a.forecast.race_day_cleared


@st.composite
def breaks(draw: st.DrawFn) -> tuple[Episode, list[CheckIn], date]:
    start = START + timedelta(days=draw(st.integers(7, PLAN_DAYS - 45)))
    length = draw(st.integers(6, 35))
    kind = draw(st.sampled_from(["injury", "missed", "illness"]))
    end = start + timedelta(days=length)
    if kind == "injury":
        episode = Episode(EpisodeKind.INJURY, start=start, cross_training=draw(st.booleans()), id=1)
        return episode, [CheckIn(end - timedelta(days=1), 1, pain_free_walking=True)], end
    if kind == "missed":
        episode = Episode(EpisodeKind.MISSED, start=start, end=end - timedelta(days=1), id=1)
        return episode, [], end
    episode = Episode(EpisodeKind.ILLNESS, start=start, end=end - timedelta(days=1),
                      symptoms=Symptoms.BELOW_NECK, id=1)  # fmt: skip
    return episode, [], end


@PROPERTY
@given(breaks())
def test_return_weeks_never_exceed_the_rebuild_guide(
    case: tuple[Episode, list[CheckIn], date],
) -> None:
    episode, check_ins, today = case
    base = derive_plan(REQUEST, [], [], today)
    a = derive_plan(REQUEST, [episode], check_ins, today)
    assert a.breaks
    for on, rules in a.rules.items():
        if rules.level in (Level.NORMAL,) or rules.level >= Level.CROSS_ONLY:
            continue
        share = rules.load_factor
        cap = rules.max_run_s
        adapted = a.plan.day(on)
        planned = base.plan.day(on)
        if adapted is None or planned is None or not adapted.runs:
            continue
        if any(s.kind.value == "race" for s in adapted.runs):
            continue  # a race she is cleared for is run whole; the readiness verdict says how
        assert not (rules.level >= Level.EASY_ONLY and adapted.is_quality)
        planned_m = sum(s.distance_m for s in planned.runs)
        done_m = sum(s.distance_m for s in adapted.runs)
        # Within the share of the planned volume (a run is never cut below 15 minutes, and
        # distances are planned to half a kilometre), and within the return stage's cap
        # (strides add their own few minutes).
        fifteen_min_m = 15 * 60 / 300 * 1000
        assert done_m <= max(planned_m * share, fifteen_min_m) + 500, on
        if cap is not None:
            assert max(s.duration_s for s in adapted.runs) <= cap + 9 * 60
