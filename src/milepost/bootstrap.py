"""The wiring: settings → database → services. Interfaces ask for a :class:`Milepost` and use it."""

from __future__ import annotations

from dataclasses import dataclass

from milepost.adapters.storage.db import Database
from milepost.config import Settings
from milepost.services.athletes import AthleteService
from milepost.services.clock import Clock
from milepost.services.exports import ExportService
from milepost.services.planning import PlanningService


@dataclass
class Milepost:
    settings: Settings
    db: Database
    clock: Clock
    athletes: AthleteService
    planning: PlanningService
    exports: ExportService

    def close(self) -> None:
        self.db.dispose()


def open_milepost(settings: Settings | None = None, clock: Clock | None = None) -> Milepost:
    settings = settings or Settings.from_env()
    clock = clock or Clock(fixed_today=settings.today)
    db = Database(settings.database_url)
    db.migrate()
    athletes = AthleteService(db, clock)
    planning = PlanningService(db, athletes, clock)
    return Milepost(
        settings=settings,
        db=db,
        clock=clock,
        athletes=athletes,
        planning=planning,
        exports=ExportService(planning),
    )
