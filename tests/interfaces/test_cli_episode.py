"""Logging what happened re-plans at once (issue #4), on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

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
    monkeypatch.setenv("MILEPOST_TODAY", "2027-02-09")


def test_logging_mastitis_with_a_fever_shows_rest_the_clinician_the_return_and_the_forecast(
    plan: None,
) -> None:
    code, out, err = run(
        "episode", "add", "mastitis", "--start", "2027-02-08", "--systemic", "--fever", "38.6"
    )
    assert code == 0, err
    out = words(out)
    assert "Logged (episode 1)" in out
    assert "→ Rest" in out and "no running until 24 h" in out
    assert "See a clinician" in out and "more than 24 hours" in out
    assert "graded return after illness, stage" in out
    assert "Race forecast" in out
    data = json.loads(run("plan", "show", "--json")[1])
    assert [r["reason"] for r in data["revisions"]] == [
        "plan created",
        "mastitis from 2027-02-08 logged",
    ]
    assert data["forecast"]["goal_s"] > 0 and "on_track" in data["forecast"]
    days = {d["date"]: d for w in data["weeks"] for d in w["days"]}
    assert all(s["kind"] == "rest" for s in days["2027-02-09"]["sessions"])
    levels = {g["level"] for g in days["2027-02-09"]["guidance"]}
    assert "see_clinician" in levels
    assert all({"level", "text", "source"} <= set(g) for g in days["2027-02-09"]["guidance"])


def test_a_check_in_moves_the_return_and_history_keeps_every_revision(plan: None) -> None:
    run("episode", "add", "illness", "--start", "2027-02-08", "--fever", "38.4")
    code, out, _ = run("checkin", "--date", "2027-02-09", "--temp", "37.0", "--json")
    assert code == 0
    assert json.loads(out)["revision"] is not None
    history = json.loads(run("plan", "history", "--json")[1])
    assert len(history) == 3 and history[-1]["reason"] == "check-in for 2027-02-09"
    code, out, _ = run("plan", "diff")
    assert code == 0 and "did not change" in words(out)


def test_a_preview_stores_nothing(plan: None) -> None:
    code, out, _ = run(
        "episode", "add", "injury", "--start", "2027-02-08", "--area", "calf", "--preview"
    )
    assert code == 0 and "Preview" in out and "calf injury" in words(out)
    assert json.loads(run("episode", "list", "--json")[1]) == []
    assert len(json.loads(run("plan", "history", "--json")[1])) == 1


def test_episode_add_json_prints_the_id_and_end_closes_it(plan: None) -> None:
    code, out, _ = run(
        "episode", "add", "illness", "--start", "2027-02-07", "--symptoms", "above-neck", "--json"
    )
    assert code == 0 and json.loads(out)["id"] == 1
    code, out, _ = run("episode", "end", "1", "--date", "2027-02-09")
    assert code == 0 and "ended" in out
    assert json.loads(run("episode", "list", "--json")[1])[0]["end"] == "2027-02-09"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["episode", "add", "flu"], "not a kind of episode"),
        (["episode", "add", "illness", "--fever", "hot"], "as a temperature"),
        (["episode", "add", "illness", "--fever", "52"], "not a body temperature"),
        (["episode", "add", "illness", "--start", "2027-03-01"], "in the future"),
        (["episode", "add", "mastitis", "--systemic", "--local-only"], "not both"),
        (["episode", "add", "postpartum"], "needs the birth date"),
        (
            ["episode", "add", "postpartum", "--birth-date", "2026-10-01", "--red-flag", "tired"],
            "unknown red flag",
        ),
        (["episode", "end", "99"], "no episode 99"),
        (["checkin", "--temp", "37.2"], "no open episode"),
        (["checkin", "--date", "2027-03-01", "--temp", "37.2"], "in the future"),
        (["episode", "add", "illness", "--symptoms", "elbow"], "not a kind of symptoms"),
    ],
)
def test_mistakes_are_one_line_and_store_nothing(plan: None, args: list[str], message: str) -> None:
    code, _, err = run(*args)
    assert code == 2 and message in err and "Traceback" not in err
    assert json.loads(run("episode", "list", "--json")[1]) == []
    assert len(json.loads(run("plan", "history", "--json")[1])) == 1


def test_an_episode_without_a_plan_is_kept_for_the_next_plan(
    cli_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MILEPOST_TODAY", "2027-01-10")
    run("athlete", "new", "Lee")
    code, out, _ = run("episode", "add", "injury", "--start", "2027-01-08", "--area", "knee")
    assert code == 0 and "No plan yet" in out
    code, out, err = run(
        "plan", "new", "--race", "10k", "--race-date", "2027-03-28", "--vdot", "45",
        "--weekly-km", "35", "--json",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    monday = data["weeks"][0]["days"][0]
    # Walking still hurt when the plan was made: the first day carries no run, with the reason.
    assert monday["date"] == "2027-01-11"
    assert not any(s["kind"] in ("easy", "long", "strides") for s in monday["sessions"])
    assert any("knee injury" in c["reason"] for c in data["revisions"][0]["changes"])


def test_after_a_long_break_a_later_race_gets_its_own_plan(
    plan: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MILEPOST_TODAY", "2027-02-01")
    run("episode", "add", "injury", "--start", "2027-02-01", "--area", "knee")
    monkeypatch.setenv("MILEPOST_TODAY", "2027-03-03")
    code, out, _ = run("checkin", "--pain-free-walking", "--json")
    assert code == 0
    forecast = json.loads(out)["forecast"]
    assert forecast and not forecast["on_track"] and forecast["later_race_date"]
    before = json.loads(run("plan", "show", "--json")[1])
    code, out, err = run("plan", "retarget", "--race-date", forecast["later_race_date"], "--json")
    assert code == 0, err
    after = json.loads(out)
    assert after["plan_id"] != before["plan_id"]
    assert after["race"]["date"] == forecast["later_race_date"]
    assert after["vdot"] < before["vdot"]  # today's fitness, after the time off
    # The next Monday, or 24 weeks before a race further out than that.
    assert after["weeks"][0]["starts"] >= "2027-03-08"
    assert len(after["weeks"]) <= 24
    code, _, err = run("plan", "retarget")
    assert code == 2 and "say what changes" in err


def test_a_date_in_the_wrong_year_is_refused(plan: None) -> None:
    code, _, err = run("episode", "add", "illness", "--start", "2017-02-08", "--fever", "38.4")
    assert code == 2 and "more than a year ago" in err and "check the year" in err
