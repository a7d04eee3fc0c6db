"""One week's scheduling problem, and the first-fit placement that is both the solver's hint
and its fallback.

Sessions move only within their own week (Monday to Sunday), so weeks are solved one after
another; the only thing a week hands the next is whether its last day was hard.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from milepost.domain.plan.model import SessionKind
from milepost.domain.schedule.slots import Item, Landscape, Span

Solution = dict[int, int]  # item number → start minute; a missing item is dropped


@dataclass(frozen=True)
class WeekProblem:
    monday: date
    dates: tuple[date, ...]  # the horizon's dates in this week, ascending
    items: tuple[Item, ...]
    candidates: tuple[dict[date, list[Span]], ...]  # per item: date → start spans (non-empty)
    hard_before: frozenset[date]  # hard days just before this week (from the week before)
    max_runs_per_day: int
    pinned_on: tuple[date | None, ...]  # per item: the local date of its pin

    @classmethod
    def build(
        cls,
        monday: date,
        dates: Iterable[date],
        items: Iterable[Item],
        land: Landscape,
        hard_before: frozenset[date],
        max_runs_per_day: int,
    ) -> WeekProblem:
        dates = tuple(sorted(dates))
        items = tuple(items)
        candidates = []
        for item in items:
            options: dict[date, list[Span]] = {}
            if item.pinned_start is None:
                # A race happens on its date; everything else may move within the week.
                days = (item.date,) if item.session.kind is SessionKind.RACE else dates
                for day in days:
                    spans = land.starts(item, day)
                    if spans:
                        options[day] = spans
            candidates.append(options)
        pinned_on = tuple(
            None if i.pinned_start is None else land.clock.at(i.pinned_start).date() for i in items
        )
        return cls(
            monday, dates, items, tuple(candidates), hard_before, max_runs_per_day, pinned_on
        )

    def pinned_busy(self) -> list[tuple[int, int]]:
        """Pinned sessions as [start, end) blocks, merged so that pins that overlap each other
        (the runner's choice) do not make the week impossible."""
        blocks = sorted(
            (i.pinned_start, i.pinned_start + i.occupy_min)
            for i in self.items
            if i.pinned_start is not None
        )
        merged: list[tuple[int, int]] = []
        for begin, end in blocks:
            if merged and begin <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((begin, end))
        return merged

    def pinned_counts(self) -> tuple[Counter[date], Counter[date]]:
        """Pinned runs and pinned hard sessions per local date."""
        runs: Counter[date] = Counter()
        hard: Counter[date] = Counter()
        for item, on in zip(self.items, self.pinned_on, strict=True):
            if on is not None:
                runs[on] += item.is_run
                hard[on] += item.is_hard
        return runs, hard

    def free(self) -> list[int]:
        return [n for n, item in enumerate(self.items) if item.pinned_start is None]


def place_first_fit(problem: WeekProblem, land: Landscape) -> Solution:
    """Greedy: the most valuable sessions first, each on the nearest day that allows it, at
    the earliest free minute. Never better than the solver, but always an answer."""
    solution: Solution = {
        n: i.pinned_start for n, i in enumerate(problem.items) if i.pinned_start is not None
    }
    busy = problem.pinned_busy()
    runs, hard = problem.pinned_counts()
    for day in problem.hard_before:
        hard[day] += 1
    order = sorted(
        problem.free(),
        key=lambda n: (-problem.items[n].keep_weight, problem.items[n].date, n),
    )
    one = timedelta(days=1)
    for n in order:
        item = problem.items[n]
        days = sorted(problem.candidates[n], key=lambda d: (abs((d - item.date).days), d))
        for day in days:
            if item.is_run and runs[day] >= problem.max_runs_per_day:
                continue
            if item.is_hard and (hard[day] or hard[day - one] or hard[day + one]):
                continue
            start = earliest_free(problem.candidates[n][day], item.occupy_min, busy)
            if start is None:
                continue
            solution[n] = start
            busy = sorted([*busy, (start, start + item.occupy_min)])
            runs[day] += item.is_run
            hard[day] += item.is_hard
            break
    return solution


def earliest_free(spans: list[Span], occupy_min: int, busy: list[tuple[int, int]]) -> int | None:
    for first, last in spans:
        start = first
        moved = True
        while moved and start <= last:
            moved = False
            for begin, end in busy:
                if start < end and start + occupy_min > begin:
                    start, moved = end, True
        if start <= last:
            return start
    return None


# An easy run is the one session that can be cut short without changing what the week is for;
# below two thirds of it (or 20 min) it is better dropped and said so.
SHORTEN_KINDS = frozenset({SessionKind.EASY, SessionKind.STRIDES})
SHORTEST_SHARE = 2 / 3
SHORTEST_MIN = 20
SHORTEN_STEP_MIN = 5


def shorten_dropped(
    problem: WeekProblem, land: Landscape, solution: Solution
) -> dict[int, tuple[int, int]]:
    """Easy runs the week could not hold at full length, cut to the longest that fits (in
    5-minute steps) on the nearest day: item number → (start minute, minutes)."""
    busy = sorted((s, s + problem.items[n].occupy_min) for n, s in solution.items())
    runs: Counter[date] = Counter()
    for n, start in solution.items():
        runs[land.clock.at(start).date()] += problem.items[n].is_run
    out: dict[int, tuple[int, int]] = {}
    dropped = [n for n in problem.free() if n not in solution]
    for n in sorted(dropped, key=lambda n: (problem.items[n].date, n)):
        item = problem.items[n]
        if item.session.kind not in SHORTEN_KINDS:
            continue
        floor = max(SHORTEST_MIN, math.ceil(item.duration_min * SHORTEST_SHARE))
        days = sorted(problem.dates, key=lambda d: (abs((d - item.date).days), d))
        found: tuple[int, int, date] | None = None
        minutes = (item.duration_min - 1) // SHORTEN_STEP_MIN * SHORTEN_STEP_MIN
        while found is None and minutes >= floor:
            short = replace(
                item, duration_min=minutes, occupy_min=item.occupy_min - item.duration_min + minutes
            )
            for day in days:
                if runs[day] >= problem.max_runs_per_day:
                    continue
                at = earliest_free(land.starts(short, day), short.occupy_min, busy)
                if at is not None:
                    found = (at, minutes, day)
                    break
            minutes -= SHORTEN_STEP_MIN
        if found is not None:
            at, minutes, day = found
            out[n] = (at, minutes)
            busy = sorted([*busy, (at, at + item.occupy_min - item.duration_min + minutes)])
            runs[day] += 1
    return out
