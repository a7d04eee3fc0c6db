"""Mastitis (Academy of Breastfeeding Medicine Clinical Protocol #36, 2022; science.md §3).

Engine rules [D, from the protocol's clinical picture]:
- systemic signs (fever, chills, a fast heart rate) → treated as a febrile illness: no running
  until 24 h after they are gone; a clinician should assess systemic symptoms that last more
  than 24 hours [P];
- local symptoms only → easy running at most, right after a feed or pump, in a supportive,
  non-compressive bra;
- an abscess, or still febrile on antibiotics → no training until a clinician clears it.
"""

from __future__ import annotations

from datetime import date, timedelta

from milepost.domain.adapt.illness import rest_until_24h_clear
from milepost.domain.adapt.model import Level, Restriction
from milepost.domain.adapt.timeline import Span, condition_days, days_between
from milepost.domain.episode import CheckIn, Episode

SOURCE = "ABM Clinical Protocol #36 (2022), science.md §3 Mastitis"
LOCAL_MAX_RUN_S = 60 * 60.0


def systemic_span(episode: Episode, check_ins: list[CheckIn], today: date) -> Span:
    reports = [(c.on, c.systemic if c.systemic is not None else c.febrile) for c in check_ins]
    return condition_days(
        episode.start, episode.systemic or episode.febrile_at_start, reports, episode.end, today
    )


def clinician_from(episode: Episode, check_ins: list[CheckIn], today: date) -> date | None:
    """The first day a clinician should be seen: systemic signs past 24 hours, an abscess, or
    a fever still there two days into antibiotics."""
    if episode.abscess:
        return episode.start
    span = systemic_span(episode, check_ins, today)
    if span.first is None or span.last is None:
        return None
    if span.last >= span.first + timedelta(days=1):
        return span.first + timedelta(days=1)
    return None


def mastitis_restrictions(
    episode: Episode, check_ins: list[CheckIn], today: date
) -> list[Restriction]:
    last_day = (episode.end - timedelta(days=1)) if episode.end else max(today, episode.start)
    if episode.abscess:
        return [
            Restriction(
                d,
                Level.NO_TRAINING,
                "breast abscess: no training until a clinician clears you",
                SOURCE,
                "mastitis",
                provisional=episode.end is None,
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
    out += [
        Restriction(
            d,
            Level.EASY_ONLY,
            "mastitis, local symptoms only: easy running at most, right after a feed or pump",
            SOURCE,
            "mastitis",
            max_run_s=LOCAL_MAX_RUN_S,
            provisional=episode.end is None,
        )
        for d in days_between(episode.start, last_day)
        if d not in blocked
    ]
    return out
