"""``milepost log`` end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SHARED_DATA
from conftest import run_cli as run

ACTIVITIES = SHARED_DATA / "activities"
HALF = [
    "plan", "new", "--race", "half", "--race-date", "2027-04-18", "--recent", "5k=22:30",
    "--weekly-km", "40", "--runs-per-week", "5", "--long-run-day", "sat",
]  # fmt: skip
pytestmark = pytest.mark.filterwarnings("ignore:invalid field size:UserWarning")


@pytest.fixture
def athlete(cli_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MILEPOST_TODAY", "2026-11-27")
    assert run("athlete", "new", "Maya", "--tz", "America/New_York")[0] == 0


@pytest.mark.skipif(not ACTIVITIES.is_dir(), reason=f"no sample files at {ACTIVITIES}")
def test_log_import_json_prints_one_object_of_imported_duplicates_and_failed(
    athlete: None, tmp_path: Path
) -> None:
    for source in (
        ACTIVITIES / "fit" / "activity-small-fenix2-run.fit",
        ACTIVITIES / "gpx" / "derived-fenix2-run.gpx",
    ):
        (tmp_path / source.name).write_bytes(source.read_bytes())
    # a FIT file with nothing readable in it (a damaged one with records would be salvaged)
    fit = (ACTIVITIES / "fit" / "activity-small-fenix2-run.fit").read_bytes()
    (tmp_path / "cut.fit").write_bytes(fit[:60])
    code, out, err = run("log", "import", str(tmp_path), "--json")
    assert code == 0, err
    data = json.loads(out)  # exactly one JSON document, no progress bar
    assert set(data) == {"imported", "duplicates", "failed"}
    [imported] = data["imported"]
    assert set(imported) == {"id", "path", "sport", "start", "distance_m", "elapsed_s", "moving_s"}
    assert imported["sport"] == "running" and imported["start"] == "2015-08-15T14:45:08+00:00"
    assert round(imported["distance_m"] / 1000, 1) == 9.0
    assert data["duplicates"] == [
        {"path": str(tmp_path / "derived-fenix2-run.gpx"), "of": imported["id"]}
    ]
    [failed] = data["failed"]
    assert set(failed) == {"path", "reason"} and "nothing readable" in failed["reason"]
    code, out, _ = run("log", "show", str(imported["id"]), "--json")
    shown = json.loads(out)
    assert code == 0 and shown["samples"] == 2809 and len(shown["best_efforts"]) == 4
    code, out, _ = run("log", "import", str(tmp_path))
    assert code == 0 and "0 imported, 2 duplicates, 1 failed" in out


def test_log_week_json_compares_the_week_with_the_plan(
    athlete: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert run(*HALF)[0] == 0  # starts Monday 2026-11-30; Saturday long runs
    monkeypatch.setenv("MILEPOST_TODAY", "2026-12-06")
    for args in (
        ["--date", "2026-11-30", "--distance", "8km", "--time", "45:00"],
        ["--date", "2026-11-30", "--kind", "strength", "--time", "30:00"],
        ["--date", "2026-12-02", "--distance", "7km", "--time", "40:00"],
        ["--date", "2026-12-05", "--distance", "12km", "--time", "1:10:00"],
    ):
        code, _, err = run("log", "add", *args)
        assert code == 0, err
    code, out, err = run("log", "week", "--json")
    assert code == 0, err
    week = json.loads(out)
    assert {
        "week", "planned_m", "done_m", "long_run_m", "strength_sessions", "weeks_to_race",
        "compliance",
    } <= set(week)  # fmt: skip
    assert week["week"] == 1 and week["weeks_to_race"] == 19
    assert week["done_m"] == 27_000 and week["long_run_m"] == 12_000
    assert week["planned_m"] == pytest.approx(40_000, rel=0.05)
    assert week["strength_sessions"] == 1
    assert week["missed"] == ["2026-12-01", "2026-12-03"]  # Tue and Thu runs, nothing logged
    assert 0 < week["compliance"] < 1
    assert all(a["planned"] for a in week["activities"])
    code, out, _ = run("log", "week", "1")
    assert code == 0 and "Week 1 of 20 — 27 km, 1 strength session, 19 weeks to go" in out
    png = tmp_path / "week.png"
    code, out, err = run("log", "recap", "--week", "1", "--png", str(png))
    assert code == 0, err
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


def test_log_errors_are_one_line(athlete: None) -> None:
    code, _, err = run("log", "show", "999")
    assert code == 2 and "no activity 999" in err and "Traceback" not in err
    code, _, err = run("log", "add", "--date", "2030-01-01", "--distance", "5km", "--time", "25:00")
    assert code == 2 and "in the future" in err
    code, _, err = run("log", "week")
    assert code == 2 and "no plan yet" in err
