"""Parsing speed: plain fitdecode against milepost's FIT path, on one and two processes.

The workload cycles the sample FIT files in ../shared/data/activities/fit up to 1,000 files.
fitdecode (the baseline) runs on a sample of that workload in this process and is scaled to it;
milepost reads the whole workload with ``read_activities`` (parse and summarise). Then best
efforts over 1,000 activities. Prints a table and writes bench/results/parse.json.
"""

from __future__ import annotations

import json
import os
import sys
import time
import warnings
from itertools import cycle, islice
from pathlib import Path

import fitdecode
import fitfast

from milepost.adapters.importers import read_activities
from milepost.domain.activity import make_samples
from milepost.domain.efforts import best_efforts

ROOT = Path(__file__).resolve().parents[1]
FIT_DIR = ROOT.parent / "shared" / "data" / "activities" / "fit"
RESULTS = ROOT / "bench" / "results" / "parse.json"
N_FILES = int(os.environ.get("MILEPOST_BENCH_FILES", "1000"))


def parse_with_fitdecode(data: bytes) -> int:
    """What "plain fitdecode" means here: every frame decoded, the records counted."""
    n = 0
    with fitdecode.FitReader(data) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "record":
                n += 1
    return n


def measure_fitdecode(files: list[tuple[str, bytes]]) -> dict[str, float]:
    # One pass over each distinct file: fitdecode's speed does not change with repetition, and
    # 1,000 files at its pace would take minutes.
    start = time.perf_counter()
    for _, data in files:
        parse_with_fitdecode(data)
    seconds = time.perf_counter() - start
    n_bytes = sum(len(d) for _, d in files)
    return {"mb_per_s": n_bytes / seconds / 1e6, "files_per_s": len(files) / seconds}


def measure_fitfast_decode(files: list[tuple[str, bytes]]) -> dict[str, float]:
    """fitfast's record decode alone, for the files it accepts: the ceiling of the fast path."""
    start = time.perf_counter()
    accepted = 0
    for _, data in files:
        try:
            fitfast.records(data)
            accepted += len(data)
        except fitfast.FitDecodeError:
            pass
    seconds = time.perf_counter() - start
    return {"mb_per_s": accepted / seconds / 1e6, "files_per_s": len(files) / seconds}


def measure_milepost(workload: list[tuple[str, bytes]], processes: int) -> dict[str, float]:
    start = time.perf_counter()
    outcomes = list(read_activities(workload, processes=processes))
    seconds = time.perf_counter() - start
    assert len(outcomes) == len(workload)
    n_bytes = sum(len(d) for _, d in workload)
    return {
        "mb_per_s": n_bytes / seconds / 1e6,
        "files_per_s": len(workload) / seconds,
        "seconds": seconds,
    }


def measure_best_efforts(n: int) -> dict[str, float]:
    """1,000 synthetic hour-long runs at 1 Hz with a varying pace."""
    runs = []
    for k in range(20):
        distance, total = [], 0.0
        for second in range(3600):
            total += 2.8 + 0.6 * ((second // (60 + k)) % 3)
            distance.append(total)
        runs.append(make_samples(time_s=[float(s) for s in range(3600)], distance_m=distance))
    start = time.perf_counter()
    for samples in islice(cycle(runs), n):
        best_efforts(samples)
    seconds = time.perf_counter() - start
    return {"activities": n, "seconds": seconds, "activities_per_s": n / seconds}


def main() -> int:
    warnings.simplefilter("ignore")  # fitdecode's notes on the Coros file's field sizes
    files = [(str(p), p.read_bytes()) for p in sorted(FIT_DIR.glob("*.fit"))]
    if not files:
        print(f"no sample FIT files in {FIT_DIR}", file=sys.stderr)
        return 1
    workload = list(islice(cycle(files), N_FILES))
    baseline = measure_fitdecode(files)
    decode_only = measure_fitfast_decode(files * 5)
    one = measure_milepost(workload, processes=1)
    two = measure_milepost(workload, processes=2)
    efforts = measure_best_efforts(1000)
    results = {
        "workload": {"files": len(workload), "mb": sum(len(d) for _, d in workload) / 1e6},
        "fitdecode": baseline,
        "fitfast_records_only": decode_only,
        "milepost_1_process": one,
        "milepost_2_processes": two,
        "ratio_1_process": one["mb_per_s"] / baseline["mb_per_s"],
        "ratio_2_processes": two["mb_per_s"] / baseline["mb_per_s"],
        "best_efforts": efforts,
        "cpus": os.cpu_count(),
    }
    print(f"workload: {len(workload)} FIT files, {results['workload']['mb']:.1f} MB")
    rows = (
        ("fitdecode", baseline),
        ("fitfast only", decode_only),
        ("milepost x1", one),
        ("milepost x2", two),
    )
    for label, row in rows:
        print(f"  {label:12} {row['mb_per_s']:7.2f} MB/s {row['files_per_s']:8.1f} files/s")
    print(
        f"  ratio vs fitdecode: {results['ratio_1_process']:.1f}x (1 process), "
        f"{results['ratio_2_processes']:.1f}x (2 processes)"
    )
    print("  (milepost = decode + summarise + results sent back to the parent process)")
    print(f"best efforts: {efforts['activities_per_s']:.0f} one-hour activities/s")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
