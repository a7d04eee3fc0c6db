"""Something happened: log an episode or a check-in, and see the plan it leads to.

Each input is stored, then the plan is derived again and a revision kept with every change and
its reason. ``preview=True`` derives with the input but stores nothing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from milepost.adapters.storage.db import Database
from milepost.adapters.storage.repositories import HealthRepository
from milepost.domain.episode import BODY_TEMPERATURE_C, CheckIn, Episode, validate_episode
from milepost.errors import InputError, NotFoundError
from milepost.services.athletes import AthleteService
from milepost.services.clock import Clock
from milepost.services.planning import PlanningService, Replan


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
        with self.db.session() as session:
            stored = HealthRepository(session).add_episode(athlete.id or 0, episode)
        replan = self.planning.replan(
            reason=f"{stored.kind.value} from {stored.start.isoformat()} logged", apply=True
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
        if check_in.on > today:
            raise InputError(
                f"a check-in for {check_in.on.isoformat()} is in the future",
                hint="check in for today or a day that has passed",
            )
        episodes = self.episodes()
        if check_in.episode_id is not None:
            if not any(e.id == check_in.episode_id for e in episodes):
                raise NotFoundError(
                    f"no episode {check_in.episode_id}", hint="milepost episode list"
                )
        else:
            open_ = [e for e in episodes if e.is_open_on(check_in.on)]
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
        return self.planning.replan(reason=f"check-in for {check_in.on.isoformat()}", apply=True)

    def end_episode(self, episode_id: int, end: date) -> tuple[Episode, Replan | None]:
        athlete = self.athletes.current()
        if end > self._today():
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
        replan = self.planning.replan(
            reason=f"{ended.kind.value} {episode_id} ended {end.isoformat()}", apply=True
        )
        return ended, replan

    def episodes(self) -> list[Episode]:
        athlete = self.athletes.current()
        with self.db.session() as session:
            return HealthRepository(session).episodes(athlete.id or 0)
