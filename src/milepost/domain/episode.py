"""Health and life episodes, and the daily check-ins that update them.

An episode is an input to the plan, never a mutation of it (design.md): illness, mastitis,
injury, missed sessions, unavailable days and the postpartum return each have a kind, a start,
an optional end and the facts the runner gave. Check-ins add what changed on a day.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from milepost.errors import InputError

FEVER_C = 38.0  # [S: docs/science.md §3] a temperature at or above this is a fever
BODY_TEMPERATURE_C = (34.0, 43.0)  # outside this a reading is a typo, not a patient


class EpisodeKind(StrEnum):
    ILLNESS = "illness"
    MASTITIS = "mastitis"
    INJURY = "injury"
    MISSED = "missed"
    UNAVAILABLE = "unavailable"
    POSTPARTUM = "postpartum"


class Symptoms(StrEnum):
    NONE = "none"
    ABOVE_NECK = "above-neck"  # runny nose, sneezing, sore throat
    BELOW_NECK = "below-neck"  # chest, body aches, stomach


# Goom, Donnelly & Brockwell (2019), docs/science.md §4: signs that route to a pelvic-health
# physiotherapist and stop running.
POSTPARTUM_RED_FLAGS = {
    "heaviness": "heaviness, dragging or bulging in the pelvis",
    "leaking": "urinary or faecal leaking",
    "urgency": "urinary or faecal urgency that is hard to defer",
    "doming": "doming or a gap along the midline of the tummy",
    "pelvic-pain": "pelvic or low-back pain",
    "bleeding": "bleeding beyond 8 weeks not linked to a period",
}


@dataclass(frozen=True)
class Episode:
    kind: EpisodeKind
    start: date
    end: date | None = None
    id: int | None = None
    note: str = ""
    # illness and mastitis
    fever_c: float | None = None
    symptoms: Symptoms | None = None
    # mastitis
    systemic: bool = False  # fever, chills, a fast heart rate
    antibiotics: bool = False
    abscess: bool = False
    # injury
    area: str = ""
    pain_free_walking: bool = False
    cross_training: bool = False
    # postpartum
    birth_date: date | None = None
    delivery: str = ""  # "vaginal" | "caesarean"
    breastfeeding: bool = False
    checks_passed: bool = False  # the load, impact and strength tests, all without symptoms
    red_flags: tuple[str, ...] = ()

    def is_open_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    @property
    def febrile_at_start(self) -> bool:
        return self.fever_c is not None and self.fever_c >= FEVER_C


@dataclass(frozen=True)
class CheckIn:
    """What the runner reports on a day; ``None`` means "not said"."""

    on: date
    episode_id: int | None = None
    temp_c: float | None = None
    fever_free: bool = False
    symptoms: Symptoms | None = None
    systemic: bool | None = None
    pain_free_walking: bool | None = None
    red_flags: tuple[str, ...] | None = None  # () reports "no red flags now"
    checks_passed: bool | None = None
    id: int | None = None
    note: str = ""

    @property
    def febrile(self) -> bool | None:
        if self.temp_c is not None:
            return self.temp_c >= FEVER_C
        return False if self.fever_free else None


def parse_temperature_reading(text: str) -> float:
    """A body temperature in °C from ``38.6``, ``38.6C`` or ``101.5F``; refuses the impossible."""
    raw = text.strip().lower().replace("°", "").replace(" ", "")
    unit = raw[-1] if raw and raw[-1] in "cf" else ""
    number = raw[:-1] if unit else raw
    try:
        value = float(number)
    except ValueError as exc:
        raise InputError(
            f"could not read '{text}' as a temperature", hint="for example 38.6 or 101.5F"
        ) from exc
    # A bare number above 45 can only be Fahrenheit.
    celsius = (value - 32.0) * 5.0 / 9.0 if unit == "f" or (not unit and value > 45) else value
    if not BODY_TEMPERATURE_C[0] <= celsius <= BODY_TEMPERATURE_C[1]:
        raise InputError(f"{text} is not a body temperature", hint="for example 38.6 or 101.5F")
    return round(celsius, 2)


def validate_episode(episode: Episode, today: date) -> Episode:
    """Refuse an episode that cannot be right, naming the field."""
    if episode.start < today - timedelta(days=366):
        raise InputError(
            f"{episode.kind.value} starting {episode.start.isoformat()} is more than a year ago",
            hint="check the year: dates are YYYY-MM-DD",
        )
    for reading in (episode.fever_c,):
        if reading is not None and not BODY_TEMPERATURE_C[0] <= reading <= BODY_TEMPERATURE_C[1]:
            raise InputError(
                f"{reading} °C is not a body temperature", hint="for example 38.6 or 101.5F"
            )
    if episode.end is not None and episode.end < episode.start:
        raise InputError(
            f"the episode ends ({episode.end.isoformat()}) before it starts "
            f"({episode.start.isoformat()})"
        )
    if episode.start > today and episode.kind not in (
        EpisodeKind.UNAVAILABLE,
        EpisodeKind.MISSED,
    ):
        raise InputError(
            f"{episode.kind.value} starting {episode.start.isoformat()} is in the future",
            hint="enter what has happened; plan travel with 'episode add unavailable'",
        )
    if episode.kind is EpisodeKind.MISSED and (episode.end or episode.start) > today:
        raise InputError("sessions can only be missed on days that have passed")
    if episode.kind is EpisodeKind.POSTPARTUM:
        if episode.birth_date is None:
            raise InputError("a postpartum return needs the birth date", hint="--birth-date D")
        if episode.birth_date > today:
            raise InputError("the birth date lies in the future")
    unknown = [f for f in episode.red_flags if f not in POSTPARTUM_RED_FLAGS]
    if unknown:
        raise InputError(
            f"unknown red flag '{unknown[0]}'",
            hint="one of: " + ", ".join(POSTPARTUM_RED_FLAGS),
        )
    if episode.kind is EpisodeKind.MASTITIS and episode.febrile_at_start:
        # A fever is a systemic sign by definition (ABM Protocol #36).
        return replace(episode, systemic=True)
    return episode
