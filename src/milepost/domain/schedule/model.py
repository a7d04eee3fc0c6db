"""What the scheduler takes besides the plan (pins, options) and what it gives back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from milepost.domain.plan.model import Session
from milepost.errors import InputError

ExplanationKind = Literal["moved", "dropped", "shortened", "time_limit"]
Method = Literal["cp-sat", "greedy"]
_Date = date  # for annotations inside classes whose field is named ``date``


@dataclass(frozen=True)
class Pin:
    """The session ``index_in_day`` of plan day ``date`` starts exactly at ``start``.

    A pin wins over windows and feeds (the runner chose it), and other sessions move around it.
    """

    date: date
    index_in_day: int
    start: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.start.utcoffset() is None:
            raise InputError(f"the pinned start {self.start} needs a time zone")


@dataclass(frozen=True)
class ScheduleOptions:
    """How to schedule. ``time_limit_s_per_week`` bounds CP-SAT on each week (see the package
    docstring for what happens when it is hit); ``closed_dates`` are dates nothing may move onto
    (an illness episode's days arrive as rest days and are listed here, so the scheduler does not
    fill them); ``method="greedy"`` skips the solver (the benchmark's baseline);
    ``shorten_easy_runs`` lets an easy run that fits nowhere at full length be cut (to no less
    than two thirds, in 5-minute steps) instead of dropped."""

    prefer_mornings: bool = True
    max_runs_per_day: int = 1
    time_limit_s_per_week: float = 2.0
    long_run_weekday: int | None = None  # 0 = Monday; None: the plan's day is the preference
    closed_dates: frozenset[date] = frozenset()
    workers: int = 1  # one worker keeps the answer the same for the same inputs
    shorten_easy_runs: bool = True  # cut an easy run that fits nowhere rather than drop it
    method: Method = "cp-sat"
    # Sessions the runner moved onto their day herself: they stay on it (another time that day,
    # or shortened), and the long-run-day preference does not pull them back.
    fixed: frozenset[tuple[date, int]] = frozenset()

    def __post_init__(self) -> None:
        if self.max_runs_per_day < 1:
            raise InputError("at most 0 runs a day leaves nothing to schedule")
        if not 0 < self.time_limit_s_per_week <= 600:
            raise InputError("the solver time limit must be between 0 and 600 s a week")
        if self.long_run_weekday is not None and not 0 <= self.long_run_weekday <= 6:
            raise InputError(f"weekday {self.long_run_weekday} is not 0 (Monday) … 6 (Sunday)")
        if self.workers < 1:
            raise InputError("the solver needs at least one worker")


@dataclass(frozen=True)
class Placement:
    """Session ``index_in_day`` of plan day ``date``, scheduled from ``start`` to ``end``.

    ``date`` is the plan day the session belongs to; ``on`` is the local date it now happens
    (they differ when it moved). ``busy_until`` adds the changing/shower buffer after a run.
    Datetimes are in the athlete's zone, so ``isoformat()`` carries the UTC offset.
    """

    date: date
    index_in_day: int
    start: datetime
    end: datetime
    session: Session
    busy_until: datetime
    pinned: bool = False

    @property
    def on(self) -> _Date:
        return self.start.date()

    @property
    def moved(self) -> bool:
        return self.on != self.date

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True)
class Explanation:
    """A sentence for a runner about one change: ``date`` is the plan day it concerns (the
    week's Monday for a ``time_limit`` note), ``index_in_day`` the session (None for a week)."""

    date: date
    text: str
    kind: ExplanationKind
    index_in_day: int | None = None
    # A key session (the long run, a quality session) lost or cut hard: said in a warning tone.
    warning: bool = False


@dataclass(frozen=True)
class WeekStats:
    monday: date
    status: Literal["optimal", "feasible", "greedy", "empty"]
    wall_time_s: float  # as the solver reports it; 0 for greedy and empty weeks
    objective: int


@dataclass(frozen=True)
class SolverStats:
    """``status``: "optimal" when every week was proven best, "time_limit" when some week
    stopped at its limit with a schedule, "greedy" when some week fell back to first-fit."""

    status: Literal["optimal", "time_limit", "greedy"]
    wall_time_s: float
    weeks: tuple[WeekStats, ...] = ()


@dataclass(frozen=True)
class ScheduleResult:
    placements: list[Placement]
    explanations: list[Explanation]
    stats: SolverStats
    dropped: list[tuple[date, int]] = field(default_factory=list)  # (plan date, index_in_day)

    def placement(self, day: date, index_in_day: int) -> Placement | None:
        return next(
            (p for p in self.placements if p.date == day and p.index_in_day == index_in_day),
            None,
        )
