"""Plan versus done: matching, compliance and missed days."""

from __future__ import annotations

from datetime import date, timedelta

from milepost.domain.compliance import DoneActivity, compare_week, missed_days
from milepost.domain.plan.model import Day, Phase, Session, SessionKind, Week

MONDAY = date(2026, 12, 14)


def _run(km: float, kind: SessionKind = SessionKind.EASY) -> Session:
    return Session(kind, f"{kind.value} {km:g} km", "", distance_m=km * 1000)


STRENGTH = Session(SessionKind.STRENGTH, "Strength A", "")
REST = Session(SessionKind.REST, "Rest", "")
WEEK = Week(
    number=3,
    starts=MONDAY,
    phase=Phase.FOUNDATION,
    days=(
        Day(MONDAY, (_run(8), STRENGTH)),
        Day(MONDAY + timedelta(1), (_run(8),)),
        Day(MONDAY + timedelta(2), (REST,)),
        Day(MONDAY + timedelta(3), (_run(10, SessionKind.THRESHOLD),)),
        Day(MONDAY + timedelta(4), (REST,)),
        Day(MONDAY + timedelta(5), (_run(16, SessionKind.LONG),)),
        Day(MONDAY + timedelta(6), (_run(6),)),
    ),
)


def done(i: int, day: int, sport: str = "running", km: float | None = 8.0) -> DoneActivity:
    return DoneActivity(i, MONDAY + timedelta(day), sport, km * 1000 if km else None, 2700)


def test_a_planned_run_day_that_ended_with_nothing_logged_is_missed() -> None:
    friday = MONDAY + timedelta(4)
    logged = [MONDAY, MONDAY + timedelta(3)]
    assert missed_days(WEEK.days, logged, today=friday) == [MONDAY + timedelta(1)]
    # today is not missed yet, rest days never are
    assert missed_days(WEEK.days, logged, today=MONDAY + timedelta(1)) == []
    assert missed_days(WEEK.days, [], today=MONDAY + timedelta(7)) == [
        MONDAY + timedelta(d) for d in (0, 1, 3, 5, 6)
    ]


def test_activities_match_the_session_of_their_day_or_are_unplanned() -> None:
    log = [
        done(1, 0),  # Monday's run
        done(2, 0, "strength", None),  # Monday's strength
        done(3, 0, km=4.0),  # a second run on Monday: unplanned
        done(4, 2, km=5.0),  # a run on a rest day: unplanned
        done(5, 3, km=10.0),  # Thursday's threshold
        done(6, 5, km=18.0),  # the long run
    ]
    week = compare_week(WEEK, 12, log, today=MONDAY + timedelta(6))
    planned = {m.activity.id: (m.session.kind if m.session else None) for m in week.matches}
    assert planned == {
        1: SessionKind.EASY,
        2: SessionKind.STRENGTH,
        3: None,
        4: None,
        5: SessionKind.THRESHOLD,
        6: SessionKind.LONG,
    }
    assert week.done_m == 45_000 and week.planned_m == 48_000
    assert week.long_run_m == 18_000 and week.planned_long_run_m == 16_000
    assert week.strength_sessions == 1 and week.planned_strength_sessions == 1
    assert week.weeks_to_race == 9
    # due on Sunday: Mon run + strength, Tue, Thu, Sat (5); Sunday's run not yet. Tuesday missed.
    assert week.compliance == 4 / 5
    assert week.missed == (MONDAY + timedelta(1),)


def test_nothing_due_yet_means_no_compliance_rather_than_zero() -> None:
    week = compare_week(WEEK, 12, [], today=MONDAY)
    assert week.compliance is None and week.done_m == 0 and week.missed == ()
