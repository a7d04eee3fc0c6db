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
from milepost.domain.schedule.slots import FAR, Item, Landscape, Span, intersect

Solution = dict[int, int]  # item number → start minute; a missing item is dropped
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class WeekProblem:
    monday: date
    dates: tuple[date, ...]  # the horizon's dates in this week, ascending
    items: tuple[Item, ...]
    candidates: tuple[dict[date, list[Span]], ...]  # per item: date → start spans (non-empty)
    hard_before: frozenset[date]  # hard days just before this week (from the week before)
    max_runs_per_day: int
    pinned_on: tuple[date | None, ...]  # per item: the local date of its pin
    hard_after: frozenset[date] = frozenset()  # the plan's hard days just after this week
    strength_before: frozenset[date] = frozenset()  # strength days just before this week
    own_day: frozenset[int] = frozenset()  # items that stay on their day (a race, a move)
    # per item: the days the rules let it go on at all (whether or not the hours hold it)
    allowed_days: tuple[frozenset[date], ...] = ()

    @classmethod
    def build(
        cls,
        monday: date,
        dates: Iterable[date],
        items: Iterable[Item],
        land: Landscape,
        hard_before: frozenset[date],
        max_runs_per_day: int,
        *,
        hard_after: frozenset[date] = frozenset(),
        strength_before: frozenset[date] = frozenset(),
        fixed: frozenset[tuple[date, int]] = frozenset(),
    ) -> WeekProblem:
        dates = tuple(sorted(dates))
        items = tuple(items)
        pinned_on = tuple(
            None if i.pinned_start is None else land.clock.at(i.pinned_start).date() for i in items
        )
        pinned_hard = {on for i, on in zip(items, pinned_on, strict=True) if on and i.is_hard}
        pinned_strength = {
            on for i, on in zip(items, pinned_on, strict=True) if on and i.is_strength
        }
        # Strength never beside a hard session nor on its eve; a hard session never on the day
        # of (or after) strength that cannot move.
        no_strength = {d - k * ONE_DAY for d in pinned_hard | hard_after for k in (0, 1)}
        no_hard = {d + k * ONE_DAY for d in pinned_strength | strength_before for k in (0, 1)}
        # A race happens on its date, a session the runner moved stays where she put it;
        # everything else may move within the week.
        own_day = frozenset(
            n
            for n, item in enumerate(items)
            if item.session.kind is SessionKind.RACE or (item.date, item.index) in fixed
        )
        candidates = []
        allowed_days = []
        for n, item in enumerate(items):
            options: dict[date, list[Span]] = {}
            allowed: list[date] = []
            if item.pinned_start is None:
                days = (item.date,) if n in own_day else dates
                for day in days:
                    if (item.is_strength and day in no_strength) or (
                        item.is_hard and day in no_hard
                    ):
                        continue
                    allowed.append(day)
                    spans = land.starts(item, day)
                    if spans:
                        options[day] = spans
            candidates.append(options)
            allowed_days.append(frozenset(allowed))
        return cls(
            monday,
            dates,
            items,
            tuple(candidates),
            hard_before,
            max_runs_per_day,
            pinned_on,
            hard_after,
            strength_before,
            own_day,
            tuple(allowed_days),
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


class Days:
    """What a week holds so far, per local date: for the greedy steps (first-fit and the
    shortening pass) to keep the same rules as the solver."""

    def __init__(
        self,
        problem: WeekProblem,
        land: Landscape,
        solution: Solution,
        short: dict[int, tuple[int, int]] | None = None,
    ) -> None:
        self.problem = problem
        self.land = land
        self.busy: list[tuple[int, int]] = []
        self.runs: Counter[date] = Counter()
        self.hard: Counter[date] = Counter()
        self.strength: Counter[date] = Counter()
        self.run_end: dict[date, int] = {}  # when the day's last run (shower included) ends
        self.strength_start: dict[date, int] = {}  # when the day's first strength begins
        for day in problem.hard_before:
            self.hard[day] += 1
        for day in problem.strength_before:
            self.strength[day] += 1
        for n, start in solution.items():
            self.add(problem.items[n], start, problem.items[n].occupy_min)
        for n, (start, minutes) in (short or {}).items():
            item = problem.items[n]
            self.add(item, start, item.occupy_min - item.duration_min + minutes)

    def add(self, item: Item, start: int, occupy_min: int) -> None:
        day = self.land.clock.at(start).date()
        self.busy = sorted([*self.busy, (start, start + occupy_min)])
        self.runs[day] += item.is_run
        self.hard[day] += item.is_hard
        if item.is_run:
            self.run_end[day] = max(self.run_end.get(day, start), start + occupy_min)
        if item.is_strength:
            self.strength[day] += 1
            self.strength_start[day] = min(self.strength_start.get(day, start), start)

    def allows(self, item: Item, day: date) -> bool:
        """The day-level rules: runs a day, hard/easy rhythm, strength beside hard days."""
        hard, strength = self.hard, self.strength
        if item.is_run and self.runs[day] >= self.problem.max_runs_per_day:
            return False
        if item.is_hard and (
            hard[day] or hard[day - ONE_DAY] or hard[day + ONE_DAY] or strength[day]
        ):
            return False
        if item.is_hard and strength[day - ONE_DAY]:
            return False  # the day after strength is no day for a hard session
        after = day + ONE_DAY
        eve = hard[after] or after in self.problem.hard_after
        return not (item.is_strength and (strength[day] or hard[day] or eve))

    def earliest(self, item: Item, day: date, spans: list[Span], occupy_min: int) -> int | None:
        """The earliest free start on ``day``: strength after the day's run, a run before the
        day's strength."""
        if item.is_strength and day in self.run_end:
            spans = intersect(spans, [(self.run_end[day], FAR)])
        if item.is_run and day in self.strength_start:
            spans = intersect(spans, [(-FAR, self.strength_start[day] - occupy_min)])
        return earliest_free(spans, occupy_min, self.busy)


def place_first_fit(problem: WeekProblem, land: Landscape) -> Solution:
    """Greedy: the most valuable sessions first, each on the nearest day that allows it, at
    the earliest free minute. Never better than the solver, but always an answer."""
    solution: Solution = {
        n: i.pinned_start for n, i in enumerate(problem.items) if i.pinned_start is not None
    }
    state = Days(problem, land, solution)
    order = sorted(
        problem.free(),
        key=lambda n: (-problem.items[n].keep_weight, problem.items[n].date, n),
    )
    for n in order:
        item = problem.items[n]
        days = sorted(problem.candidates[n], key=lambda d: (abs((d - item.date).days), d))
        for day in days:
            if not state.allows(item, day):
                continue
            start = state.earliest(item, day, problem.candidates[n][day], item.occupy_min)
            if start is None:
                continue
            solution[n] = start
            state.add(item, start, item.occupy_min)
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


# What may be cut short, and how far, before it is better dropped and said so. An easy run
# keeps two thirds (and 20 min); the long run keeps 60 % and 45 min (shorter is no long run);
# a quality session keeps 70 % and 30 min (the warm-up and cool-down give first) [S].
SHORTEN_STEP_MIN = 5
SHORTEST = {
    SessionKind.EASY: (2 / 3, 20),
    SessionKind.STRIDES: (2 / 3, 20),
    SessionKind.LONG: (0.6, 45),
    SessionKind.MARATHON_PACE: (0.7, 30),
    SessionKind.THRESHOLD: (0.7, 30),
    SessionKind.INTERVAL: (0.7, 30),
    SessionKind.REPETITION: (0.7, 30),
    SessionKind.FARTLEK: (0.7, 30),
}
SHORTEN_KINDS = frozenset({SessionKind.EASY, SessionKind.STRIDES})


def shortest_minutes(item: Item) -> int | None:
    """The fewest minutes ``item`` may be cut to, or None when it is never cut."""
    rule = SHORTEST.get(item.session.kind)
    if rule is None:
        return None
    share, least = rule
    return max(least, math.ceil(item.duration_min * share))


def cut_lengths(item: Item) -> list[int]:
    """The lengths a cut of ``item`` may take, longest first: 5-minute steps below its length,
    then its floor itself (so a window just long enough for the floor is not missed)."""
    floor = shortest_minutes(item)
    if floor is None or floor >= item.duration_min:
        return []
    top = (item.duration_min - 1) // SHORTEN_STEP_MIN * SHORTEN_STEP_MIN
    lengths = list(range(top, floor - 1, -SHORTEN_STEP_MIN))
    if not lengths or lengths[-1] != floor:
        lengths.append(floor)
    return lengths


def shorten_dropped(
    problem: WeekProblem,
    land: Landscape,
    solution: Solution,
    *,
    easy: bool = True,
    short: dict[int, tuple[int, int]] | None = None,
) -> dict[int, tuple[int, int]]:
    """Sessions the week could not hold at full length, cut to the longest that fits (in
    5-minute steps) on the nearest day that keeps every rule: the long run and quality first,
    then easy runs (when ``easy``). ``short``: cuts already made (the solver's), kept.
    Item number → (start minute, minutes)."""
    out: dict[int, tuple[int, int]] = dict(short or {})
    state = Days(problem, land, solution, out)
    dropped = [n for n in problem.free() if n not in solution and n not in out]
    order = sorted(
        dropped,
        key=lambda n: (-problem.items[n].keep_weight, problem.items[n].date, n),
    )
    for n in order:
        item = problem.items[n]
        if item.session.kind in SHORTEN_KINDS and not easy:
            continue
        days = sorted(problem.allowed_days[n], key=lambda d: (abs((d - item.date).days), d))
        found: tuple[int, int] | None = None
        for minutes in cut_lengths(item):
            if found is not None:
                break
            cut = replace(
                item, duration_min=minutes, occupy_min=item.occupy_min - item.duration_min + minutes
            )
            for day in days:
                if not state.allows(item, day):
                    continue
                at = state.earliest(item, day, land.starts(cut, day), cut.occupy_min)
                if at is not None:
                    found = (at, minutes)
                    break
        if found is not None:
            at, minutes = found
            out[n] = (at, minutes)
            state.add(item, at, item.occupy_min - item.duration_min + minutes)
    return out
