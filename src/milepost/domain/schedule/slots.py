"""Where a session may start: windows, exceptions and the feed rule turned into real minutes.

Time is counted in whole minutes since a UTC epoch, so a start is a plain integer for CP-SAT and
durations are real elapsed minutes. Local clock times (windows, feeds) become instants through
``zoneinfo``, which is what makes daylight-saving days right: on the spring-forward Sunday a
05:30–07:00 window still opens at 05:30 on the kitchen clock, a 01:30–03:30 window lasts one real
hour, and in autumn a 01:00–02:00 window lasts two. A local time that does not exist (02:30 on the
spring-forward night) is read with ``fold=0``, so a window inside the gap has no length.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from milepost.domain.availability import Availability, FeedSchedule
from milepost.domain.plan.model import Session, SessionKind

Span = tuple[int, int]  # a closed range of start minutes [first, last]
FAR = 10**9  # "no bound" in minutes

# How much a session is worth keeping when the week cannot hold everything: the long run and
# quality carry the week's training effect (Daniels' quality days); easy running and strength
# are what a crowded week gives up first.
KEEP_WEIGHT = {
    SessionKind.RACE: 20,
    SessionKind.LONG: 10,
    SessionKind.MARATHON_PACE: 8,
    SessionKind.THRESHOLD: 8,
    SessionKind.INTERVAL: 8,
    SessionKind.REPETITION: 8,
    SessionKind.FARTLEK: 6,
    SessionKind.STRIDES: 4,
    SessionKind.EASY: 4,
    SessionKind.CROSS: 2,
    SessionKind.STRENGTH: 2,
}

LABEL = {
    SessionKind.EASY: "easy run",
    SessionKind.LONG: "long run",
    SessionKind.MARATHON_PACE: "marathon-pace run",
    SessionKind.THRESHOLD: "threshold run",
    SessionKind.INTERVAL: "interval session",
    SessionKind.REPETITION: "repetition session",
    SessionKind.FARTLEK: "fartlek",
    SessionKind.STRIDES: "easy run with strides",
    SessionKind.RACE: "race",
    SessionKind.STRENGTH: "strength session",
    SessionKind.CROSS: "cross-training session",
    SessionKind.REST: "rest",
}


@dataclass(frozen=True)
class Clock:
    """Local dates and clock times ↔ whole minutes since ``epoch`` (UTC)."""

    zone: ZoneInfo
    epoch: datetime

    @classmethod
    def starting(cls, zone: ZoneInfo, first: date) -> Clock:
        return cls(zone, datetime.combine(first, time(0), tzinfo=zone).astimezone(UTC))

    def minute(self, day: date, at: time) -> int:
        # Subtract in UTC: two datetimes sharing a tzinfo subtract as wall-clock times, which
        # would lose (or gain) the daylight-saving hour.
        instant = datetime.combine(day, at, tzinfo=self.zone).astimezone(UTC)
        return math.floor((instant - self.epoch).total_seconds() / 60)

    def minute_of(self, instant: datetime) -> int:
        return math.floor((instant.astimezone(UTC) - self.epoch).total_seconds() / 60)

    def at(self, minute: int) -> datetime:
        return (self.epoch + timedelta(minutes=minute)).astimezone(self.zone)


@dataclass(frozen=True)
class Item:
    """One session to place: plan day, index in that day, its minutes, and a pin if any."""

    date: date
    index: int
    session: Session
    duration_min: int
    occupy_min: int  # the session plus, for a run, the changing/shower buffer
    pinned_start: int | None = None

    @property
    def is_run(self) -> bool:
        return self.session.is_run

    @property
    def is_hard(self) -> bool:
        # The same test as Day.is_hard: quality or the long run needs an easy day after it.
        return self.session.is_quality or self.session.kind is SessionKind.LONG

    @property
    def is_strength(self) -> bool:
        return self.session.kind is SessionKind.STRENGTH

    @property
    def is_key(self) -> bool:
        """The long run and quality: the sessions a week is for, kept before anything else."""
        return self.is_hard and self.session.kind is not SessionKind.RACE

    @property
    def keep_weight(self) -> int:
        return KEEP_WEIGHT.get(self.session.kind, 1)

    @property
    def label(self) -> str:
        return LABEL[self.session.kind]


def session_minutes(session: Session) -> int:
    """Whole minutes, rounded up; a session given only by distance uses its slow pace."""
    seconds = session.duration_s
    if seconds <= 0 and session.distance_m > 0 and session.pace_s_per_km is not None:
        seconds = session.distance_m / 1000.0 * max(session.pace_s_per_km)
    return max(1, math.ceil(seconds / 60 - 1e-9))


@dataclass
class Landscape:
    """The runner's hours over the horizon: windows minus exceptions, under the feed rule."""

    availability: Availability
    feeds: FeedSchedule | None
    clock: Clock
    closed: frozenset[date]
    _cache: dict[tuple[date, int, bool], list[Span]] = field(default_factory=dict)

    @property
    def buffer_min(self) -> int:
        return math.ceil(self.availability.buffer_s / 60 - 1e-9)

    def starts(self, item: Item, day: date) -> list[Span]:
        """Every minute at which ``item`` may start on local date ``day`` (empty: it cannot)."""
        key = (day, item.occupy_min, item.is_run)
        if key not in self._cache:
            if day in self.closed:
                self._cache[key] = []
            else:
                spans = self.window_starts(day, item.occupy_min)
                if spans:
                    spans = intersect(spans, self.feed_starts(day, item.occupy_min, item.is_run))
                self._cache[key] = spans
        return self._cache[key]

    def window_starts(self, day: date, occupy_min: int) -> list[Span]:
        spans = []
        for start, end in self.availability.windows_on(day):
            first, last = self.clock.minute(day, start), self.clock.minute(day, end) - occupy_min
            if last >= first:
                spans.append((first, last))
        return spans

    def feeds_near(self, day: date) -> list[Span]:
        """Feeds from the day before to the day after, as [start, end) minutes."""
        if self.feeds is None:
            return []
        feed_min = math.ceil(self.feeds.duration_s / 60 - 1e-9)
        out = []
        for offset in (-1, 0, 1):
            other = day + timedelta(days=offset)
            if self.feeds.applies_on(other):
                for at in self.feeds.times:
                    begin = self.clock.minute(other, at)
                    out.append((begin, begin + feed_min))
        return sorted(out)

    def feed_starts(self, day: date, occupy_min: int, is_run: bool) -> list[Span]:
        feeds = self.feeds
        if feeds is None or not feeds.applies_on(day):
            return [(-FAR, FAR)]
        timeline = self.feeds_near(day)
        if is_run:
            # The rule of issue #5: start within the window after a feed ends, and be back
            # (buffer included) before the next one starts.
            after = math.floor(feeds.after_feed_window_s / 60)
            allowed = []
            if not feeds.applies_on(day - timedelta(days=1)):
                allowed.append((-FAR, timeline[0][0] - occupy_min))
            for (_, end), (nxt, _) in pairwise(timeline):
                allowed.append((end, min(end + after, nxt - occupy_min)))
            if not feeds.applies_on(day + timedelta(days=1)):
                allowed.append((timeline[-1][1], FAR))
        else:
            # Strength and cross-training only have to stay clear of every feed.
            forbidden = [(begin - occupy_min + 1, end - 1) for begin, end in timeline]
            allowed = subtract([(-FAR, FAR)], forbidden)
        caregiver = [
            (self.clock.minute(day, s), self.clock.minute(day, e) - occupy_min)
            for s, e in feeds.caregiver_on(day)
        ]
        return union([*allowed, *caregiver])

    def why_not(self, item: Item, day: date) -> tuple[str, bool]:
        """Why ``item`` cannot start on ``day``, and whether the clause names the session."""
        name = weekday_name(day)
        what = f"the {human_minutes(item.duration_min)} {item.label}"
        exception = self.availability.exception_on(day)
        if day in self.closed:
            return f"{name} is kept free", False
        if exception is not None and not self.availability.extra_on(day):
            reason = f" ({exception.reason})" if exception.reason else ""
            return f"{name} is unavailable{reason}", False
        if not self.availability.windows_on(day):
            return f"there is no window on {name}", False
        if not self.window_starts(day, item.occupy_min):
            return f"no window on {name} fits {what}", True
        return f"no time on {name} between feeds fits {what}", True


def union(spans: Iterable[Span]) -> list[Span]:
    out: list[Span] = []
    for first, last in sorted(s for s in spans if s[1] >= s[0]):
        if out and first <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(last, out[-1][1]))
        else:
            out.append((first, last))
    return out


def intersect(a: list[Span], b: list[Span]) -> list[Span]:
    out = []
    for a0, a1 in a:
        for b0, b1 in b:
            lo, hi = max(a0, b0), min(a1, b1)
            if lo <= hi:
                out.append((lo, hi))
    return union(out)


def subtract(a: list[Span], forbidden: list[Span]) -> list[Span]:
    out = union(a)
    for f0, f1 in union(forbidden):
        nxt = []
        for a0, a1 in out:
            if f1 < a0 or f0 > a1:
                nxt.append((a0, a1))
                continue
            if a0 < f0:
                nxt.append((a0, f0 - 1))
            if f1 < a1:
                nxt.append((f1 + 1, a1))
        out = nxt
    return out


def weekday_name(day: date) -> str:
    return ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[day.weekday()]


def human_minutes(minutes: int) -> str:
    """``130`` → ``2 h 10``; ``120`` → ``2 h``; ``50`` → ``50 min`` (how runners say it)."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def clock_text(instant: datetime) -> str:
    return f"{weekday_name(instant.date())} {instant:%H:%M}"
