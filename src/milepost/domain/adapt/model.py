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
    no_strength: bool = False  # no resistance work (early return stages, rest)
    threshold_only: bool = False  # quality comes back as threshold before I and R
    max_week_m: float | None = None  # the week's running held to what she ran before [D]
    spare_area: str = ""  # an injured area strength work must not load
    check_in_due: bool = False  # today waits for a check-in before it prescribes anything


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

    @property
    def no_strength(self) -> bool:
        return self.level >= Level.NO_TRAINING or any(r.no_strength for r in self.restrictions)

    @property
    def threshold_only(self) -> bool:
        return any(r.threshold_only for r in self.restrictions)

    @property
    def max_week_m(self) -> float | None:
        caps = [r.max_week_m for r in self.restrictions if r.max_week_m is not None]
        return min(caps) if caps else None

    @property
    def spare_areas(self) -> tuple[str, ...]:
        return tuple(sorted({r.spare_area for r in self.restrictions if r.spare_area}))

    @property
    def provisional(self) -> bool:
        return any(r.provisional for r in self.restrictions)

    @property
    def check_in_due(self) -> bool:
        return any(r.check_in_due for r in self.restrictions)

    @property
    def stage(self) -> str:
        """The return stage that caps the day (the tightest), if any."""
        staged = [r for r in self.restrictions if r.stage]
        if not staged:
            return ""
        return min(staged, key=lambda r: r.max_run_s or float("inf")).stage


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
    readiness: str = ""  # the race-readiness verdict after a break
    lost_weeks: float = 0.0  # training weeks lost to breaks and dropped quality


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
