"""The demo athlete that `make run` seeds: our first story's runner."""

from __future__ import annotations

from datetime import date, timedelta

from milepost.domain.athlete import Athlete, RaceResult, Sex
from milepost.domain.units import Units
from milepost.services.athletes import AthleteService

DEMO_NAME = "Demo Runner"


def seed_demo_athlete(athletes: AthleteService, today: date) -> Athlete:
    """Create the demo athlete once (later calls return the stored one) and make her current."""
    existing = {a.name: a for a in athletes.all()}
    if DEMO_NAME in existing:
        return athletes.use(DEMO_NAME)
    return athletes.create(
        Athlete(
            name=DEMO_NAME,
            timezone="America/New_York",
            units=Units.MI,
            sex=Sex.FEMALE,
            birth_date=date(1992, 3, 14),
            races=(RaceResult(5000.0, 22 * 60 + 30, today - timedelta(days=30)),),
        )
    )
