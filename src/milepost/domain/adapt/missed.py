"""Missed sessions and unavailable days.

A few missed days: the quality session or long run they held moves to a later day of the same
week when that harms nothing (never two hard days in a row, never a long run the day after a
quality day), else it is dropped (engine.py does the moving). Six days or more without running
count as a break: the VDOT and the load follow return_to_run.py [S: Daniels, science.md §2].
"""

from __future__ import annotations

from datetime import date

from milepost.domain.adapt.model import Level, Restriction
from milepost.domain.adapt.timeline import days_between
from milepost.domain.episode import Episode, EpisodeKind

SOURCE = "science.md §2 (breaks of 6 days or more rebuild load) [S]"


def missed_restrictions(episode: Episode, today: date) -> list[Restriction]:
    last = episode.end or episode.start
    if episode.kind is EpisodeKind.MISSED:
        why = f"missed{': ' + episode.note if episode.note else ''}"
        return [
            Restriction(d, Level.NO_RUNNING, why, SOURCE, "missed", replacement="missed")
            for d in days_between(episode.start, min(last, today))
        ]
    why = f"unavailable{': ' + episode.note if episode.note else ''}"
    return [
        Restriction(d, Level.NO_RUNNING, why, SOURCE, "unavailable", replacement="off")
        for d in days_between(episode.start, last)
    ]
