"""Opening the database: migrations still run when they must, and Alembic is not even imported
when the stored revisions already are the heads (every CLI command opens the database)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from milepost.adapters.storage.db import Database, declared_heads


def test_the_heads_read_from_the_scripts_are_the_heads_alembic_finds() -> None:
    config = Database("sqlite://")._alembic_config()
    assert declared_heads() == set(ScriptDirectory.from_config(config).get_heads())


def test_a_database_behind_the_scripts_is_still_brought_to_the_heads(database_url: str) -> None:
    db = Database(database_url)
    try:
        config = db._alembic_config()
        with db.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0001")
        db.migrate()
        with db.engine.connect() as connection:
            stored = set(
                connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
            )
            tables = set(inspect(connection).get_table_names())
        assert stored == declared_heads()
        assert {"plans", "episodes", "activities"} <= tables
    finally:
        db.dispose()


def test_a_database_at_its_heads_opens_without_importing_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'milepost.db'}"
    first = Database(url)
    first.migrate()  # creates it: Alembic's path
    first.dispose()
    script = (
        "import json, sys\n"
        "from milepost.adapters.storage.db import Database\n"
        f"db = Database({url!r})\n"
        "db.migrate()\n"
        "db.dispose()\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
