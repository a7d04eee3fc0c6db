"""The wiring: settings → database → services. Interfaces ask for a :class:`Milepost` and use it.

Each service is built (and its module imported) the first time it is asked for: a command that
lists athletes does not load the scheduling solver, the PDF writer or the importers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from milepost.adapters.storage.db import Database
from milepost.config import Settings
from milepost.services.athletes import AthleteService, BoundAthleteService
from milepost.services.clock import Clock

if TYPE_CHECKING:
    from milepost.domain.athlete import Athlete
    from milepost.services.accounts import AccountService
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

    @cached_property
    def planning(self) -> PlanningService:
        from milepost.services.planning import PlanningService

        return PlanningService(self.db, self.athletes, self.clock)

    @cached_property
    def exports(self) -> ExportService:
        from milepost.services.exports import ExportService

        return ExportService(self.planning)

    @cached_property
    def health(self) -> HealthService:
        from milepost.services.health import HealthService

        return HealthService(self.db, self.athletes, self.planning, self.clock)

    @cached_property
    def scheduling(self) -> SchedulingService:
        from milepost.services.scheduling import SchedulingService

        return SchedulingService(self.db, self.athletes, self.planning)

    @cached_property
    def maintenance(self) -> MaintenanceService:
        from milepost.services.maintenance import MaintenanceService

        return MaintenanceService(self.db)

    @cached_property
    def ownership(self) -> OwnershipService:
        from milepost.services.ownership import OwnershipService

        return OwnershipService(self.db, self.athletes)

    @cached_property
    def logbook(self) -> LogbookService:
        from milepost.services.logbook import LogbookService

        return LogbookService(self.db, self.athletes, self.planning, self.clock)

    @cached_property
    def accounts(self) -> AccountService:
        from milepost.services.accounts import AccountService

        return AccountService(self.db, self.clock)

    @cached_property
    def coaching(self) -> CoachingService:
        from milepost.services.coaching import CoachingService
        from milepost.services.planning import PlanningService

        db, clock = self.db, self.clock
        return CoachingService(
            db,
            clock,
            lambda a: PlanningService(db, BoundAthleteService(db, clock, a), clock),
            lambda a: self.for_athlete(a).logbook,
        )

    def for_athlete(self, athlete: Athlete) -> Milepost:
        """The same services serving one athlete instead of the CLI's current one: the web
        app binds each request to the signed-in athlete (or the one a coach may see)."""
        return Milepost(
            self.settings, self.db, self.clock, BoundAthleteService(self.db, self.clock, athlete)
        )

    def close(self) -> None:
        self.db.dispose()


def open_milepost(settings: Settings | None = None, clock: Clock | None = None) -> Milepost:
    settings = settings or Settings.from_env()
    clock = clock or Clock(fixed_today=settings.today)
    db = Database(settings.database_url)
    db.migrate()
    return Milepost(settings, db, clock, AthleteService(db, clock))
