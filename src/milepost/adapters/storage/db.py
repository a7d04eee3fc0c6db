"""The database: engine, sessions, and migrations that run on first use.

SQLite is tuned for a single-user app that a web server may also open: WAL journal, foreign keys
on, and a busy timeout. PostgreSQL runs the same schema through the same migrations.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DataError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from milepost.adapters.storage.versioning import bump_inputs_version
from milepost.errors import BusyError, ConflictError, InputError, MilepostError

MIGRATIONS = Path(__file__).with_name("migrations")


class Database:
    def __init__(self, url: str) -> None:
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise MilepostError(
                f"could not read the database address '{url}'",
                hint="MILEPOST_DATABASE_URL looks like postgresql+psycopg://user@host:5432/name",
            ) from exc
        self.url = parsed
        kwargs: dict[str, Any] = {}
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(parsed, **kwargs)
        if parsed.get_backend_name() == "sqlite":
            event.listen(self.engine, "connect", _tune_sqlite)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Writes to a plan's inputs bump the athlete's inputs version (the read model's key).
        event.listen(self._sessions, "after_flush", bump_inputs_version)

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    def _alembic_config(self) -> Config:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        return config

    def migrate(self) -> None:
        """Bring the schema to the newest revision; cheap when it is already there."""
        config = self._alembic_config()
        # Heads, not head: migrations written side by side may branch before they are merged.
        heads = set(ScriptDirectory.from_config(config).get_heads())
        try:
            with self.engine.begin() as connection:
                current = set(MigrationContext.configure(connection).get_current_heads())
                if current != heads:
                    config.attributes["connection"] = connection
                    command.upgrade(config, "heads")
        except OperationalError as exc:
            raise MilepostError(
                f"could not open the database at {self.url.render_as_string(hide_password=True)}",
                hint=f"{exc.orig}".strip() or None,
            ) from exc

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except IntegrityError as exc:
            session.rollback()
            raise ConflictError("that clashes with what is already stored") from exc
        except (DataError, OverflowError) as exc:
            # A value the database cannot hold: text too long or with a NUL for PostgreSQL, a
            # number past its column (SQLite raises OverflowError itself, before any SQL). The
            # boundaries check their limits first (milepost.bounds); this is the net under them.
            session.rollback()
            raise InputError(
                "a value is too long or too large to store", hint=_data_hint(exc)
            ) from exc
        except OperationalError as exc:
            session.rollback()
            if "locked" in str(exc.orig).lower() or "busy" in str(exc.orig).lower():
                raise BusyError(
                    "the database is busy right now; nothing was changed",
                    hint="try again in a moment",
                ) from exc
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def _data_hint(exc: Exception) -> str:
    """The database's own words, first line only (they never hold the value itself)."""
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return (detail[0][:200] if detail else "") or "shorten the text or use a smaller number"


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
