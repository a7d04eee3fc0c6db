"""The CLI at and past every boundary (issue 19, items 6 and 8): one readable error and exit 2,
never exit 1 or a traceback, on SQLite and PostgreSQL.

The named cases are the probe's; the fuzz below throws boundary values at every argument of
the commands that take ids, dates, distances, names and time zones.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_cli

EXAMPLES = int(os.environ.get("MILEPOST_FUZZ_EXAMPLES", "12"))


@pytest.fixture
def athlete_with_plan(cli_env: str) -> str:
    assert run_cli("athlete", "new", "Maya", "--tz", "Europe/London")[0] == 0
    code, out, err = run_cli(
        "plan",
        "new",
        "--race",
        "half",
        "--race-date",
        "2027-04-18",
        "--recent",
        "5k=22:30",
        "--weekly-km",
        "40",
        "--start",
        "2027-01-04",
    )
    assert code == 0, out + err
    return cli_env


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MILEPOST_TODAY", "2027-01-06")


def _refused(*args: str) -> str:
    code, out, err = run_cli(*args)
    assert code == 2, f"exit {code}: {out}{err}"
    assert "Traceback" not in out + err and "unexpected" not in err
    assert err.startswith("Error:"), err
    return err


@pytest.mark.parametrize(
    "activity_id", ["99999999999999999999", "2147483648", "9223372036854775808", "0", "-3"]
)
def test_log_show_with_an_id_past_the_columns_is_exit_2(athlete_with_plan, activity_id) -> None:
    _refused("log", "show", "--", activity_id)


def test_plan_retarget_to_the_end_of_the_calendar_is_exit_2(athlete_with_plan) -> None:
    assert "out of range" in _refused("plan", "retarget", "--race-date", "9999-12-31")


def test_plan_new_for_a_race_of_99999999_km_is_exit_2(athlete_with_plan) -> None:
    err = _refused(
        "plan", "new", "--race", "99999999km", "--race-date", "2027-04-18", "--weekly-km", "40"
    )
    assert "out of range" in err


@pytest.mark.parametrize("zone", ["E" * 20_000, "EST", "Mars/Base"])
def test_a_time_zone_that_is_not_iana_is_exit_2(cli_env, zone: str) -> None:
    assert "is not a time zone" in _refused("athlete", "new", "Otto", "--tz", zone)


@pytest.mark.parametrize("name", ["Maya\nRunner", "N" * 201, "bell\x07"])
def test_an_athlete_name_with_a_newline_or_past_200_characters_is_exit_2(cli_env, name) -> None:
    _refused("athlete", "new", name)


def test_a_race_name_with_a_newline_is_exit_2(athlete_with_plan) -> None:
    _refused(
        "plan",
        "new",
        "--race",
        "half",
        "--race-date",
        "2027-04-18",
        "--weekly-km",
        "40",
        "--recent",
        "5k=22:30",
        "--name",
        "Spring\nHalf",
    )


# --- the fuzz: every boundary value in every slot -------------------------------------------

BOUNDARY = st.one_of(
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "1",
            "2147483647",
            "2147483648",
            "9223372036854775808",
            "99999999999999999999",
            "1e309",
            "nan",
            "inf",
            "0001-01-01",
            "1899-12-31",
            "1900-01-01",
            "2100-12-31",
            "2101-01-01",
            "9999-12-31",
            "2027-02-10",
            "99999999km",
            "1e300m",
            "-5km",
            "half",
            "5k=22:30",
            "x" * 201,
            "a\nb",
            "Europe/London",
            "EST",
        ]
    ),
    st.text(max_size=12),
)

COMMANDS = {
    "log show": lambda v: ["log", "show", "--", v],
    "athlete show": lambda v: ["athlete", "show", "--", v],
    "athlete new": lambda v: ["athlete", "new", "--tz", v, "--", v],
    "plan new": lambda v: [
        "plan",
        "new",
        "--race",
        v,
        "--race-date",
        v,
        "--weekly-km",
        "40",
        "--recent",
        "5k=22:30",
    ],
    "plan retarget": lambda v: ["plan", "retarget", "--race-date", v],
    "plan today": lambda v: ["plan", "today", "--date", v],
    "plan move": lambda v: ["plan", "move", "--", v, "--to", v],
    "user reset-link": lambda v: ["user", "reset-link", "--", v],
    "export workout": lambda v: ["export", "workout", "--", v, "/dev/null"],
    "plan show --week": lambda v: ["plan", "show", "--week", v],
    "plan week": lambda v: ["plan", "week", "--", v],
    "log week": lambda v: ["log", "week", "--", v],
    "log list --since": lambda v: ["log", "list", "--since", v],
    "log add": lambda v: ["log", "add", "--date", v, "--distance", v, "--time", v, "--note", v],
    "availability except": lambda v: ["availability", "except", "--", v, "--unavailable"],
    "episode add": lambda v: ["episode", "add", "injury", "--start", v, "--end", v, "--area", v],
    "episode end": lambda v: ["episode", "end", "--", v],
    "checkin": lambda v: ["checkin", "--temp", v],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_no_boundary_value_makes_a_command_exit_1_or_print_a_traceback(
    athlete_with_plan, command: str
) -> None:
    seen: list[str] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(value=BOUNDARY)
    def run(value: str) -> None:
        args = COMMANDS[command](value)
        code, out, err = run_cli(*args)
        seen.append(value)
        assert code in (0, 2), f"exit {code} for {args!r}: {err[:300]}"
        assert "Traceback" not in out + err, args

    run()
    assert seen
