"""Issue #11 safety properties: random plans × random episode sequences × random check-ins ×
random edits × days passing. Each example walks ``today`` forward over the episodes and checks
every derivation on every day it looks at."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import HealthCheck, given, note, reject, settings
from hypothesis import strategies as st

from milepost.domain.adapt import Adaptation, Edit, derive_plan
from milepost.domain.adapt.model import Level
from milepost.domain.episode import (
    FEVER_C,
    CheckIn,
    Episode,
    EpisodeKind,
    Feeling,
    Symptoms,
)
from milepost.domain.plan.generate import generate_plan
from milepost.domain.plan.model import SessionKind
from milepost.domain.plan.request import PlanRequest
from milepost.errors import InfeasiblePlanError

START = date(2027, 1, 4)
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
I_R = (SessionKind.INTERVAL, SessionKind.REPETITION)


@st.composite
def requests(draw: st.DrawFn) -> PlanRequest:
    race, weeks = draw(st.sampled_from([(5000.0, 10), (10000.0, 12), (21097.5, 16), (42195.0, 18)]))
    return PlanRequest(
        race_distance_m=race,
        race_date=START + timedelta(weeks=weeks, days=6),
        vdot=draw(st.sampled_from([38.0, 45.0, 52.0])),
        weekly_m=draw(st.sampled_from([40_000.0, 55_000.0, 70_000.0])),
        runs_per_week=draw(st.integers(4, 6)),
        long_run_day=draw(st.sampled_from([5, 6])),
        start=START,
    )


History = tuple[PlanRequest, list[Episode], list[CheckIn], list[Edit], dict[date, float], date, int]


@st.composite
def histories(draw: st.DrawFn) -> History:
    request = draw(requests())
    span = (request.race_date - START).days
    first = START + timedelta(days=draw(st.integers(7, max(8, span - 30))))
    episodes: list[Episode] = []
    for i in range(draw(st.integers(1, 2))):
        kind = draw(
            st.sampled_from([EpisodeKind.ILLNESS, EpisodeKind.MASTITIS, EpisodeKind.INJURY])
        )
        start = first + timedelta(days=draw(st.integers(0, 6)) * i)
        ended = draw(st.booleans())
        end = start + timedelta(days=draw(st.integers(0, 6))) if ended else None
        episodes.append(
            Episode(
                kind,
                start=start,
                end=end,
                fever_c=draw(st.sampled_from([None, 38.4, 39.0])),
                symptoms=draw(st.sampled_from([None, Symptoms.ABOVE_NECK, Symptoms.BELOW_NECK])),
                systemic=kind is EpisodeKind.MASTITIS and draw(st.booleans()),
                cross_training=draw(st.booleans()),
                id=i + 1,
            )
        )
    check_ins = []
    for offset in range(draw(st.integers(0, 12))):
        on = first + timedelta(days=offset)
        check_ins.append(
            CheckIn(
                on,
                # The services refuse a check-in dated before its episode began.
                draw(st.sampled_from([e.id for e in episodes if e.start <= on] or [None])),
                temp_c=draw(st.sampled_from([None, 36.8, 37.5, 38.3, 39.6])),
                feeling=draw(st.sampled_from([None, *Feeling])),
                done=draw(st.sampled_from([None, True])),
                pain_free_walking=draw(st.sampled_from([None, True, False])),
                fever_reducer=draw(st.sampled_from([None, True])),
            )
        )
    logged = {
        first + timedelta(days=d): 5000.0
        for d in draw(st.lists(st.integers(-7, 20), max_size=10, unique=True))
    }
    edits = [
        Edit(
            "move",
            first + timedelta(days=draw(st.integers(-3, 20))),
            draw(st.integers(0, 1)),
            to=first + timedelta(days=draw(st.integers(-3, 20))),
            id=n + 1,
        )
        for n in range(draw(st.integers(0, 2)))
    ]
    days = draw(st.integers(3, 25))
    return request, episodes, check_ins, edits, logged, first, days


def _febrile_days(check_ins: list[CheckIn], episodes: list[Episode], today: date) -> set[date]:
    days = {
        c.on for c in check_ins if c.on <= today and c.temp_c is not None and c.temp_c >= FEVER_C
    }
    days |= {e.start for e in episodes if e.fever_c is not None and e.fever_c >= FEVER_C}
    return days


def _check(a: Adaptation, check_ins: list[CheckIn], episodes: list[Episode], today: date) -> None:
    plan_days = {d.date: d for d in a.plan.days()}
    # No run on a febrile day, nor within the 24 hours after it.
    for fever_day in _febrile_days(check_ins, episodes, today):
        for offset in (0, 1):
            day = plan_days.get(fever_day + timedelta(days=offset))
            assert day is None or not day.runs, (
                f"a run {offset} day(s) after a fever on {fever_day}"
            )
    for on, rules in a.rules.items():
        day = plan_days.get(on)
        if day is None:
            continue
        # Nothing above a stage's cap: runs, cross-training, walk–run.
        if rules.max_run_s is not None:
            for s in day.sessions:
                if s.is_run or s.kind is SessionKind.CROSS:
                    assert s.duration_s <= rules.max_run_s + 9 * 60, (on, s.title, rules.stage)
        # No resistance work where the rules forbid it (early stages, rest, fever).
        if rules.no_strength:
            assert not any(s.kind is SessionKind.STRENGTH for s in day.sessions), (on, day)
        # No quality within the ease-back or any easy-only day; threshold before I and R.
        if rules.level >= Level.EASY_ONLY and not any(
            s.kind is SessionKind.RACE for s in day.sessions
        ):
            assert not day.is_quality, (on, [s.title for s in day.sessions])
        if rules.threshold_only:
            assert not any(s.kind in I_R for s in day.sessions), (on, day)


def _stage_number(label: str) -> int:
    return int(label.split()[1])


def _check_stages(
    a: Adaptation,
    run_days: set[date],
    done: set[date],
    symptoms: set[date],
    today: date,
) -> None:
    """A stage advances only after a day of it was done: never on a rest day, a day another
    episode forbids, or a past day with nothing done."""
    staged = sorted((on, r) for on, r in a.rules.items() if r.stage.startswith("stage "))
    for (d1, r1), (d2, r2) in itertools.pairwise(staged):
        if d2 != d1 + timedelta(days=1):
            continue
        if _stage_number(r2.stage) <= _stage_number(r1.stage):
            continue
        forbidden = any(x.level >= Level.CROSS_ONLY and not x.check_in_due for x in r1.restrictions)
        assert not forbidden, f"stage advanced on {d1}, a day another episode forbids"
        if d1 < today:
            assert d1 in done and d1 not in symptoms, f"stage advanced on {d1}, not done"
        else:
            assert d1 in done or (d1 > today and d1 in run_days), f"advanced on rest day {d1}"


@PROPERTY
@given(histories())
def test_every_day_walked_forward_is_safe(
    case: tuple[
        PlanRequest, list[Episode], list[CheckIn], list[Edit], dict[date, float], date, int
    ],
) -> None:
    request, episodes, check_ins, edits, logged, first, days = case
    note(repr(case))
    try:
        base = generate_plan(request, START - timedelta(days=1), strict=False)
    except InfeasiblePlanError:
        reject()  # the plan rules refuse this request (with a hint); nothing to adapt
    for step in range(0, days, 4):
        today = first + timedelta(days=step)
        known = [c for c in check_ins if c.on <= today]
        visible = [e for e in episodes if e.start <= today]
        ran = {d: m for d, m in logged.items() if d < today}
        a = derive_plan(request, visible, known, today, edits, logged_m=ran)
        _check(a, known, visible, today)
        done = set(ran) | {c.on for c in known if c.done}
        sick = {c.on for c in known if c.symptomatic}
        _check_stages(a, {d.date for d in base.days() if d.runs}, done - sick, sick, today)
    # Deriving again for the same day from the same inputs gives the same plan.
    assert derive_plan(request, visible, known, today, edits, logged_m=ran).plan == a.plan
