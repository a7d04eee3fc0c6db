"""The athlete's profile: who is training, in which time zone and units, from what fitness."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from milepost.domain.units import Units, parse_date, parse_distance, parse_duration
from milepost.domain.vdot import vdot_from_race
from milepost.errors import InputError


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


@dataclass(frozen=True)
class RaceResult:
    distance_m: float
    time_s: float
    on: date | None = None

    @property
    def vdot(self) -> float:
        return vdot_from_race(self.distance_m, self.time_s)


@dataclass(frozen=True)
class Athlete:
    name: str
    timezone: str = "UTC"
    units: Units = Units.KM
    birth_date: date | None = None
    sex: Sex | None = None
    weight_kg: float | None = None
    races: tuple[RaceResult, ...] = field(default_factory=tuple)
    id: int | None = None
    # A profile setting, not an episode: the guidance (feed or pump first, bra, fluids) and the
    # scheduler use it whether or not a postpartum return is open (science.md §4).
    breastfeeding: bool = False

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def current_vdot(self) -> float | None:
        """VDOT of the most recent race (undated races count as oldest); None with no race."""
        if not self.races:
            return None
        latest = max(self.races, key=lambda r: (r.on is not None, r.on or date.min))
        return latest.vdot


def validate_athlete(athlete: Athlete, today: date) -> Athlete:
    """Check a profile before it is stored; raises :class:`InputError` naming the bad field."""
    if not athlete.name.strip():
        raise InputError("an athlete needs a name")
    if len(athlete.name) > 200:
        raise InputError("that name is longer than 200 characters")
    try:
        ZoneInfo(athlete.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(
            f"'{athlete.timezone}' is not a time zone",
            hint="use an IANA name such as Europe/London or America/New_York",
        ) from exc
    if athlete.birth_date is not None and not (
        date(today.year - 110, 1, 1) <= athlete.birth_date <= today
    ):
        raise InputError(f"a birth date of {athlete.birth_date.isoformat()} cannot be right")
    if athlete.weight_kg is not None and not 25.0 <= athlete.weight_kg <= 250.0:
        raise InputError(f"a weight of {athlete.weight_kg} kg cannot be right")
    for race in athlete.races:
        if race.on is not None and race.on > today:
            raise InputError(
                f"a race on {race.on.isoformat()} lies in the future: enter races you have run"
            )
        race.vdot  # noqa: B018 - raises InputError for an implausible result
    return athlete


def parse_race_result(text: str) -> RaceResult:
    """A race from ``5k=22:30`` or ``half=1:45:00@2026-10-04``."""
    distance_part, sep, rest = text.partition("=")
    if not sep:
        raise InputError(
            f"could not read '{text}' as a race", hint="write DISTANCE=TIME, e.g. 5k=22:30"
        )
    time_part, _, date_part = rest.partition("@")
    result = RaceResult(
        distance_m=parse_distance(distance_part),
        time_s=parse_duration(time_part),
        on=parse_date(date_part) if date_part else None,
    )
    result.vdot  # noqa: B018 - raises InputError for an implausible result
    return result
