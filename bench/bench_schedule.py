"""Scheduling speed: CP-SAT against the first-fit placement on the same input, in this process.

The workload is issue #5's hard case: a 24-week marathon plan (generate_plan) for a runner who
feeds every 3 h from 06:00 to 21:00, with 90-minute weekday windows, two weekday evenings and
long weekend mornings, in America/New_York (the plan crosses the March clock change). It times
one week and the whole plan, each several times, and reports medians; the baseline is
``ScheduleOptions(method="greedy")`` (the solver's own fallback) on the same days. Prints a table
and writes bench/results/schedule.json.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from milepost.domain.availability import Availability, parse_feeds, parse_windows
from milepost.domain.plan.generate import generate_plan
from milepost.domain.plan.model import Day
from milepost.domain.plan.request import PlanRequest
from milepost.domain.schedule import ScheduleOptions, ScheduleResult, schedule

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "schedule.json"
REPEATS = int(os.environ.get("MILEPOST_BENCH_REPEATS", "7"))
ZONE = "America/New_York"

REQUEST = PlanRequest(
    race_distance_m=42195.0,
    race_date=date(2027, 4, 18),
    vdot=50.0,
    weekly_m=50_000.0,
    runs_per_week=5,
    long_run_day=6,
    start=date(2026, 11, 2),
    race_name="Spring Marathon",
)
AVAILABILITY = Availability(
    parse_windows(["mon-fri 06:30-08:00", "tue,thu 19:00-20:30", "sat,sun 06:30-10:30"])
)
FEEDS = parse_feeds(every="3h", start="06:00", end="21:00", duration="30m")


def run(days: Sequence[Day], method: str) -> tuple[float, ScheduleResult]:
    options = ScheduleOptions(method="greedy" if method == "greedy" else "cp-sat")
    start = time.perf_counter()
    result = schedule(days, AVAILABILITY, FEEDS, [], ZONE, options=options)
    return time.perf_counter() - start, result


@dataclass(frozen=True)
class Measure:
    median_s: float
    min_s: float
    max_s: float
    repeats: int
    status: str
    solver_wall_time_s: float
    placed: int
    moved: int
    dropped: int


def measure(days: Sequence[Day], method: str) -> Measure:
    run(days, method)  # warm-up: imports, zoneinfo caches
    seconds, results = [], []
    for _ in range(REPEATS):
        elapsed, result = run(days, method)
        seconds.append(elapsed)
        results.append(result)
    last = results[-1]
    return Measure(
        median_s=statistics.median(seconds),
        min_s=min(seconds),
        max_s=max(seconds),
        repeats=REPEATS,
        status=last.stats.status,
        solver_wall_time_s=last.stats.wall_time_s,
        placed=len(last.placements),
        moved=sum(1 for e in last.explanations if e.kind == "moved"),
        dropped=sum(1 for e in last.explanations if e.kind == "dropped"),
    )


def main() -> int:
    plan = generate_plan(REQUEST, date(2026, 10, 1))
    workloads = {"one_week": list(plan.weeks[10].days), "plan_24_weeks": plan.days()}
    results: dict[str, object] = {
        "plan_weeks": len(plan.weeks),
        "sessions": sum(1 for d in plan.days() for s in d.sessions if s.kind.value != "rest"),
        "cpus": os.cpu_count(),
    }
    print(f"{len(plan.weeks)}-week plan, feeds every 3 h, {ZONE}; medians of {REPEATS} runs")
    for name, days in workloads.items():
        solver = measure(days, "cp-sat")
        greedy = measure(days, "greedy")
        ratio = solver.median_s / greedy.median_s
        results[name] = {
            "cp_sat": asdict(solver),
            "first_fit": asdict(greedy),
            "ratio_cp_sat_to_first_fit": ratio,
        }
        print(
            f"  {name:14} CP-SAT {solver.median_s * 1000:8.1f} ms ({solver.status}, "
            f"{solver.placed} placed, {solver.dropped} dropped)   first-fit "
            f"{greedy.median_s * 1000:7.1f} ms ({greedy.placed} placed, {greedy.dropped} "
            f"dropped)   ratio {ratio:.1f}x"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
