"""Placing a derived plan in the runner's real hours: the body a revision stores gets times.

Each week's schedule is kept in a per-process cache keyed by everything the week depends on
(its sessions, the hours and feeds of its days, the edges it shares with its neighbours), so a
re-plan re-solves only the weeks an input touched (issue #14).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterator, MutableMapping
from dataclasses import replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from milepost.domain.adapt import Adaptation, Level
from milepost.domain.adapt.edits import Edit
from milepost.domain.availability import Availability, FeedSchedule, race_morning_feed
from milepost.domain.plan.model import Day, SessionKind
from milepost.domain.plan.request import monday_of
from milepost.domain.schedule import Pin, ScheduleOptions, ScheduleResult, WeekOutcome, schedule
from milepost.errors import InputError


class WeekCache(MutableMapping[Hashable, WeekOutcome]):
    """The most recently used ``size`` weeks (a 24-week plan is 24 entries an input set).
    Thread-safe: the web app serves requests from a thread pool."""

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self._data: OrderedDict[Hashable, WeekOutcome] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __getitem__(self, key: Hashable) -> WeekOutcome:
        with self._lock:
            try:
                value = self._data[key]
            except KeyError:
                self.misses += 1
                raise
            self.hits += 1
            self._data.move_to_end(key)
            return value

    def __setitem__(self, key: Hashable, value: WeekOutcome) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def __delitem__(self, key: Hashable) -> None:
        with self._lock:
            del self._data[key]

    def __iter__(self) -> Iterator[Hashable]:
        with self._lock:
            return iter(list(self._data))

    def __len__(self) -> int:
        return len(self._data)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


WEEKS = WeekCache()


def schedule_body(
    body: dict[str, Any],
    adaptation: Adaptation,
    life: tuple[Availability, FeedSchedule | None] | None,
    edits: list[Edit],
    timezone: str,
    today: date,
    long_run_day: int | None,
    *,
    cache: MutableMapping[Hashable, WeekOutcome] | None = WEEKS,
) -> ScheduleResult | None:
    """Give the body's sessions their start and end times, from today's week on (in place).

    Sessions the scheduler moves go to their new day; dropped ones leave the day; every move
    and drop is said in the day's ``schedule_notes`` (``warning`` when a key session is lost).
    A race start time on file pins the race and adds race morning's feed to its day. Returns
    the scheduler's answer (None when there is nothing to place).
    """
    if life is None or not life[0].windows:
        return None
    availability, feeds = life
    placing = placing_inputs(adaptation, availability, edits, timezone, today, long_run_day)
    if placing is None:
        return None
    days, pins, options = placing
    race_pin = [p for p in pins if p.date == adaptation.plan.race.date and _is_race(days, p)]
    result = schedule(
        days,
        replace(availability, tz=timezone),
        feeds,
        pins,
        timezone,
        options=options,
        cache=cache,
    )
    by_date = {d["date"]: d for w in body["weeks"] for d in w["days"]}
    originals = {key: list(day["sessions"]) for key, day in by_date.items()}
    scheduled_dates = {d.date.isoformat() for d in days}
    first = days[0].date
    for key in scheduled_dates:
        by_date[key]["sessions"] = [s for s in originals[key] if s["kind"] == "rest"]
        by_date[key].setdefault("schedule_notes", [])
    for placement in result.placements:
        session = dict(originals[placement.date.isoformat()][placement.index_in_day])
        session["start"] = placement.start.isoformat()
        session["end"] = placement.end.isoformat()
        target = by_date.get(placement.on.isoformat())
        if target is None:
            continue
        if session["kind"] != "rest":
            target["sessions"] = [s for s in target["sessions"] if s["kind"] != "rest"]
        target["sessions"].append(session)
    for explanation in result.explanations:
        day = by_date.get(explanation.date.isoformat())
        if day is not None:
            note: dict[str, Any] = {"kind": explanation.kind, "text": explanation.text}
            if explanation.warning:
                note["warning"] = True
            day.setdefault("schedule_notes", []).append(note)
    if race_pin and feeds is not None:
        # The race's start as placed: the start time on file, or the runner's own pin.
        start = race_pin[0].start.astimezone(ZoneInfo(timezone)).time()
        race_day = by_date.get(race_pin[0].date.isoformat())
        try:
            begin, end = race_morning_feed(start, feeds)
        except InputError:  # a start just after midnight: no feed fits before it that day
            race_day = None
        if race_day is not None:
            race_day.setdefault("schedule_notes", []).append(
                {
                    "kind": "race_morning",
                    "text": f"Race morning: feed or pump {begin:%H:%M}–{end:%H:%M}, then go: "
                    f"the start is at {start:%H:%M}.",
                }
            )
    for key in scheduled_dates:
        day = by_date[key]
        day["sessions"].sort(key=lambda s: s.get("start") or "")
        if not day["sessions"]:
            day["sessions"] = [s for s in originals[key] if s["kind"] == "rest"] or [
                {
                    "kind": "rest",
                    "title": "Rest",
                    "distance_m": 0.0,
                    "duration_s": 0.0,
                    "pace_s_per_km": None,
                    "description": "Rest day.",
                    "segments": [],
                    "exercises": [],
                }
            ]
    body["schedule"] = {
        "status": result.stats.status,
        "wall_time_s": round(result.stats.wall_time_s, 3),
        "from": first.isoformat(),
    }
    return result


def placing_inputs(
    adaptation: Adaptation,
    availability: Availability,
    edits: list[Edit],
    timezone: str,
    today: date,
    long_run_day: int | None,
) -> tuple[list[Day], list[Pin], ScheduleOptions] | None:
    """What the scheduler is given for a derived plan: its days from today's week to the race,
    the runner's pins (and the race at its start time), and the options (days an episode keeps
    free, sessions she moved, her long-run day). None when no day is left to place."""
    plan = adaptation.plan
    first = max(monday_of(today), plan.starts)
    days = [d for d in plan.days() if first <= d.date <= plan.race.date]
    if not days:
        return None
    zone_tz = ZoneInfo(timezone)
    closed = frozenset(
        on for on, rules in adaptation.rules.items() if rules.level >= Level.CROSS_ONLY
    )
    pins = [
        Pin(e.on, e.index, datetime.combine(e.on, e.at, zone_tz))
        for e in edits
        if e.kind == "pin" and e.at is not None and e.on >= first
    ]
    pins += _race_pin(days, availability, zone_tz, pins)
    # A session the runner moved stays on the day she chose (another time, or shorter).
    fixed = frozenset(
        (e.to, i)
        for e in edits
        if e.kind == "move" and e.to is not None and e.to >= first
        for d in days
        if d.date == e.to
        for i, s in enumerate(d.sessions)
        if s.is_run
    )
    options = ScheduleOptions(long_run_weekday=long_run_day, closed_dates=closed, fixed=fixed)
    return days, pins, options


def _is_race(days: list[Day], pin: Pin) -> bool:
    day = next((d for d in days if d.date == pin.date), None)
    return day is not None and day.sessions[pin.index_in_day].kind is SessionKind.RACE


def _race_pin(
    days: list[Day], availability: Availability, zone: ZoneInfo, pins: list[Pin]
) -> list[Pin]:
    """The race at its start time, unless the runner pinned it herself."""
    if availability.race_start is None:
        return []
    for day in days:
        for index, session in enumerate(day.sessions):
            if session.kind is SessionKind.RACE and not any(
                p.date == day.date and p.index_in_day == index for p in pins
            ):
                start = datetime.combine(day.date, availability.race_start, zone)
                return [Pin(day.date, index, start)]
    return []
