"""Health and life episodes, and the daily check-ins that update them.

An episode is an input to the plan, never a mutation of it (design.md): illness, mastitis,
injury, missed sessions, unavailable days and the postpartum return each have a kind, a start,
an optional end and the facts the runner gave. Check-ins add what changed on a day.

``end`` is the **last day** of the episode, included, for every kind (docs/science.md §3): an
illness ended on Friday held on Friday, so its 24 hours clear run to Saturday; travel ending on
the 7th keeps the 7th free of training.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from milepost.errors import InputError

FEVER_C = 38.0  # [S: docs/science.md §3] a temperature at or above this is a fever
HIGH_FEVER_C = 39.5  # [S: docs/science.md §3] see a clinician that day
BODY_TEMPERATURE_C = (34.0, 43.0)  # outside this a reading is a typo, not a patient
MAX_EPISODE_DAYS = 3 * 366  # an episode that would last longer is a typo in its end date
MASTITIS_REST_DAYS = (2, 4)  # default and maximum rest at the first signs [runner's practice]


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
# Elliott et al. (BJSM 2020) and general medical advice (science.md §3): see a clinician that day.
ILLNESS_RED_FLAGS = {
    "chest-pain": "chest pain",
    "breathless": "breathlessness out of proportion",
    "racing-heart": "a racing or irregular heartbeat",
    "fainting": "fainting or near-fainting",
}
# ABM Protocol #36 (science.md §3): signs of an abscess or of a spreading infection.
MASTITIS_RED_FLAGS = {
    "lump": "a hard lump that does not soften after feeding",
    "spreading": "redness that spreads",
    "pus": "pus or blood in the milk",
}
# Bone stress and low energy availability (RED-S; Mountjoy et al., BJSM 2018 and 2023;
# science.md §5): signs that route to a sports-medicine clinician.
INJURY_RED_FLAGS = {
    "night-pain": "bone pain at rest or at night",
    "point-tenderness": "a spot on the bone that hurts to press",
    "hop-pain": "pain on hopping on the injured leg",
    "missed-periods": "missed or stopped periods not explained by breastfeeding",
    "low-energy": "constant tiredness, weight loss or under-eating",
    "repeat-injury": "a second bone injury or stress fracture",
}
RED_FLAGS_BY_KIND: dict[str, dict[str, str]] = {
    "illness": ILLNESS_RED_FLAGS,
    "mastitis": {**MASTITIS_RED_FLAGS, **ILLNESS_RED_FLAGS},
    "injury": INJURY_RED_FLAGS,
    "postpartum": POSTPARTUM_RED_FLAGS,
}
ALL_RED_FLAGS = {
    **POSTPARTUM_RED_FLAGS,
    **ILLNESS_RED_FLAGS,
    **MASTITIS_RED_FLAGS,
    **INJURY_RED_FLAGS,
}


class Feeling(StrEnum):
    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


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
    rest_days: int | None = None  # mastitis: rest at the first signs (default 2, at most 4)
    # injury
    area: str = ""
    pain_free_walking: bool = False
    cross_training: bool = False
    pain: int | None = None  # 0–10
    # postpartum
    birth_date: date | None = None
    delivery: str = ""  # "vaginal" | "caesarean"
    breastfeeding: bool = False  # kept for stored episodes; the profile setting is what counts
    checks_passed: bool = False  # the load, impact and strength tests, all without symptoms
    stopped_running: date | None = None  # the last run before the birth, if she said
    already_running: bool = False  # training again already: no walk–run ladder
    red_flags: tuple[str, ...] = ()

    def is_open_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    @property
    def health(self) -> bool:
        """Illness, mastitis, injury and the postpartum return: the kinds with a body in them."""
        return self.kind not in (EpisodeKind.MISSED, EpisodeKind.UNAVAILABLE)

    @property
    def mastitis_rest_days(self) -> int:
        return self.rest_days if self.rest_days is not None else MASTITIS_REST_DAYS[0]

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
    # Fever-reducing medicine (paracetamol, ibuprofen) in the last 24 h: a normal reading then
    # says nothing about the fever (science.md §3: "24 h fever-free without fever-reducing
    # medicine").
    fever_reducer: bool | None = None
    feeling: Feeling | None = None  # better, same or worse than the day before
    done: bool | None = None  # today's session done, and it went fine
    pain: int | None = None  # 0–10 during or after activity (injury pain monitoring)

    @property
    def febrile(self) -> bool | None:
        if self.temp_c is not None and self.temp_c >= FEVER_C:
            return True
        if self.fever_reducer:
            return None  # masked: not a fever-free reading
        if self.temp_c is not None:
            return False
        return False if self.fever_free else None

    @property
    def high_fever(self) -> bool:
        return self.temp_c is not None and self.temp_c >= HIGH_FEVER_C

    @property
    def symptomatic(self) -> bool:
        """Anything in this check-in that should step a return back a stage."""
        return bool(
            self.febrile
            or self.feeling is Feeling.WORSE
            or self.symptoms in (Symptoms.ABOVE_NECK, Symptoms.BELOW_NECK)
            or self.systemic
            or self.red_flags
            or (self.pain is not None and self.pain > PAIN_OK)
        )

    @property
    def clear(self) -> bool:
        """Nothing wrong reported, and something right: the evidence an episode has resolved.
        A normal temperature under fever-reducing medicine is not clear."""
        if self.symptomatic or self.fever_reducer or self.pain_free_walking is False:
            return False
        if self.feeling is Feeling.SAME:
            return False
        return bool(
            self.febrile is False
            or self.feeling is Feeling.BETTER
            or self.done
            or self.pain_free_walking
            or self.symptoms is Symptoms.NONE
        )


# Pain-monitoring model (Silbernagel et al., Am J Sports Med 2007; science.md §5): pain up to
# this, settling by the next morning, is acceptable during a return; we take 3 of 10 rather than
# the model's 5 because bone injuries must stay pain-free [D].
PAIN_OK = 3


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
    if episode.kind is EpisodeKind.POSTPARTUM and episode.birth_date is not None:
        # A birth up to two years ago may start the return; the episode starts at the birth.
        if episode.birth_date < today - timedelta(days=2 * 366):
            raise InputError(
                f"a birth on {episode.birth_date.isoformat()} is more than two years ago",
                hint="check the year: dates are YYYY-MM-DD",
            )
    elif episode.start < today - timedelta(days=366):
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
    if episode.end is not None and (episode.end - episode.start).days > MAX_EPISODE_DAYS:
        raise InputError(
            f"an episode ending {episode.end.isoformat()} would last more than three years",
            hint="check the year of the end date: dates are YYYY-MM-DD",
        )
    if episode.start > today + timedelta(days=2 * 366):
        raise InputError(
            f"{episode.start.isoformat()} is more than two years ahead",
            hint="check the year: dates are YYYY-MM-DD",
        )
    if episode.rest_days is not None and not 0 <= episode.rest_days <= MASTITIS_REST_DAYS[1]:
        raise InputError(
            f"{episode.rest_days} rest days: choose 0 to {MASTITIS_REST_DAYS[1]}",
            hint=f"the default is {MASTITIS_REST_DAYS[0]} days of rest at the first signs",
        )
    for pain in (episode.pain,):
        if pain is not None and not 0 <= pain <= 10:
            raise InputError(f"pain {pain} is not on the 0–10 scale", hint="0 none, 10 worst")
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
    allowed = RED_FLAGS_BY_KIND.get(episode.kind.value, {})
    unknown = [f for f in episode.red_flags if f not in allowed]
    if unknown:
        raise InputError(
            f"unknown red flag '{unknown[0]}' for {episode.kind.value}",
            hint="one of: " + (", ".join(allowed) or "none for this kind"),
        )
    if episode.kind is EpisodeKind.POSTPARTUM and episode.birth_date is not None:
        episode = replace(episode, start=min(episode.start, episode.birth_date))
    if episode.kind is EpisodeKind.MASTITIS and episode.febrile_at_start:
        # A fever is a systemic sign by definition (ABM Protocol #36).
        return replace(episode, systemic=True)
    return episode
