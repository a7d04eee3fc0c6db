"""Settings, read once from the environment.

``MILEPOST_HOME`` (default: the platform's user data directory) holds ``milepost.db``;
``MILEPOST_DATABASE_URL`` (e.g. ``postgresql+psycopg://user@host/db``) overrides the database.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str
    debug: bool = False

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        home = Path(env.get("MILEPOST_HOME") or platformdirs.user_data_dir("milepost"))
        url = env.get("MILEPOST_DATABASE_URL") or f"sqlite:///{home / 'milepost.db'}"
        return cls(home=home, database_url=url, debug=bool(env.get("MILEPOST_DEBUG")))

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
