"""Issue 12 on the command line: a plan's warnings, its refusals, and miles end to end."""

from __future__ import annotations

import json

import pytest

from conftest import run_cli as run
from conftest import words

HALF = [
    "plan", "new", "--race", "half", "--race-date", "2027-04-18", "--recent", "10k=45:00",
    "--weekly-km", "40", "--runs-per-week", "5",
]  # fmt: skip


@pytest.fixture
def athlete(cli_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MILEPOST_TODAY", "2026-11-27")
    assert run("athlete", "new", "Maya", "--tz", "America/New_York", "--units", "mi")[0] == 0


def test_plan_show_json_carries_a_warnings_list_empty_when_none(athlete: None) -> None:
    assert run(*HALF)[0] == 0
    code, out, _ = run("plan", "show", "--json")
    assert code == 0 and json.loads(out)["warnings"] == []


def test_an_unrealistic_goal_is_warned_in_json_and_in_the_summary(athlete: None) -> None:
    code, out, err = run(*HALF, "--goal", "1:05:00")
    assert code == 0, err
    assert "Warning" in out and "realistic goal is" in words(out)
    (warning,) = json.loads(run("plan", "show", "--json")[1])["warnings"]
    assert "1:05:00" in warning and "VDOT 45.3" in warning
    assert "Warning" in run("plan", "show")[1]


def test_a_runner_in_miles_reads_miles_in_a_refusal(athlete: None) -> None:
    code, out, err = run(
        "plan", "new", "--race", "half", "--race-date", "2027-04-18", "--recent", "10k=45:00",
        "--weekly-mi", "41", "--runs-per-week", "3",
    )  # fmt: skip
    assert code == 2
    text = words(out + err)
    assert "mi in week" in text and "--runs-per-week" in text and " km" not in text


def test_a_race_faster_than_the_world_records_is_refused(athlete: None) -> None:
    code, out, err = run(*HALF[:6], "--recent", "10k=25:00", "--weekly-km", "40")
    assert code == 2 and "world records" in words(out + err)
