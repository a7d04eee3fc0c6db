"""Settings, read once from the environment.

``MILEPOST_HOME`` (default: the platform's user data directory) holds ``milepost.db``;
``MILEPOST_DATABASE_URL`` (e.g. ``postgresql+psycopg://user@host/db``) overrides the database;
``MILEPOST_TODAY`` (YYYY-MM-DD) pretends today is that date, for demos and tests.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import platformdirs

from milepost.errors import MilepostError


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str
    debug: bool = False
    today: date | None = None

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        home = Path(env.get("MILEPOST_HOME") or platformdirs.user_data_dir("milepost"))
        url = env.get("MILEPOST_DATABASE_URL") or f"sqlite:///{home / 'milepost.db'}"
        today_text = env.get("MILEPOST_TODAY")
        try:
            today = date.fromisoformat(today_text) if today_text else None
        except ValueError as exc:
            raise MilepostError(
                f"MILEPOST_TODAY='{today_text}' is not a date", hint="use YYYY-MM-DD"
            ) from exc
        return cls(home=home, database_url=url, debug=bool(env.get("MILEPOST_DEBUG")), today=today)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
