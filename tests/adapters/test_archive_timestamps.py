"""Moving an athlete from SQLite to PostgreSQL keeps every instant (issue 19, item 7).

SQLite hands timestamps back without their zone; the export used to write them so, and a
PostgreSQL server whose zone is not UTC then read them in its own zone, shifting every
timestamp by its offset. Exports now carry the offset, and a value without one is read as UTC.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from milepost.adapters.storage.archive import dump_athlete, load_athlete
from milepost.adapters.storage.db import Database
from milepost.adapters.storage.repositories import AthleteRepository
from milepost.adapters.storage.tables import AthleteRow
from milepost.domain.athlete import Athlete

# Far from UTC, and not a whole hour, so a shift cannot hide in a rounding.
SERVER_ZONE = "Asia/Kolkata"


def _sqlite_athlete(tmp_path: Path) -> tuple[bytes, datetime]:
    source = Database(f"sqlite:///{tmp_path / 'source.db'}")
    source.migrate()
    with source.session() as session:
        stored = AthleteRepository(session).add(Athlete(name="Maya", timezone="Europe/London"))
        row = session.get(AthleteRow, stored.id)
        assert row is not None
        created = row.created_at
        data = dump_athlete(session, stored.id or 0)
    source.dispose()
    # SQLite's value has no zone; it was written as UTC.
    assert created.tzinfo is None
    return data, created.replace(tzinfo=UTC)


def _load_on_postgres_in_another_zone(url: str, data: bytes, rename: str) -> datetime:
    Database(url).migrate()
    engine = create_engine(url, connect_args={"options": f"-c timezone={SERVER_ZONE}"})
    try:
        with Session(engine) as session, session.begin():
            new_id = load_athlete(session, data, rename=rename)
        with Session(engine) as session:
            created = session.scalar(select(AthleteRow.created_at).where(AthleteRow.id == new_id))
    finally:
        engine.dispose()
    assert created is not None
    return created


def _without_offsets(data: bytes) -> bytes:
    """The same archive as an older milepost wrote it: timestamps without an offset."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(members["data.json"])
    for rows in manifest["tables"].values():
        for row in rows:
            for value in row.values():
                if isinstance(value, dict) and value.get("$milepost") == "datetime":
                    value["v"] = datetime.fromisoformat(value["v"]).replace(tzinfo=None).isoformat()
    members["data.json"] = json.dumps(manifest).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_an_export_writes_every_timestamp_with_its_offset(tmp_path: Path) -> None:
    data, created = _sqlite_athlete(tmp_path)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        row = json.loads(archive.read("data.json"))["tables"]["athletes"][0]
    written = datetime.fromisoformat(row["created_at"]["v"])
    assert written.utcoffset() is not None
    assert written == created


@pytest.mark.postgres
def test_sqlite_to_postgresql_keeps_every_instant_whatever_the_servers_zone(
    tmp_path: Path, postgres_url: str
) -> None:
    data, created = _sqlite_athlete(tmp_path)
    moved = _load_on_postgres_in_another_zone(postgres_url, data, "Maya (moved)")
    assert moved == created


@pytest.mark.postgres
def test_an_older_export_without_offsets_is_read_as_utc(tmp_path: Path, postgres_url: str) -> None:
    data, created = _sqlite_athlete(tmp_path)
    moved = _load_on_postgres_in_another_zone(
        postgres_url, _without_offsets(data), "Maya (from an older export)"
    )
    assert moved == created


def test_postgresql_to_sqlite_keeps_the_instant_when_the_export_has_an_offset(
    tmp_path: Path,
) -> None:
    """An export from a server in another zone names that zone; SQLite keeps the UTC instant."""
    data, created = _sqlite_athlete(tmp_path)
    # The same archive, with each value written at +05:30 as that server would.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read("data.json"))
        blobs = {n: archive.read(n) for n in archive.namelist() if n != "data.json"}
    for rows in manifest["tables"].values():
        for row in rows:
            for value in row.values():
                if isinstance(value, dict) and value.get("$milepost") == "datetime":
                    instant = datetime.fromisoformat(value["v"])
                    value["v"] = instant.astimezone(ZoneInfo(SERVER_ZONE)).isoformat()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.json", json.dumps(manifest))
        for name, content in blobs.items():
            archive.writestr(name, content)
    target = Database(f"sqlite:///{tmp_path / 'target.db'}")
    target.migrate()
    with target.session() as session:
        new_id = load_athlete(session, buffer.getvalue(), rename="Maya (back)")
    with target.session() as session:
        row = session.get(AthleteRow, new_id)
        assert row is not None
        assert row.created_at.replace(tzinfo=UTC) == created
    target.dispose()
