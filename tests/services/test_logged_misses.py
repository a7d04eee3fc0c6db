"""A planned run day that ends with nothing logged becomes a missed day for the rules (#6)."""

from __future__ import annotations

import json

import pytest

from conftest import run_cli as run


@pytest.fixture
def plan(cli_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MILEPOST_TODAY", "2027-01-03")
    assert run("athlete", "new", "Maya", "--tz", "America/New_York")[0] == 0
    code, _, err = run(
        "plan", "new", "--race", "half", "--race-date", "2027-04-25", "--vdot", "44",
        "--weekly-km", "40", "--long-run-day", "sat",
    )  # fmt: skip
    assert code == 0, err


def _changes() -> list[dict[str, str]]:
    data = json.loads(run("plan", "show", "--json")[1])
    return data["revisions"][-1]["changes"]


def test_a_runner_without_a_log_is_never_told_she_missed_anything(
    plan: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MILEPOST_TODAY", "2027-01-20")
    run("plan", "apply")
    assert not [c for c in _changes() if c["cause"] == "missed"]


def test_a_planned_run_day_with_nothing_logged_is_missed(
    plan: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MILEPOST_TODAY", "2027-01-07")
    code, _, err = run("log", "add", "--date", "2027-01-04", "--distance", "7km", "--time", "42:00")
    assert code == 0, err
    run("plan", "apply")
    missed = {c["date"] for c in _changes() if c["cause"] == "missed"}
    # Mon was logged; Tue and Wed had runs planned and nothing logged; Thu is today.
    assert "2027-01-04" not in missed
    assert {"2027-01-05", "2027-01-06"} <= missed
    assert "2027-01-07" not in missed
