"""The postpartum return to running (Goom, Donnelly & Brockwell 2019; science.md §4).

- No running before 12 weeks after birth [P], nor while any red flag is present [S]: walking,
  pelvic-floor and strength work instead, and a pelvic-health physiotherapist for red flags.
- Then the load and impact tests, all without pain, heaviness, dragging or leaking [S].
- Then the walk–run ladder, duration before intensity [S]: 1:1 × 30 min → 2:1 → 4:1 → 9:1 →
  15:1 → 30 min continuous, three symptom-free runs she completed at each rung [D: the rung
  length]; symptoms step back a rung. A runner already training again gets no ladder.
- After the ladder (engine.py): the break is counted from the birth, or from the day she stopped
  running, and lowers the VDOT by the time-off table; the volume rebuilds by Daniels' Table 9.2
  (easy until 75 %, then threshold first) with the ease-back, duration before intensity.
"""

from __future__ import annotations

from datetime import date, timedelta

from milepost.domain.adapt.model import Level, Restriction
from milepost.domain.adapt.progress import Progress
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


def break_start(episode: Episode) -> date:
    """The first day without running: the day she says she stopped, else the birth."""
    assert episode.birth_date is not None
    return episode.stopped_running or episode.birth_date


def postpartum_restrictions(
    episode: Episode,
    check_ins: list[CheckIn],
    progress: Progress,
    horizon: date,
    blocked: set[date] | frozenset[date] = frozenset(),
) -> tuple[list[Restriction], date | None]:
    """Restrictions from the episode's start to ``horizon`` (the race), and the first day after
    the ladder (None when it reaches past the horizon).

    A rung is climbed after ``RUNS_PER_RUNG`` runs she completed without symptoms (progress.py);
    symptoms step back a rung; days another episode forbids advance nothing. A runner already
    training again gets no ladder, only the red-flag watch.
    """
    today = progress.today
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
        episode.checks_passed or episode.already_running,
        [(c.on, c.checks_passed) for c in check_ins],
        None,
        today,
    )
    out: list[Restriction] = []
    rung, rung_runs = 0, 0
    day = episode.start
    ended = episode.end
    while day <= horizon and (ended is None or day <= ended):
        if day < twelve and not episode.already_running:
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
            rung, rung_runs = max(0, rung - 1), 0
        elif episode.already_running:
            pass
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
        elif rung < len(LADDER):
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
                    stage=f"rung {rung + 1} of {len(LADDER)}: {label}",
                    no_strength=False,
                    provisional=day > today,
                )
            )
            if day not in blocked:
                if progress.steps_back(day):
                    rung, rung_runs = max(0, rung - 1), 0
                elif progress.completes(day):
                    rung_runs += 1
                    if rung_runs >= RUNS_PER_RUNG:
                        rung, rung_runs = rung + 1, 0
            if rung == len(LADDER):
                return out, day + timedelta(days=1)
        day += timedelta(days=1)
    return out, None
