"""Something happened: log an episode or a check-in, and see the plan it leads to.

Each input is stored, then the plan is derived again and a revision kept with every change and
its reason. ``preview=True`` derives with the input but stores nothing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from milepost.adapters.storage.db import Database
from milepost.adapters.storage.repositories import HealthRepository
from milepost.domain.episode import (
    ALL_RED_FLAGS,
    BODY_TEMPERATURE_C,
    CheckIn,
    Episode,
    EpisodeKind,
    validate_episode,
)
from milepost.errors import InputError, NotFoundError
from milepost.services.athletes import AthleteService
from milepost.services.clock import Clock
from milepost.services.planning import PlanningService, Replan

RETURN_REPORT_DAYS = timedelta(days=60)  # a return and its ease-back, at the longest [D]


class HealthService:
    def __init__(
        self, db: Database, athletes: AthleteService, planning: PlanningService, clock: Clock
    ) -> None:
        self.db = db
        self.athletes = athletes
        self.planning = planning
        self.clock = clock

    def _today(self) -> date:
        return self.clock.today(self.athletes.current().timezone)

    def add_episode(
        self, episode: Episode, *, preview: bool = False
    ) -> tuple[Episode, Replan | None]:
        athlete = self.athletes.current()
        episode = validate_episode(episode, self._today())
        if preview:
            return episode, self.planning.replan(
                reason="preview", apply=False, extra_episodes=(replace(episode, id=-1),)
            )
        # The episode and the revision it leads to commit together, or neither does.
        with self.db.session() as session:
            stored = HealthRepository(session).add_episode(athlete.id or 0, episode)
            replan = self.planning.replan_in(
                session,
                athlete,
                self._today(),
                reason=f"{stored.kind.value} from {stored.start.isoformat()} logged",
                apply=True,
            )
        return stored, replan

    def check_in(self, check_in: CheckIn, *, preview: bool = False) -> Replan | None:
        athlete = self.athletes.current()
        today = self._today()
        if check_in.temp_c is not None and not (
            BODY_TEMPERATURE_C[0] <= check_in.temp_c <= BODY_TEMPERATURE_C[1]
        ):
            raise InputError(
                f"{check_in.temp_c} °C is not a body temperature", hint="for example 37.2 or 99F"
            )
        if check_in.pain is not None and not 0 <= check_in.pain <= 10:
            raise InputError(f"pain {check_in.pain} is not on the 0–10 scale", hint="0 none")
        unknown = [f for f in check_in.red_flags or () if f not in ALL_RED_FLAGS]
        if unknown:
            raise InputError(
                f"unknown red flag '{unknown[0]}'", hint="one of: " + ", ".join(ALL_RED_FLAGS)
            )
        if check_in.on < today - timedelta(days=366):
            raise InputError(
                f"a check-in for {check_in.on.isoformat()} is more than a year ago",
                hint="check the year: dates are YYYY-MM-DD",
            )
        if check_in.on > today:
            raise InputError(
                f"a check-in for {check_in.on.isoformat()} is in the future",
                hint="check in for today or a day that has passed",
            )
        episodes = self.episodes()
        if check_in.episode_id is not None:
            chosen = next((e for e in episodes if e.id == check_in.episode_id), None)
            if chosen is None:
                raise NotFoundError(
                    f"no episode {check_in.episode_id}", hint="milepost episode list"
                )
            if check_in.on < chosen.start:
                raise InputError(
                    f"episode {chosen.id} began on {chosen.start.isoformat()}, after "
                    f"{check_in.on.isoformat()}",
                    hint="check in for a day of the episode",
                )
        else:
            open_ = [e for e in episodes if e.is_open_on(check_in.on)]
            if not open_:
                # A return (stages, a ladder, the ease-back) goes on after its episode ended:
                # a check-in then reports on the latest one [D: within RETURN_REPORT_DAYS].
                open_ = [
                    e
                    for e in episodes
                    if e.health
                    and e.start <= check_in.on
                    and (e.end is None or check_in.on - e.end <= RETURN_REPORT_DAYS)
                ]
            if not open_:
                raise InputError(
                    f"no open episode on {check_in.on.isoformat()} to check in for",
                    hint="log one first with: milepost episode add …",
                )
            # The most recent open episode is the one the runner is reporting on.
            check_in = replace(check_in, episode_id=max(open_, key=lambda e: e.start).id)
        if preview:
            return self.planning.replan(reason="preview", apply=False, extra_check_ins=(check_in,))
        with self.db.session() as session:
            HealthRepository(session).add_check_in(athlete.id or 0, check_in)
            return self.planning.replan_in(
                session,
                athlete,
                today,
                reason=f"check-in for {check_in.on.isoformat()}",
                apply=True,
            )

    def end_episode(self, episode_id: int, end: date) -> tuple[Episode, Replan | None]:
        """End an episode: ``end`` is its last day, included (the same for every kind)."""
        athlete = self.athletes.current()
        today = self._today()
        if end > today:
            raise InputError(
                "an episode cannot end in the future", hint="end it on the day it ends"
            )
        with self.db.session() as session:
            repo = HealthRepository(session)
            current = next((e for e in repo.episodes(athlete.id or 0) if e.id == episode_id), None)
            if current is None:
                raise NotFoundError(f"no episode {episode_id}", hint="milepost episode list")
            if end < current.start:
                raise InputError(
                    f"episode {episode_id} started on {current.start.isoformat()}; it cannot end "
                    "before that"
                )
            ended = repo.end_episode(athlete.id or 0, episode_id, end)
            assert ended is not None
            replan = self.planning.replan_in(
                session,
                athlete,
                today,
                reason=f"{ended.kind.value} {episode_id} ended {end.isoformat()}",
                apply=True,
            )
        return ended, replan

    def better(self) -> list[tuple[Episode, Replan | None]]:
        """ "I'm better": every open health episode ends today (its last day)."""
        today = self._today()
        open_ = [
            e
            for e in self.episodes()
            if e.health and e.end is None and e.kind is not EpisodeKind.POSTPARTUM
        ]
        if not open_:
            raise InputError("no open episode to end", hint="nothing to do: you are training")
        return [self.end_episode(e.id or 0, max(today, e.start)) for e in open_]

    def episodes(self) -> list[Episode]:
        athlete = self.athletes.current()
        with self.db.session() as session:
            return HealthRepository(session).episodes(athlete.id or 0)
