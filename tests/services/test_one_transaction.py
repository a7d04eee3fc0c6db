"""Issue #19 item 5: an input and the revision it leads to commit together or not at all.

A failure while deriving the new plan (here made on purpose) leaves nothing of the input behind,
so a retry cannot store it twice; on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

import milepost.services.planning as planning
from conftest import run_cli as run


@pytest.fixture
def plan(cli_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MILEPOST_TODAY", "2027-01-03")
    assert run("athlete", "new", "Maya")[0] == 0
    code, _, err = run(
        "plan", "new", "--race", "half", "--race-date", "2027-04-25", "--vdot", "44",
        "--weekly-km", "40",
    )  # fmt: skip
    assert code == 0, err
    monkeypatch.setenv("MILEPOST_TODAY", "2027-02-08")


def _broken(*args: object, **kwargs: object) -> object:
    raise RuntimeError("the derivation failed half-way")


@pytest.mark.parametrize(
    "command",
    [
        ["episode", "add", "illness", "--fever", "38.6"],
        ["availability", "set", "mon-fri 05:30-07:00"],
    ],
)
def test_a_failed_re_plan_stores_nothing_of_the_input(
    plan: None, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    before = json.loads(run("plan", "show", "--json")[1])["revisions"]
    with monkeypatch.context() as patched:
        patched.setattr(planning, "derive_plan", _broken)
        code, _, _ = run(*command)
    assert code != 0, "the failure reaches the user"
    assert json.loads(run("episode", "list", "--json")[1]) == []
    assert json.loads(run("plan", "show", "--json")[1])["revisions"] == before
    code, out, _ = run("availability", "show")
    assert "No windows" in out
    # The retry works, once.
    assert run(*command)[0] == 0
    episodes = json.loads(run("episode", "list", "--json")[1])
    assert len(episodes) == (1 if command[0] == "episode" else 0)
