"""``generate_plan(request, today)``: the ideal race plan, knowing nothing of illness.

Weeks get a phase (volume.py), a volume (volume.py), a layout of days (layout.py); each week is
then filled with Daniels' workouts (workouts.py) within the per-session limits, strength on days
that are not the eve of a hard day (strength.py), and the race on its date.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import combinations, pairwise

from milepost.domain.plan.layout import Layout, choose_layout, quality_slots
from milepost.domain.plan.model import Day, Phase, Plan, Race, Session, SessionKind, Week
from milepost.domain.plan.request import (
    PlanRequest,
    monday_of,
    plan_start,
    plan_weeks,
    validate_request,
)
from milepost.domain.plan.strength import strength_session
from milepost.domain.plan.volume import (
    WeekVolume,
    allocate_phases,
    build_volumes,
    default_peak_m,
    taper_volumes,
)
from milepost.domain.plan.workouts import (
    Context,
    easy_min_m,
    easy_run,
    fartlek,
    intervals,
    long_run,
    long_run_cap_m,
    marathon_pace_run,
    race_session,
    repetitions,
    rest_day,
    threshold,
)
from milepost.domain.units import Units, format_distance, format_duration
from milepost.domain.vdot import race_time_s, training_paces
from milepost.errors import InfeasiblePlanError

# Daniels [S]: raise VDOT by about one point after 4–6 weeks of training that felt easy, never
# more often. The plan states the gain it expects: +1 every six weeks of building, at most +2
# (conservative on purpose [D]: a goal that proves too easy is a better problem than the reverse),
# and none during the taper.
VDOT_GAIN_EVERY_WEEKS = 6
VDOT_GAIN_MAX = 2.0

# Longest long run by race distance [S: Daniels' caps of 2.5 h or about 20 mi for the marathon].
_LONG_CAP_BY_RACE = (
    (6_000.0, 16_000.0),
    (11_000.0, 20_000.0),
    (22_000.0, 24_000.0),
    (1e9, 35_000.0),
)

FOCUS = {
    Phase.FOUNDATION: "Foundation: easy running, strides and strength build the base "
    "that quality needs.",
    Phase.EARLY_QUALITY: "Early quality: repetitions for speed and economy, a first taste "
    "of threshold.",
    Phase.TRANSITION_QUALITY: "Transition quality, the hardest block: intervals for VO2max, "
    "threshold for stamina.",
    Phase.FINAL_QUALITY: "Final quality: threshold and race-pace work that looks like the race.",
    Phase.TAPER: "Taper: less running, the same intensity, so you arrive fresh.",
}


@dataclass(frozen=True)
class _WeekSpec:
    index: int
    phase: Phase
    volume: WeekVolume
    index_in_phase: int
    weeks_to_taper: int  # 1 for the last build week; <= 0 inside the taper
    is_race_week: bool = False
    tune_up: bool = False
    recovery: bool = False


def expected_vdot(start_vdot: float, week_index: int) -> float:
    return start_vdot + min(VDOT_GAIN_MAX, float(week_index // VDOT_GAIN_EVERY_WEEKS))


def race_label(distance_m: float) -> str:
    return format_distance(distance_m)


def generate_plan(request: PlanRequest, today: date) -> Plan:
    validate_request(request, today)
    start = plan_start(request, today)
    n_weeks = plan_weeks(request, today)
    taper = taper_volumes(request, 0.0)
    build_n = n_weeks - len(taper)
    tune_idx = None
    if request.tune_up is not None:
        tune_idx = (monday_of(request.tune_up.date) - start).days // 7
        if tune_idx >= build_n - 1:
            raise InfeasiblePlanError(
                "the tune-up race falls in the taper, where it would cost the goal race",
                alternative="choose a tune-up at least four weeks before the goal race",
            )
    volumes = build_volumes(request, build_n, tune_idx)
    last_level = volumes[-1].level_m if volumes else request.weekly_m
    volumes += taper_volumes(request, last_level)
    phases = allocate_phases(build_n) + [Phase.TAPER] * len(taper)
    layout = choose_layout(request)
    units = Units(request.units)
    vdots = tuple(
        round(expected_vdot(request.vdot, min(i, build_n - 1)), 1) for i in range(n_weeks)
    )
    goal_s = request.goal_s or round(race_time_s(vdots[-1], request.race_distance_m))

    specs = []
    for i in range(n_weeks):
        phase = phases[i]
        specs.append(
            _WeekSpec(
                index=i,
                phase=phase,
                volume=volumes[i],
                index_in_phase=i - phases.index(phase),
                weeks_to_taper=build_n - i,
                is_race_week=i == n_weeks - 1,
                tune_up=i == tune_idx,
                recovery=tune_idx is not None and i == tune_idx + 1,
            )
        )
    weeks = tuple(
        _build_week(
            spec,
            request,
            layout,
            Context(training_paces(vdots[spec.index]).rounded(), units, spec.volume.target_m),
            start,
            goal_s,
        )
        for spec in specs
    )
    race_days = [request.race_date] + ([request.tune_up.date] if request.tune_up else [])
    weeks = tuple(_ease_race_eves(w, race_days, units, vdots[w.number - 1]) for w in weeks)
    _check_runs_fit(request, today, weeks)
    race = Race(request.race_distance_m, request.race_date, request.race_name, goal_s)
    tune = (
        Race(request.tune_up.distance_m, request.tune_up.date, "Tune-up")
        if request.tune_up
        else None
    )
    return Plan(
        race=race,
        vdot=request.vdot,
        weeks=weeks,
        units=units.value,
        expected_vdot=vdots,
        tune_up=tune,
        notes=tuple(_notes(request, weeks, phases, layout, vdots, goal_s, units, start)),
    )


def rounding_tolerance_m(request: PlanRequest) -> float:
    """How far a built week may sit from its target: runs are planned to half a unit."""
    unit = Units(request.units).metres
    return 0.25 * unit * request.runs_per_week + unit


def _check_runs_fit(request: PlanRequest, today: date, weeks: tuple[Week, ...]) -> None:
    """Refuse a volume too small to give every run its 30 minutes, and say what would work."""
    tolerance = rounding_tolerance_m(request)
    too_big = [
        w
        for w in weeks
        if w.phase is not Phase.TAPER and not w.cutback and w.total_m > w.target_m + tolerance
    ]
    taper = [_non_race_m(w) for w in weeks if w.phase is Phase.TAPER]
    peak = max((w.target_m for w in weeks if w.phase is not Phase.TAPER), default=0.0)
    taper_falls = taper[0] < peak and all(a > b for a, b in pairwise(taper))
    if not too_big and taper_falls:
        return
    where = f"by week {too_big[0].number}" if too_big else "in the taper"
    fewer = next(
        (
            n
            for n in range(request.runs_per_week - 1, 2, -1)
            if _fits(replace(request, runs_per_week=n), today)
        ),
        None,
    )
    units = Units(request.units)
    alternative = (
        f"ask for {fewer} runs a week (--runs-per-week {fewer}), or run more each week"
        if fewer
        else "build up your weekly volume before starting a race plan"
    )
    raise InfeasiblePlanError(
        f"{format_distance(request.weekly_m, units)} a week over {request.runs_per_week} runs "
        f"leaves runs shorter than 30 minutes (20 in the taper) {where}",
        alternative=alternative,
    )


def _non_race_m(week: Week) -> float:
    return sum(s.distance_m for d in week.days for s in d.runs if s.kind is not SessionKind.RACE)


def _fits(request: PlanRequest, today: date) -> bool:
    try:
        generate_plan(request, today)
    except InfeasiblePlanError:
        return False
    return True


def _long_race_cap(distance_m: float) -> float:
    return next(cap for limit, cap in _LONG_CAP_BY_RACE if distance_m <= limit)


def _long_m_share(spec: _WeekSpec, request: PlanRequest) -> float:
    """Share of the long run at marathon pace this week (0 for an all-easy long run)."""
    if spec.volume.cutback or spec.recovery or not request.is_long_race:
        return 0.0
    # Alternate backwards from the last build week, which always carries race pace.
    alternate = (spec.weeks_to_taper - 1) % 2 == 0
    if request.is_marathon:
        if spec.phase is Phase.TRANSITION_QUALITY and not alternate:
            return 0.30
        if spec.phase is Phase.FINAL_QUALITY and alternate:
            return 0.45
        if spec.phase is Phase.TAPER and spec.index_in_phase == 0:
            return 0.30
        return 0.0
    if spec.phase is Phase.FINAL_QUALITY and alternate:
        return 0.35
    return 0.0


def _quality(spec: _WeekSpec, request: PlanRequest, slots: int, m_long: bool) -> list[str]:
    """Midweek quality kinds for the week, most important first."""
    if spec.recovery or spec.tune_up or spec.phase is Phase.FOUNDATION:
        return []
    short_race = request.race_distance_m <= 11_000
    plan: list[str]
    if spec.phase is Phase.EARLY_QUALITY:
        plan = ["R", "T"] if spec.index_in_phase % 2 == 0 or slots > 1 else ["F"]
    elif spec.phase is Phase.TRANSITION_QUALITY:
        plan = ["I", "T"] if spec.index_in_phase % 2 == 0 else ["T", "I"]
    elif spec.phase is Phase.FINAL_QUALITY:
        if request.is_marathon:
            plan = ["T", "M"]
        elif request.race_distance_m <= 6_000:
            plan = ["I", "T"]
        else:
            plan = ["T", "I"]
    else:  # taper
        plan = ["T", "I"] if short_race else ["T"]
    if m_long and slots > 1:
        slots -= 1  # the marathon-pace long run is one of the week's quality days
    if spec.volume.cutback:
        slots = min(slots, 1)
    return plan[:slots]


def _build_quality(kind: str, ctx: Context, phase: Phase) -> Session:
    if kind == "R":
        return repetitions(ctx)
    if kind == "I":
        return intervals(ctx)
    if kind == "M":
        return marathon_pace_run(ctx)
    if kind == "F":
        return fartlek(ctx)
    return threshold(ctx, long_reps=phase is Phase.FINAL_QUALITY)


def _build_week(
    spec: _WeekSpec,
    request: PlanRequest,
    layout: Layout,
    ctx: Context,
    plan_monday: date,
    goal_s: float,
) -> Week:
    monday = plan_monday + timedelta(weeks=spec.index)
    if spec.is_race_week:
        sessions = _race_week(spec, request, layout, ctx, monday, goal_s)
    else:
        sessions = _training_week(spec, request, layout, ctx, monday)
    _place_strength(sessions, spec, request, monday, layout)
    days = []
    for d in range(7):
        on = monday + timedelta(days=d)
        todays = sessions[d]
        if request.start is not None and on < request.start:
            todays = []
        after_race = on > request.race_date
        if not todays and not after_race:
            todays = [rest_day()]
        days.append(Day(on, tuple(todays)))
    week = Week(
        number=spec.index + 1,
        starts=monday,
        phase=spec.phase,
        days=tuple(days),
        focus=_focus(spec),
        cutback=spec.volume.cutback,
        target_m=round(spec.volume.target_m, 1),
    )
    if spec.is_race_week:
        # The race week's volume is what it holds, the race apart.
        week = replace(week, target_m=round(_non_race_m(week), 1))
    return week


def _ease_race_eves(week: Week, race_days: list[date], units: Units, vdot: float) -> Week:
    """The day before a race (even across a week's end) holds no hard session and no strength:
    a hard session becomes a short easy run, strength is dropped."""
    eves = {d - timedelta(days=1) for d in race_days}

    def needs_easing(day: Day) -> bool:
        return day.date in eves and (
            day.is_hard or any(s.kind is SessionKind.STRENGTH for s in day.sessions)
        )

    if not any(needs_easing(day) for day in week.days):
        return week
    ctx = Context(training_paces(vdot).rounded(), units, week.target_m)
    easy = easy_run(ctx, easy_min_m(ctx, taper=True))
    eased = replace(
        easy, description=easy.description + " Kept short and easy: tomorrow is race day."
    )
    days = []
    eased_hard = False
    for day in week.days:
        if needs_easing(day):
            eased_hard = eased_hard or day.is_hard
            sessions = tuple(
                eased if s.is_quality or s.kind is SessionKind.LONG else s
                for s in day.sessions
                if s.kind is not SessionKind.STRENGTH
            )
            day = Day(day.date, sessions or (rest_day(),))
        days.append(day)
    if not eased_hard:
        return replace(week, days=tuple(days))
    # The week no longer holds its planned volume: mark it as eased, like a cutback.
    return replace(
        week,
        days=tuple(days),
        cutback=True,
        focus=week.focus + " The day before the race is kept easy.",
    )


def _focus(spec: _WeekSpec) -> str:
    if spec.is_race_week:
        return "Race week: short and sharp, then race."
    if spec.tune_up:
        return "Tune-up race week: race it, learn from it, no other quality."
    if spec.recovery:
        return "Recovery after the tune-up: easy running and strides only."
    if spec.volume.cutback:
        return "Cutback week: about 80 % of the volume, to absorb the last three weeks."
    return FOCUS[spec.phase]


def _training_week(
    spec: _WeekSpec, request: PlanRequest, layout: Layout, ctx: Context, monday: date
) -> dict[int, list[Session]]:
    sessions: dict[int, list[Session]] = {d: [] for d in range(7)}
    target = spec.volume.target_m
    m_share = _long_m_share(spec, request)
    kinds = _quality(spec, request, len(layout.quality_days), m_share > 0)
    run_days = list(layout.run_days)
    fixed_m = 0.0

    long_day: int | None = layout.long_day
    if spec.tune_up and request.tune_up is not None:
        race_day = (request.tune_up.date - monday).days
        tune = request.tune_up
        goal = round(race_time_s(ctx.paces.vdot, tune.distance_m))
        sessions[race_day].append(
            race_session(ctx, tune.distance_m, goal, f"tune-up {race_label(tune.distance_m)}")
        )
        fixed_m += tune.distance_m
        if race_day not in run_days:
            # Keep the week's run count: the race takes the place of the easy day before it.
            drop = min(
                (d for d in run_days if d != layout.long_day),
                key=lambda d: ((race_day - d) % 7, d),
            )
            run_days.remove(drop)
            run_days.append(race_day)
        if abs(race_day - layout.long_day) <= 1:
            long_day = None  # the race is this week's long effort
    for kind, day in zip(kinds, layout.quality_days, strict=False):
        session = _build_quality(kind, ctx, spec.phase)
        sessions[day].append(session)
        fixed_m += session.distance_m
    busy = {d for d in range(7) if sessions[d]}
    easy_days = [d for d in sorted(run_days) if d not in busy and d != long_day]
    floor = easy_min_m(ctx, taper=spec.phase is Phase.TAPER)

    long_m = 0.0
    if long_day is not None:
        cap = long_run_cap_m(ctx, _long_race_cap(request.race_distance_m))
        room = target - fixed_m - floor * len(easy_days)
        long_m = min(cap, max(room, floor))
        session = long_run(ctx, long_m, m_share=m_share)
        sessions[long_day].append(session)
        long_m = session.distance_m
    strides_left = (
        2 if spec.phase in (Phase.FOUNDATION, Phase.EARLY_QUALITY) or spec.recovery else 0
    )
    remaining = target - fixed_m - long_m
    each = max(floor, remaining / len(easy_days)) if easy_days else 0.0
    for day in easy_days:
        # Strides go on easy days that are not the eve of a hard day.
        eve = (day + 1) % 7 in {*layout.quality_days, layout.long_day}
        sessions[day].append(easy_run(ctx, each, strides=strides_left > 0 and not eve))
        if strides_left > 0 and not eve:
            strides_left -= 1
    return sessions


def _race_week(
    spec: _WeekSpec,
    request: PlanRequest,
    layout: Layout,
    ctx: Context,
    monday: date,
    goal_s: float,
) -> dict[int, list[Session]]:
    sessions: dict[int, list[Session]] = {d: [] for d in range(7)}
    race_day = (request.race_date - monday).days
    sessions[race_day].append(
        race_session(
            ctx,
            request.race_distance_m,
            goal_s,
            request.race_name or race_label(request.race_distance_m),
        )
    )
    before = [d for d in layout.run_days if d < race_day]
    # One short threshold session at least three days out keeps the legs sharp [S: taper].
    sharpener = next((d for d in layout.quality_days if race_day - d >= 3), None)
    runs_left = request.runs_per_week - 1
    short = easy = easy_min_m(ctx, taper=True)
    for d in before:
        if runs_left <= 0:
            break
        if d == sharpener:
            light = Context(ctx.paces, ctx.units, spec.volume.level_m * 0.6)
            sessions[d].append(threshold(light))
        elif race_day - d == 1:
            if request.runs_per_week < 5:
                continue  # the day before the race is a rest day for lower-frequency runners
            sessions[d].append(easy_run(ctx, short))
        else:
            sessions[d].append(easy_run(ctx, easy, strides=race_day - d == 2))
        runs_left -= 1
    return sessions


def _place_strength(
    sessions: dict[int, list[Session]],
    spec: _WeekSpec,
    request: PlanRequest,
    monday: date,
    layout: Layout,
) -> None:
    """Strength on days that are not hard and not the eve of a hard day; spread out."""
    wanted = request.strength_per_week
    if spec.is_race_week:
        return
    if spec.phase is Phase.TAPER:
        wanted = min(wanted, 1)
    if wanted == 0:
        return
    quality = {d for d, todays in sessions.items() if any(s.is_quality for s in todays)}
    long_days = {
        d for d, todays in sessions.items() if any(s.kind is SessionKind.LONG for s in todays)
    }
    hard = quality | long_days
    # Never the eve of a hard day, nor the long-run day; after a quality session only when the
    # easy days run out ("keep the hard days hard").
    # Sunday's tomorrow is next week's Monday: hard whenever the layout can make it so.
    eve_of_hard = {(d - 1) % 7 for d in hard} | {6 if 0 in layout.hard_days else -1}
    candidates = [d for d in range(7) if d not in eve_of_hard and d not in long_days]
    if request.start is not None:
        candidates = [d for d in candidates if monday + timedelta(days=d) >= request.start]
    if not candidates:
        return
    count = min(wanted, len(candidates))

    def spread(days: tuple[int, ...]) -> tuple[int, int, int]:
        gaps = [((days[(i + 1) % len(days)] - days[i]) % 7) or 7 for i in range(len(days))]
        on_quality = sum(1 for d in days if d in quality)
        on_run_days = sum(1 for d in days if sessions[d])
        return (-on_quality, min(gaps), on_run_days)

    chosen = max(combinations(candidates, count), key=spread)
    for n, day in enumerate(chosen):
        sessions[day].append(strength_session(spec.phase, spec.index + n))


def _notes(
    request: PlanRequest,
    weeks: tuple[Week, ...],
    phases: list[Phase],
    layout: Layout,
    vdots: tuple[float, ...],
    goal_s: float,
    units: Units,
    start: date,
) -> list[str]:
    notes = []
    counts = {p: phases.count(p) for p in Phase if phases.count(p)}
    notes.append(
        "Phases: "
        + ", ".join(f"{p.label} {n} wk" for p, n in counts.items())
        + " (with fewer than 24 weeks, Daniels fills Phase I first, then IV, II and III)."
    )
    peak = max(w.target_m for w in weeks)
    asked = request.peak_m if request.peak_m is not None else default_peak_m(request)
    notes.append(
        f"Volume: from {format_distance(request.weekly_m, units)} to a peak of "
        f"{format_distance(peak, units)} a week, holding each level three weeks before a rise "
        "of at most 1.6 km per run, with a cutback week after each block."
    )
    if peak + 500 < asked:
        notes.append(
            f"The peak you asked for ({format_distance(asked, units)}) is out of safe reach in "
            f"{len(weeks)} weeks; the plan stops at {format_distance(peak, units)}."
        )
    first_gain = next((i for i, v in enumerate(vdots) if v > vdots[0]), None)
    if first_gain is None:
        notes.append(f"Paces use VDOT {vdots[0]:.1f} throughout.")
    else:
        notes.append(
            f"Paces start at VDOT {vdots[0]:.1f} and assume about one point of gain every "
            f"{VDOT_GAIN_EVERY_WEEKS} weeks (VDOT {vdots[-1]:.1f} by race day). Daniels: raise "
            "only when the workouts feel easy; a race or time trial tells for sure."
        )
    notes.append(
        f"Goal: {format_duration(goal_s)} for the {race_label(request.race_distance_m)}"
        + (" (yours)." if request.goal_s else f", what VDOT {vdots[-1]:.1f} predicts.")
    )
    if len(layout.quality_days) < quality_slots(request.runs_per_week):
        notes.append(
            "Only one quality day a week fits between your rest days without two hard days "
            "in a row."
        )
    if request.start is not None and request.start != start:
        notes.append(
            f"Weeks run Monday to Sunday: the plan begins on {request.start.isoformat()}, "
            f"inside the week of {start.isoformat()}."
        )
    return notes
