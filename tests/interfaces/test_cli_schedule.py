"""Availability, feeds and the timeline on the command line (issue #5)."""

from __future__ import annotations

import json
import re
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


# ── Issue #14: keeping the key sessions, and helping her find the time ─────────────────────


@pytest.fixture
def busy_mother(cli_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The issue's runner: a 60 km half-marathon plan, weekday mornings 05:30–07:00 and weekend
    mornings 07:00–10:30."""
    monkeypatch.setenv("MILEPOST_TODAY", "2027-01-03")
    assert run("athlete", "new", "Maya", "--tz", "America/New_York")[0] == 0
    code, _, err = run(
        "plan", "new", "--race", "half", "--race-date", "2027-04-25", "--recent", "5k=22:30",
        "--weekly-km", "60", "--long-run-day", "sat",
    )  # fmt: skip
    assert code == 0, err
    assert run("availability", "set", "mon-fri 05:30-07:00", "sat,sun 07:00-10:30")[0] == 0


def _days(body: dict[str, object]) -> list[dict[str, object]]:
    return [d for w in body["weeks"] for d in w["days"]]  # type: ignore[index, union-attr]


def test_with_feeds_every_3h_from_5_every_week_keeps_its_long_run_saying_what_was_cut(
    busy_mother: None,
) -> None:
    code, _out, err = run("feeds", "set", "--every", "3h", "--from", "05:00", "--to", "20:00")
    assert code == 0, err
    body = json.loads(run("plan", "show", "--json")[1])
    for week in body["weeks"]:
        planned = [s for d in week["days"] for s in d["sessions"] if s["kind"] == "long"]
        if planned:
            assert any(s.get("start") for s in planned), f"week {week['number']} lost its long run"
    notes = [n["text"] for d in _days(body) for n in d.get("schedule_notes", [])]
    cut = [t for t in notes if "long run" in t and "shortened to" in t]
    assert cut and all("less than planned" in t for t in cut)
    assert not any("long run is dropped" in t for t in notes)


def test_feeds_that_leave_no_window_a_run_are_refused_before_saving(
    cli_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MILEPOST_TODAY", "2027-01-03")
    assert run("athlete", "new", "Maya", "--tz", "America/New_York")[0] == 0
    assert run("availability", "set", "mon-fri 05:30-07:00")[0] == 0
    code, _, err = run("feeds", "set", "--every", "3h", "--from", "06:00", "--to", "21:00")
    assert code == 2
    assert "not saved" in words(err) and "the 06:00 feed falls inside the Mon–Fri" in words(err)
    assert json.loads(run("availability", "show", "--json")[1])["feeds"] is None
    forced = run("feeds", "set", "--every", "3h", "--from", "06:00", "--anyway")
    assert forced[0] == 0
    assert json.loads(run("availability", "show", "--json")[1])["feeds"][0] == "06:00"


def test_a_feeds_preview_shows_the_weeks_that_lose_volume_and_saves_nothing(
    busy_mother: None,
) -> None:
    code, out, err = run(
        "feeds", "set", "--every", "3h", "--from", "06:00", "--to", "21:00", "--preview"
    )
    assert code == 0, err
    text = words(out)
    assert "Warning: the 06:00 feed falls inside the Mon–Fri 05:30–07:00 window" in text
    assert re.search(r"\d+ of \d+ weeks lose volume", text)
    assert re.search(r"week of Mon 04 Jan: \d+ of 60 km", text)
    assert "Biggest losses" in text and "Preview only: nothing was saved." in text
    assert json.loads(run("availability", "show", "--json")[1])["feeds"] is None


def test_a_family_proposal_is_offered_applied_only_when_accepted_and_placed_at_once(
    busy_mother: None,
) -> None:
    assert run("feeds", "set", "--every", "3h", "--from", "05:00", "--to", "20:00")[0] == 0
    before = json.loads(run("plan", "show", "--json")[1])
    cut_before = [
        n for d in _days(before) for n in d.get("schedule_notes", []) if "long run" in n["text"]
    ]
    code, out, _ = run("feeds", "propose")
    assert code == 0
    text = words(out)
    assert "1. Feed or pump just before 07:00 on Saturdays and run 07:00–" in text
    assert "A caregiver gives a bottle at 08:00 on Saturdays" in text
    assert "wins back" in text
    # Proposing changes nothing.
    assert json.loads(run("plan", "show", "--json")[1]) == before
    code, out, err = run("feeds", "accept", "1")
    assert code == 0, err
    assert "Accepted: pump:5:07:00-" in words(out)
    shown = json.loads(run("availability", "show", "--json")[1])
    assert shown["pumped"][0]["day"] == "Sat" and shown["pumped"][0]["start"] == "07:00"
    after = json.loads(run("plan", "show", "--json")[1])
    cut_after = [
        n for d in _days(after) for n in d.get("schedule_notes", []) if "long run" in n["text"]
    ]
    assert len(cut_after) < len(cut_before)
    assert run("feeds", "accept", "shift:09:00>09:15")[0] == 2  # no 09:00 feed to move


def test_strength_is_never_beside_a_hard_day_nor_on_its_eve(busy_mother: None) -> None:
    assert run("feeds", "set", "--every", "3h", "--from", "05:00", "--to", "20:00")[0] == 0
    body = json.loads(run("plan", "show", "--json")[1])
    days = _days(body)
    hard_kinds = {"long", "threshold", "interval", "repetition", "marathon", "fartlek", "race"}
    kinds_on = {d["date"]: {s["kind"] for s in d["sessions"] if s.get("start")} for d in days}
    dates = list(kinds_on)
    for k, day in enumerate(dates):
        if "strength" not in kinds_on[day]:
            continue
        tomorrow = kinds_on[dates[k + 1]] if k + 1 < len(dates) else set()
        assert not (kinds_on[day] & hard_kinds), day
        assert not (tomorrow & hard_kinds), day
        strength = [s for d in days if d["date"] == day for s in d["sessions"]]
        assert sum(1 for s in strength if s["kind"] == "strength") == 1


def test_a_race_start_time_sets_the_race_and_says_when_to_feed_before_it(
    busy_mother: None,
) -> None:
    assert run("feeds", "set", "--every", "3h", "--from", "05:00", "--to", "20:00")[0] == 0
    code, _, err = run("availability", "race-start", "08:00")
    assert code == 0, err
    body = json.loads(run("plan", "show", "--json")[1])
    race_day = next(d for d in _days(body) if d["date"] == "2027-04-25")
    race = next(s for s in race_day["sessions"] if s["kind"] == "race")
    assert race["start"].startswith("2027-04-25T08:00")
    assert {"kind": "race_morning", "text": (
        "Race morning: feed or pump 06:45–07:15, then go: the start is at 08:00."
    )} in race_day["schedule_notes"]  # fmt: skip
    assert json.loads(run("availability", "show", "--json")[1])["race_start"] == "08:00"
    assert run("availability", "race-start", "--clear")[0] == 0
    assert json.loads(run("availability", "show", "--json")[1])["race_start"] is None
    # A start that leaves no time to feed before it is refused; a race she pinned herself at a
    # time gets race morning's feed too.
    early = run("availability", "race-start", "00:30")
    assert early[0] == 2 and "no time to feed" in words(early[2])
    assert run("plan", "pin", "2027-04-25", "--at", "09:00")[0] == 0
    body = json.loads(run("plan", "show", "--json")[1])
    race_day = next(d for d in _days(body) if d["date"] == "2027-04-25")
    assert "Race morning: feed or pump 07:45–08:15, then go: the start is at 09:00." in [
        n["text"] for n in race_day["schedule_notes"]
    ]


def test_a_long_run_moved_from_saturday_to_sunday_is_placed_on_sunday(busy_mother: None) -> None:
    assert run("feeds", "set", "--every", "3h", "--from", "05:00", "--to", "20:00")[0] == 0
    code, _, err = run("plan", "move", "2027-01-16", "--to", "2027-01-17")
    assert code == 0, err
    body = json.loads(run("plan", "show", "--json")[1])
    by_date = {d["date"]: d for d in _days(body)}
    sunday = [s for s in by_date["2027-01-17"]["sessions"] if s["kind"] == "long"]
    assert sunday and sunday[0]["start"].startswith("2027-01-17T")
    assert not [s for s in by_date["2027-01-16"]["sessions"] if s["kind"] == "long"]


def test_an_hours_preview_names_what_would_be_lost_and_keeps_the_old_hours(
    busy_mother: None,
) -> None:
    code, out, err = run("availability", "set", "mon-fri 05:30-06:15", "--preview")
    assert code == 0, err
    text = words(out)
    assert re.search(r"(\d+) of \1 weeks lose volume", text)  # no weekend: every week loses
    assert "Warning: " in text and "long run is dropped" in text  # named, in the warning tone
    assert "Preview only: nothing was saved." in text
    windows = json.loads(run("availability", "show", "--json")[1])["windows"]
    assert {w["day"] for w in windows} == {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
