"""The plan leaves milepost: a calendar feed, a printable PDF, a workout for the watch."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from milepost.adapters.exporters.fit_workout import running_session, session_to_fit_workout
from milepost.adapters.exporters.ical import busy_ical, plan_to_ical
from milepost.adapters.exporters.pdf import plan_to_pdf
from milepost.domain.units import Units
from milepost.errors import InputError
from milepost.services.planning import PlanningService


def scheduled_times(body: dict[str, Any]) -> dict[tuple[date, int], tuple[datetime, datetime]]:
    """The start and end the scheduler gave each session of the stored revision."""
    out = {}
    for week in body["weeks"]:
        for day in week["days"]:
            on = date.fromisoformat(day["date"])
            for index, session in enumerate(day["sessions"]):
                if session.get("start") and session.get("end"):
                    out[(on, index)] = (
                        datetime.fromisoformat(session["start"]),
                        datetime.fromisoformat(session["end"]),
                    )
    return out


class ExportService:
    def __init__(self, planning: PlanningService) -> None:
        self.planning = planning

    def ical(self, *, busy_only: bool = False, health: bool = True) -> bytes:
        """The plan as iCal; ``health=False`` for calendars others read (redact.py)."""
        current = self.planning.view(health=health)
        export = busy_ical if busy_only else plan_to_ical
        return export(
            current.plan,
            athlete_name=current.athlete.name,
            plan_id=str(current.plan_id),
            timezone=current.athlete.timezone,
            scheduled=scheduled_times(current.body),
            revision=self.planning.revision_count(current.plan_id) - 1,
            revised_at=current.latest.created_at,
        )

    def pdf(self, *, paper: str = "a4", health: bool = True) -> bytes:
        if paper not in ("a4", "letter"):
            raise InputError(f"'{paper}' is not a paper size", hint="use a4 or letter")
        current = self.planning.view(health=health)
        return plan_to_pdf(
            current.plan,
            athlete_name=current.athlete.name,
            units=Units(current.plan.units),
            paper=paper,
        )

    def workout(self, on: date) -> bytes:
        current = self.planning.current()
        day = current.plan.day(on)
        if day is None:
            raise InputError(
                f"{on.isoformat()} is not in the plan",
                hint=f"the plan runs {current.plan.starts} to {current.plan.race.date}",
            )
        session = running_session(day)
        return session_to_fit_workout(session, name=session.title, units=Units(current.plan.units))
