"""Storage on SQLite and PostgreSQL: migrations on first use, athletes round-trip, the unit of
work rolls back on error."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import inspect, text

from milepost.adapters.storage.db import Database
from milepost.adapters.storage.repositories import AthleteRepository
from milepost.domain.athlete import Athlete, RaceResult, Sex
from milepost.domain.units import Units
from milepost.errors import ConflictError, MilepostError


def test_migrations_create_the_schema_once_and_are_idempotent(database_url: str) -> None:
    db = Database(database_url)
    db.migrate()
    db.migrate()
    tables = set(inspect(db.engine).get_table_names())
    assert {"athletes", "race_results", "preferences", "alembic_version"} <= tables
    db.dispose()


def test_an_athlete_round_trips_with_every_field(database_url: str) -> None:
    db = Database(database_url)
    db.migrate()
    athlete = Athlete(
        name="Maya",
        timezone="Europe/London",
        units=Units.MI,
        birth_date=date(1991, 5, 2),
        sex=Sex.FEMALE,
        weight_kg=61.5,
        races=(RaceResult(5000, 1350, date(2026, 10, 4)), RaceResult(21097.5, 6300, None)),
    )
    with db.session() as session:
        stored = AthleteRepository(session).add(athlete)
        AthleteRepository(session).set_current(stored.id or 0)
    with db.session() as session:
        repo = AthleteRepository(session)
        again = repo.get(stored.id or 0)
        assert repo.current_id() == stored.id
    assert again == stored
    assert again is not None and again.races == athlete.races and again.units is Units.MI
    db.dispose()


def test_a_failed_unit_of_work_leaves_nothing_behind(database_url: str) -> None:
    db = Database(database_url)
    db.migrate()
    with pytest.raises(RuntimeError), db.session() as session:
        AthleteRepository(session).add(Athlete(name="Half-written"))
        raise RuntimeError("crash in the middle")
    with db.session() as session:
        assert AthleteRepository(session).all() == []
    db.dispose()


def test_a_duplicate_name_is_a_conflict(database_url: str) -> None:
    db = Database(database_url)
    db.migrate()
    with db.session() as session:
        AthleteRepository(session).add(Athlete(name="Same"))
    with pytest.raises(ConflictError), db.session() as session:
        AthleteRepository(session).add(Athlete(name="Same"))
    db.dispose()


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = Database(f"sqlite:///{tmp_path / 'm.db'}")
    db.migrate()
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    db.dispose()


def test_an_unreachable_database_is_a_clear_error() -> None:
    db = Database("postgresql+psycopg://nobody@127.0.0.1:1/none")
    with pytest.raises(MilepostError, match="could not open the database"):
        db.migrate()


def test_a_malformed_database_url_is_a_clear_error() -> None:
    with pytest.raises(MilepostError, match="database address"):
        Database("not a url")


def test_a_database_locked_past_its_busy_timeout_is_a_clear_error_and_changes_nothing(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    import sqlite3

    from milepost.errors import BusyError

    path = tmp_path / "locked.db"
    db = Database(f"sqlite:///{path}")
    db.migrate()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process is writing and does not let go
    try:
        with pytest.raises(BusyError, match="busy"), db.session() as session:
            AthleteRepository(session).add(Athlete(name="Waits"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with db.session() as session:
        assert AthleteRepository(session).all() == []
    db.dispose()
