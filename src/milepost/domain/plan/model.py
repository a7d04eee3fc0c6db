"""The plan as data: Plan → Week → Day → Session → segments (steps and repeats).

Frozen all the way down, so a plan is a value: adapting it builds a new one, and two plans can be
compared to show what changed. Distances in metres, durations in seconds, paces in s/km.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum


class SessionKind(StrEnum):
    EASY = "easy"
    LONG = "long"
    MARATHON_PACE = "marathon_pace"
    THRESHOLD = "threshold"
    INTERVAL = "interval"
    REPETITION = "repetition"
    FARTLEK = "fartlek"
    STRIDES = "strides"
    RACE = "race"
    STRENGTH = "strength"
    CROSS = "cross"
    REST = "rest"


RUNNING_KINDS = frozenset(
    {
        SessionKind.EASY,
        SessionKind.LONG,
        SessionKind.MARATHON_PACE,
        SessionKind.THRESHOLD,
        SessionKind.INTERVAL,
        SessionKind.REPETITION,
        SessionKind.FARTLEK,
        SessionKind.STRIDES,
        SessionKind.RACE,
    }
)
# Sessions that count as a "hard day" for spacing rules (Daniels: no two quality days in a row).
QUALITY_KINDS = frozenset(
    {
        SessionKind.MARATHON_PACE,
        SessionKind.THRESHOLD,
        SessionKind.INTERVAL,
        SessionKind.REPETITION,
        SessionKind.FARTLEK,
        SessionKind.RACE,
    }
)


class Zone(StrEnum):
    """Daniels' intensities, plus recoveries between repeats."""

    E = "E"
    M = "M"
    T = "T"
    I = "I"  # noqa: E741 - Daniels' name for the interval zone
    R = "R"
    JOG = "jog"  # recovery jog between repeats
    REST = "rest"  # standing or walking recovery


class Phase(StrEnum):
    """Daniels' four phases, then the taper (docs/science.md §2)."""

    FOUNDATION = "I"
    EARLY_QUALITY = "II"
    TRANSITION_QUALITY = "III"
    FINAL_QUALITY = "IV"
    TAPER = "taper"

    @property
    def label(self) -> str:
        return {
            "I": "Phase I — Foundation",
            "II": "Phase II — Early quality",
            "III": "Phase III — Transition quality",
            "IV": "Phase IV — Final quality",
            "taper": "Taper",
        }[self.value]


@dataclass(frozen=True)
class Step:
    """One piece of a session: a distance or a duration in one zone."""

    zone: Zone
    distance_m: float | None = None
    duration_s: float | None = None
    pace_s_per_km: tuple[float, float] | None = None  # (fast, slow); None for rest/jog by feel


@dataclass(frozen=True)
class Repeat:
    """``times`` × the steps, e.g. 4 × (1 mile T, 1 min rest)."""

    times: int
    steps: tuple[Step, ...]


Segment = Step | Repeat


@dataclass(frozen=True)
class Exercise:
    """A strength exercise with its dose."""

    name: str
    sets: int
    reps: str  # "10", "8 each side", "30 s"
    cue: str = ""


@dataclass(frozen=True)
class Session:
    kind: SessionKind
    title: str  # short: "4 × 1 mile T"
    description: str  # what a runner reads: how and why
    distance_m: float = 0.0
    duration_s: float = 0.0
    pace_s_per_km: tuple[float, float] | None = None  # the main zone's (fast, slow)
    segments: tuple[Segment, ...] = ()
    exercises: tuple[Exercise, ...] = ()

    @property
    def is_run(self) -> bool:
        return self.kind in RUNNING_KINDS

    @property
    def is_quality(self) -> bool:
        return self.kind in QUALITY_KINDS


@dataclass(frozen=True)
class Day:
    date: date
    sessions: tuple[Session, ...] = ()

    @property
    def run_m(self) -> float:
        return sum(s.distance_m for s in self.sessions if s.is_run)

    @property
    def is_quality(self) -> bool:
        return any(s.is_quality for s in self.sessions)

    @property
    def is_hard(self) -> bool:
        """A quality session or the long run: days that need an easy day after them."""
        return any(s.is_quality or s.kind is SessionKind.LONG for s in self.sessions)

    @property
    def runs(self) -> tuple[Session, ...]:
        return tuple(s for s in self.sessions if s.is_run)


@dataclass(frozen=True)
class Week:
    number: int  # 1-based
    starts: date  # the Monday
    phase: Phase
    days: tuple[Day, ...]  # seven, Monday to Sunday
    focus: str = ""  # a sentence: what this week is for
    cutback: bool = False
    target_m: float = 0.0  # the volume the progression asked for (total_m is what was built)

    @property
    def total_m(self) -> float:
        return sum(d.run_m for d in self.days)

    @property
    def ends(self) -> date:
        return self.starts + timedelta(days=6)

    def countdown(self, of: int) -> str:
        left = of - self.number
        tail = "race week" if left == 0 else f"{left} to go"
        return f"Week {self.number} of {of} — {tail}"


@dataclass(frozen=True)
class Race:
    distance_m: float
    date: date
    name: str = ""
    goal_s: float | None = None


@dataclass(frozen=True)
class Plan:
    race: Race
    vdot: float  # the fitness the plan starts from
    weeks: tuple[Week, ...]
    units: str = "km"
    expected_vdot: tuple[float, ...] = ()  # per week: the VDOT the paces use
    tune_up: Race | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    # What a coach would say before signing: an ambitious goal, a race that contradicts her
    # others, a plan that had to stop short. Empty when there is nothing to say.
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def starts(self) -> date:
        return self.weeks[0].starts

    def days(self) -> list[Day]:
        return [d for w in self.weeks for d in w.days]

    def day(self, on: date) -> Day | None:
        for week in self.weeks:
            if week.starts <= on <= week.ends:
                return week.days[(on - week.starts).days]
        return None

    def week_of(self, on: date) -> Week | None:
        for week in self.weeks:
            if week.starts <= on <= week.ends:
                return week
        return None
