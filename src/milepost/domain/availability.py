"""When a runner can run: weekly windows, one-off exceptions, feeds, and the words that set them.

All clock times here are *local* wall-clock times in the athlete's time zone; turning them into
real instants (and so getting daylight-saving days right) is the scheduler's job
(``domain/schedule/clock.py``). Durations are in seconds.

The parsers at the bottom read what a runner types at the command line
(``"mon-fri 05:30-07:00"``, ``--every 3h --from 06:00 --to 21:00 --duration 30m``) and raise
:class:`~milepost.errors.InputError` naming the part they could not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from milepost.domain.plan.request import WEEKDAYS
from milepost.errors import InputError

DEFAULT_BUFFER_S = 15 * 60.0  # changing and showering after a run (issue #5)
DEFAULT_FEED_S = 30 * 60.0
# A run starts within this long after a feed or pump ends, so it ends well before the breasts
# are full again (issue #5's default; the runner can change it).
DEFAULT_AFTER_FEED_WINDOW_S = 45 * 60.0


@dataclass(frozen=True)
class Window:
    """A weekly recurring stretch of local clock time on one weekday (0 = Monday)."""

    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise InputError(f"weekday {self.weekday} is not 0 (Monday) … 6 (Sunday)")
        _check_order(self.start, self.end)

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {_hhmm(self.start)}-{_hhmm(self.end)}"


@dataclass(frozen=True)
class Unavailable:
    """Dates (``first`` to ``last``, both included) when the weekly windows do not apply."""

    first: date
    last: date
    reason: str = ""

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise InputError(
                f"the exception ends ({self.last}) before it starts ({self.first})",
                hint="give the first date, then the last",
            )

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


@dataclass(frozen=True)
class ExtraWindow:
    """A one-off window on a date, added even on an unavailable date (a run from the hotel)."""

    on: date
    start: time
    end: time

    def __post_init__(self) -> None:
        _check_order(self.start, self.end)


@dataclass(frozen=True)
class Availability:
    """The hours a runner has. ``buffer_s`` is added after every run (changing, showering) and
    must fit inside the window too. ``tz`` is the IANA zone the windows are written in; ``None``
    means the athlete's zone given to ``schedule``."""

    windows: tuple[Window, ...]
    unavailable: tuple[Unavailable, ...] = ()
    extra: tuple[ExtraWindow, ...] = ()
    buffer_s: float = DEFAULT_BUFFER_S
    tz: str | None = None
    # The race's start on race morning (local clock time): the race is pinned there, not placed
    # by the windows or the feed rule. None: the race is placed like any session.
    race_start: time | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.buffer_s <= 4 * 3600:
            raise InputError(f"a buffer of {self.buffer_s / 60:.0f} min is out of range (0–240)")

    def exception_on(self, day: date) -> Unavailable | None:
        return next((u for u in self.unavailable if u.covers(day)), None)

    def windows_on(self, day: date) -> list[tuple[time, time]]:
        """The local windows on ``day``, sorted and merged where they touch or overlap."""
        spans = [(w.start, w.end) for w in self.extra_on(day)]
        if self.exception_on(day) is None:
            spans += [(w.start, w.end) for w in self.windows if w.weekday == day.weekday()]
        return _merge(spans)

    def extra_on(self, day: date) -> list[ExtraWindow]:
        return [e for e in self.extra if e.on == day]

    def weekly_on(self, weekday: int) -> list[Window]:
        return [w for w in self.windows if w.weekday == weekday]


@dataclass(frozen=True)
class FeedSchedule:
    """Feeds (or pumps) at the same local clock times every day, ``duration_s`` each.

    The rule it brings: a run starts within ``after_feed_window_s`` after a feed ends, and ends,
    buffer included, before the next feed starts. Inside a ``caregiver`` window someone else has
    the baby, so the rule does not apply there (availability still does). ``first``/``last``
    bound the dates it applies to (``None``: open-ended).
    """

    times: tuple[time, ...]
    duration_s: float = DEFAULT_FEED_S
    after_feed_window_s: float = DEFAULT_AFTER_FEED_WINDOW_S
    caregiver: tuple[Window, ...] = ()
    first: date | None = None
    last: date | None = None
    # Windows she feeds or pumps just before, so a run may fill the window without fitting
    # between feeds (a proposal she accepted, issue #14); the rule is lifted there as for a
    # caregiver.
    pumped: tuple[Window, ...] = ()

    def __post_init__(self) -> None:
        if not self.times:
            raise InputError("a feeding schedule needs at least one feed time")
        if not 0 < self.duration_s <= 4 * 3600:
            raise InputError(f"a feed of {self.duration_s / 60:.0f} min is out of range (1–240)")
        if not 0 <= self.after_feed_window_s <= 12 * 3600:
            raise InputError("the time to start after a feed must be between 0 and 12 h")
        ordered = sorted(self.times)
        if len(set(ordered)) != len(ordered):
            raise InputError("two feeds start at the same time")
        object.__setattr__(self, "times", tuple(ordered))

    def applies_on(self, day: date) -> bool:
        return (self.first is None or self.first <= day) and (self.last is None or day <= self.last)

    def caregiver_on(self, day: date) -> list[tuple[time, time]]:
        """Where the feed rule does not apply on ``day``: a caregiver has the baby, or she fed
        or pumped just before the window."""
        return _merge(
            [
                (w.start, w.end)
                for w in (*self.caregiver, *self.pumped)
                if w.weekday == day.weekday()
            ]
        )

    @classmethod
    def every(
        cls,
        interval_s: float,
        start: time,
        end: time,
        duration_s: float = DEFAULT_FEED_S,
        *,
        after_feed_window_s: float = DEFAULT_AFTER_FEED_WINDOW_S,
        caregiver: tuple[Window, ...] = (),
    ) -> FeedSchedule:
        """Feeds every ``interval_s`` of clock time from ``start`` to ``end`` (the last feed
        starts at or before ``end``). Clock time, not elapsed time: on a daylight-saving day the
        06:00 feed is still at 06:00 on the kitchen clock."""
        if interval_s < 15 * 60:
            raise InputError("feeds closer than every 15 min cannot be scheduled around")
        if interval_s <= duration_s:
            raise InputError("each feed would last until the next one starts")
        _check_order(start, end, allow_equal=True)
        day = date(2000, 1, 3)  # any date: only the clock times matter
        at, stop = datetime.combine(day, start), datetime.combine(day, end)
        times = []
        while at <= stop:
            times.append(at.time())
            at += timedelta(seconds=interval_s)
        return cls(
            times=tuple(times),
            duration_s=duration_s,
            after_feed_window_s=after_feed_window_s,
            caregiver=caregiver,
        )


def race_morning_feed(race_start: time, feeds: FeedSchedule) -> tuple[time, time]:
    """When to feed or pump before a race that starts at ``race_start``: ending so the start
    falls inside the after-feed window (at most 45 min before it: time to reach the line and
    warm up), the same rule as any run. Raises when the feed would begin before midnight."""
    lead = min(feeds.after_feed_window_s, DEFAULT_AFTER_FEED_WINDOW_S)
    day = date(2000, 1, 3)
    end = datetime.combine(day, race_start) - timedelta(seconds=lead)
    begin = end - timedelta(seconds=feeds.duration_s)
    if begin.date() != day:
        raise InputError(
            f"a race at {_hhmm(race_start)} leaves no time to feed before it on race morning",
            hint="give the race start as HH:MM, e.g. 08:30",
        )
    return begin.time(), end.time()


def _check_order(start: time, end: time, *, allow_equal: bool = False) -> None:
    if end < start or (end == start and not allow_equal):
        raise InputError(
            f"{_hhmm(start)}-{_hhmm(end)} ends before it starts",
            hint="windows cannot cross midnight: split one into two days",
        )


def _merge(spans: Iterable[tuple[time, time]]) -> list[tuple[time, time]]:
    merged: list[tuple[time, time]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _hhmm(t: time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


# ── Parsing what a runner types ─────────────────────────────────────────────────────────────

_DAY_NAMES = {name: i for i, name in enumerate(WEEKDAYS)} | {
    "monday": 0,
    "tuesday": 1,
    "tues": 1,
    "wednesday": 2,
    "thursday": 3,
    "thur": 3,
    "thurs": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)h)?\s*(?:(\d+)\s*(?:m|min))?$")


def parse_time(text: str) -> time:
    """``"05:30"`` → 05:30. Minutes are whole; windows cannot end at 24:00 (use 23:59)."""
    match = _TIME.match(text.strip())
    if not match:
        raise InputError(
            f"could not read '{text}' as a time: use HH:MM on a 24-hour clock, e.g. 05:30"
        )
    return time(int(match.group(1)), int(match.group(2)))


def parse_duration(text: str) -> float:
    """``"30m"``, ``"45min"``, ``"3h"``, ``"1h30m"`` or a bare number of minutes → seconds."""
    key = text.strip().lower().replace(" ", "")
    if key.isascii() and key.isdigit():
        seconds = int(key) * 60.0
    else:
        match = _DURATION.match(key)
        if not key or not match or not any(match.groups()):
            raise InputError(f"could not read '{text}' as a duration: use e.g. 30m, 3h or 1h30m")
        hours, minutes = match.groups()
        seconds = float(hours or 0) * 3600.0 + int(minutes or 0) * 60.0
    if seconds > 24 * 3600.0:
        # Found by tests/fuzz: an absurd interval overflowed the date arithmetic.
        raise InputError(f"'{text}' is longer than a day", hint="for example 30m, 3h or 1h30m")
    return seconds


def parse_days(text: str) -> tuple[int, ...]:
    """``"mon-fri"``, ``"sat,sun"``, ``"fri-mon"`` (wraps), ``"daily"`` → weekdays, 0 = Monday."""
    key = text.strip().lower()
    if key in ("daily", "every-day", "everyday", "all"):
        return tuple(range(7))
    if key == "weekdays":
        return (0, 1, 2, 3, 4)
    if key == "weekends":
        return (5, 6)
    days: list[int] = []
    for part in key.split(","):
        ends = part.split("-")
        if len(ends) > 2 or not all(e in _DAY_NAMES for e in ends):
            raise InputError(
                f"could not read '{text}' as days: use mon, tue, … or ranges like mon-fri"
            )
        first, last = _DAY_NAMES[ends[0]], _DAY_NAMES[ends[-1]]
        span = (last - first) % 7
        days += [(first + k) % 7 for k in range(span + 1)]
    return tuple(sorted(set(days)))


def parse_windows(texts: Sequence[str]) -> tuple[Window, ...]:
    """``["mon-fri 05:30-07:00", "sat 07:00-10:30"]`` → weekly windows. A day set may carry
    several time ranges: ``"tue,thu 05:30-06:30,19:00-20:00"``."""
    windows: list[Window] = []
    for text in texts:
        parts = text.split()
        if len(parts) != 2:
            raise InputError(
                f"could not read '{text}' as a window: use days then times, e.g. "
                "'mon-fri 05:30-07:00'"
            )
        days = parse_days(parts[0])
        for span in parts[1].split(","):
            ends = span.split("-")
            if len(ends) != 2:
                raise InputError(
                    f"could not read '{span}' as a time range: use start-end, e.g. 05:30-07:00"
                )
            start, end = parse_time(ends[0]), parse_time(ends[1])
            windows += [Window(day, start, end) for day in days]
    return tuple(windows)


def parse_feeds(
    *,
    every: str,
    start: str,
    end: str,
    duration: str = "30m",
    after_feed: str = "45m",
) -> FeedSchedule:
    """``every="3h", start="06:00", end="21:00", duration="30m"`` → feeds at 06:00 … 21:00."""
    return FeedSchedule.every(
        parse_duration(every),
        parse_time(start),
        parse_time(end),
        parse_duration(duration),
        after_feed_window_s=parse_duration(after_feed),
    )


def parse_feed_times(text: str, *, duration: str = "30m", after_feed: str = "45m") -> FeedSchedule:
    """``"06:00,09:30,13:00"`` → feeds at those clock times every day."""
    parts = [p for p in text.replace(" ", "").split(",") if p]
    if not parts:
        raise InputError("no feed times given: use e.g. 06:00,09:30,13:00")
    return FeedSchedule(
        times=tuple(parse_time(p) for p in parts),
        duration_s=parse_duration(duration),
        after_feed_window_s=parse_duration(after_feed),
    )


def parse_date_range(text: str) -> tuple[date, date]:
    """``"2027-03-03"`` or ``"2027-03-03..2027-03-06"`` → (first, last)."""
    ends = text.strip().split("..")
    try:
        dates = [date.fromisoformat(e.strip()) for e in ends]
    except ValueError:
        dates = []
    if len(ends) > 2 or not dates:
        raise InputError(
            f"could not read '{text}' as dates: use 2027-03-03 or 2027-03-03..2027-03-06"
        )
    if dates[-1] < dates[0]:
        raise InputError(f"'{text}' ends before it starts")
    return dates[0], dates[-1]
