"""Injury: no running until walking is pain-free; easy cross-training meanwhile when allowed;
then the rebuild of return_to_run.py (science.md §2 and §5).

- Strength work spares the injured area: no loading or plyometrics of it until running is
  pain-free [S: load management, science.md §5]; the rest of the body keeps training.
- Pain monitoring at check-ins [P: Silbernagel et al. 2007, pain-monitoring model]: pain above
  3 of 10 during or after running stops running for the next day, and the return resumes at the
  level before [D: 3 rather than the model's 5, because bone pain must stay pain-free].
- Red flags for bone stress and low energy availability (RED-S) route to a clinician
  (guidance.py).
"""

from __future__ import annotations

from datetime import date, timedelta

from milepost.domain.adapt.model import Level, Restriction
from milepost.domain.adapt.timeline import condition_days, days_between
from milepost.domain.episode import PAIN_OK, CheckIn, Episode

SOURCE = "science.md §2 rebuild after a break [S]; pain-free walking before running [D]"
PAIN_SOURCE = "pain-monitoring model (Silbernagel et al. 2007), science.md §5 [P]"
SPARE_DAYS_AFTER = 14  # strength keeps sparing the area two weeks into running again [D]


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
    out = [
        Restriction(
            d,
            level,
            f"{area} since {episode.start:%a %d %b}: no running until walking is pain-free; "
            f"{doing}",
            SOURCE,
            "injury",
            replacement="cross" if episode.cross_training else "walk",
            provisional=painful.provisional and d > today,
            spare_area=episode.area or "injured area",
        )
        for d in days_between(episode.start, last)
    ]
    blocked = {r.on for r in out}
    # Pain above the line at a check-in after running has resumed: no running the next day.
    for c in check_ins:
        if c.pain is None or c.pain <= PAIN_OK or c.on < episode.start:
            continue
        nxt = c.on + timedelta(days=1)
        if nxt in blocked:
            continue
        blocked.add(nxt)
        out.append(
            Restriction(
                nxt,
                level,
                f"pain {c.pain}/10 on {c.on:%a %d %b}: no running today, then back at the level "
                "before",
                PAIN_SOURCE,
                "injury",
                replacement="cross" if episode.cross_training else "walk",
                spare_area=episode.area or "injured area",
            )
        )
    # Strength spares the area until two weeks after running resumed.
    end = (episode.end or max(last, today)) + timedelta(days=SPARE_DAYS_AFTER)
    out += [
        Restriction(
            d,
            Level.NORMAL,
            f"{area}: strength work spares the {episode.area or 'injured area'}",
            SOURCE,
            "injury",
            spare_area=episode.area or "injured area",
        )
        for d in days_between(last + timedelta(days=1), end)
        if d not in blocked
    ]
    return out
