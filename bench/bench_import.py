"""A full import (parse, summarise, detect duplicates, store on SQLite) against plain fitdecode.

The workload: 1,000 FIT files made by cycling the sample files in ../shared/data/activities/fit,
copy ``c`` of each with every time in it moved ``c`` days later (a multiple of 32 s, so the
compressed-timestamp headers stay right) and its CRC recomputed: 1,000 distinct activities, none a
duplicate of another, so duplicate detection runs on every file and never short-cuts one.
milepost imports them with ``LogbookService.import_paths`` into a fresh SQLite database on one
and on two processes; plain fitdecode reads each distinct sample file once in this process (at
its ~0.2 MB/s the 1,000 files would take a quarter of an hour) and the ratio is of MB/s.
Then: samples stored as a compressed blob per activity vs a row per sample, and fitness/fatigue
over ten years of daily loads. Prints a table and writes bench/results/import.json.
"""

from __future__ import annotations

import json
import os
import random
import resource
import sqlite3
import sys
import tempfile
import time
import warnings
from dataclasses import fields
from datetime import date, timedelta
from pathlib import Path

import fitdecode

from milepost.adapters.importers import read_activity, shutdown_pool
from milepost.adapters.storage.db import Database
from milepost.adapters.storage.repositories import decode_samples, encode_samples
from milepost.domain.activity import Samples
from milepost.domain.athlete import Athlete
from milepost.domain.load import fitness_fatigue
from milepost.services.athletes import AthleteService
from milepost.services.clock import Clock
from milepost.services.logbook import LogbookService
from milepost.services.planning import PlanningService

# The FIT-copy helper is shared with the crash-safety test, which lives in tests/.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from fit_copies import write_fit_copies

ROOT = Path(__file__).resolve().parents[1]
FIT_DIR = ROOT.parent / "shared" / "data" / "activities" / "fit"
RESULTS = ROOT / "bench" / "results" / "import.json"
N_FILES = int(os.environ.get("MILEPOST_BENCH_FILES", "1000"))

# --- Making distinct copies of a FIT file ----------------------------------------------------
# The helper lives with the tests (the crash-safety test builds its folder the same way).


def build_workload(folder: Path, n_files: int) -> list[Path]:
    return write_fit_copies(sorted(FIT_DIR.glob("*.fit")), folder, n_files)


# --- Measurements ------------------------------------------------------------------------------


def parse_with_fitdecode(data: bytes) -> int:
    n = 0
    with fitdecode.FitReader(data) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "record":
                n += 1
    return n


def measure_fitdecode() -> dict[str, float]:
    files = [p.read_bytes() for p in sorted(FIT_DIR.glob("*.fit"))]
    start, cpu = time.perf_counter(), time.process_time()
    for data in files:
        parse_with_fitdecode(data)
    seconds, cpu_s = time.perf_counter() - start, time.process_time() - cpu
    return {
        "mb_per_s": sum(map(len, files)) / seconds / 1e6,
        "files_per_s": len(files) / seconds,
        "cpu_mb_per_s": sum(map(len, files)) / cpu_s / 1e6,
        "load": os.getloadavg()[0],
    }


def _mean(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
    return {key: (a[key] + b[key]) / 2 for key in a}


def measure_import(folder: Path, workdir: Path, processes: int) -> dict[str, float]:
    db = Database(f"sqlite:///{workdir / f'import-{processes}.db'}")
    db.migrate()
    clock = Clock(fixed_today=date(2026, 11, 27))
    athletes = AthleteService(db, clock)
    athletes.create(Athlete(name="Bench"))
    logbook = LogbookService(db, athletes, PlanningService(db, athletes, clock), clock, processes)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time()
    report = logbook.import_paths([folder])
    cpu_s = time.process_time() - cpu
    shutdown_pool()  # its workers' CPU is counted once they have exited
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_s += (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    db.dispose()
    assert not report.duplicates, f"the workload has duplicates: {report.duplicates[:3]}"
    assert len(report.imported) + len(report.failed) == report.files
    db_bytes = (workdir / f"import-{processes}.db").stat().st_size
    return {
        "seconds": report.seconds,
        "files_per_s": report.files / report.seconds,
        "mb_per_s": report.bytes_read / report.seconds / 1e6,
        "imported": len(report.imported),
        "failed": len(report.failed),
        "database_mb": db_bytes / 1e6,
        "cpu_s": cpu_s,
        "cpu_mb_per_s": report.bytes_read / cpu_s / 1e6,
        "load": os.getloadavg()[0],
    }


_CHANNELS = [f.name for f in fields(Samples)]


def measure_sample_storage(workdir: Path, copies: int = 5) -> dict[str, dict[str, float]]:
    """Blob per activity vs row per sample, in plain SQLite, on the sample files' recordings."""
    recordings = [read_activity(p).activity.samples for p in sorted(FIT_DIR.glob("*.fit"))]
    recordings = recordings * copies
    n_samples = sum(map(len, recordings))
    out: dict[str, dict[str, float]] = {}
    for kind in ("blob", "rows"):
        path = workdir / f"samples-{kind}.db"
        con = sqlite3.connect(path)
        con.execute("PRAGMA journal_mode=WAL")
        if kind == "blob":
            con.execute("CREATE TABLE s (activity_id INTEGER PRIMARY KEY, n INTEGER, data BLOB)")
        else:
            columns = ", ".join(f"{c} REAL" for c in _CHANNELS)
            con.execute(
                f"CREATE TABLE s (activity_id INTEGER, i INTEGER, {columns}, "
                "PRIMARY KEY (activity_id, i)) WITHOUT ROWID"
            )
        start = time.perf_counter()
        with con:
            for k, samples in enumerate(recordings):
                if kind == "blob":
                    con.execute(
                        "INSERT INTO s VALUES (?, ?, ?)", (k, len(samples), encode_samples(samples))
                    )
                else:
                    cols = [getattr(samples, c) or [None] * len(samples) for c in _CHANNELS]
                    con.executemany(
                        f"INSERT INTO s VALUES ({', '.join('?' * (len(_CHANNELS) + 2))})",
                        ((k, i, *row) for i, row in enumerate(zip(*cols, strict=True))),
                    )
        insert_s = time.perf_counter() - start
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("VACUUM")
        size = path.stat().st_size
        start = time.perf_counter()
        for k in range(len(recordings)):
            if kind == "blob":
                (data,) = con.execute("SELECT data FROM s WHERE activity_id = ?", (k,)).fetchone()
                decode_samples(data)
            else:
                rows = con.execute(
                    "SELECT * FROM s WHERE activity_id = ? ORDER BY i", (k,)
                ).fetchall()
                Samples(*(tuple(c) for c in list(zip(*rows, strict=True))[2:]))
        read_s = time.perf_counter() - start
        con.close()
        out[kind] = {
            "activities": len(recordings),
            "samples": n_samples,
            "database_mb": size / 1e6,
            "bytes_per_sample": size / n_samples,
            "insert_s": insert_s,
            "read_s": read_s,
        }
    return out


def measure_fitness_ten_years() -> dict[str, float]:
    rng = random.Random(6)
    first = date(2016, 1, 1)
    days = 3653
    loads = {first + timedelta(days=d): rng.uniform(0, 150) for d in range(days) if d % 7 != 0}
    start = time.perf_counter()
    series = fitness_fatigue(loads, first, first + timedelta(days=days - 1))
    seconds = time.perf_counter() - start
    assert len(series) == days
    return {"days": days, "seconds": seconds, "days_per_s": days / seconds}


def main() -> int:
    warnings.simplefilter("ignore")  # fitdecode's notes on the Coros file's field sizes
    if not any(FIT_DIR.glob("*.fit")):
        print(f"no sample FIT files in {FIT_DIR}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="milepost-bench-") as tmp:
        workdir = Path(tmp)
        folder = workdir / "history"
        folder.mkdir()
        paths = build_workload(folder, N_FILES)
        workload_mb = sum(p.stat().st_size for p in paths) / 1e6
        # The baseline before and after the imports, averaged: the load from other jobs drifts.
        before = measure_fitdecode()
        one = measure_import(folder, workdir, processes=1)
        two = measure_import(folder, workdir, processes=2)
        baseline = _mean(before, measure_fitdecode())
        storage = measure_sample_storage(workdir)
    fitness = measure_fitness_ten_years()
    results = {
        "workload": {"files": len(paths), "mb": workload_mb},
        "fitdecode": baseline,
        "import_1_process": one,
        "import_2_processes": two,
        "ratio_1_process": one["mb_per_s"] / baseline["mb_per_s"],
        "ratio_2_processes": two["mb_per_s"] / baseline["mb_per_s"],
        # CPU time is what the load from other jobs does not change: MB per CPU-second
        "cpu_ratio_1_process": one["cpu_mb_per_s"] / baseline["cpu_mb_per_s"],
        "cpu_ratio_2_processes": two["cpu_mb_per_s"] / baseline["cpu_mb_per_s"],
        "sample_storage": storage,
        "fitness_ten_years": fitness,
        "cpus": os.cpu_count(),
    }
    print(f"workload: {len(paths)} distinct FIT files, {workload_mb:.1f} MB")
    print(f"  fitdecode    {baseline['mb_per_s']:7.2f} MB/s {baseline['files_per_s']:8.1f} files/s")
    for label, row in (("import x1", one), ("import x2", two)):
        print(
            f"  {label:12} {row['mb_per_s']:7.2f} MB/s {row['files_per_s']:8.1f} files/s "
            f"({row['seconds']:.1f} s, {row['imported']:.0f} imported, "
            f"database {row['database_mb']:.0f} MB)"
        )
    print(
        f"  ratio vs fitdecode: {results['ratio_1_process']:.1f}x (1 process), "
        f"{results['ratio_2_processes']:.1f}x (2 processes)"
    )
    print(
        f"  per CPU-second: {results['cpu_ratio_1_process']:.1f}x (1 process), "
        f"{results['cpu_ratio_2_processes']:.1f}x (2 processes, workers included); "
        f"load {baseline['load']:.1f} / {one['load']:.1f} / {two['load']:.1f}"
    )
    for kind, row in storage.items():
        print(
            f"samples as {kind:4}: {row['database_mb']:6.2f} MB ({row['bytes_per_sample']:.1f} "
            f"B/sample), insert {row['insert_s']:.2f} s, read {row['read_s']:.2f} s "
            f"({row['activities']:.0f} activities, {row['samples']:.0f} samples)"
        )
    print(f"fitness/fatigue over ten years: {fitness['seconds'] * 1000:.1f} ms")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
