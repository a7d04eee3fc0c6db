"""Creating athletes, choosing the current one, showing a profile."""

from __future__ import annotations

from milepost.adapters.storage.db import Database
from milepost.adapters.storage.repositories import AthleteRepository
from milepost.domain.athlete import Athlete, validate_athlete
from milepost.errors import ConflictError, NotFoundError
from milepost.services.clock import Clock

NO_ATHLETE_HINT = "create one with: milepost athlete new NAME"


class AthleteService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def create(self, athlete: Athlete, *, make_current: bool = True) -> Athlete:
        validate_athlete(athlete, self.clock.today())
        with self.db.session() as session:
            repo = AthleteRepository(session)
            if repo.by_name(athlete.name) is not None:
                raise ConflictError(
                    f"an athlete called '{athlete.name}' already exists",
                    hint=f"switch to them with: milepost athlete use '{athlete.name}'",
                )
            stored = repo.add(athlete)
            if make_current or repo.current_id() is None:
                repo.set_current(stored.id or 0)
            return stored

    def find(self, ref: str) -> Athlete:
        """An athlete by id or by exact name."""
        with self.db.session() as session:
            repo = AthleteRepository(session)
            found = repo.get(int(ref)) if ref.isascii() and ref.isdigit() else None
            found = found or repo.by_name(ref)
            if found is None:
                names = ", ".join(a.name for a in repo.all()) or "none yet"
                raise NotFoundError(f"no athlete '{ref}' (athletes: {names})", hint=NO_ATHLETE_HINT)
            return found

    def use(self, ref: str) -> Athlete:
        athlete = self.find(ref)
        with self.db.session() as session:
            AthleteRepository(session).set_current(athlete.id or 0)
        return athlete

    def current_id(self) -> int | None:
        with self.db.session() as session:
            return AthleteRepository(session).current_id()

    def set_breastfeeding(self, value: bool) -> Athlete:
        """A profile setting the guidance and the scheduler use (science.md §4)."""
        athlete = self.current()
        with self.db.session() as session:
            repo = AthleteRepository(session)
            repo.set_breastfeeding(athlete.id or 0, value)
            updated = repo.get(athlete.id or 0)
        assert updated is not None
        return updated

    def current(self) -> Athlete:
        with self.db.session() as session:
            repo = AthleteRepository(session)
            current_id = repo.current_id()
            athlete = repo.get(current_id) if current_id is not None else None
            if athlete is None:
                raise NotFoundError("no athlete chosen yet", hint=NO_ATHLETE_HINT)
            return athlete

    def all(self) -> list[Athlete]:
        with self.db.session() as session:
            return AthleteRepository(session).all()


class BoundAthleteService(AthleteService):
    """An AthleteService whose current athlete is fixed: the web app's signed-in athlete, or
    the athlete a coach is looking at, rather than the CLI's stored preference. Planning, health,
    exports and logbook take it unchanged, so they serve one athlete per request."""

    def __init__(self, db: Database, clock: Clock, athlete: Athlete) -> None:
        super().__init__(db, clock)
        self.athlete = athlete

    def current(self) -> Athlete:
        return self.athlete

    def current_id(self) -> int | None:
        return self.athlete.id
