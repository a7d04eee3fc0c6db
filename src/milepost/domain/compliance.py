"""Plan versus done: what was logged matched to what was planned, day by day and week by week.

Each logged activity is matched to a planned session on its own (local) day: a run to the day's
run, a strength session to its strength session, any other sport to a cross-training session;
whatever finds no planned session of its kind that day is unplanned (a second run on a day with
one planned run, a run on a rest day). A planned run day that has ended with nothing logged is a
missed day: :func:`missed_days` hands those to the adaptation rules (domain/adapt/missed.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from milepost.domain.plan.model import Day, Session, SessionKind, Week

RUN_SPORTS = frozenset({"running", "trail_running", "treadmill_running"})
# FIT calls gym work "training" (sub-sport strength_training); a typed-in session is "strength".
STRENGTH_SPORTS = frozenset({"strength", "training"})


def missed_days(plan_days: Iterable[Day], done_dates: Iterable[date], today: date) -> list[date]:
    """Planned run days before ``today`` on which nothing was logged, oldest first.

    ``done_dates`` are the (local) dates with anything logged; today itself is never missed
    yet, since the runner may still go out this evening.
    """
    done = set(done_dates)
    return sorted(
        day.date for day in plan_days if day.runs and day.date < today and day.date not in done
    )


@dataclass(frozen=True)
class DoneActivity:
    """What the comparison needs of a logged activity; ``date`` is local to the athlete."""

    id: int
    date: date
    sport: str
    distance_m: float | None
    duration_s: float | None

    @property
    def is_run(self) -> bool:
        return self.sport in RUN_SPORTS

    @property
    def is_strength(self) -> bool:
        return self.sport in STRENGTH_SPORTS


@dataclass(frozen=True)
class Match:
    activity: DoneActivity
    session: Session | None  # None: unplanned

    @property
    def planned(self) -> bool:
        return self.session is not None


@dataclass(frozen=True)
class WeekCompliance:
    week: int
    weeks_in_plan: int
    starts: date
    ends: date
    planned_m: float
    done_m: float
    long_run_m: float  # the longest single run done this week
    planned_long_run_m: float
    strength_sessions: int
    planned_strength_sessions: int
    weeks_to_race: int
    # Share of the planned sessions already due (days before today, or today once done) that
    # were done; None when nothing is due yet.
    compliance: float | None
    matches: tuple[Match, ...]
    missed: tuple[date, ...]

    @property
    def volume_ratio(self) -> float | None:
        return self.done_m / self.planned_m if self.planned_m > 0 else None


def _slot(session: Session) -> str | None:
    if session.is_run:
        return "run"
    if session.kind is SessionKind.STRENGTH:
        return "strength"
    if session.kind is SessionKind.CROSS:
        return "cross"
    return None  # rest


def _activity_slot(activity: DoneActivity) -> str:
    if activity.is_run:
        return "run"
    if activity.is_strength:
        return "strength"
    return "cross"


def match_day(day: Day, done: Sequence[DoneActivity]) -> list[Match]:
    """Match one day's activities (in the order done) to its planned sessions, first come first."""
    open_sessions = list(day.sessions)
    matches = []
    for activity in done:
        slot = _activity_slot(activity)
        session = next((s for s in open_sessions if _slot(s) == slot), None)
        if session is not None:
            open_sessions.remove(session)
        matches.append(Match(activity, session))
    return matches


def compare_week(
    week: Week, weeks_in_plan: int, done: Sequence[DoneActivity], today: date
) -> WeekCompliance:
    """One plan week against what was logged in it."""
    by_day: dict[date, list[DoneActivity]] = {}
    for activity in done:
        if week.starts <= activity.date <= week.ends:
            by_day.setdefault(activity.date, []).append(activity)
    matches: list[Match] = []
    due = kept = 0
    for day in week.days:
        day_matches = match_day(day, by_day.get(day.date, []))
        matches += day_matches
        matched = {id(m.session) for m in day_matches if m.session is not None}
        for session in day.sessions:
            if _slot(session) is None:
                continue
            done_it = id(session) in matched
            if day.date < today or done_it:
                due += 1
                kept += done_it
    runs = [m.activity for m in matches if m.activity.is_run]
    plan_runs = [s for d in week.days for s in d.runs]
    return WeekCompliance(
        week=week.number,
        weeks_in_plan=weeks_in_plan,
        starts=week.starts,
        ends=week.ends,
        planned_m=week.total_m,
        done_m=sum(a.distance_m or 0.0 for a in runs),
        long_run_m=max((a.distance_m or 0.0 for a in runs), default=0.0),
        planned_long_run_m=max((s.distance_m for s in plan_runs), default=0.0),
        strength_sessions=sum(1 for m in matches if m.activity.is_strength),
        planned_strength_sessions=sum(
            1 for d in week.days for s in d.sessions if s.kind is SessionKind.STRENGTH
        ),
        weeks_to_race=weeks_in_plan - week.number,
        compliance=kept / due if due else None,
        matches=tuple(matches),
        missed=tuple(missed_days(week.days, by_day, today)),
    )
