"""Phases and weekly volume: how a plan's weeks are shared out and how mileage grows.

Phases [S: Daniels, docs/science.md §2]: I Foundation → II Early quality → III Transition quality
→ IV Final quality, then the taper. With fewer weeks than the ideal 6 per phase, I is filled
first, then IV, then II, then III.
Progression [P/S]: hold a volume at least three weeks before a rise; a rise adds at most 1.6 km
(1 mile) per weekly run and at most 16 km (10 miles). A cutback week (80 %) follows every three
weeks at one level [D], and the recovery week after a tune-up race counts as one.
"""

from __future__ import annotations

from dataclasses import dataclass

from milepost.domain.plan.model import Phase
from milepost.domain.plan.request import PlanRequest

PHASE_ORDER = (
    Phase.FOUNDATION,
    Phase.EARLY_QUALITY,
    Phase.TRANSITION_QUALITY,
    Phase.FINAL_QUALITY,
)
# Daniels' priority when weeks are short: I first, then IV, then II, then III.
FILL_PRIORITY = (
    Phase.FOUNDATION,
    Phase.FINAL_QUALITY,
    Phase.EARLY_QUALITY,
    Phase.TRANSITION_QUALITY,
)
MAX_PHASE_WEEKS = 6
FIRST_PASS_WEEKS = 3
HOLD_WEEKS = 3
CUTBACK = 0.80
TUNE_UP_RECOVERY = 0.85
RISE_PER_RUN_M = 1609.344
RISE_CAP_M = 16093.44

# Taper [S]: volume falls while intensity stays; 3 weeks for the marathon, 2 otherwise
# (each list ends with the race week, whose share excludes the race itself).
TAPER_SHARES_MARATHON = (0.80, 0.65, 0.40)
TAPER_SHARES = (0.75, 0.45)

# Default peak when none is given [D]: grow by a race-dependent factor towards a floor that
# the distance wants, never more than 60 % above today.
_PEAK_FACTOR = ((10_000.0, 1.25), (20_000.0, 1.30), (30_000.0, 1.35), (1e9, 1.50))
_PEAK_FLOOR_M = ((10_000.0, 30_000.0), (20_000.0, 40_000.0), (30_000.0, 45_000.0), (1e9, 60_000.0))


def taper_shares(request: PlanRequest) -> tuple[float, ...]:
    return TAPER_SHARES_MARATHON if request.is_marathon else TAPER_SHARES


def allocate_phases(build_weeks: int) -> list[Phase]:
    """The phase of each build week, in order (the taper is added by the caller)."""
    counts = dict.fromkeys(PHASE_ORDER, 0)
    left = build_weeks
    for phase in FILL_PRIORITY:
        take = min(left, FIRST_PASS_WEEKS)
        counts[phase] += take
        left -= take
    while left > 0:
        for phase in FILL_PRIORITY:
            if left > 0 and counts[phase] < MAX_PHASE_WEEKS:
                counts[phase] += 1
                left -= 1
        if all(c >= MAX_PHASE_WEEKS for c in counts.values()):
            break
    return [phase for phase in PHASE_ORDER for _ in range(counts[phase])]


def rise_limit_m(runs_per_week: int) -> float:
    return min(RISE_PER_RUN_M * runs_per_week, RISE_CAP_M)


def default_peak_m(request: PlanRequest) -> float:
    factor = next(f for limit, f in _PEAK_FACTOR if request.race_distance_m <= limit)
    floor = next(f for limit, f in _PEAK_FLOOR_M if request.race_distance_m <= limit)
    wanted = max(request.weekly_m * factor, floor)
    return max(request.weekly_m, min(wanted, request.weekly_m * 1.6))


@dataclass(frozen=True)
class WeekVolume:
    target_m: float
    cutback: bool = False
    level_m: float = 0.0  # the level this week belongs to (its own target unless a cutback)


def build_volumes(
    request: PlanRequest, build_weeks: int, tune_up_week: int | None
) -> list[WeekVolume]:
    """Weekly targets for the build weeks (0-based ``tune_up_week`` is the tune-up's week)."""
    peak = request.peak_m if request.peak_m is not None else default_peak_m(request)
    step = rise_limit_m(request.runs_per_week)
    level, held, rise_pending = request.weekly_m, 0, False
    recovery_week = tune_up_week + 1 if tune_up_week is not None else None
    out: list[WeekVolume] = []
    for week in range(build_weeks):
        if week == recovery_week:
            out.append(WeekVolume(level * TUNE_UP_RECOVERY, cutback=True, level_m=level))
            if held >= HOLD_WEEKS:
                rise_pending, held = True, 0
            continue
        cutback_due = (
            held >= HOLD_WEEKS
            and week < build_weeks - 1
            and week != tune_up_week
            and week + 1 != recovery_week
        )
        if cutback_due:
            out.append(WeekVolume(level * CUTBACK, cutback=True, level_m=level))
            rise_pending, held = True, 0
            continue
        if rise_pending and level < peak:
            level, held = min(peak, level + step), 0
        rise_pending = False
        out.append(WeekVolume(level, level_m=level))
        held += 1
    return out


def taper_volumes(request: PlanRequest, last_level_m: float) -> list[WeekVolume]:
    return [
        WeekVolume(last_level_m * share, level_m=last_level_m) for share in taper_shares(request)
    ]
