"""Coming back after a break: how much fitness was lost, and how the load comes back.

- VDOT after time off [P: VDOT O2 news, Feb 2018; science.md §2]: ×1 for ≤ 5 days off, else
  max(0.80, 1 − 0.003 (d − 5)) without cross-training, max(0.90, 1 − 0.0015 (d − 5)) with it; a
  weight change scales VDOT by old weight / new weight first.
- Load after a break [S: Daniels' Table 9.2]: ≤ 5 days → 100 %; 6–28 days → 50 % for the first
  half of the return, 75 % for the second; longer → thirds at 33 / 50 / 75 %. The return lasts as
  long as the break, at most six weeks [D]. Easy running only below 75 %, and at 75 % quality
  comes back as threshold first (duration before intensity, then T before I and R) [D].
- After a fever or a whole-body illness, the graded stages [P abstract: Elliott et al., BJSM
  2020]: < 15 min light → 30–45 min easy → 45–60 min with some strides → normal. A stage is a
  number of days she **completes** (progress.py), not calendar days: 1 day for stage 1, 2 for
  stages 2 and 3 [D: Elliott gives "at least a day" a stage]. Rest days and days another episode
  forbids do not use a stage up; symptoms step back a stage. Each stage caps all training that
  day: running, cross-training and walk–run to the stage's minutes, and no resistance work before
  stage 3 [D].
- Ease-back after every health episode [D, the runner we build for: "1–2 weeks after any
  sickness"]: 7 days of easy running after an episode of up to a week, 14 days after a longer
  one, with the week held to what she ran in the week before the episode; then a week in which
  quality comes back as threshold only, before intervals and repetitions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from milepost.domain.adapt.model import Break, DayRules, Level, Restriction
from milepost.domain.adapt.progress import Progress

TIME_OFF_SOURCE = "VDOT O2 time-off table (science.md §2) [P]"
REBUILD_SOURCE = "Daniels' Table 9.2 rebuilding load (science.md §2) [S]"
STAGES_SOURCE = "Elliott et al., BJSM 2020, graded return (science.md §3) [P]"
EASE_SOURCE = "ease back after sickness, science.md §3 [D]"
MAX_RETURN_DAYS = 42
THRESHOLD_FIRST_DAYS = 7


@dataclass(frozen=True)
class Stage:
    days: int  # completed days the stage needs
    max_min: float
    strides: bool
    strength: bool
    label: str


STAGES: tuple[Stage, ...] = (
    Stage(1, 15.0, False, False, "stage 1 of 4: under 15 min, light (below 70 % of max HR)"),
    Stage(2, 45.0, False, False, "stage 2 of 4: 30–45 min easy (below 80 % of max HR)"),
    Stage(2, 60.0, True, True, "stage 3 of 4: 45–60 min easy, a few strides allowed"),
)


def time_off_factor(days_off: int, *, cross_training: bool) -> float:
    if days_off <= 5:
        return 1.0
    if cross_training:
        return max(0.90, 1.0 - 0.0015 * (days_off - 5))
    return max(0.80, 1.0 - 0.003 * (days_off - 5))


def weight_factor(old_kg: float | None, new_kg: float | None) -> float:
    if not old_kg or not new_kg:
        return 1.0
    return old_kg / new_kg


def _off(rules: DayRules) -> bool:
    """A day without running that counts towards a break (a pending check-in does not)."""
    return any(r.level >= Level.CROSS_ONLY and not r.check_in_due for r in rules.restrictions)


def find_breaks(rules: dict[date, DayRules]) -> list[Break]:
    """Runs of consecutive days on which running is not allowed."""
    breaks: list[Break] = []
    span: list[DayRules] = []
    for day in sorted(rules):
        day_rules = rules[day]
        if _off(day_rules) and (not span or span[-1].on == day - timedelta(days=1)):
            span.append(day_rules)
            continue
        if span:
            breaks.append(_break(span))
        span = [day_rules] if _off(day_rules) else []
    if span:
        breaks.append(_break(span))
    return breaks


def _break(span: list[DayRules]) -> Break:
    restrictions = [r for d in span for r in d.restrictions]
    return Break(
        first=span[0].on,
        last=span[-1].on,
        cross_training=any(d.replacement == "cross" for d in span),
        febrile=any(
            r.level is Level.NO_TRAINING and r.cause in ("illness", "mastitis")
            for r in restrictions
        ),
        causes=tuple(sorted({r.cause for r in restrictions})),
        provisional=any(r.provisional for r in restrictions),
    )


def graded_return(
    brk: Break, progress: Progress, blocked: set[date], horizon: date
) -> tuple[list[Restriction], date | None]:
    """The stages after a febrile break, advancing on completed days; and the first day of
    normal training (None when the stages reach past ``horizon``)."""
    out: list[Restriction] = []
    stage, completed = 0, 0
    day = brk.last + timedelta(days=1)
    while day <= horizon:
        current = STAGES[stage]
        out.append(
            Restriction(
                day,
                Level.EASY_ONLY,
                f"graded return after illness, {current.label}",
                STAGES_SOURCE,
                "return",
                max_run_s=current.max_min * 60.0,
                stage=current.label,
                allow_strides=current.strides,
                no_strength=not current.strength,
                provisional=brk.provisional or day > progress.today,
            )
        )
        if day not in blocked:
            if progress.steps_back(day):
                stage, completed = max(0, stage - 1), 0
            elif progress.completes(day):
                completed += 1
                if completed >= current.days:
                    stage, completed = stage + 1, 0
        day += timedelta(days=1)
        if stage == len(STAGES):
            return out, day
    return out, None


def rebuild(brk: Break, first_back: date) -> list[Restriction]:
    """Daniels' Table 9.2 load after a break of more than five days; easy only below 75 %."""
    out: list[Restriction] = []
    if brk.days <= 5:
        if not brk.febrile:
            out.append(
                Restriction(
                    first_back,
                    Level.EASY_ONLY,
                    f"first day back after {brk.days} day{'s' if brk.days > 1 else ''} off: easy",
                    REBUILD_SOURCE,
                    "rebuild",
                    provisional=brk.provisional,
                )
            )
        return out
    period = min(brk.days, MAX_RETURN_DAYS)
    shares = (0.5, 0.75) if brk.days <= 28 else (0.33, 0.5, 0.75)
    part = period / len(shares)
    for i in range(period):
        share = shares[min(int(i // part), len(shares) - 1)]
        level = Level.REDUCED if share >= 0.75 else Level.EASY_ONLY
        out.append(
            Restriction(
                first_back + timedelta(days=i),
                level,
                f"rebuilding after {brk.days} days off: {share:.0%} of the planned load"
                + (", threshold before intervals" if level is Level.REDUCED else ", easy only"),
                REBUILD_SOURCE,
                "rebuild",
                load_factor=share,
                allow_strides=True,
                threshold_only=level is Level.REDUCED,
                provisional=brk.provisional,
            )
        )
    return out


def ease_days(episode_days: int) -> int:
    return 7 if episode_days <= 7 else 14


def ease_back(
    first_normal: date, episode_days: int, before_m: float | None, *, provisional: bool
) -> list[Restriction]:
    """Easy running for 1–2 weeks after a health episode, then a threshold-first week; the
    running of both held to ``before_m`` a week (what she ran before), when known."""
    easy = ease_days(episode_days)
    held = f", at most {before_m / 1000:.0f} km a week" if before_m else ""
    out = [
        Restriction(
            first_normal + timedelta(days=i),
            Level.EASY_ONLY,
            f"easing back after {episode_days} day{'s' if episode_days > 1 else ''} of "
            f"sickness: easy running for {easy} days{held}",
            EASE_SOURCE,
            "ease",
            allow_strides=True,
            max_week_m=before_m,
            provisional=provisional,
        )
        for i in range(easy)
    ]
    out += [
        Restriction(
            first_normal + timedelta(days=easy + i),
            Level.REDUCED,
            "back to quality: threshold first, intervals and repetitions from next week" + held,
            EASE_SOURCE,
            "ease",
            threshold_only=True,
            max_week_m=before_m,
            provisional=provisional,
        )
        for i in range(THRESHOLD_FIRST_DAYS)
    ]
    return out
