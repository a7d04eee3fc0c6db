"""The runner owns her data: export everything, bring it back, or delete it all."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from milepost.adapters.storage.archive import dump_athlete, load_athlete, owned_tables
from milepost.adapters.storage.db import Database
from milepost.adapters.storage.tables import AthleteRow
from milepost.domain.athlete import Athlete
from milepost.services.athletes import AthleteService


class OwnershipService:
    def __init__(self, db: Database, athletes: AthleteService) -> None:
        self.db = db
        self.athletes = athletes

    def export_all(self) -> tuple[Athlete, bytes]:
        """Profile, plans with every revision, edits, episodes and check-ins, availability,
        activities with their samples and original files — as one zip."""
        athlete = self.athletes.current()
        with self.db.session() as session:
            return athlete, dump_athlete(session, athlete.id or 0)

    def import_all(self, data: bytes, *, rename: str | None = None) -> Athlete:
        with self.db.session() as session:
            new_id = load_athlete(session, data, rename=rename)
        return self.athletes.use(str(new_id))

    def delete(self, ref: str) -> dict[str, int]:
        """Delete an athlete and everything of hers; returns the rows removed per table."""
        athlete = self.athletes.find(ref)
        counts: dict[str, int] = {}
        with self.db.session() as session:
            for table in owned_tables():
                if "athlete_id" in table.c:
                    counts[table.name] = (
                        session.scalar(
                            select(func.count())
                            .select_from(table)
                            .where(table.c.athlete_id == athlete.id)
                        )
                        or 0
                    )
            session.execute(delete(AthleteRow).where(AthleteRow.id == athlete.id))
        return counts
