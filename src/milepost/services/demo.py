"""The demo athlete that `make run` seeds: our first story's runner."""

from __future__ import annotations

from datetime import date, timedelta

from milepost.domain.athlete import Athlete, RaceResult, Sex
from milepost.domain.availability import parse_feed_times, parse_windows
from milepost.domain.plan.request import PlanRequest
from milepost.domain.units import HALF_MARATHON_M, Units
from milepost.errors import NotFoundError
from milepost.services.athletes import AthleteService
from milepost.services.planning import PlanningService
from milepost.services.scheduling import SchedulingService

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


# Her week (the seed story): a 13-month-old still fed morning, midday and evening; weekday runs
# before work, longer windows at the weekend.
DEMO_WINDOWS = ("mon-fri 05:45-07:45", "sat 06:00-10:30", "sun 06:00-09:30")
DEMO_FEEDS = "05:30,12:30,19:00"


def seed_demo_schedule(scheduling: SchedulingService) -> None:
    """Give the demo athlete her hours and feeds once (kept if she has changed them)."""
    availability, _ = scheduling.settings()
    if availability.windows:
        return
    scheduling.set_windows(parse_windows(DEMO_WINDOWS))
    scheduling.set_feeds(parse_feed_times(DEMO_FEEDS, duration="20m"))


def seed_demo_plan(planning: PlanningService, today: date) -> None:
    """A half-marathon plan in its fourth week today, unless she has one already."""
    try:
        planning.current()
        return
    except NotFoundError:
        pass
    start = today - timedelta(days=today.weekday() + 21)
    planning.create(
        PlanRequest(
            race_distance_m=HALF_MARATHON_M,
            race_date=start + timedelta(weeks=14, days=-1),
            vdot=0.0,  # from her recent race
            weekly_m=40_000.0,
            start=start,
            long_run_day=5,
            race_name="Demo Half",
        )
    )
