"""Data ownership (#8): export all and import all round-trip losslessly; delete removes all."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from conftest import run_cli as run
from milepost.adapters.storage.archive import fingerprint, owned_tables

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "activities"


@pytest.fixture
def busy_athlete(cli_env: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """An athlete with something in every table: races, a plan with revisions, an edit, an
    episode and check-in, availability and feeds, activities with samples and files."""
    monkeypatch.setenv("MILEPOST_TODAY", "2027-01-03")
    assert run("athlete", "new", "Maya", "--tz", "Europe/London", "--race", "5k=22:30")[0] == 0
    code, _, err = run(
        "plan", "new", "--race", "10k", "--race-date", "2027-03-28", "--weekly-km", "35",
    )  # fmt: skip
    assert code == 0, err
    monkeypatch.setenv("MILEPOST_TODAY", "2027-01-12")
    assert run("episode", "add", "illness", "--start", "2027-01-10", "--fever", "38.4")[0] == 0
    assert run("checkin", "--date", "2027-01-11", "--fever-free")[0] == 0
    week = json.loads(run("plan", "week", "3", "--json")[1])
    busy_day = next(
        d["date"] for d in week["days"] if any(s["kind"] != "rest" for s in d["sessions"])
    )
    assert run("plan", "pin", busy_day)[0] == 0
    assert run("availability", "set", "daily 06:00-09:00")[0] == 0
    fit = SHARED / "fit" / "garmin-fenix-5-run.fit"
    if fit.exists():
        assert run("log", "import", str(fit))[0] == 0
    assert run("log", "add", "--date", "2027-01-05", "--distance", "6km", "--time", "36:00")[0] == 0
    return cli_env


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        out = {
            t.name: conn.scalar(select(func.count()).select_from(t)) or 0 for t in owned_tables()
        }
    engine.dispose()
    return out


def test_export_all_then_import_all_round_trips_every_row(
    busy_athlete: str, tmp_path: Path
) -> None:
    first = tmp_path / "maya.zip"
    assert run("export", "all", str(first))[0] == 0
    with zipfile.ZipFile(first) as archive:
        tables = json.loads(archive.read("data.json"))["tables"]
    for name in ("athletes", "plans", "plan_revisions", "episodes", "check_ins", "plan_edits",
                 "life_schedules", "activities"):  # fmt: skip
        assert tables[name], f"the export has no {name}"
    code, _out, err = run("import", "all", str(first), "--as", "Maya restored")
    assert code == 0, err
    second = tmp_path / "restored.zip"
    assert run("export", "all", str(second))[0] == 0  # the restored athlete is now current
    a, b = fingerprint(first.read_bytes()), fingerprint(second.read_bytes())
    names = dict(a)
    names_b = dict(b)
    names["athletes"] = [r.replace('"Maya"', '"Maya restored"') for r in names["athletes"]]
    assert sorted(names_b["athletes"]) == sorted(names["athletes"])
    for table, rows in a:
        if table != "athletes":
            assert names_b[table] == rows, f"{table} changed in the round trip"


def test_importing_over_an_existing_name_is_refused_and_writes_nothing(
    busy_athlete: str, tmp_path: Path
) -> None:
    path = tmp_path / "maya.zip"
    run("export", "all", str(path))
    before = _counts(busy_athlete)
    code, _, err = run("import", "all", str(path))
    assert code == 2 and "already exists" in err
    assert _counts(busy_athlete) == before
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    code, _, err = run("import", "all", str(bad))
    assert code == 2 and "not a milepost export" in err


def test_deleting_an_athlete_removes_everything_of_hers(busy_athlete: str) -> None:
    code, _, err = run("athlete", "delete", "Maya")
    assert code == 2 and "--yes" in err
    code, _out, err = run("athlete", "delete", "Maya", "--yes")
    assert code == 0, err
    assert all(n == 0 for n in _counts(busy_athlete).values())
