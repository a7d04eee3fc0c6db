"""Repositories: turn rows into domain objects and back. One class per aggregate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from milepost.adapters.storage.tables import (
    AthleteRow,
    PlanRevisionRow,
    PlanRow,
    PreferenceRow,
    RaceResultRow,
)
from milepost.domain.athlete import Athlete, RaceResult, Sex
from milepost.domain.units import Units

CURRENT_ATHLETE_KEY = "current_athlete_id"


def _to_athlete(row: AthleteRow) -> Athlete:
    return Athlete(
        id=row.id,
        name=row.name,
        timezone=row.timezone,
        units=Units(row.units),
        birth_date=row.birth_date,
        sex=Sex(row.sex) if row.sex else None,
        weight_kg=row.weight_kg,
        races=tuple(RaceResult(r.distance_m, r.time_s, r.on) for r in row.races),
    )


class AthleteRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, athlete: Athlete) -> Athlete:
        row = AthleteRow(
            name=athlete.name,
            timezone=athlete.timezone,
            units=athlete.units.value,
            birth_date=athlete.birth_date,
            sex=athlete.sex.value if athlete.sex else None,
            weight_kg=athlete.weight_kg,
            created_at=datetime.now(UTC),
            races=[
                RaceResultRow(distance_m=r.distance_m, time_s=r.time_s, on=r.on)
                for r in athlete.races
            ],
        )
        self.session.add(row)
        self.session.flush()
        return _to_athlete(row)

    def get(self, athlete_id: int) -> Athlete | None:
        row = self.session.get(AthleteRow, athlete_id)
        return _to_athlete(row) if row else None

    def by_name(self, name: str) -> Athlete | None:
        row = self.session.scalar(select(AthleteRow).where(AthleteRow.name == name))
        return _to_athlete(row) if row else None

    def all(self) -> list[Athlete]:
        return [
            _to_athlete(r) for r in self.session.scalars(select(AthleteRow).order_by(AthleteRow.id))
        ]

    def current_id(self) -> int | None:
        row = self.session.get(PreferenceRow, CURRENT_ATHLETE_KEY)
        return int(row.value) if row else None

    def set_current(self, athlete_id: int) -> None:
        self.session.merge(PreferenceRow(key=CURRENT_ATHLETE_KEY, value=str(athlete_id)))


@dataclass(frozen=True)
class StoredRevision:
    id: int
    created_at: datetime
    reason: str
    body: dict[str, Any]
    changes: list[Any]


@dataclass(frozen=True)
class StoredPlan:
    id: int
    athlete_id: int
    request: dict[str, Any]
    revisions: tuple[StoredRevision, ...]

    @property
    def latest(self) -> StoredRevision:
        return self.revisions[-1]


def _aware(moment: datetime) -> datetime:
    """SQLite hands timestamps back without their zone; everything is stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _to_stored_plan(row: PlanRow) -> StoredPlan:
    return StoredPlan(
        id=row.id,
        athlete_id=row.athlete_id,
        request=row.request,
        revisions=tuple(
            StoredRevision(r.id, _aware(r.created_at), r.reason, r.body, list(r.changes))
            for r in row.revisions
        ),
    )


class PlanRepository:
    """Plans are requests plus the revisions that were shown; one active plan per athlete."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self, athlete_id: int, request: dict[str, Any], body: dict[str, Any], reason: str
    ) -> StoredPlan:
        for old in self.session.scalars(
            select(PlanRow).where(PlanRow.athlete_id == athlete_id, PlanRow.active.is_(True))
        ):
            old.active = False
        now = datetime.now(UTC)
        row = PlanRow(athlete_id=athlete_id, request=request, active=True, created_at=now)
        row.revisions.append(PlanRevisionRow(created_at=now, reason=reason, body=body, changes=[]))
        self.session.add(row)
        self.session.flush()
        return _to_stored_plan(row)

    def add_revision(
        self, plan_id: int, body: dict[str, Any], reason: str, changes: list[Any]
    ) -> StoredRevision:
        row = PlanRevisionRow(
            plan_id=plan_id, created_at=datetime.now(UTC), reason=reason, body=body, changes=changes
        )
        self.session.add(row)
        self.session.flush()
        return StoredRevision(row.id, _aware(row.created_at), reason, body, changes)

    def active_for(self, athlete_id: int) -> StoredPlan | None:
        row = self.session.scalar(
            select(PlanRow)
            .where(PlanRow.athlete_id == athlete_id, PlanRow.active.is_(True))
            .order_by(PlanRow.id.desc())
        )
        return _to_stored_plan(row) if row else None
