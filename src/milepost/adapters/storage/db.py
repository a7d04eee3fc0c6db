"""The database: engine, sessions, and migrations that run on first use.

SQLite is tuned for a single-user app that a web server may also open: WAL journal, foreign keys
on, and a busy timeout. PostgreSQL runs the same schema through the same migrations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DataError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from milepost.adapters.storage.versioning import bump_inputs_version
from milepost.errors import BusyError, ConflictError, InputError, MilepostError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
_REVISION = re.compile(r"""^revision\s*=\s*["']([^"']+)["']\s*$""", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\s*=\s*(.+)$", re.MULTILINE)
_QUOTED = re.compile(r"""["']([^"']+)["']""")


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
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        return config

    def migrate(self) -> None:
        """Bring the schema to the newest revision; cheap when it is already there.

        Every CLI command opens the database, and importing Alembic costs more than the rest of
        a quick command: when the stored revisions already are the heads the scripts declare,
        Alembic is not imported at all (issue #16)."""
        if self._at_declared_heads():
            return
        from alembic import command
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

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

    def _at_declared_heads(self) -> bool:
        heads = declared_heads()
        if heads is None:
            return False
        try:
            with self.engine.connect() as connection:
                stored = connection.execute(text("SELECT version_num FROM alembic_version"))
                return set(stored.scalars()) == heads
        except DBAPIError:
            return False  # no version table yet, or no database: Alembic's path says which

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


def declared_heads() -> set[str] | None:
    """The heads of the migration graph, read from each script's ``revision`` and
    ``down_revision`` lines without importing Alembic; None when a script does not say them in
    that plain form (then Alembic reads the scripts). A test checks this against Alembic's own
    answer."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision = _REVISION.findall(source)
        down = _DOWN_REVISION.findall(source)
        if len(revision) != 1 or len(down) != 1:
            return None
        revisions.add(revision[0])
        parents.update(_QUOTED.findall(down[0]))  # None, "0007", or ("0008_a", "0008_b")
    return (revisions - parents) or None


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
