"""One week as a CP-SAT model.

Each free session gets, for every day it could go on, a yes/no variable and an optional
interval whose start may take only the minutes the windows and the feed rule allow. One
no-overlap over all intervals (pins included) keeps sessions apart in real time; linear
constraints carry "at most N runs a day" and "no two hard days in a row". The objective, in
tiers so that a lower tier never outweighs one step of a higher tier:

    keep sessions (KEEP_WEIGHT × DROP)  ≫  the plan's day (KEEP_WEIGHT × MOVE per day moved,
      so a strength session moves before a quality one)
      ≫  the preferred long-run day (LONG_DAY)  ≫  mornings (1 per minute after midnight)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, time, timedelta

from ortools.sat.python import cp_model

from milepost.domain.schedule.model import ScheduleOptions
from milepost.domain.schedule.slots import Landscape
from milepost.domain.schedule.week import Solution, WeekProblem

DROP = 10_000_000
MOVE = 10_000
LONG_DAY = 5_000
# Mornings cost a minute a minute; a day is 1,440 minutes (1,500 on an autumn-change day), so the
# whole tier stays below one day moved of the lightest session (2 × MOVE).


@dataclass(frozen=True)
class Solved:
    solution: Solution | None  # None: the solver found nothing in its time
    status: str  # "optimal", "feasible" (stopped at the time limit) or "unknown"
    wall_time_s: float
    objective: int


def solve_week(
    problem: WeekProblem, land: Landscape, options: ScheduleOptions, hint: Solution
) -> Solved:
    model = cp_model.CpModel()
    intervals = [
        model.new_interval_var(begin, end - begin, end, f"pin{k}")
        for k, (begin, end) in enumerate(problem.pinned_busy())
    ]
    choice: dict[tuple[int, date], cp_model.IntVar] = {}
    starts: dict[tuple[int, date], cp_model.IntVar] = {}
    cost: list[cp_model.LinearExprT] = []
    constant = 0
    for n in problem.free():
        item = problem.items[n]
        lits = []
        for day, spans in problem.candidates[n].items():
            lit = model.new_bool_var(f"x{n}_{day:%m%d}")
            start = model.new_int_var_from_domain(
                cp_model.Domain.from_intervals([list(s) for s in spans]), f"s{n}_{day:%m%d}"
            )
            intervals.append(
                model.new_optional_fixed_size_interval_var(
                    start, item.occupy_min, lit, f"i{n}_{day:%m%d}"
                )
            )
            choice[n, day], starts[n, day] = lit, start
            lits.append(lit)
            day_cost = MOVE * item.keep_weight * abs((day - item.date).days)
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
                midnight = land.clock.minute(day, time(0))
                late = model.new_int_var(0, 2 * 1440, f"m{n}_{day:%m%d}")
                model.add(late == start - midnight).only_enforce_if(lit)
                model.add(late == 0).only_enforce_if(~lit)
                cost.append(late)
        if lits:
            model.add_at_most_one(lits)
        # Dropping costs its weight; placing it earns the weight back.
        constant += DROP * item.keep_weight
        cost.extend(-DROP * item.keep_weight * lit for lit in lits)
    model.add_no_overlap(intervals)
    _add_day_rules(model, problem, choice)
    _add_strength_rules(model, problem, choice, starts)
    model.minimize(sum(cost) + constant)

    for (n, day), lit in choice.items():
        placed_here = n in hint and land.clock.at(hint[n]).date() == day
        model.add_hint(lit, placed_here)
        if placed_here:
            model.add_hint(starts[n, day], hint[n])

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
    for (n, day), lit in choice.items():
        if solver.boolean_value(lit):
            solution[n] = solver.value(starts[n, day])
    status = "optimal" if code == cp_model.OPTIMAL else "feasible"
    return Solved(solution, status, solver.wall_time, round(solver.objective_value))


def _add_day_rules(
    model: cp_model.CpModel,
    problem: WeekProblem,
    choice: dict[tuple[int, date], cp_model.IntVar],
) -> None:
    pinned_runs, pinned_hard = problem.pinned_counts()
    runs_on: dict[date, list[cp_model.IntVar]] = defaultdict(list)
    hard_on: dict[date, list[cp_model.IntVar]] = defaultdict(list)
    for (n, day), lit in choice.items():
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
    choice: dict[tuple[int, date], cp_model.IntVar],
    starts: dict[tuple[int, date], cp_model.IntVar],
) -> None:
    """Strength never beside a hard session or on its eve, never two on a day, and after the
    day's run (the pins and the week's edges are already in the candidates, week.py)."""
    one = timedelta(days=1)
    by_day: dict[date, list[int]] = defaultdict(list)
    for n, day in choice:
        by_day[day].append(n)
    pinned_strength: dict[date, list[int]] = defaultdict(list)
    pinned_runs: dict[date, list[int]] = defaultdict(list)
    for n, (item, on) in enumerate(zip(problem.items, problem.pinned_on, strict=True)):
        if on is not None and item.is_strength:
            pinned_strength[on].append(n)
        if on is not None and item.is_run:
            pinned_runs[on].append(n)
    for day, here in by_day.items():
        strength = [n for n in here if problem.items[n].is_strength]
        if not strength:
            continue
        model.add(sum(choice[n, day] for n in strength) <= (0 if day in pinned_strength else 1))
        hard = [
            (m, d) for d in (day, day + one) for m in by_day.get(d, []) if problem.items[m].is_hard
        ]
        for n in strength:
            for m, d in hard:
                model.add(choice[n, day] + choice[m, d] <= 1)
            for m in here:
                if problem.items[m].is_run:
                    model.add(
                        starts[n, day] >= starts[m, day] + problem.items[m].occupy_min
                    ).only_enforce_if([choice[n, day], choice[m, day]])
            for m in pinned_runs.get(day, []):
                run = problem.items[m]
                assert run.pinned_start is not None
                model.add(starts[n, day] >= run.pinned_start + run.occupy_min).only_enforce_if(
                    choice[n, day]
                )
    for day, numbers in pinned_strength.items():
        first = min(problem.items[n].pinned_start or 0 for n in numbers)
        for m in by_day.get(day, []):
            if problem.items[m].is_run:
                model.add(starts[m, day] + problem.items[m].occupy_min <= first).only_enforce_if(
                    choice[m, day]
                )
