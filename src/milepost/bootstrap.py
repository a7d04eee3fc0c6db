"""The wiring: settings → database → services. Interfaces ask for a :class:`Milepost` and use it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from milepost.adapters.storage.db import Database
from milepost.config import Settings
from milepost.services.athletes import AthleteService


@dataclass
class Milepost:
    settings: Settings
    db: Database
    athletes: AthleteService

    def close(self) -> None:
        self.db.dispose()


def open_milepost(
    settings: Settings | None = None, today: Callable[[], date] = date.today
) -> Milepost:
    settings = settings or Settings.from_env()
    db = Database(settings.database_url)
    db.migrate()
    return Milepost(settings=settings, db=db, athletes=AthleteService(db, today))
