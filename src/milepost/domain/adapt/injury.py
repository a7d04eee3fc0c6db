"""Injury: no running until walking is pain-free; easy cross-training meanwhile when allowed;
then the graded return of return_to_run.py (issue #4; science.md §2 rebuilding load)."""

from __future__ import annotations

from datetime import date, timedelta

from milepost.domain.adapt.model import Level, Restriction
from milepost.domain.adapt.timeline import condition_days, days_between
from milepost.domain.episode import CheckIn, Episode

SOURCE = "science.md §2 rebuild after a break [S]; pain-free walking before running [D]"


def injury_restrictions(
    episode: Episode, check_ins: list[CheckIn], today: date
) -> list[Restriction]:
    painful = condition_days(
        episode.start,
        not episode.pain_free_walking,
        [
            (c.on, None if c.pain_free_walking is None else not c.pain_free_walking)
            for c in check_ins
        ],
        episode.end,
        today,
    )
    # The injury day itself never carries a run, even when walking is already pain-free.
    last = painful.last or episode.start
    if painful.last is not None:
        last = painful.last + timedelta(days=1)  # walking pain-free today: run from tomorrow
    area = f"{episode.area} injury" if episode.area else "injury"
    level = Level.CROSS_ONLY if episode.cross_training else Level.NO_RUNNING
    doing = (
        "cross-train at an easy effort instead (bike, swim, elliptical, pool running)"
        if episode.cross_training
        else "walk if it is comfortable"
    )
    return [
        Restriction(
            d,
            level,
            f"{area} since {episode.start:%a %d %b}: no running until walking is pain-free; "
            f"{doing}",
            SOURCE,
            "injury",
            replacement="cross" if episode.cross_training else "walk",
            provisional=painful.provisional,
        )
        for d in days_between(episode.start, last)
    ]
