"""Making a race plan, showing it, and finding today's session."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from milepost.adapters.storage.db import Database
from milepost.adapters.storage.repositories import PlanRepository, StoredRevision
from milepost.domain.athlete import Athlete, RaceResult
from milepost.domain.plan.generate import generate_plan
from milepost.domain.plan.model import Day, Plan, Week
from milepost.domain.plan.request import PlanRequest
from milepost.domain.plan.serialize import plan_from_dict, plan_to_dict, request_to_dict
from milepost.errors import InputError, NotFoundError
from milepost.services.athletes import AthleteService
from milepost.services.clock import Clock

NO_PLAN_HINT = "make one with: milepost plan new --race half --race-date YYYY-MM-DD --weekly-km 40"


@dataclass(frozen=True)
class CurrentPlan:
    athlete: Athlete
    plan_id: int
    plan: Plan
    revisions: tuple[StoredRevision, ...]
    today: date


@dataclass(frozen=True)
class Today:
    athlete: Athlete
    plan: Plan
    date: date
    week: Week | None
    day: Day | None


class PlanningService:
    def __init__(self, db: Database, athletes: AthleteService, clock: Clock) -> None:
        self.db = db
        self.athletes = athletes
        self.clock = clock

    def create(
        self,
        request: PlanRequest,
        *,
        recent: RaceResult | None = None,
        vdot: float | None = None,
    ) -> CurrentPlan:
        """Generate and store a plan for the current athlete.

        Fitness comes from ``vdot``, else ``recent``, else the athlete's latest race; the
        request's own ``vdot`` is ignored.
        """
        athlete = self.athletes.current()
        today = self.clock.today(athlete.timezone)
        fitness = vdot or (recent.vdot if recent else None) or athlete.current_vdot()
        if fitness is None:
            raise InputError(
                "milepost needs your current fitness to set the paces",
                hint="add a recent race (--recent 5k=22:30) or a VDOT (--vdot 45)",
            )
        request = replace(
            request, vdot=round(fitness, 2), units=request.units or athlete.units.value
        )
        plan = generate_plan(request, today)
        with self.db.session() as session:
            stored = PlanRepository(session).add(
                athlete.id or 0, request_to_dict(request), plan_to_dict(plan), "plan created"
            )
        return CurrentPlan(athlete, stored.id, plan, stored.revisions, today)

    def current(self) -> CurrentPlan:
        athlete = self.athletes.current()
        with self.db.session() as session:
            stored = PlanRepository(session).active_for(athlete.id or 0)
        if stored is None:
            raise NotFoundError(f"{athlete.name} has no plan yet", hint=NO_PLAN_HINT)
        plan = plan_from_dict(stored.latest.body)
        return CurrentPlan(
            athlete, stored.id, plan, stored.revisions, self.clock.today(athlete.timezone)
        )

    def today(self, on: date | None = None) -> Today:
        current = self.current()
        when = on or current.today
        return Today(
            current.athlete, current.plan, when, current.plan.week_of(when), current.plan.day(when)
        )
