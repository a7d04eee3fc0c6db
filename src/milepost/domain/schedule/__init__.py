"""``schedule(days, availability, feeds, pins, tz)``: plan days → start and end times.

Hard rules (issue #5): every session starts and ends, changing buffer included, inside one of the
runner's windows; a run starts within the after-feed window after a feed ends and is back before
the next feed starts (inside a caregiver window the feed rule does not apply); strength and
cross-training only stay clear of feeds; sessions never overlap; at most one run a day (unless
``max_runs_per_day`` says otherwise); no two hard days in a row (quality or the long run,
``Day.is_hard``; Daniels' spacing rule, as in ``plan/layout.py``), including across weeks; pinned
sessions stay exactly where they are pinned, and a race never leaves its date. Soft, in order:
keep every session, keep it on its plan day (each day moved costs), the preferred long-run day,
mornings.

A session whose day has no time may move to another day of its week; an easy run that fits
nowhere at full length may be shortened (to no less than two thirds); anything else that fits
nowhere is dropped. Each of these yields an :class:`Explanation` with a sentence — nothing is
moved, shortened or dropped silently.

**Time limit.** CP-SAT gets ``options.time_limit_s_per_week`` seconds for each week (default 2 s;
a week usually solves to proven optimality in a few milliseconds). If the limit is hit with a
schedule in hand, that schedule — the best found, every hard rule kept — is returned, the week's
stats say ``"feasible"``, ``stats.status`` is ``"time_limit"`` and a ``time_limit`` explanation
says so. If the limit is hit with no schedule at all, the week falls back to a first-fit
placement (most valuable sessions first, each on the nearest day that allows it, at its earliest
free minute; it keeps every hard rule too, but may drop more) and the explanation says that.

Pure: no I/O, no clock. Times are whole minutes; datetimes come back in the athlete's zone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from milepost.domain.availability import Availability, FeedSchedule
from milepost.domain.plan.model import Day, SessionKind
from milepost.domain.plan.request import monday_of
from milepost.domain.schedule.explain import explain_week, placements_of
from milepost.domain.schedule.model import (
    Explanation,
    Pin,
    Placement,
    ScheduleOptions,
    ScheduleResult,
    SolverStats,
    WeekStats,
)
from milepost.domain.schedule.slots import Clock, Item, Landscape, session_minutes
from milepost.domain.schedule.solve import solve_week
from milepost.domain.schedule.week import WeekProblem, place_first_fit, shorten_dropped
from milepost.errors import InputError

__all__ = [
    "Explanation",
    "Pin",
    "Placement",
    "ScheduleOptions",
    "ScheduleResult",
    "SolverStats",
    "WeekStats",
    "schedule",
]


def schedule(
    days: Sequence[Day],
    availability: Availability,
    feeds: FeedSchedule | None,
    pins: Sequence[Pin],
    tz: ZoneInfo | str,
    *,
    options: ScheduleOptions | None = None,
) -> ScheduleResult:
    """Give every session of ``days`` a start and an end in the runner's real hours.

    ``days`` are plan days (one week or a whole plan) in the athlete's zone ``tz``; rest days
    are skipped. Raises :class:`InputError` for inputs that contradict each other (a pin on a
    day that is not given, an unknown zone).
    """
    options = options or ScheduleOptions()
    zone = _zone(tz, availability)
    ordered = sorted(days, key=lambda d: d.date)
    if len({d.date for d in ordered}) != len(ordered):
        raise InputError("the same plan day was given twice")
    if not ordered:
        return ScheduleResult([], [], SolverStats("optimal", 0.0))
    clock = Clock.starting(zone, ordered[0].date - timedelta(days=1))
    land = Landscape(availability, feeds, clock, frozenset(options.closed_dates))
    items = _items(ordered, _pins_by_session(ordered, pins), land)

    by_week: dict[date, list[Item]] = defaultdict(list)
    dates_by_week: dict[date, list[date]] = defaultdict(list)
    for day in ordered:
        dates_by_week[monday_of(day.date)].append(day.date)
    for item in items:
        by_week[monday_of(item.date)].append(item)

    placements: list[Placement] = []
    explanations: list[Explanation] = []
    stats: list[WeekStats] = []
    dropped: list[tuple[date, int]] = []
    hard_days: set[date] = set()
    for monday, dates in sorted(dates_by_week.items()):
        before = frozenset(d for d in hard_days if d == monday - timedelta(days=1))
        problem = WeekProblem.build(
            monday, dates, by_week[monday], land, before, options.max_runs_per_day
        )
        solution, week_stats, note = _solve(problem, land, options)
        stats.append(week_stats)
        if note:
            explanations.append(Explanation(monday, note, "time_limit"))
        short = shorten_dropped(problem, land, solution) if options.shorten_easy_runs else {}
        explanations += explain_week(problem, solution, land, short)
        placements += placements_of(problem, solution, land, short)
        dropped += [
            (i.date, i.index)
            for n, i in enumerate(problem.items)
            if n not in solution and n not in short
        ]
        hard_days |= {
            clock.at(start).date() for n, start in solution.items() if problem.items[n].is_hard
        }
    return ScheduleResult(placements, explanations, _summary(stats), dropped)


def _solve(
    problem: WeekProblem, land: Landscape, options: ScheduleOptions
) -> tuple[dict[int, int], WeekStats, str]:
    first_fit = place_first_fit(problem, land)
    if not problem.free():
        return first_fit, WeekStats(problem.monday, "empty", 0.0, 0), ""
    if options.method == "greedy":
        return first_fit, WeekStats(problem.monday, "greedy", 0.0, 0), ""
    solved = solve_week(problem, land, options, hint=first_fit)
    week = f"the week of Mon {problem.monday.day} {problem.monday:%b}"
    limit = f"{options.time_limit_s_per_week:g} s"
    if solved.solution is None:
        note = (
            f"the solver found no schedule for {week} within its {limit} limit: sessions were "
            "placed first-fit (the most important first, each on the nearest day that allows "
            "it, at the earliest free time)"
        )
        return first_fit, WeekStats(problem.monday, "greedy", solved.wall_time_s, 0), note
    if solved.status == "optimal":
        return (
            solved.solution,
            WeekStats(problem.monday, "optimal", solved.wall_time_s, solved.objective),
            "",
        )
    note = (
        f"the solver stopped at its {limit} limit for {week}: this is the best schedule it "
        "found, every rule kept, but not proven the best"
    )
    return (
        solved.solution,
        WeekStats(problem.monday, "feasible", solved.wall_time_s, solved.objective),
        note,
    )


def _summary(weeks: list[WeekStats]) -> SolverStats:
    statuses = {w.status for w in weeks}
    overall: Literal["optimal", "time_limit", "greedy"] = "optimal"
    if "greedy" in statuses:
        overall = "greedy"
    elif "feasible" in statuses:
        overall = "time_limit"
    return SolverStats(overall, sum(w.wall_time_s for w in weeks), tuple(weeks))


def _zone(tz: ZoneInfo | str, availability: Availability) -> ZoneInfo:
    try:
        zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(
            f"'{tz}' is not a time zone", hint="use an IANA name such as Europe/London"
        ) from exc
    if availability.tz is not None and availability.tz != zone.key:
        raise InputError(
            f"the availability is written in {availability.tz} but the athlete's zone is "
            f"{zone.key}",
            hint="set the availability again in the athlete's zone",
        )
    return zone


def _pins_by_session(days: Sequence[Day], pins: Sequence[Pin]) -> dict[tuple[date, int], Pin]:
    by_date = {d.date: d for d in days}
    out = {}
    for pin in pins:
        day = by_date.get(pin.date)
        if day is None:
            raise InputError(f"a pin refers to {pin.date}, which is not among the days given")
        if not 0 <= pin.index_in_day < len(day.sessions):
            raise InputError(f"{pin.date} has no session number {pin.index_in_day + 1}")
        if day.sessions[pin.index_in_day].kind is SessionKind.REST:
            raise InputError(f"the pin on {pin.date} points at a rest day")
        out[pin.date, pin.index_in_day] = pin
    return out


def _items(days: Sequence[Day], pins: dict[tuple[date, int], Pin], land: Landscape) -> list[Item]:
    items = []
    for day in days:
        for index, session in enumerate(day.sessions):
            if session.kind is SessionKind.REST:
                continue
            minutes = session_minutes(session)
            occupy = minutes + (land.buffer_min if session.is_run else 0)
            pin = pins.get((day.date, index))
            start = None if pin is None else land.clock.minute_of(pin.start)
            items.append(Item(day.date, index, session, minutes, occupy, start))
    return items
