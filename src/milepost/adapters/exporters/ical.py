"""The plan as an iCalendar feed (RFC 5545): one event per session, and a busy-only feed.

UIDs are derived from the plan, the date and the session's place in its day, never random, so a
calendar that re-imports (or re-subscribes to) a newer export updates its events instead of
piling up duplicates. Until the scheduler gives start times, sessions are all-day events.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event

from milepost.adapters.exporters.workout_text import (
    pace_text,
    session_lines,
    session_summary,
)
from milepost.domain.plan.model import Plan, Session, SessionKind
from milepost.domain.units import Units, format_distance
from milepost.errors import InputError

PRODID = "-//milepost//training plan//EN"

# (date, index of the session in that day) → (start, end), both timezone-aware.
Schedule = Mapping[tuple[date, int], tuple[datetime, datetime]]


def session_uid(plan_id: str, on: date, index: int) -> str:
    """The event's UID: stable for the same plan, day and session slot across every export."""
    return f"milepost-{plan_id}-{on.isoformat()}-{index}@milepost"


def plan_to_ical(
    plan: Plan,
    *,
    athlete_name: str,
    plan_id: str,
    timezone: str,
    scheduled: Schedule | None = None,
    revision: int = 0,
    revised_at: datetime | None = None,
) -> bytes:
    """Every non-rest session as a VEVENT with the full workout in its description.

    ``scheduled`` gives a session a real start and end (from the scheduler); sessions without one
    are all-day events. ``revision`` (the stored plan revision's number) becomes each event's
    SEQUENCE and ``revised_at`` its DTSTAMP and LAST-MODIFIED, so a client that compares them
    sees which copy is newer; both default to a first export made now.
    """
    zone = _zone(timezone)
    stamp = _utc(revised_at)
    units = Units(plan.units)
    race = _race_label(plan, units)
    athlete_name = _one_line(athlete_name)
    calendar = _calendar(f"milepost — {race}", f"Training plan for {athlete_name}: {race}", zone)
    for on, index, session in _sessions(plan):
        event = Event()
        event.add("uid", session_uid(plan_id, on, index))
        event.add("summary", _one_line(session.title))
        event.add("description", _description(session, units))
        event.add("categories", [session.kind.value])
        _add_times(event, on, (scheduled or {}).get((on, index)), zone)
        _add_revision(event, stamp, revision)
        calendar.add_component(event)
    return _finish(calendar)


def busy_ical(
    plan: Plan,
    *,
    athlete_name: str,
    plan_id: str,
    timezone: str,
    scheduled: Schedule | None = None,
    revision: int = 0,
    revised_at: datetime | None = None,
) -> bytes:
    """A feed for family and work calendars: when the runner is busy, and nothing else.

    No titles, paces or descriptions: a session's kind can reveal an injury or an illness the
    runner has not chosen to share. Scheduled sessions become timed "Busy" blocks; a day whose
    sessions have no times becomes one all-day "Busy" event.
    """
    zone = _zone(timezone)
    stamp = _utc(revised_at)
    athlete_name = _one_line(athlete_name)
    calendar = _calendar(f"{athlete_name} — running", f"When {athlete_name} is out running", zone)
    times = scheduled or {}
    unscheduled_days: list[date] = []
    for on, index, _session in _sessions(plan):
        slot = times.get((on, index))
        if slot is None:
            if on not in unscheduled_days:
                unscheduled_days.append(on)
            continue
        event = _busy_event(session_uid(plan_id, on, index).replace("@", "-busy@"))
        _add_times(event, on, slot, zone)
        _add_revision(event, stamp, revision)
        calendar.add_component(event)
    for on in unscheduled_days:
        event = _busy_event(f"milepost-{plan_id}-{on.isoformat()}-day-busy@milepost")
        _add_times(event, on, None, zone)
        _add_revision(event, stamp, revision)
        calendar.add_component(event)
    return _finish(calendar)


def _sessions(plan: Plan) -> Iterator[tuple[date, int, Session]]:
    # The index counts every session of the day, rest included, so a session keeps its UID
    # when the plan does not change that day's order.
    for day in plan.days():
        for index, session in enumerate(day.sessions):
            if session.kind is not SessionKind.REST:
                yield day.date, index, session


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise InputError(
            f"'{name[:64]}' is not a time zone",
            hint="use a name like Europe/Berlin or America/Denver",
        ) from exc


def _utc(moment: datetime | None) -> datetime:
    if moment is None:
        # Adapters may read the clock; the domain never does.
        return datetime.now(UTC).replace(microsecond=0)
    if moment.tzinfo is None:
        raise ValueError("revised_at must be timezone-aware")
    return moment.astimezone(UTC).replace(microsecond=0)


def _race_label(plan: Plan, units: Units) -> str:
    return _one_line(plan.race.name) or format_distance(plan.race.distance_m, units)


def _one_line(text: str) -> str:
    """Names go into one-line properties (X-WR-CALNAME, SUMMARY): a newline or another control
    character stored in a name (from an older version, or an import) becomes a space, where
    icalendar would otherwise refuse to write the calendar at all."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def _calendar(name: str, description: str, zone: ZoneInfo) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # X-WR-* are what Google, Apple and Outlook read for a subscribed calendar's name and zone.
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", zone.key)
    return calendar


def _busy_event(uid: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("summary", "Busy")
    event.add("transp", "OPAQUE")
    # PRIVATE asks shared views to show only the time, should the feed be shared further.
    event.add("class", "PRIVATE")
    return event


def _add_times(
    event: Event, on: date, slot: tuple[datetime, datetime] | None, zone: ZoneInfo
) -> None:
    if slot is None:
        event.add("dtstart", on)
        event.add("dtend", on + timedelta(days=1))  # DTEND of an all-day event is exclusive
        return
    start, end = slot
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError(f"scheduled times for {on} must be timezone-aware")
    if end <= start:
        raise ValueError(f"scheduled session on {on} ends before it starts")
    # One TZID for the whole feed: the athlete's zone, whatever zone the scheduler used.
    event.add("dtstart", start.astimezone(zone))
    event.add("dtend", end.astimezone(zone))


def _add_revision(event: Event, stamp: datetime, revision: int) -> None:
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("sequence", revision)


def _description(session: Session, units: Units) -> str:
    parts = [session.description]
    summary = session_summary(session, units)
    if summary:
        parts.append(summary)
    lines = session_lines(session, units)
    if lines:
        parts.append("\n".join(f"• {line}" for line in lines))
    if session.pace_s_per_km is not None and not session.segments:
        parts.append(f"Pace: {pace_text(session.pace_s_per_km, units)}")
    return "\n\n".join(parts)


def _finish(calendar: Calendar) -> bytes:
    # Timed events carry a TZID; its VTIMEZONE must travel with them (RFC 5545 §3.2.19).
    calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data
