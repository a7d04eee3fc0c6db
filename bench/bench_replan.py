"""Re-plan latency after an episode is logged, against generating the same plan from scratch.

The workload: a 24-week marathon plan (bench_schedule's request) for an athlete on SQLite, five
weeks in. Each measurement logs an illness through ``HealthService.add_episode`` — once as a
preview (derive the re-plan, store nothing: what the web app's "preview" button does) and once
applied (store the episode, derive, store a revision), the applied episode ended again after each
run so they do not pile up. Both run twice: with no availability set, and with weekday windows and
a feeding schedule, where every re-plan also places the sessions (CP-SAT). The baseline is
``generate_plan`` alone for the same request, in this process. Reports p50/p95 over the runs and
writes bench/results/replan.json.

With hours and feeds, the scheduler keeps each week's answer in a cache keyed by the week's
inputs (services/timing.py, issue #14), so the preview is measured three ways: "cold" (the cache
emptied before each run: every week solved, as before the cache), "warm" (the state the app is in
after showing the plan: the cache holds the plan as it was, then an illness nobody has logged
before is previewed, so only the weeks it touches are solved) and the applied re-plan.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Hashable
from datetime import date, timedelta
from pathlib import Path

from milepost.bootstrap import Milepost, open_milepost
from milepost.config import Settings
from milepost.domain.athlete import Athlete
from milepost.domain.availability import Availability, parse_feeds, parse_windows
from milepost.domain.episode import Episode, EpisodeKind, Symptoms
from milepost.domain.plan.generate import generate_plan
from milepost.domain.plan.model import Day
from milepost.domain.plan.request import PlanRequest
from milepost.domain.schedule import WeekOutcome, schedule
from milepost.services.timing import WEEKS

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "replan.json"
RUNS = int(os.environ.get("MILEPOST_BENCH_REPLANS", "20"))
ZONE = "America/New_York"
START = date(2026, 11, 2)
TODAY = START + timedelta(weeks=5, days=2)  # a Wednesday in week 6

REQUEST = PlanRequest(
    race_distance_m=42195.0,
    race_date=date(2027, 4, 18),
    vdot=50.0,
    weekly_m=50_000.0,
    runs_per_week=5,
    long_run_day=6,
    start=START,
    race_name="Spring Marathon",
)
WINDOWS = parse_windows(["mon-fri 06:30-08:00", "tue,thu 19:00-20:30", "sat,sun 06:30-10:30"])
FEEDS = parse_feeds(every="3h", start="06:00", end="21:00", duration="30m")


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0–100) of a small sample."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def timings(run: Callable[[], float], runs: int) -> dict[str, float]:
    """``run`` does one measurement and returns the seconds of the part that counts."""
    run()  # warm-up: imports, zoneinfo and SQLAlchemy caches
    seconds = [run() for _ in range(runs)]
    return {
        "runs": runs,
        "p50_ms": percentile(seconds, 50) * 1000,
        "p95_ms": percentile(seconds, 95) * 1000,
        "mean_ms": statistics.fmean(seconds) * 1000,
        "max_ms": max(seconds) * 1000,
    }


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def athlete_with_plan(home: Path, scheduled: bool) -> Milepost:
    mp = open_milepost(
        Settings(home=home, database_url=f"sqlite:///{home / 'milepost.db'}", today=TODAY)
    )
    mp.athletes.create(Athlete(name="Bench", timezone=ZONE))
    mp.planning.create(REQUEST, vdot=50.0)
    if scheduled:
        mp.scheduling.set_windows(WINDOWS)
        mp.scheduling.set_feeds(FEEDS)
    return mp


def illness(day: int) -> Episode:
    # A different cold each time (the day moves), so no run is a repeat of the one before.
    return Episode(
        EpisodeKind.ILLNESS,
        start=TODAY - timedelta(days=day % 3),
        symptoms=Symptoms.ABOVE_NECK,
        note="bench",
    )


def fresh_illness(run: int) -> Episode:
    """An illness no run before has logged: its end date (and so the weeks it touches) is new."""
    return Episode(
        EpisodeKind.ILLNESS,
        start=TODAY - timedelta(days=run % 3),
        end=TODAY + timedelta(days=1 + run % 9),
        symptoms=Symptoms.ABOVE_NECK,
        note=f"bench {run}",
    )


def measure(home: Path, scheduled: bool) -> dict[str, dict[str, float]]:
    mp = athlete_with_plan(home, scheduled)
    counter = iter(range(10**6))

    def preview() -> float:
        return timed(lambda: mp.health.add_episode(illness(next(counter)), preview=True))

    def apply() -> float:
        stored: list[Episode] = []
        seconds = timed(lambda: stored.append(mp.health.add_episode(illness(next(counter)))[0]))
        # Untimed: end it again, so every run re-plans over the same inputs.
        mp.health.end_episode(stored[0].id or 0, stored[0].start)
        return seconds

    try:
        return {"preview": timings(preview, RUNS), "apply": timings(apply, RUNS)}
    finally:
        mp.close()


def measure_cache(home: Path) -> dict[str, dict[str, float]]:
    """Cold and warm previews for an athlete with hours and feeds and no history of applied
    re-plans (every stored revision is read on each re-plan; see docs/performance.md)."""
    mp = athlete_with_plan(home, True)
    counter = iter(range(10**6))

    def preview_cold() -> float:
        WEEKS.clear()
        return timed(lambda: mp.health.add_episode(fresh_illness(next(counter)), preview=True))

    solved: list[int] = []  # weeks re-solved by each warm preview (cache misses)

    def preview_warm() -> float:
        WEEKS.clear()
        mp.planning.replan(reason="bench: the plan as shown", apply=False)  # untimed
        misses = WEEKS.misses
        seconds = timed(lambda: mp.health.add_episode(fresh_illness(next(counter)), preview=True))
        solved.append(WEEKS.misses - misses)
        return seconds

    try:
        cold = timings(preview_cold, RUNS)
        warm = timings(preview_warm, RUNS)
        warm["weeks_solved_mean"] = statistics.fmean(solved)
        return {"preview_cold": cold, "preview_warm": warm}
    finally:
        mp.close()


def measure_scheduler() -> dict[str, dict[str, float]]:
    """The scheduler alone on the bench plan from week 6: every week solved (no cache) against
    one week's sessions changed with the rest cached, in this process."""
    plan = generate_plan(REQUEST, TODAY)
    days = [d for d in plan.days() if d.date >= TODAY - timedelta(days=TODAY.weekday())]
    availability = Availability(WINDOWS)
    counter = iter(range(10**6))

    def cold() -> float:
        return timed(lambda: schedule(days, availability, FEEDS, [], ZONE))

    def warm() -> float:
        cache: dict[Hashable, WeekOutcome] = {}
        schedule(days, availability, FEEDS, [], ZONE, cache=cache)  # untimed: the plan shown
        k = next(counter)
        changed = list(days)
        at = 7 * (k % 10) + 1  # a Tuesday in one of the next ten weeks: an easy run moves
        changed[at] = Day(changed[at].date, changed[at - 1].sessions)
        return timed(lambda: schedule(changed, availability, FEEDS, [], ZONE, cache=cache))

    return {"cold": timings(cold, RUNS), "warm": timings(warm, RUNS)}


def main() -> int:
    baseline = timings(lambda: timed(lambda: generate_plan(REQUEST, TODAY)), RUNS)
    results: dict[str, object] = {"runs": RUNS, "generate_plan": baseline, "cpus": os.cpu_count()}
    print(f"24-week marathon plan, week 6; p50/p95 of {RUNS} runs (2 shared cores: ±30 %)")
    print("  (preview: the same 3 illnesses in turn; cold: week cache emptied first; warm: the")
    print("   plan as shown is cached, then a new illness is previewed)")
    print(
        f"  {'generate_plan (baseline)':40} p50 {baseline['p50_ms']:7.1f} ms"
        f"  p95 {baseline['p95_ms']:7.1f} ms"
    )
    for scheduled in (False, True):
        label = "with availability + feeds" if scheduled else "no availability"
        with tempfile.TemporaryDirectory(prefix="milepost-bench-replan-") as tmp:
            rows = measure(Path(tmp), scheduled)
        key = "scheduled" if scheduled else "unscheduled"
        results[key] = rows
        for kind, row in rows.items():
            row["ratio_p50"] = row["p50_ms"] / baseline["p50_ms"]
            row["ratio_p95"] = row["p95_ms"] / baseline["p95_ms"]
            print(
                f"  {kind + ', ' + label:40} p50 {row['p50_ms']:7.1f} ms  p95 "
                f"{row['p95_ms']:7.1f} ms  ratio {row['ratio_p50']:5.1f}x (p50)"
            )
    with tempfile.TemporaryDirectory(prefix="milepost-bench-replan-") as tmp:
        cache_rows = measure_cache(Path(tmp))
    results["week_cache"] = cache_rows
    for kind, row in cache_rows.items():
        print(
            f"  {kind + ', with availability + feeds':40} p50 {row['p50_ms']:7.1f} ms  p95 "
            f"{row['p95_ms']:7.1f} ms"
        )
    cold, warm = cache_rows["preview_cold"], cache_rows["preview_warm"]
    results["warm_to_cold_p95"] = warm["p95_ms"] / cold["p95_ms"]
    print(
        f"  warm / cold preview: p95 {results['warm_to_cold_p95']:.2f}x; a warm preview "
        f"re-solved {warm['weeks_solved_mean']:.1f} of the plan's weeks on average"
    )
    alone = measure_scheduler()
    results["scheduler"] = alone
    print(
        f"  {'scheduler alone, every week solved':40} p50 {alone['cold']['p50_ms']:7.1f} ms  "
        f"p95 {alone['cold']['p95_ms']:7.1f} ms"
    )
    print(
        f"  {'scheduler alone, one week changed':40} p50 {alone['warm']['p50_ms']:7.1f} ms  "
        f"p95 {alone['warm']['p95_ms']:7.1f} ms  ratio "
        f"{alone['warm']['p50_ms'] / alone['cold']['p50_ms']:.2f}x (p50)"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
