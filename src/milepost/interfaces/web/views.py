"""Shaping what the services return into what a template or a chart draws. No rules here:
only picking, ordering and unit conversion for display."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo

from milepost.bootstrap import Milepost
from milepost.domain.availability import FeedSchedule, Window
from milepost.domain.plan.model import SessionKind
from milepost.domain.plan.request import WEEKDAYS
from milepost.domain.units import Units
from milepost.services.planning import CurrentPlan, Replan, Today, upcoming_guidance
from milepost.services.scheduling import SchedulingService, schedule_summary


def _clock(iso: str, zone: ZoneInfo) -> str:
    return f"{datetime.fromisoformat(iso).astimezone(zone):%H:%M}"


def session_times(body_day: dict[str, Any] | None, timezone: str) -> list[str | None]:
    """Each session's "06:00–06:50" in the athlete's zone (None where it is not placed), in
    the order of the day's sessions (the plan is read from this same body, in this order)."""
    if not body_day:
        return []
    zone = ZoneInfo(timezone)
    return [
        f"{_clock(s['start'], zone)}–{_clock(s['end'], zone)}" if s.get("start") else None
        for s in body_day["sessions"]
    ]


def schedule_notes(body_day: dict[str, Any] | None) -> list[str]:
    return [note["text"] for note in (body_day or {}).get("schedule_notes", [])]


def _timeline(
    feeds: FeedSchedule | None, on: date, sessions: tuple[Any, ...], times: list[str | None]
) -> list[dict[str, Any]]:
    """The day in clock order: each session (by its index) and, around each placed one, the feed
    before it and the feed after it. Not every feed: the phone screen shows what the run sits
    between, not the whole day's feeding."""
    times = times + [None] * (len(sessions) - len(times))
    entries: list[dict[str, Any]] = [
        {"kind": "session", "index": i, "at": (t or "")[:5]} for i, t in enumerate(times)
    ]
    if feeds is not None and any(times) and feeds.applies_on(on):
        clock = [f"{t:%H:%M}" for t in feeds.times]
        near: set[str] = set()
        for placed in filter(None, times):
            start, end = placed[:5], placed[-5:]
            before = [c for c in clock if c <= start]  # feeds.times is sorted
            after = [c for c in clock if c >= end]
            near.update(before[-1:] + after[:1])
        minutes = round(feeds.duration_s / 60)
        entries += [{"kind": "feed", "at": f, "what": f"Feed ({minutes} min)"} for f in near]
    return sorted(entries, key=lambda e: e["at"])


def plan_weeks(current: CurrentPlan, feeds: FeedSchedule | None = None) -> list[dict[str, Any]]:
    """The stored revision's weeks (with each day's guidance, session times and the scheduler's
    notes; feed times around placed sessions), marking this week and today."""
    today = current.today
    weeks = []
    for plan_week, body_week in zip(current.plan.weeks, current.body["weeks"], strict=True):
        days = []
        for plan_day, body_day in zip(plan_week.days, body_week["days"], strict=True):
            times = session_times(body_day, current.athlete.timezone)
            days.append(
                {
                    "date": plan_day.date,
                    "sessions": plan_day.sessions,
                    "times": times,
                    "timeline": _timeline(feeds, plan_day.date, plan_day.sessions, times),
                    "schedule_notes": schedule_notes(body_day),
                    "guidance": body_day.get("guidance", []),
                    "is_today": plan_day.date == today,
                    "is_past": plan_day.date < today,
                    "provisional": bool(body_day.get("provisional")),
                    "stage": body_day.get("stage", ""),
                    "adjusted": body_day.get("adjusted", ""),
                }
            )
        for day in days:  # where a session of this day can be moved to, from the week's rest
            day["move_to"] = [o["date"] for o in days if o is not day and not o["is_past"]]
        weeks.append(
            {
                "number": plan_week.number,
                "starts": plan_week.starts,
                "ends": plan_week.ends,
                "phase": plan_week.phase.label,
                "cutback": plan_week.cutback,
                "focus": plan_week.focus,
                "total_m": plan_week.total_m,
                "countdown": plan_week.countdown(len(current.plan.weeks)),
                "days": days,
                "is_current": plan_week.starts <= today <= plan_week.ends,
                # The same picks as the CLI's plan summary: quality sessions and the long run.
                "key_sessions": [
                    s.title
                    for d in plan_week.days
                    for s in d.sessions
                    if s.is_quality or s.kind is SessionKind.LONG
                ],
            }
        )
    return weeks


def week_rows(current: CurrentPlan) -> list[dict[str, Any]]:
    """The weeks at a glance (the Plan page's table, a coach's view): no day is laid out."""
    today = current.today
    n = len(current.plan.weeks)
    return [
        {
            "number": w.number,
            "starts": w.starts,
            "ends": w.ends,
            "phase": w.phase.label,
            "cutback": w.cutback,
            "total_m": w.total_m,
            "countdown": w.countdown(n),
            "is_current": w.starts <= today <= w.ends,
            "key_sessions": [
                s.title
                for d in w.days
                for s in d.sessions
                if s.is_quality or s.kind is SessionKind.LONG
            ],
        }
        for w in current.plan.weeks
    ]


def weekly_volume(mine: Milepost, current: CurrentPlan) -> dict[str, Any]:
    """Planned and done volume per plan week, in the plan's units, for the chart. "Done" comes
    from the training log for the weeks that have begun (None for weeks still ahead)."""
    units = Units(current.plan.units) if current.plan.units in ("km", "mi") else Units.KM
    planned = [round(week.total_m / units.metres, 1) for week in current.plan.weeks]
    done = [
        None if m is None else round(m / units.metres, 1)
        for m in mine.logbook.done_by_week(current)
    ]
    return {
        "unit": units.value,
        "labels": [f"W{w.number}" for w in current.plan.weeks],
        "planned": planned,
        "done": done,
    }


def today_view(t: Today) -> dict[str, Any]:
    return {
        "times": session_times(t.body_day, t.athlete.timezone),
        "schedule_notes": schedule_notes(t.body_day),
    }


def replan_context(replan: Replan | None, today: date) -> dict[str, Any]:
    """What the re-plan partial shows: the CLI's screen, in HTML."""
    if replan is None:
        return {"replan": None}
    return {
        "replan": replan,
        "changes": sorted(replan.added, key=lambda c: c.on),
        "guidance": upcoming_guidance(replan.body, today),
        "forecast": replan.body.get("forecast"),
    }


def movable_sessions(current: CurrentPlan, days: int = 14) -> dict[str, Any]:
    """The sessions from today on that a coach may move, and the days they may go to."""
    first, last = current.today, current.today + timedelta(days=days - 1)
    plan_days = [d for d in current.plan.days() if first <= d.date <= last]
    return {
        "sessions": [
            {"value": f"{d.date.isoformat()}/{i}", "label": f"{d.date:%a %d %b} · {s.title}"}
            for d in plan_days
            for i, s in enumerate(d.sessions)
            if s.kind is not SessionKind.REST
        ],
        "days": [d.date for d in plan_days],
    }


# --- availability and feeds, written back the way a runner types them ----------------------


def duration_text(seconds: float) -> str:
    """``1800`` → ``30m``; ``10800`` → ``3h``; ``5400`` → ``1h30m`` (what parse_duration reads)."""
    hours, minutes = divmod(round(seconds / 60), 60)
    return (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes or not hours else "")


def _days_text(weekdays: list[int]) -> str:
    """[0, 1, 2, 3, 4, 6] → ``mon-fri,sun``: runs of consecutive days become ranges."""
    runs: list[list[int]] = []
    for day in sorted(weekdays):
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(
        WEEKDAYS[r[0]] if len(r) == 1 else f"{WEEKDAYS[r[0]]}-{WEEKDAYS[r[-1]]}" for r in runs
    )


def windows_text(windows: tuple[Window, ...]) -> str:
    """The weekly windows as lines ``parse_windows`` reads back: days sharing the same hours
    on one line (``mon-fri 05:30-07:00``)."""

    def span(w: Window) -> tuple[str, str]:
        return (f"{w.start:%H:%M}", f"{w.end:%H:%M}")

    lines = []
    for (start, end), group in groupby(sorted(windows, key=span), key=span):
        lines.append(f"{_days_text([w.weekday for w in group])} {start}-{end}")
    return "\n".join(lines)


def availability_view(scheduling: SchedulingService) -> dict[str, Any]:
    """The Settings section's current values."""
    availability, feeds = scheduling.settings()
    return {
        "windows_text": windows_text(availability.windows),
        "buffer_min": round(availability.buffer_s / 60),
        "unavailable": availability.unavailable,
        "extra": availability.extra,
        "feeds": feeds,
        "feed_times": ", ".join(f"{t:%H:%M}" for t in feeds.times) if feeds else "",
        "feed_duration": duration_text(feeds.duration_s if feeds else 30 * 60),
        "after_feed": duration_text(feeds.after_feed_window_s if feeds else 45 * 60),
        "race_start": f"{availability.race_start:%H:%M}" if availability.race_start else "",
    }


def schedule_result(replan: Replan | None, what: str, today: date) -> dict[str, Any]:
    """After a change to the hours: what was saved, how many sessions were placed, and the
    scheduler's explanations from today on."""
    if replan is None:
        return {"what": what, "summary": None}
    summary = schedule_summary(replan.body)
    return {
        "what": what,
        "summary": summary,
        "notes": [(on, text) for on, text in summary.notes if on >= today],
    }
