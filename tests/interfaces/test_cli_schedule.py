"""Availability, feeds and the timeline on the command line (issue #5)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from conftest import run_cli as run
from conftest import words


@pytest.fixture
def plan(cli_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MILEPOST_TODAY", "2027-01-03")
    assert run("athlete", "new", "Maya", "--tz", "America/New_York")[0] == 0
    code, _, err = run(
        "plan", "new", "--race", "half", "--race-date", "2027-04-25", "--recent", "5k=22:30",
        "--weekly-km", "40", "--long-run-day", "sat",
    )  # fmt: skip
    assert code == 0, err


def sessions_of(week: dict[str, object]) -> list[dict[str, str]]:
    return [s for d in week["days"] for s in d["sessions"] if s["kind"] != "rest"]  # type: ignore[index, union-attr]


def test_with_feeds_every_3h_and_90_minute_windows_every_run_sits_between_feeds(plan: None) -> None:
    assert run("feeds", "set", "--every", "3h", "--from", "05:00", "--to", "20:00")[0] == 0
    code, _, err = run(
        "availability", "set", "mon-fri 05:30-07:00", "sat 07:30-10:30", "sun 07:00-09:00"
    )
    assert code == 0, err
    week = json.loads(run("plan", "week", "2", "--json")[1])
    runs = [s for s in sessions_of(week) if s["kind"] not in ("strength", "cross")]
    assert runs
    for session in runs:
        start = datetime.fromisoformat(session["start"])
        end = datetime.fromisoformat(session["end"])
        assert start.utcoffset() is not None  # ISO 8601 with the UTC offset
        feeds = [start.replace(hour=h, minute=0) for h in (5, 8, 11, 14, 17, 20)]
        last_feed = max(f for f in feeds if f + timedelta(minutes=30) <= start)
        next_feed = min(f for f in feeds if f > start)
        # Out within 45 minutes of the feed ending; back, changed, before the next one.
        assert start - (last_feed + timedelta(minutes=30)) <= timedelta(minutes=45)
        assert end + timedelta(minutes=15) <= next_feed
    assert "feed (30 min)" in words(run("plan", "week", "2")[1])


def test_removing_saturday_moves_the_long_run_with_a_sentence(plan: None) -> None:
    assert (
        run("availability", "set", "mon-fri 05:30-07:30", "sat 07:00-10:30", "sun 07:00-10:30")[0]
        == 0
    )
    code, _out, _ = run(
        "availability", "except", "2027-01-16", "--unavailable", "--reason", "kids' tournament"
    )
    assert code == 0
    week = json.loads(run("plan", "week", "2", "--json")[1])
    saturday = week["days"][5]
    assert not [s for s in saturday["sessions"] if s["kind"] != "rest"]
    moved_to = [d["date"] for d in week["days"] if any(s["kind"] == "long" for s in d["sessions"])]
    assert len(moved_to) == 1 and moved_to[0] != saturday["date"]
    notes = " ".join(saturday["notes"])
    weekday = datetime.fromisoformat(moved_to[0]).strftime("%a")
    assert "kids' tournament" in notes and "long run moved to " + weekday in notes


def test_the_calendar_gets_real_times_and_a_busy_only_feed(plan: None, tmp_path: Path) -> None:
    assert run("availability", "set", "daily 06:00-09:00")[0] == 0
    ics = tmp_path / "plan.ics"
    busy = tmp_path / "busy.ics"
    assert run("export", "ical", str(ics))[0] == 0
    assert run("export", "ical", str(busy), "--busy")[0] == 0
    events = list(Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    timed = [e for e in events if isinstance(e["DTSTART"].dt, datetime)]
    assert timed and timed[0]["DTSTART"].dt.tzinfo is not None
    busy_events = list(Calendar.from_ical(busy.read_bytes()).walk("VEVENT"))
    assert busy_events and all(str(e["SUMMARY"]) == "Busy" for e in busy_events)
    assert not any("DESCRIPTION" in e and "threshold" in str(e["DESCRIPTION"]) for e in busy_events)


def test_a_pinned_start_time_is_kept(plan: None) -> None:
    assert run("availability", "set", "daily 06:00-09:00")[0] == 0
    week = json.loads(run("plan", "week", "2", "--json")[1])
    tuesday = week["days"][1]
    code, _, err = run("plan", "pin", tuesday["date"], "--at", "06:40")
    assert code == 0, err
    again = json.loads(run("plan", "week", "2", "--json")[1])
    first = next(s for s in again["days"][1]["sessions"] if s["kind"] != "rest")
    assert first["start"][11:16] == "06:40"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["availability", "set", "mon-fry 05:30-07:00"], "as days"),
        (["availability", "set", "mon 07:00-05:30"], ""),
        (["availability", "except", "2027-02-30", "--unavailable"], ""),
        (["availability", "except", "2027-02-13"], "either --unavailable or --window"),
        (["feeds", "set"], "either --every"),
        (["feeds", "set", "--every", "5m"], "15 min"),
        (["plan", "pin", "2030-01-01"], "not in the plan"),
        (["plan", "move", "2027-01-05", "--to", "2027-01-06", "--session", "7"], "no session 7"),
    ],
)
def test_schedule_mistakes_are_one_line(plan: None, args: list[str], message: str) -> None:
    code, _, err = run(*args)
    assert code == 2 and err.startswith("Error: ") and message in err and "Traceback" not in err


def test_caregiver_windows_lift_the_feed_rule(plan: None) -> None:
    code, _, err = run(
        "feeds", "set", "--at", "06:00,09:00,12:00", "--caregiver", "sat 06:00-12:00"
    )
    assert code == 0, err
    shown = json.loads(run("availability", "show", "--json")[1])
    assert shown["feeds"] == ["06:00", "09:00", "12:00"]
    assert shown["caregiver"] == [{"day": "Sat", "start": "06:00", "end": "12:00"}]
