"""The wiring: settings → database → services. Interfaces ask for a :class:`Milepost` and use it."""

from __future__ import annotations

from dataclasses import dataclass

from milepost.adapters.storage.db import Database
from milepost.config import Settings
from milepost.domain.athlete import Athlete
from milepost.services.accounts import AccountService
from milepost.services.athletes import AthleteService, BoundAthleteService
from milepost.services.clock import Clock
from milepost.services.coaching import CoachingService
from milepost.services.exports import ExportService
from milepost.services.health import HealthService
from milepost.services.logbook import LogbookService
from milepost.services.maintenance import MaintenanceService
from milepost.services.ownership import OwnershipService
from milepost.services.planning import PlanningService
from milepost.services.scheduling import SchedulingService


@dataclass
class Milepost:
    settings: Settings
    db: Database
    clock: Clock
    athletes: AthleteService
    planning: PlanningService
    exports: ExportService
    health: HealthService
    scheduling: SchedulingService
    maintenance: MaintenanceService
    ownership: OwnershipService
    logbook: LogbookService
    accounts: AccountService
    coaching: CoachingService

    def for_athlete(self, athlete: Athlete) -> Milepost:
        """The same services serving one athlete instead of the CLI's current one: the web
        app binds each request to the signed-in athlete (or the one a coach may see)."""
        return _wire(
            self.settings, self.db, self.clock, BoundAthleteService(self.db, self.clock, athlete)
        )

    def close(self) -> None:
        self.db.dispose()


def open_milepost(settings: Settings | None = None, clock: Clock | None = None) -> Milepost:
    settings = settings or Settings.from_env()
    clock = clock or Clock(fixed_today=settings.today)
    db = Database(settings.database_url)
    db.migrate()
    return _wire(settings, db, clock, AthleteService(db, clock))


def _wire(settings: Settings, db: Database, clock: Clock, athletes: AthleteService) -> Milepost:
    planning = PlanningService(db, athletes, clock)
    return Milepost(
        settings=settings,
        db=db,
        clock=clock,
        athletes=athletes,
        planning=planning,
        exports=ExportService(planning),
        health=HealthService(db, athletes, planning, clock),
        scheduling=SchedulingService(db, athletes, planning),
        maintenance=MaintenanceService(db),
        ownership=OwnershipService(db, athletes),
        logbook=LogbookService(db, athletes, planning, clock),
        accounts=AccountService(db, clock),
        coaching=CoachingService(
            db, clock, lambda a: PlanningService(db, BoundAthleteService(db, clock, a), clock)
        ),
    )
