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
from milepost.domain.plan.readiness import (
    check_readiness,
    goal_warnings,
    is_ready,
    race_name,
    race_warnings,
)
from milepost.domain.plan.request import (
    PlanRequest,
    monday_of,
    plan_start,
    plan_weeks,
    validate_request,
)
from milepost.domain.plan.strength import strength_session
from milepost.domain.plan.volume import (
    DEFAULT_GROWTH_ABOVE_FLOOR,
    DEFAULT_GROWTH_TO_FLOOR,
    WeekVolume,
    allocate_phases,
    base_weeks_done,
    build_volumes,
    default_peak_m,
    peak_floor_m,
    readiness_m,
    rise_limit_m,
    taper_volumes,
)
from milepost.domain.plan.workouts import (
    LONG_CAP_S,
    STRIDE_S,
    STRIDES,
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
    run_share_cap_m,
    run_time_cap_m,
    threshold,
)
from milepost.domain.units import Units, format_distance, format_duration, format_volume
from milepost.domain.vdot import race_time_s, training_paces
from milepost.errors import InfeasiblePlanError, InputError

# Daniels [S]: raise VDOT by about one point after 4–6 weeks of training that felt easy, never
# more often. The plan states the gain it expects: +1 every six weeks of building, at most +2
# (conservative on purpose [D]: a goal that proves too easy is a better problem than the reverse),
# and none during the taper.
VDOT_GAIN_EVERY_WEEKS = 6
VDOT_GAIN_MAX = 2.0

STRIDES_S = STRIDES * (STRIDE_S + 60.0)  # the strides and their walk-backs

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
    m_long_variant: int = 0  # how many marathon-pace long runs came before this week's


def expected_vdot(start_vdot: float, week_index: int) -> float:
    return start_vdot + min(VDOT_GAIN_MAX, float(week_index // VDOT_GAIN_EVERY_WEEKS))


def race_label(distance_m: float) -> str:
    return format_distance(distance_m)


def generate_plan(request: PlanRequest, today: date, *, strict: bool = True) -> Plan:
    """The ideal plan for ``request``, or an InfeasiblePlanError that names what would work.

    With ``strict=False`` — re-deriving a plan she already has: one stored under older rules,
    or re-paced at a lower VDOT after a break, where a slower pace shortens what 150 minutes
    hold — a plan whose weeks no longer fit the caps, the readiness minima or the race checks
    is still built, as close to them as it can be, and its warnings say what it could not hold.
    """
    return _generate(request, today, explain=strict, strict=strict)


def _generate(request: PlanRequest, today: date, *, explain: bool, strict: bool = True) -> Plan:
    validate_request(request, today)
    race_notes = race_warnings(request, refuse=strict)  # refuses an impossible fitness first
    peak_m = request.peak_m if request.peak_m is not None else default_peak_m(request)
    plan = _assemble(request, today, peak_m)
    problem = _fit_problem(request, plan)
    if problem == "caps" and request.peak_m is None and peak_m > request.weekly_m:
        # The default peak stops where the runs can hold it; the notes say so.
        fitting = _largest_fitting_peak(request, today, request.weekly_m, peak_m)
        if fitting is not None:
            plan = _assemble(request, today, fitting, capped_default=peak_m)
            problem = _fit_problem(request, plan)
    lenient: list[str] = []
    if problem is not None:
        if strict:
            _refuse_unfit(request, today, plan, problem, explain)
        lenient.append(
            f"This plan cannot hold every week it should: {_unfit_message(request, plan, problem)}."
        )
    if strict:
        check_readiness(request, today, plan, explain=explain, fits=_fits)
    elif not is_ready(request, plan):
        lenient.append(
            f"This plan no longer reaches what a {race_name(request.race_distance_m)} needs: "
            "consider a later race or a shorter one."
        )
    warnings = (*race_notes, *goal_warnings(request, plan), *lenient)
    return replace(plan, warnings=tuple(warnings))


def _assemble(
    request: PlanRequest, today: date, peak_m: float, capped_default: float | None = None
) -> Plan:
    """Every week built to ``peak_m``; no check of the caps yet."""
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
    build_phases = allocate_phases(build_n, base_weeks_done(request))
    layout = choose_layout(request)
    # Where the cutbacks fall does not depend on the rises, so one pass finds them, and the
    # second keeps its rises out of the weeks that bring new quality given those cutbacks.
    cutbacks = [v.cutback for v in build_volumes(request, build_n, tune_idx, (), peak_m)]
    new_quality = _new_quality_weeks(
        request, build_phases, tune_idx, len(layout.quality_days), cutbacks
    )
    volumes = build_volumes(request, build_n, tune_idx, new_quality, peak_m)
    last_level = volumes[-1].level_m if volumes else request.weekly_m
    volumes += taper_volumes(request, last_level)
    phases = build_phases + [Phase.TAPER] * len(taper)
    units = Units(request.units)
    vdots = tuple(
        round(expected_vdot(request.vdot, min(i, build_n - 1)), 1) for i in range(n_weeks)
    )
    goal_s = request.goal_s or round(race_time_s(vdots[-1], request.race_distance_m))

    specs = []
    m_long_weeks = 0
    for i in range(n_weeks):
        phase = phases[i]
        spec = _WeekSpec(
            index=i,
            phase=phase,
            volume=volumes[i],
            index_in_phase=i - phases.index(phase),
            weeks_to_taper=build_n - i,
            is_race_week=i == n_weeks - 1,
            tune_up=i == tune_idx,
            recovery=tune_idx is not None and i == tune_idx + 1,
            m_long_variant=m_long_weeks,
        )
        if _long_m_share(spec, request) > 0:
            m_long_weeks += 1
        specs.append(spec)
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
    if request.tune_up is not None:
        weeks = _recover_after_tune_up(weeks, request, units, vdots)
    race = Race(request.race_distance_m, request.race_date, request.race_name, goal_s)
    tune = (
        Race(request.tune_up.distance_m, request.tune_up.date, "Tune-up")
        if request.tune_up
        else None
    )
    notes = _notes(request, weeks, phases, layout, vdots, goal_s, units, start, capped_default)
    return Plan(
        race=race,
        vdot=request.vdot,
        weeks=weeks,
        units=units.value,
        expected_vdot=vdots,
        tune_up=tune,
        notes=tuple(notes),
    )


def _new_quality_weeks(
    request: PlanRequest,
    phases: list[Phase],
    tune_idx: int | None,
    slots: int,
    cutbacks: list[bool],
) -> list[bool]:
    """For each build week: does it bring a kind of quality not run in an earlier week, or
    start a phase?

    Worked out from the phases and the cutback weeks, before any volume exists, so that the
    progression can keep its rises out of those weeks."""
    seen: set[str] = set()
    out = []
    for i, phase in enumerate(phases):
        spec = _WeekSpec(
            index=i,
            phase=phase,
            volume=WeekVolume(0.0, cutback=cutbacks[i]),
            index_in_phase=i - phases.index(phase),
            weeks_to_taper=len(phases) - i,
            tune_up=i == tune_idx,
            recovery=tune_idx is not None and i == tune_idx + 1,
        )
        m_long = _long_m_share(spec, request) > 0
        kinds = set(_quality(spec, request, slots, m_long)) | ({"M long"} if m_long else set())
        # A phase's first week counts as new too: its sessions change shape (longer T reps,
        # intervals) even where the kinds were run before.
        phase_start = i > 0 and phase is not phases[i - 1] and phase is not Phase.FOUNDATION
        out.append(bool(kinds - seen) or phase_start)
        seen |= kinds
    return out


def rounding_tolerance_m(request: PlanRequest) -> float:
    """How far a built week may sit from its target: runs are planned to half a unit."""
    unit = Units(request.units).metres
    return 0.25 * unit * request.runs_per_week + unit


def _fit_problem(request: PlanRequest, plan: Plan) -> str | None:
    """ "floors" when runs would be shorter than their 30 minutes, "caps" when the week's volume
    does not fit under the caps on every run, "taper" when the taper does not fall; else None."""
    tolerance = rounding_tolerance_m(request)
    training = [
        w
        for w in plan.weeks
        if w.phase is not Phase.TAPER
        and not any(s.kind is SessionKind.RACE for d in w.days for s in d.sessions)
    ]
    # A cutback week whose runs are already at thirty minutes just cuts back less.
    if any(w.total_m > w.target_m + tolerance for w in training if not w.cutback):
        return "floors"
    if any(w.total_m < w.target_m - tolerance for w in training if not w.cutback):
        return "caps"
    taper = [_non_race_m(w) for w in plan.weeks if w.phase is Phase.TAPER]
    peak = max((w.target_m for w in plan.weeks if w.phase is not Phase.TAPER), default=0.0)
    if not (taper[0] < peak and all(a > b for a, b in pairwise(taper))):
        return "taper"
    return None


def _largest_fitting_peak(
    request: PlanRequest, today: date, low_m: float, high_m: float
) -> float | None:
    """The largest peak in [low, high] whose plan fits the caps (to half a kilometre)."""
    if _fit_problem(request, _assemble(request, today, low_m)) is not None:
        return None
    while high_m - low_m > 500.0:
        mid = (low_m + high_m) / 2
        if _fit_problem(request, _assemble(request, today, mid)) is None:
            low_m = mid
        else:
            high_m = mid
    return low_m


def _refuse_unfit(
    request: PlanRequest, today: date, plan: Plan, problem: str, explain: bool
) -> None:
    """Refuse a week the runs cannot hold, and say what would work."""
    message = _unfit_message(request, plan, problem)
    if not explain:
        raise InfeasiblePlanError(message)
    raise InfeasiblePlanError(message, alternative=_unfit_alternatives(request, today, problem))


def _unfit_message(request: PlanRequest, plan: Plan, problem: str) -> str:
    units = Units(request.units)
    tolerance = rounding_tolerance_m(request)
    if problem == "floors":
        week = next(
            w
            for w in plan.weeks
            if w.phase is not Phase.TAPER and not w.cutback and w.total_m > w.target_m + tolerance
        )
        return (
            f"{format_volume(request.weekly_m, units)} a week over {request.runs_per_week} runs "
            f"leaves runs shorter than 30 minutes (20 in the taper) by week {week.number}"
        )
    if problem == "caps":
        week = next(w for w in plan.weeks if not w.cutback and w.total_m < w.target_m - tolerance)
        return (
            f"{format_volume(week.target_m, units)} in week {week.number} does not fit in "
            f"{request.runs_per_week} runs: no run may pass 150 minutes or "
            f"{_share_text(week.target_m, request.runs_per_week)} of the week, and no easy run "
            "may be longer than the long run"
        )
    return (
        f"{format_volume(request.weekly_m, units)} a week over {request.runs_per_week} runs "
        "leaves runs shorter than 30 minutes (20 in the taper) in the taper"
    )


def _share_text(week_m: float, runs_per_week: int) -> str:
    return f"{run_share_cap_m(week_m, runs_per_week) / week_m * 100:.0f} %"


def _unfit_alternatives(request: PlanRequest, today: date, problem: str) -> str:
    units = Units(request.units)
    flag = "km" if units is Units.KM else "mi"
    free_days = 7 - len(set(request.rest_days))
    if problem == "caps":
        runs = range(request.runs_per_week + 1, min(7, free_days) + 1)
    else:
        runs = range(request.runs_per_week - 1, 2, -1)
    options = []
    better = next((n for n in runs if _fits(replace(request, runs_per_week=n), today)), None)
    if better is not None:
        options.append(f"ask for {better} runs a week (--runs-per-week {better})")
    if problem == "caps":
        if request.peak_m is not None and request.peak_m > request.weekly_m:
            peak = _largest_fitting(request, today, "peak_m", request.weekly_m, request.peak_m)
            if peak is not None:
                value = _down(peak, units)
                options.append(
                    f"a peak of at most {format_volume(value, units)} (--peak-{flag} "
                    f"{value / units.metres:g})"
                )
        weekly = _largest_fitting(
            replace(request, peak_m=None), today, "weekly_m", request.weekly_m / 2, request.weekly_m
        )
        if weekly is not None:
            value = _down(weekly, units)
            options.append(
                f"plan from at most {format_volume(value, units)} a week (--weekly-{flag} "
                f"{value / units.metres:g}"
                + (f" and no --peak-{flag})" if request.peak_m is not None else ")")
            )
    if not options:
        return "build up your weekly volume before starting a race plan"
    return "; or ".join(options)


def _down(metres: float, units: Units) -> float:
    """Down to a whole km or mile, as a runner would type it."""
    return float(int(metres / units.metres)) * units.metres


def _largest_fitting(
    request: PlanRequest, today: date, field: str, low_m: float, high_m: float
) -> float | None:
    """The largest value of ``field`` (a volume) in [low, high] for which a plan exists."""

    def fits(value: float) -> bool:
        changes: dict[str, float | None] = {field: value}
        if field == "weekly_m" and request.peak_m is not None:
            changes["peak_m"] = max(value, request.peak_m)
        return _fits(replace(request, **changes), today)  # type: ignore[arg-type]

    low_m = max(_down(low_m, Units(request.units)), Units(request.units).metres)
    if not fits(low_m):
        return None
    while high_m - low_m > 500.0:
        mid = (low_m + high_m) / 2
        if fits(mid):
            low_m = mid
        else:
            high_m = mid
    # Fitting is not quite monotonic (runs round to half units): try whole units downwards.
    unit = Units(request.units).metres
    for whole in range(int(low_m / unit), max(0, int(low_m / unit) - 10), -1):
        if fits(whole * unit):
            return whole * unit
    return None


def _non_race_m(week: Week) -> float:
    return sum(s.distance_m for d in week.days for s in d.runs if s.kind is not SessionKind.RACE)


def _fits(request: PlanRequest, today: date) -> bool:
    try:
        _generate(request, today, explain=False)
    except (InfeasiblePlanError, InputError):
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


def tune_up_recovery_days(distance_m: float) -> int:
    """Easy days after a race before the next quality or long run: about one per 3 km raced
    [S: Daniels' rule of thumb, one easy day per 3,000 m of racing]."""
    return max(1, round(distance_m / 3000.0))


def _recover_after_tune_up(
    weeks: tuple[Week, ...], request: PlanRequest, units: Units, vdots: tuple[float, ...]
) -> tuple[Week, ...]:
    """The days after the tune-up race hold easy running only: a quality session or long run
    there becomes an easy run no longer than the week's easy runs."""
    assert request.tune_up is not None
    first = request.tune_up.date + timedelta(days=1)
    last = request.tune_up.date + timedelta(days=tune_up_recovery_days(request.tune_up.distance_m))
    out = []
    for week in weeks:
        if week.ends < first or week.starts > last or week.phase is Phase.TAPER:
            out.append(week)
            continue
        ctx = Context(training_paces(vdots[week.number - 1]).rounded(), units, week.target_m)
        easy_lengths = [
            s.distance_m for d in week.days for s in d.sessions if s.kind is SessionKind.EASY
        ]
        floor = easy_min_m(ctx)
        days = []
        changed = False
        for day in week.days:
            if first <= day.date <= last and day.is_hard:
                sessions = tuple(
                    easy_run(ctx, min(s.distance_m, max(easy_lengths or [floor])))
                    if s.is_quality or s.kind is SessionKind.LONG
                    else s
                    for s in day.sessions
                )
                day = Day(day.date, sessions)
                changed = True
            days.append(day)
        if changed:
            week = replace(
                week,
                days=tuple(days),
                cutback=True,
                focus=week.focus + " Easy days after the tune-up race, one per 3 km raced.",
            )
        out.append(week)
    return tuple(out)


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
    cap = long_run_cap_m(ctx, _long_race_cap(request.race_distance_m), request.runs_per_week)
    if long_day is not None:
        room = target - fixed_m - floor * len(easy_days)
        # Thirty minutes win over the share cap in the smallest weeks: a week whose runs
        # cannot all last thirty minutes is refused by _fit_problem.
        long_m = max(min(cap, room), floor)
        session = long_run(ctx, long_m, m_share=m_share, variant=spec.m_long_variant)
        sessions[long_day].append(session)
        long_m = session.distance_m
    strides_left = (
        2 if spec.phase in (Phase.FOUNDATION, Phase.EARLY_QUALITY) or spec.recovery else 0
    )
    remaining = target - fixed_m - long_m
    each = max(floor, remaining / len(easy_days)) if easy_days else 0.0
    # No easy run longer than the long run, nor than the caps on any run: what does not fit
    # is left out, and a week that falls short is refused by _fit_problem.
    each = min(each, ctx.floor_m(long_m + 1.0) if long_m else cap)
    # Strides add about eight minutes: a run that carries them stays inside 150 minutes too.
    with_strides = min(each, ctx.floor_m(run_time_cap_m(ctx) * (1 - STRIDES_S / LONG_CAP_S)))
    for day in easy_days:
        # Strides go on easy days that are not the eve of a hard day.
        eve = (day + 1) % 7 in {*layout.quality_days, layout.long_day}
        strides = strides_left > 0 and not eve
        sessions[day].append(easy_run(ctx, with_strides if strides else each, strides=strides))
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
    before = _race_week_run_days(request, layout, race_day)
    # One short threshold session at least three days out keeps the legs sharp [S: taper].
    sharpener = next((d for d in layout.quality_days if race_day - d >= 3 and d in before), None)
    floor = easy_min_m(ctx, taper=True)
    # The share is for a week that runs to Sunday: a race earlier in the week has only the
    # days before it, and gets their part [D].
    left_m = spec.volume.target_m * min(1.0, race_day / 6)
    if sharpener is not None:
        light = Context(ctx.paces, ctx.units, spec.volume.level_m * 0.6)
        session = threshold(light)
        sessions[sharpener].append(session)
        left_m -= session.distance_m
    easy_days = [d for d in before if d != sharpener]
    if not easy_days:
        return sessions
    # The race week's easy running scales with her volume (the taper share of her level,
    # docs/science.md §2); the last run before the race is the shortest and carries the
    # strides [S: Daniels' taper].
    last = easy_days[-1]
    each = max(floor, left_m / (len(easy_days) - 0.4))
    last_m = max(floor, 0.6 * each)
    if len(easy_days) > 1:
        each = max(floor, (left_m - last_m) / (len(easy_days) - 1))
    # Capped as a run of her usual week: the race week itself is short by design.
    level_ctx = Context(ctx.paces, ctx.units, spec.volume.level_m)
    cap = long_run_cap_m(level_ctx, run_time_cap_m(ctx), request.runs_per_week)
    with_strides = ctx.floor_m(run_time_cap_m(ctx) * (1 - STRIDES_S / LONG_CAP_S))
    for d in easy_days:
        metres = min(last_m if d == last else each, max(cap, floor))
        if d == last:
            metres = min(metres, with_strides)
        sessions[d].append(easy_run(ctx, metres, strides=d == last))
    return sessions


def _race_week_run_days(request: PlanRequest, layout: Layout, race_day: int) -> list[int]:
    """The race week's run days before the race: the layout's, at most her runs less the race,
    with a run one or two days before the race (for the strides), never on a rest day.

    The day before the race is a rest day below five runs a week [D]; the run before it then
    comes two days out."""
    rest = set(request.rest_days)
    wanted = request.runs_per_week - 1
    days = [d for d in layout.run_days if d < race_day]
    if request.runs_per_week < 5:
        days = [d for d in days if race_day - d != 1]
    days = days[-wanted:] if wanted > 0 else []
    order = (
        (race_day - 2, race_day - 1) if request.runs_per_week < 5 else (race_day - 1, race_day - 2)
    )
    near = [
        d
        for d in order
        if d >= 0 and d not in rest and not (request.runs_per_week < 5 and race_day - d == 1)
    ]
    if near and not any(race_day - d <= 2 for d in days):
        hard = set(layout.quality_days)
        movable = [d for d in days if d not in hard] or days
        if movable and len(days) >= wanted:
            days.remove(movable[-1])
        days.append(near[0])
    return sorted(days)


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


def _default_peak_note(
    request: PlanRequest, peak_m: float, units: Units, capped_default: float | None
) -> str:
    """What the default peak is and why [D] (docs/science.md §2)."""
    floor = peak_floor_m(request.race_distance_m)
    least = readiness_m(request.race_distance_m)[0]
    race = race_name(request.race_distance_m)
    if request.weekly_m < floor:
        why = (
            f"a {race} wants about {format_volume(floor, units)} a week at the peak; milepost "
            f"grows you towards it by at most {DEFAULT_GROWTH_TO_FLOOR - 1:.0%}"
        )
    else:
        why = (
            f"you already run what a {race} wants, so milepost adds "
            f"{DEFAULT_GROWTH_ABOVE_FLOOR - 1:.0%}"
        )
    if least and request.weekly_m * DEFAULT_GROWTH_TO_FLOOR < least:
        why = f"a {race} needs at least {format_volume(least, units)} a week at the peak"
    text = f"You did not ask for a peak: {format_volume(peak_m, units)} a week, because {why}"
    if capped_default is not None and peak_m + 500 < capped_default:
        text += (
            f", stopped where {request.runs_per_week} runs a week can hold it within the caps "
            "on each run"
        )
    elif peak_m + 500 < default_peak_m(request):
        text += (
            f" ({format_volume(default_peak_m(request), units)} is the aim; the progression "
            "rule gets this far before the taper)"
        )
    flag = "km" if units is Units.KM else "mi"
    return text + f". Ask for another with --peak-{flag}."


def _notes(
    request: PlanRequest,
    weeks: tuple[Week, ...],
    phases: list[Phase],
    layout: Layout,
    vdots: tuple[float, ...],
    goal_s: float,
    units: Units,
    start: date,
    capped_default: float | None = None,
) -> list[str]:
    notes = []
    counts = {p: phases.count(p) for p in Phase if phases.count(p)}
    notes.append(
        "Phases: "
        + ", ".join(f"{p.label} {n} wk" for p, n in counts.items())
        + " (with fewer than 24 weeks, Daniels fills Phase I first, then IV, II and III)."
    )
    peak = max(w.target_m for w in weeks)
    per_run = format_volume(rise_limit_m(request.runs_per_week) / request.runs_per_week, units)
    notes.append(
        f"Volume: from {format_volume(request.weekly_m, units)} to a peak of "
        f"{format_volume(peak, units)} a week, holding each level three to four weeks before a "
        f"rise of at most {per_run} per run, with a cutback week after each block and a week "
        "back at the level before the next rise; no rise in a week that brings a new kind of "
        "quality."
    )
    if request.peak_m is not None:
        if peak + 500 < request.peak_m:
            notes.append(
                f"The peak you asked for ({format_volume(request.peak_m, units)}) is out of safe "
                f"reach in {len(weeks)} weeks; the plan stops at {format_volume(peak, units)}."
            )
    else:
        notes.append(_default_peak_note(request, peak, units, capped_default))
    base = base_weeks_done(request)
    if base:
        notes.append(
            f"Your {format_volume(request.weekly_m, units)} a week counts as the base: "
            f"{base} weeks of Phase I are taken as done, so quality starts sooner."
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
