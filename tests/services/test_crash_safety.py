"""Crash safety: `milepost log import` of a 40-file history, killed with SIGKILL at random points,
again and again, must leave a database that is whole — SQLite's integrity and foreign-key checks
pass, no activity is stored twice, none is stored without its samples or its original file — and
running the import once more finishes the job.

Each activity is one transaction (summary, samples blob, file bytes: services/logbook.py), and
SQLite's WAL makes a transaction durable or absent, never half there; this test is the evidence.
The whole process group is killed (the importer parses in worker processes), as a power cut
would. A few kills land during start-up and parsing, the rest once activities are being stored.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SHARED_DATA
from fit_copies import write_fit_copies
from milepost.bootstrap import open_milepost
from milepost.config import Settings
from milepost.domain.athlete import Athlete

pytestmark = pytest.mark.slow

N_FILES = 80
KILLS = 6
RUN_TIMEOUT_S = 60.0  # one uninterrupted import of the 80 files takes ~8 s here
POLL_S = 0.05
MILEPOST = Path(sys.executable).with_name("milepost")


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as con:
        one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731 - a local shorthand
        return {
            "activities": one("SELECT count(*) FROM activities"),
            "samples": one("SELECT count(*) FROM activity_samples"),
            "files": one("SELECT count(*) FROM activity_files"),
            "distinct_sha256": one("SELECT count(DISTINCT sha256) FROM activity_files"),
            "distinct_start": one("SELECT count(DISTINCT start) FROM activities"),
            "without_samples": one(
                "SELECT count(*) FROM activities a LEFT JOIN activity_samples s "
                "ON s.activity_id = a.id WHERE s.activity_id IS NULL"
            ),
            "without_file": one(
                "SELECT count(*) FROM activities a LEFT JOIN activity_files f "
                "ON f.activity_id = a.id WHERE f.id IS NULL"
            ),
        }


def _check_whole(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    counts = _counts(db)
    n = counts["activities"]
    assert counts["without_samples"] == 0 and counts["without_file"] == 0, counts
    assert counts["samples"] == counts["files"] == n, counts
    # No duplicate: each stored file is a different file and a different run.
    assert counts["distinct_sha256"] == counts["distinct_start"] == n, counts
    return counts


def _start_import(folder: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(MILEPOST), "log", "import", str(folder)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the kill takes the workers too
    )


def _kill(process: subprocess.Popen[bytes]) -> bool:
    """SIGKILL the import's process group; False when it had already finished."""
    if process.poll() is not None:
        return False
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        return False
    process.wait(timeout=10)
    return True


@pytest.fixture
def history(tmp_path: Path) -> tuple[Path, dict[str, str], Path]:
    folder = tmp_path / "history"
    folder.mkdir()
    sources = sorted((SHARED_DATA / "activities" / "fit").glob("*.fit"))
    if not sources:
        pytest.skip(f"no sample FIT files in {SHARED_DATA / 'activities' / 'fit'}")
    write_fit_copies(sources, folder, N_FILES)
    home = tmp_path / "home"
    mp = open_milepost(Settings(home=home, database_url=f"sqlite:///{home / 'milepost.db'}"))
    mp.athletes.create(Athlete(name="Crash Test"))
    mp.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MILEPOST_")}
    env["MILEPOST_HOME"] = str(home)
    return folder, env, home / "milepost.db"


def test_an_import_killed_at_random_points_stays_whole_and_finishes_when_rerun(history) -> None:
    folder, env, db = history
    rng = random.Random(int(os.environ.get("MILEPOST_CRASH_SEED", "8")))
    deadline = time.monotonic() + 75.0
    seen: list[int] = []
    kills = mid_store = 0
    for round_ in range(KILLS * 2):  # bounded: a round that finishes before its kill is spent
        if kills == KILLS or time.monotonic() > deadline:
            break
        before = _counts(db)["activities"]
        if before == N_FILES:
            break
        process = _start_import(folder, env)
        started = time.monotonic()
        if round_ % 3 == 0:
            # Anywhere: start-up, reading the folder, parsing, or storing.
            time.sleep(rng.uniform(0.1, 1.5))
        else:
            # Once storing has begun, a random moment into it.
            while time.monotonic() - started < RUN_TIMEOUT_S and process.poll() is None:
                if _counts(db)["activities"] > before:
                    break
                time.sleep(POLL_S)
            time.sleep(rng.uniform(0.0, 0.25))
        if _kill(process):
            kills += 1
            counts = _check_whole(db)
            if before < counts["activities"] < N_FILES:
                mid_store += 1
            seen.append(counts["activities"])
    print(f"activities stored after each of {kills} kills: {seen}")  # shown with -s
    # Not vacuous: several kills landed, at least two while activities were going in (an
    # import faster than the kills can finish early; that is not a failure of safety).
    assert kills >= 3, f"only {kills} kills landed (counts after each: {seen})"
    assert mid_store >= 2, f"no kill landed mid-import (counts after each: {seen})"
    finished = _start_import(folder, env)
    _, stderr = finished.communicate(timeout=RUN_TIMEOUT_S)
    assert finished.returncode == 0, stderr.decode(errors="replace")
    counts = _check_whole(db)
    assert counts["activities"] == N_FILES, (counts, seen)
    # And once more: nothing new, nothing doubled.
    again = _start_import(folder, env)
    again.communicate(timeout=RUN_TIMEOUT_S)
    assert again.returncode == 0
    assert _check_whole(db)["activities"] == N_FILES
