"""Phases and weekly volume: how a plan's weeks are shared out and how mileage grows.

Phases [S: Daniels, docs/science.md §2]: I Foundation → II Early quality → III Transition quality
→ IV Final quality, then the taper. With fewer weeks than the ideal 6 per phase, I is filled
first, then IV, then II, then III. A runner who already trains at the race's volume has done her
base: those weeks count as Phase I [S: Daniels, "recent training counts"].
Progression [P/S]: hold a volume three to four weeks before a rise; a rise adds at most 1.6 km
(1 mile) per weekly run and at most 16 km (10 miles). A cutback week (80 %) follows every three
weeks at one level [D], then one week back at the level before any rise [D], and no rise comes
in the week a phase brings a new kind of quality [D]. The recovery week after a tune-up race
counts as a cutback.
"""

from __future__ import annotations

from collections.abc import Sequence
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

# Default peak when none is given [D]: a runner below the volume the distance wants grows
# towards it, at most 30 % above today; one already there adds 10 %. Larger peaks are hers to ask.
_PEAK_FLOOR_M = ((10_000.0, 30_000.0), (20_000.0, 40_000.0), (30_000.0, 45_000.0), (1e9, 60_000.0))
DEFAULT_GROWTH_TO_FLOOR = 1.30
DEFAULT_GROWTH_ABOVE_FLOOR = 1.10

# Readiness [D]: the least a plan must reach by its last build week, by race — a peak week and
# a longest run. Shorter races ask nothing more than the 30-minute runs.
# (race distance up to, peak week, longest run)
READINESS_M = ((20_000.0, 0.0, 0.0), (30_000.0, 32_000.0, 9_500.0), (1e9, 56_000.0, 16_000.0))


def readiness_m(race_distance_m: float) -> tuple[float, float]:
    """(least peak week, least longest run) a race distance wants [D]."""
    return next((p, r) for limit, p, r in READINESS_M if race_distance_m <= limit)


def taper_shares(request: PlanRequest) -> tuple[float, ...]:
    return TAPER_SHARES_MARATHON if request.is_marathon else TAPER_SHARES


def allocate_phases(build_weeks: int, base_weeks: int = 0) -> list[Phase]:
    """The phase of each build week, in order (the taper is added by the caller).

    ``base_weeks`` of recent training count as Phase I weeks already done: the phases are
    shared out as if the plan were that much longer, and the weeks already run are dropped.
    """
    base_weeks = min(base_weeks, MAX_PHASE_WEEKS * len(PHASE_ORDER) - build_weeks)
    if base_weeks > 0:
        full = allocate_phases(build_weeks + base_weeks)
        done = min(base_weeks, full.count(Phase.FOUNDATION))
        return full[done : done + build_weeks]
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


def peak_floor_m(race_distance_m: float) -> float:
    """The weekly volume a race distance wants at its peak [D]."""
    return next(f for limit, f in _PEAK_FLOOR_M if race_distance_m <= limit)


def default_peak_m(request: PlanRequest) -> float:
    """The peak when she did not ask for one [D], explained in the plan's notes."""
    floor = peak_floor_m(request.race_distance_m)
    if request.weekly_m < floor:
        wanted = min(floor, request.weekly_m * DEFAULT_GROWTH_TO_FLOOR)
    else:
        wanted = request.weekly_m * DEFAULT_GROWTH_ABOVE_FLOOR
    # Never below what the race needs: if progression cannot get there, the request is refused.
    return max(wanted, readiness_m(request.race_distance_m)[0])


def base_weeks_done(request: PlanRequest) -> int:
    """Weeks of Phase I her recent training stands for [D]: a runner already at the volume the
    distance wants has her base (three weeks, Daniels' first pass of Phase I)."""
    return FIRST_PASS_WEEKS if request.weekly_m >= peak_floor_m(request.race_distance_m) else 0


@dataclass(frozen=True)
class WeekVolume:
    target_m: float
    cutback: bool = False
    level_m: float = 0.0  # the level this week belongs to (its own target unless a cutback)


def build_volumes(
    request: PlanRequest,
    build_weeks: int,
    tune_up_week: int | None,
    new_quality: Sequence[bool] = (),
    peak_m: float | None = None,
) -> list[WeekVolume]:
    """Weekly targets for the build weeks (0-based ``tune_up_week`` is the tune-up's week).

    ``new_quality[i]`` says week i brings a kind of quality not run before: no rise there.
    ``peak_m`` overrides the request's peak (or the default one).
    """
    if peak_m is None:
        peak_m = request.peak_m if request.peak_m is not None else default_peak_m(request)
    step = rise_limit_m(request.runs_per_week)
    recovery_week = tune_up_week + 1 if tune_up_week is not None else None

    def brings_new_quality(week: int) -> bool:
        return week < len(new_quality) and new_quality[week]

    # ``at_level``: weeks built at the current level since it was reached (cutbacks apart);
    # ``since_cutback``: weeks since the last cutback; ``rise_ready``: a cutback came and the
    # week after it returned to the level, so the next rise may come.
    level, at_level, since_cutback = request.weekly_m, 0, 0
    after_cutback, rise_ready = False, False
    out: list[WeekVolume] = []
    for week in range(build_weeks):
        if week == recovery_week:
            out.append(WeekVolume(level * TUNE_UP_RECOVERY, cutback=True, level_m=level))
            since_cutback, after_cutback, rise_ready = 0, True, False
            continue
        cutback_due = (
            since_cutback >= HOLD_WEEKS
            and week < build_weeks - 1
            and week != tune_up_week
            and week + 1 != recovery_week
        )
        if cutback_due:
            out.append(WeekVolume(level * CUTBACK, cutback=True, level_m=level))
            since_cutback, after_cutback, rise_ready = 0, True, False
            continue
        rise = (
            rise_ready
            and at_level >= HOLD_WEEKS
            and level < peak_m - 1.0
            and not brings_new_quality(week)
            and week != tune_up_week
        )
        if rise:
            level, at_level, rise_ready = min(peak_m, level + step), 0, False
        out.append(WeekVolume(level, level_m=level))
        at_level += 1
        since_cutback += 1
        if after_cutback:
            rise_ready = True  # this week was the return to the level
        after_cutback = False
    return out


def taper_volumes(request: PlanRequest, last_level_m: float) -> list[WeekVolume]:
    return [
        WeekVolume(last_level_m * share, level_m=last_level_m) for share in taper_shares(request)
    ]
