"""Mastitis (Academy of Breastfeeding Medicine Clinical Protocol #36, 2022; science.md §3).

Engine rules:
- rest at the first signs: 2 days by default, settable up to 4 [S: the runner we build for];
- then easy running at most, right after a feed or pump, in a supportive, non-compressive bra,
  until it has settled (the episode ends) [D, from the protocol's clinical picture];
- systemic signs (fever, chills, a fast heart rate) → treated as a febrile illness: no running
  until 24 h after they are gone, without fever-reducing medicine [P]. Any temperature of
  38.0 °C or more is systemic, whatever else a check-in says [P];
- an abscess → no training until a clinician clears it [P];
- while it is open, the days after today are a projection: easy only for two more days
  (``OPEN_PROJECTION_DAYS``) [D], marked provisional, and re-derived every day.
The clinician prompts live in guidance.py.
"""

from __future__ import annotations

from datetime import date, timedelta

from milepost.domain.adapt.illness import rest_until_24h_clear
from milepost.domain.adapt.model import Level, Restriction
from milepost.domain.adapt.timeline import Span, condition_days, days_between
from milepost.domain.episode import CheckIn, Episode

SOURCE = "ABM Clinical Protocol #36 (2022), science.md §3 Mastitis"
REST_SOURCE = "rest at the first signs of mastitis, science.md §3 [S]"
LOCAL_MAX_RUN_S = 60 * 60.0
OPEN_PROJECTION_DAYS = 2


def _systemic_report(c: CheckIn) -> bool | None:
    if c.febrile:  # 38.0 °C or more is systemic whatever the other answers say
        return True
    if c.systemic is not None:
        return c.systemic
    return c.febrile


def systemic_span(episode: Episode, check_ins: list[CheckIn], today: date) -> Span:
    reports = [(c.on, _systemic_report(c)) for c in check_ins]
    return condition_days(
        episode.start, episode.systemic or episode.febrile_at_start, reports, episode.end, today
    )


def abscess_signs(episode: Episode, check_ins: list[CheckIn]) -> date | None:
    """The first day an abscess (or its signs) was reported."""
    if episode.abscess:
        return episode.start
    signs = {"lump", "pus", "spreading"}
    days = [c.on for c in check_ins if c.red_flags and signs & set(c.red_flags)]
    if signs & set(episode.red_flags):
        days.append(episode.start)
    return min(days) if days else None


def clinician_from(episode: Episode, check_ins: list[CheckIn], today: date) -> date | None:
    """The first day a clinician should be seen: systemic signs past 24 hours, an abscess or its
    signs, or no better 48 hours in (with or without check-ins) [P: ABM #36]."""
    days: list[date] = []
    abscess = abscess_signs(episode, check_ins)
    if abscess is not None:
        days.append(abscess)
    span = systemic_span(episode, check_ins, today)
    if span.first is not None and span.last is not None and span.last > span.first:
        days.append(span.first + timedelta(days=1))
    no_better = no_better_from(episode, check_ins, today)
    if no_better is not None:
        days.append(no_better)
    return min(days) if days else None


def no_better_from(episode: Episode, check_ins: list[CheckIn], today: date) -> date | None:
    """Two days in and not better: the day a clinician should be called. "Better" is a
    check-in that says so, or a clear one, on day 2 or later."""
    check_day = episode.start + timedelta(days=2)
    last = episode.end if episode.end is not None else max(today, episode.start)
    if last < check_day:
        return None
    better = [c for c in check_ins if c.on >= episode.start + timedelta(days=1) and c.clear]
    if better and min(c.on for c in better) <= check_day:
        return None
    return check_day


def mastitis_restrictions(
    episode: Episode, check_ins: list[CheckIn], today: date
) -> list[Restriction]:
    open_ = episode.end is None
    last_day = episode.end if episode.end else max(today, episode.start)
    if open_:
        last_day = max(last_day, today + timedelta(days=OPEN_PROJECTION_DAYS))
    if episode.abscess:
        return [
            Restriction(
                d,
                Level.NO_TRAINING,
                "breast abscess: no training until a clinician clears you",
                SOURCE,
                "mastitis",
                provisional=open_,
            )
            for d in days_between(episode.start, last_day)
        ]
    systemic = systemic_span(episode, check_ins, today)
    still_febrile_on_antibiotics = episode.antibiotics and any(
        d >= episode.start + timedelta(days=2) for d in systemic.days
    )
    what = (
        "fever still there on antibiotics"
        if still_febrile_on_antibiotics
        else "mastitis with fever, chills or a fast heart rate"
    )
    out = rest_until_24h_clear(systemic, what=what, cause="mastitis", source=SOURCE)
    blocked = {r.on for r in out}
    rest = [
        episode.start + timedelta(days=i)
        for i in range(episode.mastitis_rest_days)
        if episode.start + timedelta(days=i) not in blocked
    ]
    out += [
        Restriction(
            d,
            Level.NO_RUNNING,
            f"mastitis: rest at the first signs ({episode.mastitis_rest_days} days)",
            REST_SOURCE,
            "mastitis",
            replacement="rest",
            no_strength=True,
            provisional=open_ and d > today,
        )
        for d in rest
    ]
    blocked |= set(rest)
    out += [
        Restriction(
            d,
            Level.EASY_ONLY,
            "mastitis: easy running at most, right after a feed or pump, until it has settled",
            SOURCE,
            "mastitis",
            max_run_s=LOCAL_MAX_RUN_S,
            no_strength=True,
            provisional=open_ and d > today,
        )
        for d in days_between(episode.start, last_day)
        if d not in blocked
    ]
    return out
