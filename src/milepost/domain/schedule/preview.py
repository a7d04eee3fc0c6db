"""What a schedule does to the plan, for the runner to see before she saves her hours: placed
volume against the plan per week, the biggest losses by name, and feed times that leave a
window no room for any run.

Pure: the caller passes the plan's days and the scheduler's answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from milepost.domain.availability import Availability, FeedSchedule, Window
from milepost.domain.plan.model import Day, Session, SessionKind
from milepost.domain.plan.request import WEEKDAYS, monday_of
from milepost.domain.schedule.model import ScheduleResult
from milepost.domain.schedule.slots import Clock, Item, Landscape, human_minutes, session_minutes


@dataclass(frozen=True)
class WeekVolume:
    monday: date
    planned_m: float  # running distance the plan asks for
    placed_m: float  # what the runner's hours hold (shortened runs count their part)

    @property
    def lost_m(self) -> float:
        return max(0.0, self.planned_m - self.placed_m)


@dataclass(frozen=True)
class Loss:
    date: date  # the plan day
    minutes: int  # training minutes lost (a whole session, or the part cut)
    text: str  # the scheduler's sentence
    warning: bool  # a key session dropped


def volume_by_week(days: Sequence[Day], result: ScheduleResult) -> list[WeekVolume]:
    planned: dict[date, float] = {}
    placed: dict[date, float] = {}
    for day in days:
        week = monday_of(day.date)
        planned[week] = planned.get(week, 0.0) + day.run_m
        placed.setdefault(week, 0.0)
    for p in result.placements:
        if p.session.is_run:
            week = monday_of(p.date)
            placed[week] = placed.get(week, 0.0) + p.session.distance_m
    return [WeekVolume(m, planned[m], placed.get(m, 0.0)) for m in sorted(planned)]


def biggest_losses(days: Sequence[Day], result: ScheduleResult, count: int = 3) -> list[Loss]:
    """The dropped and shortened sessions that cost the most minutes, biggest first."""
    sessions = {(d.date, i): s for d in days for i, s in enumerate(d.sessions)}
    placed = {(p.date, p.index_in_day): p for p in result.placements}
    out = []
    for e in result.explanations:
        key = (e.date, e.index_in_day or 0)
        if e.kind not in ("dropped", "shortened") or key not in sessions:
            continue
        whole = session_minutes(sessions[key])
        kept = placed.get(key)
        lost = whole - (round(kept.session.duration_s / 60) if kept else 0)
        if lost > 0:
            out.append(Loss(e.date, lost, e.text, e.warning))
    return sorted(out, key=lambda loss: (-loss.minutes, loss.date))[:count]


# A representative week (any: only clock times matter here) on a zone without clock changes.
_WEEK = date(2001, 1, 1)  # a Monday
_UTC = ZoneInfo("UTC")


def longest_run_in(window: Window, feeds: FeedSchedule | None, buffer_s: float) -> int:
    """The longest run (whole minutes) that fits in ``window`` under the feed rule."""
    day = _WEEK + timedelta(days=window.weekday)
    land = Landscape(
        Availability((window,), buffer_s=buffer_s),
        feeds,
        Clock.starting(_UTC, _WEEK - timedelta(days=1)),
        frozenset(),
    )
    probe = _probe(1, land.buffer_min)
    if not land.starts(probe, day):
        return 0
    low, high = 1, 24 * 60
    while low < high:  # the longest minutes that still have a start
        mid = (low + high + 1) // 2
        if land.starts(_probe(mid, land.buffer_min), day):
            low = mid
        else:
            high = mid - 1
    return low


def _probe(minutes: int, buffer_min: int) -> Item:
    run = Session(SessionKind.EASY, "probe", "", duration_s=minutes * 60.0)
    return Item(_WEEK, 0, run, minutes, minutes + buffer_min)


def feed_collisions(
    availability: Availability, feeds: FeedSchedule | None, shortest_run_min: int
) -> list[str]:
    """A sentence for each group of weekly windows in which feeds leave no room for even the
    plan's shortest run, naming the feed times that fall inside them. Empty: every window holds
    a run."""
    if feeds is None or not availability.windows:
        return []
    groups: dict[tuple[time, time, tuple[time, ...]], list[int]] = {}
    for window in availability.windows:
        if longest_run_in(window, feeds, availability.buffer_s) >= shortest_run_min:
            continue
        inside = tuple(
            t for t in feeds.times if _overlaps(t, feeds.duration_s, window.start, window.end)
        )
        groups.setdefault((window.start, window.end, inside), []).append(window.weekday)
    out = []
    for (start, end, inside), weekdays in groups.items():
        days = _days_text(weekdays)
        span = f"{start:%H:%M}–{end:%H:%M}"
        if inside:
            names = " and ".join(f"{t:%H:%M}" for t in inside)
            feed = "feed falls" if len(inside) == 1 else "feeds fall"
            out.append(
                f"the {names} {feed} inside the {days} {span} window: no run of "
                f"{human_minutes(shortest_run_min)} fits there between feeds"
            )
        else:
            out.append(
                f"the {days} {span} window starts too long after a feed: no run of "
                f"{human_minutes(shortest_run_min)} fits there"
            )
    return out


def every_window_collides(
    availability: Availability, feeds: FeedSchedule | None, shortest_run_min: int
) -> bool:
    """True when feeds leave no window of the week room for a run: the plan is impossible."""
    if feeds is None or not availability.windows:
        return False
    return all(
        longest_run_in(w, feeds, availability.buffer_s) < shortest_run_min
        for w in availability.windows
    )


def _overlaps(feed: time, duration_s: float, start: time, end: time) -> bool:
    begin = datetime.combine(_WEEK, feed)
    finish = begin + timedelta(seconds=duration_s)
    return begin < datetime.combine(_WEEK, end) and datetime.combine(_WEEK, start) < finish


def _days_text(weekdays: list[int]) -> str:
    ordered = sorted(set(weekdays))
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{WEEKDAYS[ordered[0]].title()}–{WEEKDAYS[ordered[-1]].title()}"
    return ", ".join(WEEKDAYS[d].title() for d in ordered)
