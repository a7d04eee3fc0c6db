"""When the runner can train: windows, exceptions and feeds; and the plan placed in them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from typing import Any

from milepost.adapters.storage.db import Database
from milepost.adapters.storage.repositories import LifeScheduleRepository
from milepost.domain.availability import (
    Availability,
    ExtraWindow,
    FeedSchedule,
    Unavailable,
    Window,
)
from milepost.errors import InputError
from milepost.services.athletes import AthleteService
from milepost.services.planning import PlanningService, Replan

EMPTY = Availability(windows=())


@dataclass(frozen=True)
class ScheduleSummary:
    """What placing a revision in the runner's hours did, for the screen after a change."""

    placed: int  # sessions given a start time
    since: date | None  # the first day placed; None when the plan is not placed (no windows)
    notes: tuple[tuple[date, str], ...]  # each move or drop the scheduler explains


def schedule_summary(body: dict[str, Any]) -> ScheduleSummary:
    days = [day for week in body["weeks"] for day in week["days"]]
    placed = sum(1 for day in days for s in day["sessions"] if s.get("start"))
    since = body.get("schedule", {}).get("from")
    notes = tuple(
        (date.fromisoformat(day["date"]), note["text"])
        for day in days
        for note in day.get("schedule_notes", [])
    )
    return ScheduleSummary(placed, date.fromisoformat(since) if since else None, notes)


class SchedulingService:
    def __init__(self, db: Database, athletes: AthleteService, planning: PlanningService) -> None:
        self.db = db
        self.athletes = athletes
        self.planning = planning

    def settings(self) -> tuple[Availability, FeedSchedule | None]:
        athlete = self.athletes.current()
        with self.db.session() as session:
            found = LifeScheduleRepository(session).get(athlete.id or 0)
        return found or (EMPTY, None)

    def _save(
        self, availability: Availability, feeds: FeedSchedule | None, reason: str
    ) -> Replan | None:
        athlete = self.athletes.current()
        with self.db.session() as session:
            LifeScheduleRepository(session).put(athlete.id or 0, availability, feeds)
        return self.planning.replan(reason=reason, apply=True)

    def set_windows(
        self, windows: tuple[Window, ...], buffer_s: float | None = None
    ) -> Replan | None:
        if not windows:
            raise InputError("give at least one window", hint='e.g. "mon-fri 05:30-07:00"')
        availability, feeds = self.settings()
        availability = replace(
            availability,
            windows=windows,
            buffer_s=availability.buffer_s if buffer_s is None else buffer_s,
        )
        return self._save(availability, feeds, "availability changed")

    def add_unavailable(self, first: date, last: date, reason: str) -> Replan | None:
        availability, feeds = self.settings()
        if last < first:
            raise InputError("the range ends before it starts")
        if (last - first) > timedelta(days=60):
            raise InputError(
                "that is more than two months",
                hint="for a long break, log an episode instead (milepost episode add …)",
            )
        availability = replace(
            availability, unavailable=(*availability.unavailable, Unavailable(first, last, reason))
        )
        return self._save(availability, feeds, f"unavailable {first.isoformat()}: {reason}")

    def add_window(self, on: date, start: time, end: time) -> Replan | None:
        availability, feeds = self.settings()
        availability = replace(
            availability, extra=(*availability.extra, ExtraWindow(on, start, end))
        )
        return self._save(availability, feeds, f"extra window on {on.isoformat()}")

    def clear_exceptions(self) -> Replan | None:
        availability, feeds = self.settings()
        return self._save(
            replace(availability, unavailable=(), extra=()), feeds, "exceptions cleared"
        )

    def set_feeds(self, feeds: FeedSchedule | None) -> Replan | None:
        availability, _ = self.settings()
        return self._save(
            availability, feeds, "feeding schedule set" if feeds else "feeding schedule cleared"
        )
