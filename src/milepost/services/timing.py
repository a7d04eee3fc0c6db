"""Placing a derived plan in the runner's real hours: the body a revision stores gets times."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from milepost.domain.adapt import Adaptation, Level
from milepost.domain.adapt.edits import Edit
from milepost.domain.availability import Availability, FeedSchedule
from milepost.domain.plan.request import monday_of
from milepost.domain.schedule import Pin, ScheduleOptions, schedule


def schedule_body(
    body: dict[str, Any],
    adaptation: Adaptation,
    life: tuple[Availability, FeedSchedule | None] | None,
    edits: list[Edit],
    timezone: str,
    today: date,
    long_run_day: int | None,
) -> None:
    """Give the body's sessions their start and end times, from today's week on (in place).

    Sessions the scheduler moves go to their new day; dropped ones leave the day; every move
    and drop is said in the day's ``schedule_notes``.
    """
    if life is None or not life[0].windows:
        return
    availability, feeds = life
    plan = adaptation.plan
    first = max(monday_of(today), plan.starts)
    days = [d for d in plan.days() if first <= d.date <= plan.race.date]
    if not days:
        return
    zone_tz = ZoneInfo(timezone)
    closed = frozenset(
        on for on, rules in adaptation.rules.items() if rules.level >= Level.CROSS_ONLY
    )
    pins = [
        Pin(e.on, e.index, datetime.combine(e.on, e.at, zone_tz))
        for e in edits
        if e.kind == "pin" and e.at is not None and e.on >= first
    ]
    result = schedule(
        days,
        replace(availability, tz=timezone),
        feeds,
        pins,
        timezone,
        options=ScheduleOptions(long_run_weekday=long_run_day, closed_dates=closed),
    )
    by_date = {d["date"]: d for w in body["weeks"] for d in w["days"]}
    originals = {key: list(day["sessions"]) for key, day in by_date.items()}
    scheduled_dates = {d.date.isoformat() for d in days}
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
            day.setdefault("schedule_notes", []).append(
                {"kind": explanation.kind, "text": explanation.text}
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
