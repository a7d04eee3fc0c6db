"""Backups and integrity checks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from conftest import run_cli as run


def test_an_online_backup_is_a_complete_consistent_copy(
    milepost_home: Path, tmp_path: Path
) -> None:
    assert run("athlete", "new", "Maya", "--race", "5k=22:30")[0] == 0
    target = tmp_path / "backup.db"
    code, out, err = run("backup", str(target))
    assert code == 0, err
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT name FROM athletes").fetchall() == [("Maya",)]
    assert not list(tmp_path.glob(".*partial"))
    code, _, err = run("backup", str(target))
    assert code == 2 and "already exists" in err
    code, out, _ = run("check")
    assert code == 0 and "consistent" in out


def test_backup_refuses_postgresql_with_a_pointer(
    cli_env: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if cli_env.startswith("sqlite"):
        pytest.skip("this case is about PostgreSQL")
    code, _, err = run("backup", str(tmp_path / "x.db"))
    assert code == 2 and "pg_dump" in err
