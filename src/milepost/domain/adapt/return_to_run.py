"""Coming back after a break: how much fitness was lost, and how the load comes back.

- VDOT after time off [P: VDOT O2 news, Feb 2018; science.md §2]: ×1 for ≤ 5 days off, else
  max(0.80, 1 − 0.003 (d − 5)) without cross-training, max(0.90, 1 − 0.0015 (d − 5)) with it; a
  weight change scales VDOT by old weight / new weight first.
- Load after a break [S: Daniels' Table 9.2]: ≤ 5 days → 100 %; 6–28 days → 50 % for the first
  half of the return, 75 % for the second; longer → thirds at 33 / 50 / 75 %. The return lasts as
  long as the break, at most six weeks [D]. Easy running only until the load reaches 75 %
  (duration before intensity).
- After a fever or a whole-body illness, the graded stages first [P abstract: Elliott et al., BJSM
  2020]: < 15 min light → 30–45 min easy → 45–60 min with some strides → normal; at least a day a
  stage (we give the second and third two days each [D]).
"""

from __future__ import annotations

from datetime import date, timedelta

from milepost.domain.adapt.model import Break, DayRules, Level, Restriction

TIME_OFF_SOURCE = "VDOT O2 time-off table (science.md §2) [P]"
REBUILD_SOURCE = "Daniels' Table 9.2 rebuilding load (science.md §2) [S]"
STAGES_SOURCE = "Elliott et al., BJSM 2020, graded return (science.md §3) [P]"
MAX_RETURN_DAYS = 42

# (days, level, max run minutes, strides allowed, label)
_STAGES: tuple[tuple[int, Level, float, bool, str], ...] = (
    (1, Level.EASY_ONLY, 15.0, False, "stage 1 of 4: under 15 min, light (below 70 % of max HR)"),
    (2, Level.EASY_ONLY, 45.0, False, "stage 2 of 4: 30–45 min easy (below 80 % of max HR)"),
    (2, Level.EASY_ONLY, 60.0, True, "stage 3 of 4: 45–60 min easy, a few strides allowed"),
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


def find_breaks(rules: dict[date, DayRules]) -> list[Break]:
    """Runs of consecutive days on which running is not allowed."""
    breaks: list[Break] = []
    span: list[DayRules] = []
    for day in sorted(rules):
        day_rules = rules[day]
        if day_rules.level >= Level.CROSS_ONLY and (
            not span or span[-1].on == day - timedelta(days=1)
        ):
            span.append(day_rules)
            continue
        if span:
            breaks.append(_break(span))
        span = [day_rules] if day_rules.level >= Level.CROSS_ONLY else []
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


def return_restrictions(brk: Break) -> list[Restriction]:
    """The days after a break: graded stages after a fever, then the load rebuild."""
    out: list[Restriction] = []
    first_back = brk.last + timedelta(days=1)
    if brk.febrile:
        day = first_back
        for length, level, minutes, strides, label in _STAGES:
            for _ in range(length):
                out.append(
                    Restriction(
                        day,
                        level,
                        f"graded return after illness, {label}",
                        STAGES_SOURCE,
                        "return",
                        max_run_s=minutes * 60.0,
                        stage=label,
                        allow_strides=strides,
                        provisional=brk.provisional,
                    )
                )
                day += timedelta(days=1)
    if brk.days <= 5:
        if not brk.febrile:
            out.append(
                Restriction(
                    first_back,
                    Level.EASY_ONLY,
                    f"first day back after {brk.days} day(s) off: easy",
                    REBUILD_SOURCE,
                    "return",
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
                + ("" if level is Level.REDUCED else ", easy running only"),
                REBUILD_SOURCE,
                "return",
                load_factor=share,
                allow_strides=True,
                provisional=brk.provisional,
            )
        )
    return out
