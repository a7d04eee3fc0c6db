"""The iCal export: one event per session, stable UIDs, the workout in words, a busy-only feed."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from milepost.adapters.exporters.ical import busy_ical, plan_to_ical
from milepost.domain.plan.model import Plan, SessionKind
from milepost.domain.units import Units, format_pace
from milepost.domain.vdot import training_paces
from milepost.errors import InputError

BERLIN = ZoneInfo("Europe/Berlin")


def _export(plan: Plan, **kw: object) -> Calendar:
    options: dict[str, object] = {
        "athlete_name": "Ana",
        "plan_id": "p42",
        "timezone": "Europe/Berlin",
        "revised_at": datetime(2027, 3, 1, 8, 0, tzinfo=UTC),
    }
    options.update(kw)
    return Calendar.from_ical(plan_to_ical(plan, **options))  # type: ignore[arg-type]


def _events(calendar: Calendar) -> list:  # type: ignore[type-arg]
    return list(calendar.walk("VEVENT"))


def _non_rest_sessions(plan: Plan) -> int:
    return sum(1 for d in plan.days() for s in d.sessions if s.kind is not SessionKind.REST)


def test_every_session_but_rest_becomes_one_event(plan: Plan) -> None:
    events = _events(_export(plan))
    assert len(events) == _non_rest_sessions(plan)
    assert all(str(e["SUMMARY"]) != "Rest" for e in events)


def test_the_calendar_is_named_after_the_race(plan: Plan) -> None:
    calendar = _export(plan)
    assert str(calendar["X-WR-CALNAME"]) == "milepost — Riverside Half Marathon"


def test_uids_are_unique_and_the_same_in_a_later_export(plan: Plan) -> None:
    first = [str(e["UID"]) for e in _events(_export(plan))]
    later = _export(plan, revision=3, revised_at=datetime(2027, 3, 9, tzinfo=UTC))
    assert [str(e["UID"]) for e in _events(later)] == first
    assert len(set(first)) == len(first)
    assert "milepost-p42-2027-03-31-1@milepost" in first  # the second session of that day


def test_a_later_revision_raises_sequence_and_stamps(plan: Plan) -> None:
    revised = datetime(2027, 3, 9, 7, 30, tzinfo=UTC)
    event = _events(_export(plan, revision=3, revised_at=revised))[0]
    assert int(event["SEQUENCE"]) == 3
    assert event["DTSTAMP"].dt == revised
    assert event["LAST-MODIFIED"].dt == revised


def test_unscheduled_sessions_are_all_day_events(plan: Plan) -> None:
    event = _events(_export(plan))[0]
    assert event["DTSTART"].dt == date(2027, 3, 30)
    assert not isinstance(event["DTSTART"].dt, datetime)
    assert event["DTEND"].dt == date(2027, 3, 31)


def test_the_description_spells_out_the_workout_with_paces(plan: Plan) -> None:
    paces = training_paces(plan.vdot)
    threshold = next(e for e in _events(_export(plan)) if str(e["SUMMARY"]) == "4 × 1 mi T")
    text = str(threshold["DESCRIPTION"])
    assert "4 × (1 mi T @ " + format_pace(paces.threshold, Units.KM) in text
    assert "2 km E @ " in text
    assert "1 min rest" in text


def test_strength_descriptions_list_sets_and_reps(plan: Plan) -> None:
    strength = next(e for e in _events(_export(plan)) if "Strength A" in str(e["SUMMARY"]))
    assert "Split squat 3 × 8 each side" in str(strength["DESCRIPTION"])


def test_paces_follow_the_plan_units(plan_in_miles: Plan) -> None:
    text = " ".join(str(e["DESCRIPTION"]) for e in _events(_export(plan_in_miles)))
    assert "/mi" in text
    assert "/km" not in text


def test_scheduled_sessions_get_times_in_the_athletes_zone(plan: Plan) -> None:
    tuesday = date(2027, 3, 30)
    start = datetime(2027, 3, 30, 4, 30, tzinfo=UTC)
    end = datetime(2027, 3, 30, 5, 30, tzinfo=UTC)
    calendar = _export(plan, scheduled={(tuesday, 0): (start, end)})
    event = next(e for e in _events(calendar) if e["DTSTART"].dt == start)
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event["DTSTART"].dt.hour == 6  # 04:30 UTC is 06:30 in Berlin summer time
    assert event["DTEND"].dt == end
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_an_unknown_time_zone_is_refused(plan: Plan) -> None:
    with pytest.raises(InputError, match="not a time zone"):
        _export(plan, timezone="Mars/Olympus")


def test_the_busy_feed_tells_nothing_but_the_time(plan: Plan) -> None:
    tuesday = date(2027, 3, 30)
    slot = (
        datetime(2027, 3, 30, 6, 30, tzinfo=BERLIN),
        datetime(2027, 3, 30, 7, 30, tzinfo=BERLIN),
    )
    raw = busy_ical(
        plan,
        athlete_name="Ana",
        plan_id="p42",
        timezone="Europe/Berlin",
        scheduled={(tuesday, 0): slot},
        revised_at=datetime(2027, 3, 1, tzinfo=UTC),
    )
    events = _events(Calendar.from_ical(raw))
    assert {str(e["SUMMARY"]) for e in events} == {"Busy"}
    assert all(str(e["TRANSP"]) == "OPAQUE" for e in events)
    assert all("DESCRIPTION" not in e for e in events)
    for secret in (b"threshold", b"Strength", b"/km", b"Race"):
        assert secret not in raw
    timed = [e for e in events if isinstance(e["DTSTART"].dt, datetime)]
    assert [e["DTSTART"].dt for e in timed] == [slot[0]]


def test_the_busy_feed_without_times_has_one_all_day_event_per_running_day(plan: Plan) -> None:
    raw = busy_ical(plan, athlete_name="Ana", plan_id="p42", timezone="Europe/Berlin")
    events = _events(Calendar.from_ical(raw))
    busy_days = {
        d.date for d in plan.days() if any(s.kind is not SessionKind.REST for s in d.sessions)
    }
    assert {e["DTSTART"].dt for e in events} == busy_days
    assert len(events) == len(busy_days)
