"""A sentence for every session that moved or was dropped, and for every week the solver did
not finish: a schedule never changes silently."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from milepost.domain.plan.model import SessionKind
from milepost.domain.schedule.model import Explanation, Placement
from milepost.domain.schedule.slots import (
    Item,
    Landscape,
    clock_text,
    human_minutes,
    weekday_name,
)
from milepost.domain.schedule.week import Solution, WeekProblem


def placements_of(
    problem: WeekProblem,
    solution: Solution,
    land: Landscape,
    short: dict[int, tuple[int, int]],
) -> list[Placement]:
    timed = {n: (start, problem.items[n].duration_min) for n, start in solution.items()}
    timed |= short
    out = []
    for n, (start, minutes) in sorted(timed.items(), key=lambda kv: kv[1][0]):
        item = problem.items[n]
        session = item.session
        if minutes != item.duration_min:
            session = replace(
                session,
                title=f"{session.title}, shortened to {human_minutes(minutes)}",
                duration_s=minutes * 60.0,
                distance_m=session.distance_m * minutes / item.duration_min,
            )
        buffer = item.occupy_min - item.duration_min
        out.append(
            Placement(
                date=item.date,
                index_in_day=item.index,
                start=land.clock.at(start),
                end=land.clock.at(start + minutes),
                session=session,
                busy_until=land.clock.at(start + minutes + buffer),
                pinned=item.pinned_start is not None,
            )
        )
    return out


def explain_week(
    problem: WeekProblem,
    solution: Solution,
    land: Landscape,
    short: dict[int, tuple[int, int]],
) -> list[Explanation]:
    placed_on = {n: land.clock.at(start).date() for n, start in solution.items()}
    placed_on |= {n: land.clock.at(start).date() for n, (start, _) in short.items()}
    runs = [n for n, item in enumerate(problem.items) if item.is_run]
    runs_kept = sum(1 for n in runs if n in solution or n in short)
    out = []
    for n in problem.free():
        item = problem.items[n]
        if n in solution:
            if placed_on[n] != item.date:
                when = clock_text(land.clock.at(solution[n]))
                text = _moved(problem, n, placed_on, land, when)
                out.append(Explanation(item.date, text, "moved", item.index))
            continue
        if n in short:
            start, minutes = short[n]
            out.append(
                Explanation(
                    item.date,
                    _shortened(problem, n, placed_on, land, start, minutes),
                    "shortened",
                    item.index,
                )
            )
            continue
        text = _dropped(problem, n, placed_on, land)
        if item.is_run and item.session.kind is not SessionKind.RACE:
            text = f"this week holds {runs_kept} of {len(runs)} runs: {text}"
        if item.is_key:
            # The last resort of the ladder (another time, another day, shorter): said loudly.
            text = f"Warning: {text}"
        out.append(Explanation(item.date, text, "dropped", item.index, warning=item.is_key))
    return out


def _shortened(
    problem: WeekProblem,
    n: int,
    placed_on: dict[int, date],
    land: Landscape,
    start: int,
    minutes: int,
) -> str:
    item = problem.items[n]
    what = (
        f"shortened to {human_minutes(minutes)} at {clock_text(land.clock.at(start))} "
        f"({human_minutes(item.duration_min - minutes)} less than planned)"
    )
    if item.date not in problem.candidates[n]:
        cause, names_session = land.why_not(item, item.date)
        if names_session:
            return f"{cause}; {what}"
        return f"{cause}: the {weekday_name(item.date)} {item.label} is {what}"
    crowded = _crowded(problem, n, placed_on)
    return f"the {weekday_name(item.date)} {item.label} is {what}: {crowded}"


def _moved(
    problem: WeekProblem, n: int, placed_on: dict[int, date], land: Landscape, when: str
) -> str:
    item = problem.items[n]
    name = f"the {weekday_name(item.date)} {item.label}"
    if item.date not in problem.candidates[n]:
        cause, names_session = land.why_not(item, item.date)
        return f"{cause}; moved to {when}" if names_session else f"{cause}: {name} moved to {when}"
    return f"{name} moved to {when}: {_crowded(problem, n, placed_on)}"


def _dropped(problem: WeekProblem, n: int, placed_on: dict[int, date], land: Landscape) -> str:
    item = problem.items[n]
    name = f"the {weekday_name(item.date)} {item.label}"
    if item.session.kind is SessionKind.RACE:
        cause, _ = land.why_not(item, item.date)
        return (
            f"the race on {weekday_name(item.date)} has no time in your windows ({cause}): "
            "pin it at its start time"
        )
    if item.date in problem.candidates[n]:
        own = _crowded(problem, n, placed_on)
    else:
        own, _ = land.why_not(item, item.date)
    others = "no other day this week has room for it"
    if not problem.candidates[n]:
        others = "no other day this week has a time that fits it"
    if n in problem.own_day:
        others = f"you moved it to {weekday_name(item.date)}, so it stays off other days"
    if item.is_key:
        others += ", not even shortened"
    return f"{name} is dropped ({own}, and {others})"


def _crowded(problem: WeekProblem, n: int, placed_on: dict[int, date]) -> str:
    """Why ``n`` is not on its own day although that day has time: what took the day."""
    item = problem.items[n]
    day = item.date
    one = timedelta(days=1)
    others = [(m, on) for m, on in placed_on.items() if m != n]
    if item.is_hard:
        for m, on in others:
            if problem.items[m].is_hard and abs((on - day).days) <= 1:
                return (
                    f"on {weekday_name(day)} it would make two hard days in a row with the "
                    f"{_where(problem.items[m], on, say_day=True)}"
                )
        if (day - one) in problem.hard_before:
            return (
                f"on {weekday_name(day)} it would make two hard days in a row after "
                f"{weekday_name(day - one)}'s hard session"
            )
    if item.is_strength:
        for m, on in others:
            if problem.items[m].is_hard and on in (day, day + one):
                when = "the day of" if on == day else "the eve of"
                return (
                    f"strength stays off {when} a hard session, and {weekday_name(on)} holds the "
                    f"{_where(problem.items[m], on)}"
                )
        if day + one in problem.hard_after:
            after = weekday_name(day + one)
            return f"strength stays off the eve of a hard session, and {after} holds one"
    if item.is_run:
        same_day = [m for m, on in others if on == day and problem.items[m].is_run]
        if len(same_day) >= problem.max_runs_per_day:
            what = _where(problem.items[same_day[0]], day)
            return f"{weekday_name(day)} already holds the {what} (one run a day)"
    taken = [m for m, on in others if on == day]
    if taken:
        return f"{weekday_name(day)}'s time is taken by the {_where(problem.items[taken[0]], day)}"
    return "the week fits together better this way"


def _where(item: Item, on: date, *, say_day: bool = False) -> str:
    """``Thu interval session``; ``long run (moved from Sat)`` when it moved there."""
    text = f"{weekday_name(on)} {item.label}" if say_day else item.label
    if on != item.date:
        text += f" (moved from {weekday_name(item.date)})"
    return text
