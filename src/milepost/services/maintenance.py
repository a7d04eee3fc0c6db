"""Keeping a training history safe: online backups and integrity checks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import text

from milepost.adapters.storage.db import Database
from milepost.errors import InputError


class MaintenanceService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def backup(self, destination: Path) -> int:
        """Copy the SQLite database while it is in use (SQLite's online backup API), to a new
        file that is renamed into place only when complete. Returns its size in bytes."""
        if self.db.dialect != "sqlite":
            raise InputError(
                "milepost backup copies SQLite databases",
                hint="for PostgreSQL use pg_dump (see docs/operations.md)",
            )
        target = destination.expanduser()
        if target.exists():
            raise InputError(f"{target} already exists", hint="choose a new file name")
        if not target.parent.is_dir():
            raise InputError(f"the folder {target.parent} does not exist")
        partial = target.with_name(f".{target.name}.partial")
        raw = self.db.engine.raw_connection()
        try:
            source = raw.driver_connection
            assert isinstance(source, sqlite3.Connection)
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy, pages=256)
            finally:
                copy.close()
            partial.replace(target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        finally:
            raw.close()
        return target.stat().st_size

    def check(self) -> list[str]:
        """Problems the database reports about itself; an empty list when all is well."""
        with self.db.engine.connect() as conn:
            if self.db.dialect == "sqlite":
                rows = [r[0] for r in conn.execute(text("PRAGMA integrity_check"))]
                problems = [r for r in rows if r != "ok"]
                problems += [
                    f"foreign key broken in {r[0]} row {r[1]}"
                    for r in conn.execute(text("PRAGMA foreign_key_check"))
                ]
                return problems
            conn.execute(text("SELECT 1"))
            return []
