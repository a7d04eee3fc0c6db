"""The postpartum return to running (Goom, Donnelly & Brockwell 2019; science.md §4).

- No running before 12 weeks after birth [P], nor while any red flag is present [S]: walking,
  pelvic-floor and strength work instead, and a pelvic-health physiotherapist for red flags.
- Then the load and impact tests, all without pain, heaviness, dragging or leaking [S].
- Then the walk–run ladder, duration before intensity [S]: 1:1 × 30 min → 2:1 → 4:1 → 9:1 →
  15:1 → 30 min continuous, three runs at each rung [D: the rung length], then the race plan.
"""

from __future__ import annotations

from datetime import date, timedelta

from milepost.domain.adapt.model import Level, Restriction
from milepost.domain.adapt.timeline import condition_days
from milepost.domain.episode import CheckIn, Episode

SOURCE = "Goom, Donnelly & Brockwell 2019 (science.md §4)"
WEEKS_BEFORE_RUNNING = 12
# (minutes running, minutes walking) per rung; the last rung is 30 minutes continuous.
LADDER: tuple[tuple[int, int], ...] = ((1, 1), (2, 1), (4, 1), (9, 1), (15, 1), (30, 0))
RUNS_PER_RUNG = 3


def earliest_run_day(episode: Episode) -> date:
    assert episode.birth_date is not None
    return episode.birth_date + timedelta(weeks=WEEKS_BEFORE_RUNNING)


def postpartum_restrictions(
    episode: Episode,
    check_ins: list[CheckIn],
    today: date,
    run_days: list[date],
    horizon: date,
) -> list[Restriction]:
    """Restrictions from the episode's start to ``horizon`` (the race).

    ``run_days`` are the plan's days with a run, so the ladder advances by runs, not by dates.
    """
    twelve = earliest_run_day(episode)
    flags = condition_days(
        episode.start,
        bool(episode.red_flags),
        [(c.on, None if c.red_flags is None else bool(c.red_flags)) for c in check_ins],
        episode.end,
        today,
    )
    checks = condition_days(
        episode.start,
        episode.checks_passed,
        [(c.on, c.checks_passed) for c in check_ins],
        None,
        today,
    )
    out: list[Restriction] = []
    rung_runs = 0
    day = episode.start
    ended = episode.end
    while day <= horizon and (ended is None or day < ended):
        if day < twelve:
            out.append(
                Restriction(
                    day,
                    Level.NO_RUNNING,
                    f"{(day - episode.birth_date).days // 7 if episode.birth_date else 0} weeks "
                    f"after birth: no running before 12 weeks ({twelve:%d %b}); walking, "
                    "pelvic-floor and strength work instead",
                    SOURCE,
                    "postpartum",
                    replacement="postnatal",
                )
            )
        elif day in flags.days or (flags.provisional and day > today):
            out.append(
                Restriction(
                    day,
                    Level.NO_RUNNING,
                    "a postpartum red flag: no running until a pelvic-health physiotherapist "
                    "has seen you",
                    SOURCE,
                    "postpartum",
                    replacement="postnatal",
                    provisional=day > today,
                )
            )
        elif day not in checks.days and not (day > today and checks.provisional):
            out.append(
                Restriction(
                    day,
                    Level.NO_RUNNING,
                    "pass the return-to-run checks first (walk 30 min, single-leg balance and "
                    "squat, jog on the spot, bounds, hops, running man) with no pain, heaviness "
                    "or leaking",
                    SOURCE,
                    "postpartum",
                    replacement="postnatal",
                    provisional=day > today,
                )
            )
        elif rung_runs < len(LADDER) * RUNS_PER_RUNG:
            rung = rung_runs // RUNS_PER_RUNG
            run_min, walk_min = LADDER[rung]
            label = (
                f"walk–run {run_min}:{walk_min} for 30 min"
                if walk_min
                else "30 min continuous easy running"
            )
            out.append(
                Restriction(
                    day,
                    Level.EASY_ONLY,
                    f"postpartum walk–run ladder, rung {rung + 1} of {len(LADDER)}: {label}",
                    SOURCE,
                    "postpartum",
                    max_run_s=30 * 60.0,
                    replacement=f"walk_run:{rung}",
                )
            )
            if day in run_days:
                rung_runs += 1
        day += timedelta(days=1)
    return out


def ladder_complete_on(restrictions: list[Restriction]) -> date | None:
    """The last day of the ladder, if it ends inside the horizon."""
    ladder = [r.on for r in restrictions if r.replacement.startswith("walk_run:")]
    return max(ladder) if ladder else None
