"""``milepost plan`` and ``milepost export`` end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import fitdecode
import pytest
from icalendar import Calendar

from conftest import run_cli as run

HALF = [
    "plan", "new", "--race", "half", "--race-date", "2027-04-18", "--recent", "5k=22:30",
    "--weekly-km", "40", "--runs-per-week", "5", "--long-run-day", "sat",
]  # fmt: skip


@pytest.fixture
def athlete(cli_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MILEPOST_TODAY", "2026-11-27")
    assert run("athlete", "new", "Maya", "--tz", "America/New_York")[0] == 0


def test_a_plan_is_created_stored_and_shown_as_json(athlete: None) -> None:
    code, out, err = run(*HALF, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["race"]["distance_m"] == 21097.5 and data["race"]["date"] == "2027-04-18"
    assert data["race"]["goal_s"] > 0
    assert data["vdot"] == pytest.approx(43.4, abs=0.1)
    assert data["weeks"][0]["starts"] == "2026-11-30"  # the next Monday
    week = data["weeks"][0]
    assert {"number", "starts", "phase", "total_m", "days"} <= set(week)
    session = week["days"][0]["sessions"][0]
    assert {"kind", "distance_m", "duration_s", "pace_s_per_km", "description"} <= set(session)
    last_day = data["weeks"][-1]["days"][6]
    assert last_day["date"] == "2027-04-18" and last_day["sessions"][0]["kind"] == "race"
    shown = json.loads(run("plan", "show", "--json")[1])
    assert shown["weeks"] == data["weeks"]
    assert [r["reason"] for r in shown["revisions"]] == ["plan created"]


def test_plan_show_week_and_today(athlete: None) -> None:
    assert run(*HALF)[0] == 0
    code, out, _ = run("plan", "show", "--week", "6")
    assert code == 0 and "Week 6 of 20 — 14 to go" in out
    code, out, _ = run("plan", "today", "--date", "2026-12-05", "--json")
    today = json.loads(out)
    assert code == 0 and today["countdown"] == "Week 1 of 20 — 19 to go"
    assert today["sessions"][0]["kind"] == "long"
    code, out, _ = run("plan", "today", "--date", "2026-11-01")
    assert code == 0 and "before the plan" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--race-date", "2026-12-20"], "choose a race on or after"),
        (["--race-date", "2026-04-18"], "not in the future"),
        (["--race-date", "18/04/2027"], "could not read '18/04/2027' as a date"),
        (["--long-run-day", "someday"], "not a day of the week"),
        (["--tune-up", "10k"], "as a tune-up race"),
    ],
)
def test_impossible_plans_get_one_readable_line_and_store_nothing(
    athlete: None, args: list[str], message: str
) -> None:
    base = [a for a in HALF]
    for flag, value in zip(args[::2], args[1::2], strict=True):
        if flag in base:
            base[base.index(flag) + 1] = value
        else:
            base += [flag, value]
    code, _, err = run(*base)
    assert code == 2 and message in err and "Traceback" not in err
    code, _, err = run("plan", "show")
    assert code == 2 and "no plan yet" in err


def test_a_plan_needs_a_fitness_source(athlete: None) -> None:
    args = [a for a in HALF if a not in ("--recent", "5k=22:30")]
    code, _, err = run(*args)
    assert code == 2 and "--recent" in err


def test_exports_write_a_calendar_a_pdf_and_a_watch_workout(athlete: None, tmp_path: Path) -> None:
    assert run(*HALF)[0] == 0
    ics, pdf, fit = tmp_path / "plan.ics", tmp_path / "plan.pdf", tmp_path / "tue.fit"
    assert run("export", "ical", str(ics))[0] == 0
    events = [c for c in Calendar.from_ical(ics.read_bytes()).walk("VEVENT")]
    assert events and len({str(e["UID"]) for e in events}) == len(events)
    # Re-exporting keeps the UIDs, so a calendar updates instead of duplicating.
    again = tmp_path / "again.ics"
    assert run("export", "ical", str(again))[0] == 0
    uids = [str(e["UID"]) for e in Calendar.from_ical(again.read_bytes()).walk("VEVENT")]
    assert uids == [str(e["UID"]) for e in events]
    assert run("export", "pdf", str(pdf))[0] == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert run("export", "workout", "2027-02-09", str(fit))[0] == 0
    with fitdecode.FitReader(fit.read_bytes()) as reader:
        kinds = {f.name for f in reader if isinstance(f, fitdecode.FitDataMessage)}
    assert {"file_id", "workout", "workout_step"} <= kinds
    code, _, err = run("export", "workout", "2030-01-01", str(fit))
    assert code == 2 and "not in the plan" in err
    code, _, err = run("export", "pdf", str(tmp_path / "missing" / "plan.pdf"))
    assert code == 2 and "does not exist" in err
