"""Solutions that involve the family (issue #14): when the long run or a quality session is cut
or lost, find the changes to the feeding routine that win it back, each said in her words and
tried on the weeks that lose time before it is offered.

Three kinds, each a stable key so a proposal can be accepted later (a CLI argument, a button):

- ``pump:<weekday>:HH:MM-HH:MM`` — feed or pump just before the window and run through it;
- ``caregiver:<weekday>:HH:MM-HH:MM`` — a caregiver gives a bottle for the feed inside it;
- ``shift:HH:MM>HH:MM`` — one feed a little earlier or later, every day.

Nothing here changes anything: :func:`apply_proposal` returns the feeding schedule she would
have, and the caller saves it only when she accepts.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, MutableMapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from milepost.domain.availability import Availability, FeedSchedule, Window, parse_time
from milepost.domain.plan.model import Day, Session, SessionKind
from milepost.domain.plan.request import monday_of
from milepost.domain.schedule import (
    Pin,
    ScheduleOptions,
    ScheduleResult,
    WeekOutcome,
    schedule,
)
from milepost.domain.schedule.slots import human_minutes, session_minutes
from milepost.errors import InputError

DAY_NAMES = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")
SHIFTS_MIN = (-15, 15, -30, 30)
MOST_WEEKS = 4  # proposals are tried on the weeks that lose the most key time (kept fast)
KEY_KINDS = frozenset(
    {
        SessionKind.LONG,
        SessionKind.MARATHON_PACE,
        SessionKind.THRESHOLD,
        SessionKind.INTERVAL,
        SessionKind.REPETITION,
        SessionKind.FARTLEK,
    }
)


@dataclass(frozen=True)
class Proposal:
    key: str
    text: str  # what she would do, in her words
    effect: str  # what it wins back
    gain_min: int  # minutes of key sessions won back on the weeks tried
    feeds: FeedSchedule  # the feeding schedule once accepted


def key_minutes(days: Sequence[Day], result: ScheduleResult) -> int:
    """Minutes of the long run and quality that the schedule keeps."""
    kinds = {(d.date, i): s.kind for d in days for i, s in enumerate(d.sessions)}
    return sum(
        round(p.session.duration_s / 60)
        for p in result.placements
        if kinds.get((p.date, p.index_in_day)) in KEY_KINDS
    )


def key_losses(days: Sequence[Day], result: ScheduleResult) -> list[tuple[date, int, int]]:
    """(plan date, index, minutes lost) for each key session cut or dropped."""
    placed = {(p.date, p.index_in_day): p for p in result.placements}
    out = []
    for day in days:
        for index, session in enumerate(day.sessions):
            if session.kind not in KEY_KINDS:
                continue
            whole = session_minutes(session)
            kept = placed.get((day.date, index))
            minutes = round(kept.session.duration_s / 60) if kept else 0
            if minutes < whole:
                out.append((day.date, index, whole - minutes))
    return out


def propose(
    days: Sequence[Day],
    availability: Availability,
    feeds: FeedSchedule | None,
    pins: Sequence[Pin],
    tz: str,
    *,
    options: ScheduleOptions | None = None,
    cache: MutableMapping[Hashable, WeekOutcome] | None = None,
    result: ScheduleResult | None = None,
) -> list[Proposal]:
    """The best proposal of each kind that wins back key minutes, best first (at most three).
    ``result``: the schedule as it is now, when the caller has it already."""
    if feeds is None or not availability.windows:
        return []
    now = result or schedule(days, availability, feeds, pins, tz, options=options, cache=cache)
    losses = key_losses(days, now)
    if not losses:
        return []
    lost_by_week: dict[date, int] = {}
    for on, _, minutes in losses:
        lost_by_week[monday_of(on)] = lost_by_week.get(monday_of(on), 0) + minutes
    # The weeks that lose the most are where a change shows.
    weeks = sorted(sorted(lost_by_week, key=lambda m: (-lost_by_week[m], m))[:MOST_WEEKS])
    tried = [d for d in days if monday_of(d.date) in weeks]
    tried_pins = [p for p in pins if monday_of(p.date) in weeks]
    sessions = {(d.date, i): s for d in days for i, s in enumerate(d.sessions)}

    def score(candidate: FeedSchedule) -> int:
        placed = schedule(
            tried, availability, candidate, tried_pins, tz, options=options, cache=cache
        )
        return key_minutes(tried, placed)

    before = score(feeds)
    best: dict[str, Proposal] = {}
    for key, text in _candidates(availability, feeds, losses, sessions):
        changed = apply_proposal(feeds, key)
        gain = score(changed) - before
        kind = key.split(":", 1)[0]
        if gain > 0 and (kind not in best or gain > best[kind].gain_min):
            where = f"the {len(weeks)} week{'s' if len(weeks) > 1 else ''} tried"
            effect = f"wins back {human_minutes(gain)} of long runs and quality in {where}"
            best[kind] = Proposal(key, text, effect, gain, changed)
    order = {"pump": 0, "caregiver": 1, "shift": 2}
    return sorted(best.values(), key=lambda p: (-p.gain_min, order[p.key.split(":", 1)[0]]))


def _candidates(
    availability: Availability,
    feeds: FeedSchedule,
    losses: list[tuple[date, int, int]],
    sessions: dict[tuple[date, int], Session],
) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    buffer = timedelta(seconds=availability.buffer_s)
    need: dict[int, int] = {}  # weekday → the longest key session lost there, in minutes
    for on, index, _ in losses:
        session = sessions[on, index]
        minutes = session_minutes(session)
        need[on.weekday()] = max(need.get(on.weekday(), 0), minutes)
    near: set[time] = set()
    for weekday, minutes in sorted(need.items()):
        for window in availability.weekly_on(weekday):
            start = datetime.combine(date(2001, 1, 1), window.start)
            wanted = timedelta(minutes=15 * math.ceil(minutes / 15)) + buffer
            end = min(datetime.combine(start.date(), window.end), start + wanted)
            span = f"{start:%H:%M}-{end:%H:%M}"
            inside = [
                t
                for t in feeds.times
                if start <= datetime.combine(start.date(), t) < end
                or datetime.combine(start.date(), t)
                < start
                < datetime.combine(start.date(), t) + timedelta(seconds=feeds.duration_s)
            ]
            days = DAY_NAMES[weekday]
            waits = f" (the {inside[0]:%H:%M} feed waits until you are back)" if inside else ""
            out.append(
                (
                    f"pump:{weekday}:{span}",
                    f"Feed or pump just before {start:%H:%M} on {days} and run "
                    f"{start:%H:%M}–{end:%H:%M}{waits}",
                )
            )
            if inside:
                out.append(
                    (
                        f"caregiver:{weekday}:{span}",
                        f"A caregiver gives a bottle at {inside[0]:%H:%M} on {days} (your "
                        f"caregiver setting), so you can run {start:%H:%M}–{end:%H:%M}",
                    )
                )
            for t in feeds.times:
                at = datetime.combine(start.date(), t)
                if start - timedelta(hours=3) <= at < end:
                    near.add(t)
    for t in sorted(near):
        for shift in SHIFTS_MIN:
            moved = datetime.combine(date(2001, 1, 1), t) + timedelta(minutes=shift)
            if moved.date() != date(2001, 1, 1) or moved.time() in feeds.times:
                continue
            out.append(
                (
                    f"shift:{t:%H:%M}>{moved:%H:%M}",
                    f"Move the {t:%H:%M} feed to {moved:%H:%M}",
                )
            )
    return out


def apply_proposal(feeds: FeedSchedule, key: str) -> FeedSchedule:
    """The feeding schedule with proposal ``key`` accepted (see the module docstring)."""
    kind, _, rest = key.partition(":")
    try:
        if kind in ("pump", "caregiver"):
            weekday_text, _, span = rest.partition(":")
            start_text, _, end_text = span.partition("-")
            window = Window(int(weekday_text), parse_time(start_text), parse_time(end_text))
            if kind == "pump":
                return replace(feeds, pumped=(*feeds.pumped, window))
            return replace(feeds, caregiver=(*feeds.caregiver, window))
        if kind == "shift":
            old_text, _, new_text = rest.partition(">")
            old, new = parse_time(old_text), parse_time(new_text)
            if old not in feeds.times:
                raise InputError(f"there is no {old:%H:%M} feed to move")
            return replace(feeds, times=tuple(new if t == old else t for t in feeds.times))
    except (ValueError, InputError) as exc:
        raise InputError(
            f"'{key}' is not a proposal milepost can apply: {exc}",
            hint="list them with: milepost feeds propose",
        ) from exc
    raise InputError(
        f"'{key}' is not a proposal milepost knows", hint="list them with: milepost feeds propose"
    )
