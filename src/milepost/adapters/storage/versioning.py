"""Every write to an input the plan is derived from bumps the athlete's ``inputs_version``.

The read model (services/planning.py) re-derives a plan when its stored derivation was made from
another version or for another day. Bumping here, in one flush hook, means no write path can
forget it: episodes, check-ins, edits, hours and feeds, activities, races, the profile, a new
plan. Bulk ``delete()`` statements bypass the hook; the repositories delete inputs row by row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, update
from sqlalchemy.orm import Session

from milepost.adapters.storage.tables import (
    ActivityRow,
    AthleteRow,
    CheckInRow,
    EditRow,
    EpisodeRow,
    LifeScheduleRow,
    PlanRow,
    RaceResultRow,
)

_BY_ATHLETE = (ActivityRow, CheckInRow, EpisodeRow, LifeScheduleRow, PlanRow, RaceResultRow)
_PROFILE = ("timezone", "units", "birth_date", "sex", "weight_kg", "breastfeeding")


def _athlete_of(session: Session, obj: Any) -> int | None:
    if isinstance(obj, _BY_ATHLETE):
        return int(obj.athlete_id)
    if isinstance(obj, EditRow):
        plan = session.get(PlanRow, obj.plan_id)
        return plan.athlete_id if plan is not None else None
    return None


def bump_inputs_version(session: Session, _context: Any) -> None:
    """``after_flush``: one UPDATE for the athletes whose inputs this flush changed."""
    athletes: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, AthleteRow):
            if obj.id is not None and any(_changed(obj, name) for name in _PROFILE):
                athletes.add(obj.id)
            continue
        found = _athlete_of(session, obj)
        if found is not None:
            athletes.add(found)
    if athletes:
        session.connection().execute(
            update(AthleteRow)
            .where(AthleteRow.id.in_(athletes))
            .values(inputs_version=AthleteRow.inputs_version + 1)
            .execution_options(synchronize_session=False)
        )


def _changed(obj: AthleteRow, name: str) -> bool:
    history = inspect(obj).attrs[name].history
    return bool(history.added or history.deleted)
