"""The command line: JSON shapes, tables, exit codes, and one readable line for every mistake."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli as run

EQUIVALENT_KEYS = {
    "1500m",
    "mile",
    "3000m",
    "2mile",
    "5k",
    "10k",
    "15k",
    "half_marathon",
    "marathon",
}


def test_paces_json_has_the_documented_shape() -> None:
    code, out, _ = run("paces", "half", "1:45:00", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["vdot"] == pytest.approx(42.64, abs=0.01)
    assert set(data["equivalent_s"]) == EQUIVALENT_KEYS
    assert data["equivalent_s"]["half_marathon"] == pytest.approx(6300, abs=0.5)
    paces = data["paces_s_per_km"]
    assert set(paces) == {"E", "M", "T", "I", "R"}
    assert len(paces["E"]) == 2 and paces["E"][0] < paces["E"][1]
    assert all(isinstance(paces[z], float) for z in "MTIR")
    assert set(data["paces_s_per_400m"]) == {"I", "R"}
    assert "adjusted_paces_s_per_km" not in data


def test_paces_json_is_exactly_one_object_on_stdout() -> None:
    code, out, _ = run("paces", "5k", "20:00", "--json")
    assert code == 0
    assert out.count("\n") == 1
    assert json.loads(out)["vdot"] == pytest.approx(49.81, abs=0.01)


def test_conditions_add_adjusted_paces_and_say_why() -> None:
    code, out, _ = run(
        "paces",
        "10k",
        "45:00",
        "--temp",
        "29",
        "--dew-point",
        "22",
        "--altitude",
        "1800m",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    base, adjusted = data["paces_s_per_km"], data["adjusted_paces_s_per_km"]
    assert set(adjusted) == set(base)
    assert adjusted["T"] > base["T"]
    # R: half the heat adjustment, no altitude adjustment.
    assert base["R"] < adjusted["R"] < base["R"] * 1.03
    assert [a["kind"] for a in data["adjustments"]] == ["heat", "altitude"]


def test_the_paces_table_names_the_adjustments() -> None:
    code, out, _ = run("paces", "10k", "45:00", "--temp", "29", "--dew-point", "22")
    assert code == 0
    assert "VDOT 45.3" in out and "Training paces" in out and "Adjusted for heat" in out


def test_paces_from_a_vdot() -> None:
    code, out, _ = run("paces", "--vdot", "50", "--json")
    assert code == 0 and json.loads(out)["equivalent_s"]["5k"] == pytest.approx(1196, abs=2)


def test_adjust_a_pace_for_a_hill() -> None:
    code, out, _ = run("adjust", "4:30/km", "--grade", "6%", "--json")
    assert code == 0
    assert json.loads(out)["adjusted_s_per_km"] == pytest.approx(270 * 1.3687, abs=0.5)
    code, out, _ = run("adjust", "4:30/km", "--grade", "6%")
    assert code == 0 and "6:10/km" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["paces", "5k", "45:3o"], "could not read '45:3o' as a time"),
        (["paces", "5 parsecs", "20:00"], "as a distance"),
        (["paces", "5k", "2:00"], "outside anything a runner records"),
        (["paces", "5k"], "say which race"),
        (["paces", "5k", "20:00", "--temp", "29"], "needs both the temperature and the dew point"),
        (["paces", "5k", "20:00", "--altitude", "high"], "as an altitude"),
        (["adjust", "4:30"], "as a pace"),
        (["adjust", "4:30/km"], "nothing to adjust for"),
        (["adjust", "4:30/km", "--grade", "60%"], "outside what the hill model covers"),
        (["athlete", "show"], "no athlete chosen yet"),
        (["athlete", "use", "nobody"], "no athlete 'nobody'"),
        (["athlete", "new", "X", "--tz", "Mars/Base"], "not a time zone"),
        (["athlete", "new", "X", "--race", "5k=22:3o"], "could not read '22:3o' as a time"),
        (["athlete", "new", "X", "--units", "furlongs"], "not a unit"),
    ],
)
def test_every_mistake_is_one_readable_error_with_exit_code_2(
    milepost_home: Path, args: list[str], message: str
) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert err.startswith("Error: ") and message in err
    assert "Traceback" not in err + out
    assert out == ""


def test_athletes_are_created_chosen_and_shown(cli_env: str) -> None:
    assert (
        run("athlete", "new", "Maya", "--tz", "Europe/London", "--race", "5k=22:30@2026-10-04")[0]
        == 0
    )
    assert run("athlete", "new", "Lee", "--units", "mi")[0] == 0
    code, out, _ = run("athlete", "show", "--json")
    assert code == 0 and json.loads(out)["name"] == "Lee"
    assert run("athlete", "use", "Maya")[0] == 0
    shown = json.loads(run("athlete", "show", "--json")[1])
    assert shown["name"] == "Maya" and shown["vdot"] == pytest.approx(43.4, abs=0.1)
    listed = json.loads(run("athlete", "list", "--json")[1])
    assert [(a["name"], a["current"]) for a in listed] == [("Maya", True), ("Lee", False)]
    code, _, err = run("athlete", "new", "Maya")
    assert code == 2 and "already exists" in err


def test_the_installed_command_never_shows_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "MILEPOST_HOME": str(tmp_path)}
    env.pop("MILEPOST_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "milepost", "paces", "5k", "45:3o"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[0] == (
        "Error: could not read '45:3o' as a time: expected mm:ss or h:mm:ss"
    )
    assert "Traceback" not in proc.stderr
