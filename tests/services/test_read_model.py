"""Issue #11 and #16: every read shows the plan derived for today, cheaply, as days pass.

Days pass through ``MILEPOST_TODAY`` (the documented way to set today) and the CLI, on SQLite
and PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from conftest import run_cli as run
from milepost.bootstrap import open_milepost
from milepost.config import Settings


@pytest.fixture
def plan(cli_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MILEPOST_TODAY", "2027-01-03")
    assert run("athlete", "new", "Maya", "--tz", "America/New_York")[0] == 0
    code, _, err = run(
        "plan", "new", "--race", "half", "--race-date", "2027-04-25", "--vdot", "44",
        "--weekly-km", "40", "--long-run-day", "sat",
    )  # fmt: skip
    assert code == 0, err


def _today(monkeypatch: pytest.MonkeyPatch, on: date) -> dict:
    monkeypatch.setenv("MILEPOST_TODAY", on.isoformat())
    code, out, err = run("plan", "today", "--json")
    assert code == 0, err
    return json.loads(out)


def test_an_open_fever_keeps_her_resting_on_every_day_after_with_no_check_in(
    plan: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monday = date(2027, 2, 8)
    monkeypatch.setenv("MILEPOST_TODAY", monday.isoformat())
    code, _, err = run("episode", "add", "illness", "--fever", "38.9")
    assert code == 0, err
    for offset in range(1, 6):  # nothing typed since Monday: the reads alone re-derive
        day = _today(monkeypatch, monday + timedelta(days=offset))
        assert all(s["kind"] == "rest" for s in day["sessions"]), day
        assert day["provisional"]
    code, out, _ = run("plan", "today")
    assert code == 0 and "Provisional" in out and "Check in first" in out


def test_a_check_in_that_ends_the_fever_starts_stage_1_and_the_next_days_follow(
    plan: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monday = date(2027, 2, 8)
    monkeypatch.setenv("MILEPOST_TODAY", monday.isoformat())
    assert run("episode", "add", "illness", "--fever", "38.9")[0] == 0
    monkeypatch.setenv("MILEPOST_TODAY", (monday + timedelta(days=1)).isoformat())
    assert run("checkin", "--temp", "36.9")[0] == 0
    # Tuesday clear: Wednesday is the 24 hours; Thursday asks for a check-in first.
    wednesday = _today(monkeypatch, monday + timedelta(days=2))
    assert not any(s["kind"] != "rest" for s in wednesday["sessions"])
    thursday = _today(monkeypatch, monday + timedelta(days=3))
    assert thursday["check_in_due"]
    assert run("checkin", "--temp", "36.8", "--feeling", "better")[0] == 0
    thursday = _today(monkeypatch, monday + timedelta(days=3))
    assert not thursday["check_in_due"]
    for s in thursday["sessions"]:
        if s["kind"] not in ("rest", "strength", "cross"):
            assert s["duration_s"] <= 16 * 60


def test_a_read_equals_a_fresh_derivation_for_that_day_and_costs_few_queries(
    plan: None, monkeypatch: pytest.MonkeyPatch, cli_env: str
) -> None:
    monday = date(2027, 2, 8)
    monkeypatch.setenv("MILEPOST_TODAY", monday.isoformat())
    assert run("episode", "add", "mastitis")[0] == 0
    for offset in (1, 2, 4):
        on = monday + timedelta(days=offset)
        monkeypatch.setenv("MILEPOST_TODAY", on.isoformat())
        mp = open_milepost(Settings.from_env())
        try:
            shown = mp.planning.current().body
            fresh = mp.planning.replan(reason="check", apply=False)
            assert fresh is not None and fresh.body == shown
            statements: list[str] = []
            event.listen(mp.db.engine, "before_cursor_execute", _count(statements))
            mp.planning.today()
            # The athlete, then the plan with its newest revision and inputs version.
            assert len(statements) <= 4, statements
        finally:
            mp.db.dispose()


def _count(statements: list[str]):  # type: ignore[no-untyped-def]
    def listener(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    return listener


def test_a_move_onto_a_return_stage_is_refused_and_not_recorded(
    plan: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monday = date(2027, 2, 8)
    monkeypatch.setenv("MILEPOST_TODAY", monday.isoformat())
    assert run("episode", "add", "illness", "--fever", "38.9", "--end", "2027-02-08")[0] == 0
    data = json.loads(run("plan", "show", "--json")[1])
    staged = [
        d["date"]
        for w in data["weeks"]
        for d in w["days"]
        if "stage" in d.get("stage", "") and d["date"] > monday.isoformat()
    ]
    assert staged
    later = (date.fromisoformat(staged[-1]) + timedelta(days=4)).isoformat()
    before = len(data["revisions"])
    code, _, err = run("plan", "move", later, "--to", staged[0])
    assert code == 2 and "can't move" in err
    assert len(json.loads(run("plan", "show", "--json")[1])["revisions"]) == before


def test_breastfeeding_is_a_profile_setting_that_reaches_the_guidance_at_once(
    plan: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MILEPOST_TODAY", "2027-01-05")

    def feed_tip() -> bool:
        data = json.loads(run("plan", "show", "--json")[1])
        return any(
            "Feed or pump right before" in g["text"]
            for w in data["weeks"]
            for d in w["days"]
            for g in d["guidance"]
        )

    assert not feed_tip()
    code, out, err = run("athlete", "set", "--breastfeeding")
    assert code == 0 and "breastfeeding" in out, err
    assert feed_tip()  # the read re-derives: the profile is an input
    assert json.loads(run("athlete", "show", "--json")[1])["breastfeeding"] is True
    assert run("athlete", "set")[0] == 2


def test_the_cli_week_marks_the_days_an_open_episode_makes_provisional(
    plan: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MILEPOST_TODAY", "2027-02-08")
    assert run("episode", "add", "illness", "--fever", "38.6")[0] == 0
    code, out, err = run("plan", "show", "--week", "6")
    assert code == 0, err
    assert "(provisional)" in out


def test_a_recent_race_that_contradicts_her_other_races_is_warned_about(
    cli_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MILEPOST_TODAY", "2027-01-03")
    code, _, err = run(
        "athlete", "new", "Maya", "--race", "5k=24:00@2026-09-01", "--race", "10k=50:00@2026-10-01"
    )
    assert code == 0, err
    code, _, err = run(
        "plan", "new", "--race", "half", "--race-date", "2027-04-25", "--recent", "5k=19:00",
        "--weekly-km", "40",
    )  # fmt: skip
    assert code == 2 and "typo" in err  # 13 VDOT above them: refused
    code, _, err = run(
        "plan", "new", "--race", "half", "--race-date", "2027-04-25", "--recent", "5k=21:40",
        "--weekly-km", "40",
    )  # fmt: skip
    assert code == 0, err
    warnings = json.loads(run("plan", "show", "--json")[1])["warnings"]
    assert warnings and any("race" in w.lower() for w in warnings), warnings
