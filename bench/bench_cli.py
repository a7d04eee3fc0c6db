"""How long the command line takes to start: ``milepost paces 5k 20:00 --json``, ``milepost
--help`` and ``milepost athlete list`` (which opens the database), each a fresh process,
against ``python -c "import typer, rich"`` (what any Typer + Rich command pays before it
starts) run in the same loop.

Runs are interleaved (baseline, paces, help, athlete list, baseline, …) so load from other
jobs falls on all alike; each is timed from spawn to exit with ``subprocess.run``, and the
ratio is of the medians. The target (issue #16) is paces at most 5× the baseline. ``--runs``
sets N (15 by default). Prints a table and writes bench/results/cli.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "cli.json"
MILEPOST = Path(sys.executable).with_name("milepost")
TARGET_RATIO = 5.0

COMMANDS: dict[str, list[str]] = {
    "baseline: import typer, rich": [sys.executable, "-c", "import typer, rich"],
    "milepost paces 5k 20:00 --json": [str(MILEPOST), "paces", "5k", "20:00", "--json"],
    "milepost --help": [str(MILEPOST), "--help"],
    # Opens (and on the warm-up run, creates) a SQLite database in a temporary MILEPOST_HOME.
    "milepost athlete list": [str(MILEPOST), "athlete", "list"],
}


def time_once(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, env=env, timeout=120, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()}")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (N)")
    args = parser.parse_args()
    if not MILEPOST.exists():
        print(f"no milepost entry point at {MILEPOST} (pip install -e .)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="milepost-bench-cli-") as home:
        env = {**os.environ, "MILEPOST_HOME": home, "COLUMNS": "100"}
        env.pop("MILEPOST_DATABASE_URL", None)
        for argv in COMMANDS.values():  # warm the file cache and the .pyc files, untimed
            time_once(argv, env)
        times: dict[str, list[float]] = {label: [] for label in COMMANDS}
        for _ in range(args.runs):
            for label, argv in COMMANDS.items():
                times[label].append(time_once(argv, env))
    baseline = statistics.median(times["baseline: import typer, rich"])
    rows = {
        label: {
            "median_s": statistics.median(values),
            "min_s": min(values),
            "max_s": max(values),
            "ratio": statistics.median(values) / baseline,
        }
        for label, values in times.items()
    }
    paces_ratio = rows["milepost paces 5k 20:00 --json"]["ratio"]
    results = {
        "runs": args.runs,
        "commands": rows,
        "target_ratio": TARGET_RATIO,
        "paces_ratio": paces_ratio,
        "met": paces_ratio <= TARGET_RATIO,
        "load_average": os.getloadavg()[0],
        "cpus": os.cpu_count(),
    }
    print(f"{args.runs} runs each, interleaved; load average {results['load_average']:.1f}")
    for label, row in rows.items():
        print(
            f"  {label:32} median {row['median_s'] * 1000:6.0f} ms "
            f"(min {row['min_s'] * 1000:.0f}, max {row['max_s'] * 1000:.0f})  "
            f"{row['ratio']:4.1f}x"
        )
    verdict = "met" if results["met"] else "NOT met"
    print(
        f"paces vs import typer, rich: {paces_ratio:.2f}x "
        f"(target <= {TARGET_RATIO:.0f}x: {verdict})"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
