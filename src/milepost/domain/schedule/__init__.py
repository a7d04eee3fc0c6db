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
from collections.abc import Hashable, MutableMapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, timedelta
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
    "WeekOutcome",
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
    cache: MutableMapping[Hashable, WeekOutcome] | None = None,
) -> ScheduleResult:
    """Give every session of ``days`` a start and an end in the runner's real hours.

    ``days`` are plan days (one week or a whole plan) in the athlete's zone ``tz``; rest days
    are skipped. Raises :class:`InputError` for inputs that contradict each other (a pin on a
    day that is not given, an unknown zone).

    ``cache`` (any mapping the caller keeps) remembers each week's outcome by everything it
    depends on, so a re-plan re-solves only the weeks an input touched.
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
    planned_hard = frozenset(d.date for d in ordered if d.is_hard)

    result = ScheduleResult([], [], SolverStats("optimal", 0.0))
    stats: list[WeekStats] = []
    hard_days: frozenset[date] = frozenset()
    strength_days: frozenset[date] = frozenset()
    for monday, dates in sorted(dates_by_week.items()):
        sunday = monday + timedelta(days=6)
        week = _WeekInput(
            monday,
            tuple(dates),
            tuple(by_week[monday]),
            frozenset(d for d in hard_days if d == monday - timedelta(days=1)),
            frozenset(d for d in strength_days if d == monday - timedelta(days=1)),
            frozenset(d for d in planned_hard if d == sunday + timedelta(days=1)),
        )
        key = _cache_key(week, land, options) if cache is not None else None
        outcome = cache.get(key) if cache is not None else None
        if outcome is None:
            outcome = _schedule_week(week, land, options)
            if cache is not None:
                cache[key] = outcome
        result.placements.extend(outcome.placements)
        result.explanations.extend(outcome.explanations)
        result.dropped.extend(outcome.dropped)
        stats.append(outcome.stats)
        hard_days, strength_days = outcome.hard_days, outcome.strength_days
    return replace(result, stats=_summary(stats))


@dataclass(frozen=True)
class _WeekInput:
    monday: date
    dates: tuple[date, ...]
    items: tuple[Item, ...]
    hard_before: frozenset[date]
    strength_before: frozenset[date]
    hard_after: frozenset[date]


@dataclass(frozen=True)
class WeekOutcome:
    """One week scheduled: what :func:`schedule` keeps per week, and what a cache holds."""

    placements: tuple[Placement, ...]
    explanations: tuple[Explanation, ...]
    dropped: tuple[tuple[date, int], ...]
    stats: WeekStats
    hard_days: frozenset[date]  # local dates holding a hard session
    strength_days: frozenset[date]


def _schedule_week(week: _WeekInput, land: Landscape, options: ScheduleOptions) -> WeekOutcome:
    problem = WeekProblem.build(
        week.monday,
        week.dates,
        week.items,
        land,
        week.hard_before,
        options.max_runs_per_day,
        hard_after=week.hard_after,
        strength_before=week.strength_before,
        fixed=options.fixed,
    )
    solution, week_stats, note, cut = _solve(problem, land, options)
    explanations = []
    if note:
        explanations.append(Explanation(week.monday, note, "time_limit"))
    short = shorten_dropped(problem, land, solution, easy=options.shorten_easy_runs, short=cut)
    explanations += explain_week(problem, solution, land, short)
    placements = placements_of(problem, solution, land, short)
    dropped = tuple(
        (i.date, i.index)
        for n, i in enumerate(problem.items)
        if n not in solution and n not in short
    )
    kept = {n: start for n, start in solution.items()} | {n: s for n, (s, _) in short.items()}
    return WeekOutcome(
        tuple(placements),
        tuple(explanations),
        dropped,
        week_stats,
        frozenset(land.clock.at(s).date() for n, s in kept.items() if problem.items[n].is_hard),
        frozenset(land.clock.at(s).date() for n, s in kept.items() if problem.items[n].is_strength),
    )


def _cache_key(week: _WeekInput, land: Landscape, options: ScheduleOptions) -> Hashable:
    """Everything a week's schedule depends on, in terms that do not depend on where the
    horizon starts: equal keys give equal weeks."""
    availability = land.availability
    items = tuple(
        (
            i.date,
            i.index,
            i.session,
            i.duration_min,
            i.occupy_min,
            None if i.pinned_start is None else land.clock.at(i.pinned_start).astimezone(UTC),
        )
        for i in week.items
    )
    days = tuple(
        (
            day,
            tuple(availability.windows_on(day)),
            availability.exception_on(day),
            tuple(availability.extra_on(day)),
        )
        for day in week.dates
    )
    general = replace(options, closed_dates=frozenset(), fixed=frozenset())
    return (
        land.clock.zone.key,
        week.monday,
        week.dates,
        items,
        days,
        availability.buffer_s,
        land.feeds,
        land.closed & frozenset(week.dates),
        options.fixed & frozenset((i.date, i.index) for i in week.items),
        week.hard_before,
        week.strength_before,
        week.hard_after,
        general,
    )


def _solve(
    problem: WeekProblem, land: Landscape, options: ScheduleOptions
) -> tuple[dict[int, int], WeekStats, str, dict[int, tuple[int, int]]]:
    first_fit = place_first_fit(problem, land)
    if not problem.free():
        return first_fit, WeekStats(problem.monday, "empty", 0.0, 0), "", {}
    if options.method == "greedy":
        return first_fit, WeekStats(problem.monday, "greedy", 0.0, 0), "", {}
    solved = solve_week(problem, land, options, hint=first_fit)
    week = f"the week of Mon {problem.monday.day} {problem.monday:%b}"
    limit = f"{options.time_limit_s_per_week:g} s"
    if solved.solution is None:
        note = (
            f"the solver found no schedule for {week} within its {limit} limit: sessions were "
            "placed first-fit (the most important first, each on the nearest day that allows "
            "it, at the earliest free time)"
        )
        return first_fit, WeekStats(problem.monday, "greedy", solved.wall_time_s, 0), note, {}
    if solved.status == "optimal":
        return (
            solved.solution,
            WeekStats(problem.monday, "optimal", solved.wall_time_s, solved.objective),
            "",
            solved.short or {},
        )
    note = (
        f"the solver stopped at its {limit} limit for {week}: this is the best schedule it "
        "found, every rule kept, but not proven the best"
    )
    return (
        solved.solution,
        WeekStats(problem.monday, "feasible", solved.wall_time_s, solved.objective),
        note,
        solved.short or {},
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
