"""When the runner can train: windows, exceptions and feeds; and the plan placed in them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from typing import Any

from milepost.adapters.storage.db import Database
from milepost.adapters.storage.repositories import (
    HealthRepository,
    LifeScheduleRepository,
    PlanRepository,
)
from milepost.domain.availability import (
    Availability,
    ExtraWindow,
    FeedSchedule,
    Unavailable,
    Window,
    race_morning_feed,
)
from milepost.domain.plan.serialize import request_from_dict
from milepost.domain.schedule import schedule
from milepost.domain.schedule.preview import (
    Loss,
    WeekVolume,
    biggest_losses,
    every_window_collides,
    feed_collisions,
    volume_by_week,
)
from milepost.domain.schedule.proposals import Proposal, apply_proposal, key_losses, propose
from milepost.domain.schedule.slots import session_minutes
from milepost.errors import InputError
from milepost.services.athletes import AthleteService
from milepost.services.planning import PlanningService, Replan
from milepost.services.timing import WEEKS, placing_inputs

SHORTEST_RUN_MIN = 20  # what a window must hold at least when the plan has no runs left

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


@dataclass(frozen=True)
class Effect:
    """What given hours and feeds would do to the plan, before anything is saved."""

    weeks: tuple[WeekVolume, ...]  # placed volume against the plan, from today's week
    losses: tuple[Loss, ...]  # the biggest, by name
    collisions: tuple[str, ...]  # windows feeds leave no run in
    impossible: bool  # no window of the week holds a run: refused unless she insists
    key_lost: int  # long runs and quality cut or dropped
    proposals: tuple[Proposal, ...] = ()

    @property
    def short_weeks(self) -> tuple[WeekVolume, ...]:
        """The weeks that lose at least a kilometre."""
        return tuple(w for w in self.weeks if w.lost_m >= 1000)


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
        today = self.planning.clock.today(athlete.timezone)
        # The hours and the revision they lead to commit together, or neither does.
        with self.db.session() as session:
            LifeScheduleRepository(session).put(athlete.id or 0, availability, feeds)
            return self.planning.replan_in(session, athlete, today, reason=reason, apply=True)

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

    def set_feeds(self, feeds: FeedSchedule | None, *, anyway: bool = False) -> Replan | None:
        """Save the feeding schedule. Feeds that leave no window of the week a run are refused
        (with the windows they collide with) unless ``anyway``."""
        availability, _ = self.settings()
        if not anyway:
            self._refuse_impossible(availability, feeds)
        return self._save(
            availability, feeds, "feeding schedule set" if feeds else "feeding schedule cleared"
        )

    def set_race_start(self, start: time | None) -> Replan | None:
        """The race's start on race morning (None: placed like any session)."""
        availability, feeds = self.settings()
        if start is not None and feeds is not None:
            race_morning_feed(start, feeds)  # refuses a start that leaves no time to feed
        reason = f"race start {start:%H:%M}" if start else "race start cleared"
        return self._save(replace(availability, race_start=start), feeds, reason)

    # ── Seeing the effect first, and the family's proposals ────────────────────────────────

    def preview_windows(self, windows: tuple[Window, ...], buffer_s: float | None = None) -> Effect:
        availability, feeds = self.settings()
        availability = replace(
            availability,
            windows=windows,
            buffer_s=availability.buffer_s if buffer_s is None else buffer_s,
        )
        return self.effect(availability, feeds)

    def preview_feeds(self, feeds: FeedSchedule | None) -> Effect:
        availability, _ = self.settings()
        return self.effect(availability, feeds)

    def effect(
        self,
        availability: Availability | None = None,
        feeds: FeedSchedule | bool | None = True,
        *,
        with_proposals: bool = False,
    ) -> Effect:
        """What ``availability`` and ``feeds`` (default: those on file; ``feeds=True`` means
        the feeds on file) do to the current plan. Saves nothing."""
        saved_availability, saved_feeds = self.settings()
        availability = availability or saved_availability
        chosen: FeedSchedule | None = saved_feeds if feeds is True else feeds or None
        inputs = self._inputs(availability)
        if inputs is None or not availability.windows:
            return Effect(
                (),
                (),
                tuple(feed_collisions(availability, chosen, SHORTEST_RUN_MIN)),
                every_window_collides(availability, chosen, SHORTEST_RUN_MIN),
                0,
            )
        days, pins, options, timezone = inputs
        # A window "collides" when it cannot hold even the plan's shortest run (at most an hour).
        runs = [session_minutes(s) for d in days for s in d.sessions if s.is_run]
        shortest = min([*runs, 60])
        collisions = tuple(feed_collisions(availability, chosen, shortest))
        zoned = replace(availability, tz=timezone)
        result = schedule(days, zoned, chosen, pins, timezone, options=options, cache=WEEKS)
        proposals: tuple[Proposal, ...] = ()
        if with_proposals:
            proposals = tuple(
                propose(
                    days, zoned, chosen, pins, timezone, options=options, cache=WEEKS, result=result
                )
            )
        return Effect(
            tuple(volume_by_week(days, result)),
            tuple(biggest_losses(days, result)),
            collisions,
            every_window_collides(availability, chosen, shortest),
            len(key_losses(days, result)),
            proposals,
        )

    def proposals(self) -> tuple[Proposal, ...]:
        return self.effect(with_proposals=True).proposals

    def accept(self, key: str) -> Replan | None:
        """Apply proposal ``key`` to the feeds on file, save, and place the plan again."""
        availability, feeds = self.settings()
        if feeds is None:
            raise InputError("there is no feeding schedule to change", hint="milepost feeds set")
        changed = apply_proposal(feeds, key)
        return self._save(availability, changed, f"proposal accepted: {key}")

    def _refuse_impossible(self, availability: Availability, feeds: FeedSchedule | None) -> None:
        if feeds is None or not availability.windows:
            return
        if every_window_collides(availability, feeds, SHORTEST_RUN_MIN):
            found = feed_collisions(availability, feeds, SHORTEST_RUN_MIN)
            raise InputError(
                f"not saved: with these feeds no window holds a run ({'; '.join(found)})",
                hint="move the first feed, or save anyway (--anyway; on the web, the checkbox)",
            )

    def _inputs(self, availability: Availability) -> tuple[Any, Any, Any, str] | None:
        """The plan's days, pins and options as the scheduler would get them now."""
        replan = self.planning.replan(reason="preview", apply=False)
        if replan is None:
            return None
        athlete = self.athletes.current()
        with self.db.session() as session:
            stored = PlanRepository(session).latest_for(athlete.id or 0)
            if stored is None:
                return None
            edits = HealthRepository(session).edits(stored.id)
            long_run_day = request_from_dict(stored.request).long_run_day
        today = self.planning.clock.today(athlete.timezone)
        placing = placing_inputs(
            replan.adaptation, availability, edits, athlete.timezone, today, long_run_day
        )
        if placing is None:
            return None
        days, pins, options = placing
        return days, pins, options, athlete.timezone
