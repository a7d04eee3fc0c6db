"""What the adaptation rules say about a day, and what changed because of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum


class Level(IntEnum):
    """How much training a day allows, from normal to complete rest (ordered: higher wins)."""

    NORMAL = 0
    REDUCED = 1  # load scaled (return after a break); quality allowed
    EASY_ONLY = 2  # easy running at most, maybe shortened
    CROSS_ONLY = 3  # no running; easy cross-training instead
    NO_RUNNING = 4  # no running; walking and gentle strength
    NO_TRAINING = 5  # complete rest


@dataclass(frozen=True)
class Restriction:
    """One rule's word on one day."""

    on: date
    level: Level
    reason: str
    source: str
    cause: str  # "illness", "mastitis", "injury", "missed", "unavailable", "postpartum", "return"
    max_run_s: float | None = None
    load_factor: float = 1.0
    stage: str = ""  # e.g. "return stage 2 of 4: 30–45 min easy"
    replacement: str = ""  # "walk", "walk_run:<n>", "pelvic_floor": what replaces the runs
    allow_strides: bool = False
    provisional: bool = False  # depends on an open episode resolving as assumed


@dataclass(frozen=True)
class DayRules:
    """All restrictions of a day, merged: the strictest level, the tightest caps."""

    on: date
    restrictions: tuple[Restriction, ...] = ()

    @property
    def level(self) -> Level:
        return max((r.level for r in self.restrictions), default=Level.NORMAL)

    @property
    def max_run_s(self) -> float | None:
        caps = [r.max_run_s for r in self.restrictions if r.max_run_s is not None]
        return min(caps) if caps else None

    @property
    def load_factor(self) -> float:
        return min((r.load_factor for r in self.restrictions), default=1.0)

    @property
    def deciding(self) -> Restriction | None:
        """The restriction that sets the level (the first among equals)."""
        if not self.restrictions:
            return None
        return max(self.restrictions, key=lambda r: (r.level, -self.restrictions.index(r)))

    @property
    def replacement(self) -> str:
        deciding = self.deciding
        return deciding.replacement if deciding else ""

    @property
    def allow_strides(self) -> bool:
        return all(r.allow_strides for r in self.restrictions if r.level >= Level.EASY_ONLY)


@dataclass(frozen=True)
class Change:
    """One session changed, with its reason: the unit a runner reads in the diff."""

    on: date
    before: str
    after: str
    reason: str
    source: str
    cause: str

    def text(self) -> str:
        return f"{self.on:%a %d %b} {self.before} → {self.after}: {self.reason}"


@dataclass(frozen=True)
class Forecast:
    race_s: float
    goal_s: float
    on_track: bool
    vdot_now: float
    vdot_race_day: float
    message: str
    new_goal_s: float | None = None
    later_race_date: date | None = None
    race_day_cleared: bool = True


@dataclass(frozen=True)
class Break:
    """A run of days without running, and what the return after it looks like."""

    first: date
    last: date
    cross_training: bool
    febrile: bool
    causes: tuple[str, ...] = field(default_factory=tuple)
    provisional: bool = False

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1
