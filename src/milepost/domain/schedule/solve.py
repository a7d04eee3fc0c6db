"""One week as a CP-SAT model.

Each free session gets, for every day it could go on, a yes/no variable and an optional
interval whose start may take only the minutes the windows and the feed rule allow. A session
that may be cut short (week.py's ``SHORTEST``) also gets, on each day, one shorter variant: the
longest (in 5-minute steps) that the day's hours hold. One no-overlap over all intervals (pins
included) keeps sessions apart in real time; linear constraints carry "at most N runs a day",
"no two hard days in a row" and the strength rules. The objective, in tiers so that a lower
tier never outweighs one step of a higher tier:

    keep sessions (KEEP_WEIGHT × DROP)  ≫  keep them whole (KEEP_WEIGHT × (SHORT + a minute
      lost × PER_MINUTE))  ≫  the plan's day (KEEP_WEIGHT × MOVE per day moved, so a strength
      session moves before a quality one)  ≫  the preferred long-run day (LONG_DAY)
      ≫  mornings (1 per minute after midnight)

So a key session that does not fit tries another time that day, then another day that keeps the
hard/easy rhythm, then a shorter version, and is dropped only when none of these exists.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from typing import TYPE_CHECKING

from milepost.domain.schedule.model import ScheduleOptions
from milepost.domain.schedule.slots import Item, Landscape, Span
from milepost.domain.schedule.week import SHORTEN_KINDS, Solution, WeekProblem, cut_lengths

DROP = 10_000_000
SHORT = 100_000  # a cut session costs more than moving it across the whole week (6 × MOVE)
PER_MINUTE = 10_000
MOVE = 10_000
LONG_DAY = 5_000
# Mornings cost a minute a minute; a day is 1,440 minutes (1,500 on an autumn-change day), so the
# whole tier stays below one day moved of the lightest session (2 × MOVE).

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

Key = tuple[int, date, int]  # item number, day, minutes


@dataclass(frozen=True)
class Solved:
    solution: Solution | None  # None: the solver found nothing in its time
    status: str  # "optimal", "feasible" (stopped at the time limit) or "unknown"
    wall_time_s: float
    objective: int
    short: dict[int, tuple[int, int]] | None = None  # cut sessions: item → (start, minutes)


def shorter_variant(item: Item, day: date, land: Landscape) -> tuple[int, list[Span]] | None:
    """The longest cut of ``item`` (5-minute steps, not below its floor) that ``day`` holds."""
    for minutes in cut_lengths(item):
        short = replace(
            item, duration_min=minutes, occupy_min=item.occupy_min - item.duration_min + minutes
        )
        spans = land.starts(short, day)
        if spans:
            return minutes, spans
    return None


def solve_week(
    problem: WeekProblem, land: Landscape, options: ScheduleOptions, hint: Solution
) -> Solved:
    # Imported on the first solve, not with the module: OR-Tools (and the pandas it loads) costs
    # every command that merely reads a plan a few hundred milliseconds (issue #16).
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    intervals = [
        model.new_interval_var(begin, end - begin, end, f"pin{k}")
        for k, (begin, end) in enumerate(problem.pinned_busy())
    ]
    choice: dict[Key, cp_model.IntVar] = {}
    starts: dict[Key, cp_model.IntVar] = {}
    cost: list[cp_model.LinearExprT] = []
    constant = 0
    for n in problem.free():
        item = problem.items[n]
        lits = []
        options_of = [
            (day, item.duration_min, spans) for day, spans in problem.candidates[n].items()
        ]
        cut = options.shorten_easy_runs or item.session.kind not in SHORTEN_KINDS
        if cut:
            days = (item.date,) if n in problem.own_day else problem.dates
            for day in days:
                # Only where the whole session has no time at all: a cut is the third rung of
                # the ladder, and fewer variables keep a week's solve fast.
                if day not in problem.allowed_days[n] or day in problem.candidates[n]:
                    continue
                variant = shorter_variant(item, day, land)
                if variant is not None:
                    options_of.append((day, variant[0], variant[1]))
        for day, minutes, spans in options_of:
            tag = f"{n}_{day:%m%d}_{minutes}"
            lit = model.new_bool_var(f"x{tag}")
            start = model.new_int_var_from_domain(
                cp_model.Domain.from_intervals([list(s) for s in spans]), f"s{tag}"
            )
            occupy = item.occupy_min - item.duration_min + minutes
            intervals.append(
                model.new_optional_fixed_size_interval_var(start, occupy, lit, f"i{tag}")
            )
            choice[n, day, minutes], starts[n, day, minutes] = lit, start
            lits.append(lit)
            day_cost = MOVE * item.keep_weight * abs((day - item.date).days)
            if minutes < item.duration_min:
                lost = item.duration_min - minutes
                day_cost += item.keep_weight * (SHORT + PER_MINUTE * lost)
            if (
                options.long_run_weekday is not None
                and item.session.kind.value == "long"
                and n not in problem.own_day
                and day.weekday() != options.long_run_weekday
            ):
                day_cost += LONG_DAY
            if day_cost:
                cost.append(day_cost * lit)
            if options.prefer_mornings:
                # Minutes after midnight when chosen, 0 when not: an unchosen start is free, so
                # the solver pulls it to its earliest value, which this term sets to cost 0.
                midnight = land.clock.minute(day, time(0))
                earliest = spans[0][0]
                cost.append(start - earliest + (earliest - midnight) * lit)
        if lits:
            model.add_at_most_one(lits)
        # Dropping costs its weight; placing it earns the weight back.
        constant += DROP * item.keep_weight
        cost.extend(-DROP * item.keep_weight * lit for lit in lits)
    model.add_no_overlap(intervals)
    _add_day_rules(model, problem, choice)
    _add_strength_rules(model, problem, choice, starts)
    model.minimize(sum(cost) + constant)

    for (n, day, minutes), lit in choice.items():
        whole = minutes == problem.items[n].duration_min
        placed_here = whole and n in hint and land.clock.at(hint[n]).date() == day
        model.add_hint(lit, placed_here)
        if placed_here:
            model.add_hint(starts[n, day, minutes], hint[n])

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = options.time_limit_s_per_week
    solver.parameters.num_workers = options.workers
    solver.parameters.random_seed = 0
    code = solver.solve(model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Solved(None, "unknown", solver.wall_time, 0)
    solution: Solution = {
        n: item.pinned_start
        for n, item in enumerate(problem.items)
        if item.pinned_start is not None
    }
    short: dict[int, tuple[int, int]] = {}
    for (n, day, minutes), lit in choice.items():
        if solver.boolean_value(lit):
            at = int(solver.value(starts[n, day, minutes]))
            if minutes == problem.items[n].duration_min:
                solution[n] = at
            else:
                short[n] = (at, minutes)
    status = "optimal" if code == cp_model.OPTIMAL else "feasible"
    return Solved(solution, status, solver.wall_time, round(solver.objective_value), short)


def _add_day_rules(
    model: cp_model.CpModel,
    problem: WeekProblem,
    choice: dict[Key, cp_model.IntVar],
) -> None:
    pinned_runs, pinned_hard = problem.pinned_counts()
    runs_on: dict[date, list[cp_model.IntVar]] = defaultdict(list)
    hard_on: dict[date, list[cp_model.IntVar]] = defaultdict(list)
    for (n, day, _), lit in choice.items():
        item = problem.items[n]
        if item.is_run:
            runs_on[day].append(lit)
        if item.is_hard:
            hard_on[day].append(lit)
    for day, lits in runs_on.items():
        model.add(sum(lits) <= max(0, problem.max_runs_per_day - pinned_runs[day]))
    # Daniels' spacing [S]: never two hard days in a row, including across the weekend into
    # the next week; and never two hard sessions on one day. Pins that already break it are the
    # runner's choice and are left alone, but nothing else joins them.
    for day in problem.hard_before:
        pinned_hard[day] += 1
    one = timedelta(days=1)
    days = sorted(set(hard_on) | {d + k * one for d in hard_on for k in (-1, 1)})
    for day in days:
        for pair in ((day,), (day, day + one)):
            free = [lit for d in pair for lit in hard_on.get(d, [])]
            if free:
                already = any(pinned_hard[d] for d in pair)
                model.add(sum(free) <= (0 if already else 1))


def _add_strength_rules(
    model: cp_model.CpModel,
    problem: WeekProblem,
    choice: dict[Key, cp_model.IntVar],
    starts: dict[Key, cp_model.IntVar],
) -> None:
    """Strength never beside a hard session or on its eve, never two on a day, and after the
    day's run (the pins and the week's edges are already in the candidates, week.py)."""
    one = timedelta(days=1)
    by_day: dict[date, list[Key]] = defaultdict(list)
    for key in choice:
        by_day[key[1]].append(key)
    pinned_strength: dict[date, list[int]] = defaultdict(list)
    pinned_runs: dict[date, list[int]] = defaultdict(list)
    for n, (item, on) in enumerate(zip(problem.items, problem.pinned_on, strict=True)):
        if on is not None and item.is_strength:
            pinned_strength[on].append(n)
        if on is not None and item.is_run:
            pinned_runs[on].append(n)

    def occupy(key: Key) -> int:
        item = problem.items[key[0]]
        return item.occupy_min - item.duration_min + key[2]

    for day, here in by_day.items():
        strength = [k for k in here if problem.items[k[0]].is_strength]
        if not strength:
            continue
        model.add(sum(choice[k] for k in strength) <= (0 if day in pinned_strength else 1))
        hard = [
            k for d in (day, day + one) for k in by_day.get(d, []) if problem.items[k[0]].is_hard
        ]
        for s in strength:
            for k in hard:
                model.add(choice[s] + choice[k] <= 1)
            for k in here:
                if problem.items[k[0]].is_run:
                    model.add(starts[s] >= starts[k] + occupy(k)).only_enforce_if(
                        [choice[s], choice[k]]
                    )
            for m in pinned_runs.get(day, []):
                run = problem.items[m]
                assert run.pinned_start is not None
                model.add(starts[s] >= run.pinned_start + run.occupy_min).only_enforce_if(choice[s])
    for day, numbers in pinned_strength.items():
        first = min(problem.items[n].pinned_start or 0 for n in numbers)
        for k in by_day.get(day, []):
            if problem.items[k[0]].is_run:
                model.add(starts[k] + occupy(k) <= first).only_enforce_if(choice[k])
