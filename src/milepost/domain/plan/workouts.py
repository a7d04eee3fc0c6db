"""Daniels' workouts, built to the per-session limits (docs/science.md §2) and described in words.

Limits per session [S]: T ≤ 10 % of the week; I ≤ min(10 km, 8 %); R ≤ min(8 km, 5 %);
M ≤ min(29 km, 20 %) [S: Daniels' M-run limit, 18 miles or 20 %]; every run, the long run
included, ≤ 150 min and ≤ 25–30 % of the week (30 % up to 40 miles a week, 25 % above, never
less than 30 % of 40 miles [S: Daniels' long-run rule; the smoothing is ours, D]; 40 % on three
runs a week, where three runs of 30 % cannot make a week [D]); no easy run longer than the
week's long run; easy runs ≥ 30 min. Recoveries: T 1 min per 5 min of running; I jog about as
long as the rep; R jog the rep's distance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from milepost.domain.plan.model import Repeat, Segment, Session, SessionKind, Step, Zone
from milepost.domain.units import METRES_PER_MILE, Units, format_duration, format_pace
from milepost.domain.vdot import TrainingPaces

T_SHARE_MAX = 0.10
I_SHARE_MAX, I_CAP_M = 0.08, 10_000.0
R_SHARE_MAX, R_CAP_M = 0.05, 8_000.0
M_SHARE_MAX, M_CAP_M = 0.20, 29_000.0
LONG_SHARE_MAX, LONG_CAP_S = 0.30, 150 * 60.0
LONG_SHARE_HIGH_VOLUME, HIGH_VOLUME_M = 0.25, 40 * METRES_PER_MILE
THREE_RUNS_SHARE_MAX = 0.40
EASY_MIN_S = 30 * 60.0
TAPER_EASY_MIN_S = 20 * 60.0
STRIDES = 6
STRIDE_S = 20.0


@dataclass(frozen=True)
class Context:
    """What every workout builder needs: the week's paces, volume and the runner's units."""

    paces: TrainingPaces
    units: Units
    week_m: float

    @property
    def unit_m(self) -> float:
        return self.units.metres

    @property
    def easy_mid(self) -> float:
        return sum(self.paces.easy) / 2.0

    @property
    def warmup_m(self) -> float:
        # Easy running before and after quality: 2 km (1.5 mi) from 40 km a week, less below,
        # so that low-volume weeks keep their easy runs at 30 minutes. [D]
        if self.units is Units.MI:
            return (1.5 if self.week_m >= 40_000 else 1.0) * METRES_PER_MILE
        return 2000.0 if self.week_m >= 40_000 else 1500.0

    def round_m(self, metres: float, step: float = 0.5) -> float:
        """Round to half a kilometre or half a mile: the distances runners plan in."""
        quantum = step * self.unit_m
        return max(quantum, round(metres / quantum) * quantum)

    def ceil_m(self, metres: float, step: float = 0.5) -> float:
        quantum = step * self.unit_m
        return math.ceil(metres / quantum - 1e-9) * quantum

    def floor_m(self, metres: float, step: float = 0.5) -> float:
        quantum = step * self.unit_m
        return math.floor(metres / quantum + 1e-9) * quantum

    def dist(self, metres: float) -> str:
        value = metres / self.unit_m
        text = f"{value:.1f}".rstrip("0").rstrip(".")
        return f"{text} {self.units.value}"

    def pace(self, pace_s_per_km: float) -> str:
        return format_pace(pace_s_per_km, self.units)

    def pace_range(self, fast: float, slow: float) -> str:
        per = self.unit_m / 1000.0
        return f"{format_duration(fast * per)}–{format_duration(slow * per)}/{self.units.value}"

    def easy_range(self) -> str:
        return self.pace_range(*self.paces.easy)


def _single(pace: float) -> tuple[float, float]:
    return (pace, pace)


def _track(metres: float) -> str:
    return f"{metres:.0f} m" if metres < 1600 else f"{metres / 1000:.1f} km".replace(".0 ", " ")


def segments_distance_m(segments: tuple[Segment, ...], ctx: Context) -> float:
    total = 0.0
    for segment in segments:
        if isinstance(segment, Repeat):
            total += segment.times * segments_distance_m(segment.steps, ctx)
        elif segment.distance_m is not None:
            total += segment.distance_m
        elif segment.duration_s is not None and segment.zone is Zone.JOG:
            total += segment.duration_s / ctx.paces.easy[1] * 1000.0
    return total


def segments_duration_s(segments: tuple[Segment, ...], ctx: Context) -> float:
    total = 0.0
    for segment in segments:
        if isinstance(segment, Repeat):
            total += segment.times * segments_duration_s(segment.steps, ctx)
        elif segment.duration_s is not None:
            total += segment.duration_s
        elif segment.distance_m is not None:
            pace = segment.pace_s_per_km or _single(ctx.paces.easy[1])
            total += segment.distance_m / 1000.0 * sum(pace) / 2.0
    return total


def _session(
    kind: SessionKind,
    title: str,
    description: str,
    segments: tuple[Segment, ...],
    ctx: Context,
    pace: tuple[float, float],
) -> Session:
    return Session(
        kind=kind,
        title=title,
        description=description,
        distance_m=round(segments_distance_m(segments, ctx), 1),
        duration_s=round(segments_duration_s(segments, ctx)),
        pace_s_per_km=pace,
        segments=segments,
    )


def _easy_step(ctx: Context, metres: float) -> Step:
    return Step(Zone.E, distance_m=metres, pace_s_per_km=ctx.paces.easy)


def easy_min_m(ctx: Context, *, taper: bool = False) -> float:
    """The shortest easy run worth lacing up for: 30 minutes at the middle of E.

    In the taper, 20 minutes [D]: volume falls while the number of runs stays, so low-volume
    runners still arrive fresh.
    """
    return ctx.ceil_m((TAPER_EASY_MIN_S if taper else EASY_MIN_S) / ctx.easy_mid * 1000.0)


def easy_run(ctx: Context, metres: float, *, strides: bool = False) -> Session:
    metres = ctx.round_m(metres)
    steps: tuple[Segment, ...] = (_easy_step(ctx, metres),)
    description = (
        f"{ctx.dist(metres)} easy at {ctx.easy_range()}. Conversational: you could talk in "
        "full sentences. Easy days make the hard days work."
    )
    title = f"Easy {ctx.dist(metres)}"
    kind = SessionKind.EASY
    if strides:
        steps += (
            Repeat(
                STRIDES,
                (
                    Step(Zone.R, duration_s=STRIDE_S, pace_s_per_km=_single(ctx.paces.repetition)),
                    Step(Zone.REST, duration_s=60.0),
                ),
            ),
        )
        description += (
            f" Then {STRIDES} × {STRIDE_S:.0f} s strides: quick and relaxed, about R pace, "
            "walk or stand a full minute between."
        )
        title += f" + {STRIDES} strides"
        kind = SessionKind.STRIDES
    return _session(kind, title, description, steps, ctx, ctx.paces.easy)


def run_share_cap_m(week_m: float, runs_per_week: int = 5) -> float:
    """The longest any run of the week may be by its share of the week (module docstring)."""
    if runs_per_week <= 3:
        return THREE_RUNS_SHARE_MAX * week_m
    return min(
        LONG_SHARE_MAX * week_m,
        max(LONG_SHARE_HIGH_VOLUME * week_m, LONG_SHARE_MAX * HIGH_VOLUME_M),
    )


def run_time_cap_m(ctx: Context) -> float:
    """150 minutes at the middle of easy pace: the longest any run may last [S: Daniels]."""
    return LONG_CAP_S / ctx.easy_mid * 1000.0


def long_run_cap_m(ctx: Context, race_cap_m: float, runs_per_week: int = 5) -> float:
    by_share = run_share_cap_m(ctx.week_m, runs_per_week)
    return ctx.floor_m(min(by_share, run_time_cap_m(ctx), race_cap_m))


M_LONG_SHAPES = ("alternating", "two blocks", "steady")


def long_run(ctx: Context, metres: float, *, m_share: float = 0.0, variant: int = 0) -> Session:
    """A long run at E; with ``m_share`` > 0, marathon-pace work inside it.

    ``variant`` picks the shape, in turn, as Daniels' marathon plans vary it [S]: M blocks
    alternating with easy ones (16 mi with 6 × 1 mi M, 1 mi E between), two long M blocks, or
    one steady M block before an easy finish. The longer shapes only when the run holds them.
    """
    metres = ctx.floor_m(metres)
    shape = M_LONG_SHAPES[variant % len(M_LONG_SHAPES)]
    if m_share > 0.0 and shape != "alternating":
        blocked = _m_blocks_long_run(ctx, metres, m_share, shape)
        if blocked is not None:
            return blocked
    mile = ctx.units is Units.MI
    block_m = METRES_PER_MILE if mile else 2000.0
    float_m = METRES_PER_MILE if mile else 1000.0
    if metres - ctx.warmup_m < 2 * (block_m + float_m):
        block_m, float_m = block_m / 2, float_m / 2  # a short long run takes shorter blocks
    if metres - ctx.warmup_m < 2 * (block_m + float_m):
        m_share = 0.0  # too short for race-pace blocks: an easy long run
    if m_share <= 0.0:
        description = (
            f"Long run: {ctx.dist(metres)} at easy pace {ctx.easy_range()}. Start slower "
            "than you want to; the last third should feel as steady as the first."
        )
        return _session(
            SessionKind.LONG,
            f"Long run {ctx.dist(metres)}",
            description,
            (_easy_step(ctx, metres),),
            ctx,
            ctx.paces.easy,
        )
    m_limit = min(M_SHARE_MAX * ctx.week_m, M_CAP_M, m_share * metres)
    blocks = max(2, int(m_limit // block_m))
    while blocks > 2 and metres - blocks * (block_m + float_m) < ctx.warmup_m:
        blocks -= 1
    lead_m = max(ctx.warmup_m, metres - blocks * (block_m + float_m))
    m_pace = _single(ctx.paces.marathon)
    segments: tuple[Segment, ...] = (
        _easy_step(ctx, lead_m),
        Repeat(
            blocks,
            (
                Step(Zone.M, distance_m=block_m, pace_s_per_km=m_pace),
                _easy_step(ctx, float_m),
            ),
        ),
    )
    total = lead_m + blocks * (block_m + float_m)
    title = (
        f"Long run {ctx.dist(total)} with {blocks} × "
        f"({ctx.dist(block_m)} M / {ctx.dist(float_m)} E)"
    )
    description = (
        f"{ctx.dist(lead_m)} easy ({ctx.easy_range()}), then {blocks} × {ctx.dist(block_m)} at "
        f"marathon pace {ctx.pace(ctx.paces.marathon)}, each followed by {ctx.dist(float_m)} "
        "easy. Practise race-day fuelling and drinking on this run."
    )
    return _session(SessionKind.LONG, title, description, segments, ctx, m_pace)


def _m_blocks_long_run(ctx: Context, metres: float, m_share: float, shape: str) -> Session | None:
    """One steady M block, or two with an easy unit between; None when the run is too short."""
    unit = ctx.unit_m
    m_total = ctx.floor_m(min(M_SHARE_MAX * ctx.week_m, M_CAP_M, m_share * metres), step=1.0)
    blocks = 2 if shape == "two blocks" else 1
    block_m = ctx.floor_m(m_total / blocks, step=1.0)
    float_m = unit if blocks == 2 else 0.0
    finish_m = unit
    lead_m = metres - blocks * block_m - float_m - finish_m
    if block_m < 3 * unit or lead_m < ctx.warmup_m:
        return None
    m_pace = _single(ctx.paces.marathon)
    block = Step(Zone.M, distance_m=block_m, pace_s_per_km=m_pace)
    work: tuple[Segment, ...] = (
        (block, _easy_step(ctx, float_m), block) if blocks == 2 else (block,)
    )
    segments: tuple[Segment, ...] = (_easy_step(ctx, lead_m), *work, _easy_step(ctx, finish_m))
    pace = ctx.pace(ctx.paces.marathon)
    if blocks == 2:
        title = f"Long run {ctx.dist(metres)} with 2 × {ctx.dist(block_m)} M"
        how = (
            f"2 × {ctx.dist(block_m)} at marathon pace {pace} with {ctx.dist(float_m)} easy between"
        )
    else:
        title = f"Long run {ctx.dist(metres)} with {ctx.dist(block_m)} M"
        how = f"{ctx.dist(block_m)} steady at marathon pace {pace}"
    description = (
        f"{ctx.dist(lead_m)} easy ({ctx.easy_range()}), then {how}, then {ctx.dist(finish_m)} "
        "easy. Practise race-day fuelling and drinking on this run."
    )
    return _session(SessionKind.LONG, title, description, segments, ctx, m_pace)


def _with_warmup(ctx: Context, work: tuple[Segment, ...]) -> tuple[Segment, ...]:
    return (_easy_step(ctx, ctx.warmup_m), *work, _easy_step(ctx, ctx.warmup_m))


def threshold(ctx: Context, *, long_reps: bool = False) -> Session:
    """Cruise intervals at T: 1 min rest per 5 min of running (Daniels)."""
    limit = T_SHARE_MAX * ctx.week_m
    if ctx.units is Units.MI:
        rep_m = (
            2 * METRES_PER_MILE if long_reps and limit >= 4 * METRES_PER_MILE else METRES_PER_MILE
        )
    else:
        rep_m = 2000.0 if long_reps and limit >= 4000.0 else 1000.0
    reps = int(limit // rep_m)
    t_pace = _single(ctx.paces.threshold)
    if reps < 2:
        # Too little volume for repeats: one steady tempo block within the limit.
        tempo_m = max(ctx.floor_m(limit), 0.5 * ctx.unit_m)
        work: tuple[Segment, ...] = (Step(Zone.T, distance_m=tempo_m, pace_s_per_km=t_pace),)
        title = f"Tempo {ctx.dist(tempo_m)} T"
        how = f"{ctx.dist(tempo_m)} steady at threshold pace {ctx.pace(ctx.paces.threshold)}"
    else:
        # A minute of rest per five minutes of running, halves rounded down (a mile rep gets
        # one minute, a 2 km rep two, as in Daniels' cruise intervals).
        fives = rep_m / 1000.0 * ctx.paces.threshold / 300.0
        rest_s = max(60.0, 60.0 * math.floor(fives + 0.49))
        work = (
            Repeat(
                reps,
                (
                    Step(Zone.T, distance_m=rep_m, pace_s_per_km=t_pace),
                    Step(Zone.REST, duration_s=rest_s),
                ),
            ),
        )
        title = f"{reps} × {ctx.dist(rep_m)} T"
        how = (
            f"{reps} × {ctx.dist(rep_m)} at threshold pace {ctx.pace(ctx.paces.threshold)} "
            f"with {format_duration(rest_s)} rest"
        )
    description = (
        f"{ctx.dist(ctx.warmup_m)} easy, {how}, {ctx.dist(ctx.warmup_m)} easy. Comfortably hard: "
        "a pace you could race for about an hour. Hold it, don't race it."
    )
    return _session(SessionKind.THRESHOLD, title, description, _with_warmup(ctx, work), ctx, t_pace)


def intervals(ctx: Context) -> Session:
    """VO2max intervals at I, reps of 3–5 minutes, jog recoveries about as long."""
    limit = min(I_SHARE_MAX * ctx.week_m, I_CAP_M)
    i_pace = ctx.paces.interval
    choices = [m for m in (1200.0, 1000.0, 800.0) if m / 1000.0 * i_pace <= 300.0] or [800.0]
    rep_m = next((m for m in choices if limit // m >= 4), None)
    if rep_m is None:
        rep_m = next((m for m in (800.0, 600.0, 400.0) if limit // m >= 3), None)
    if rep_m is None:
        return fartlek(ctx)  # too little volume for intervals: speed play by time instead
    reps = int(limit // rep_m)
    rep_s = rep_m / 1000.0 * i_pace
    jog_s = 30.0 * round(rep_s * 0.9 / 30.0)
    work: tuple[Segment, ...] = (
        Repeat(
            reps,
            (
                Step(Zone.I, distance_m=rep_m, pace_s_per_km=_single(i_pace)),
                Step(Zone.JOG, duration_s=jog_s),
            ),
        ),
    )
    per_400 = format_duration(ctx.paces.interval_400m_s)
    description = (
        f"{ctx.dist(ctx.warmup_m)} easy, {reps} × {_track(rep_m)} at interval pace "
        f"{ctx.pace(i_pace)} ({per_400} per 400 m) with {format_duration(jog_s)} easy jog, "
        f"{ctx.dist(ctx.warmup_m)} easy. Hard but controlled: the last rep as fast as the first."
    )
    return _session(
        SessionKind.INTERVAL,
        f"{reps} × {_track(rep_m)} I",
        description,
        _with_warmup(ctx, work),
        ctx,
        _single(i_pace),
    )


def repetitions(ctx: Context) -> Session:
    """Speed and economy at R: short reps, full recovery (jog the same distance)."""
    limit = min(R_SHARE_MAX * ctx.week_m, R_CAP_M)
    rep_m = 400.0 if limit >= 2400.0 else 200.0
    reps = max(4, min(int(limit // rep_m), 16))
    r_pace = ctx.paces.repetition
    work: tuple[Segment, ...] = (
        Repeat(
            reps,
            (
                Step(Zone.R, distance_m=rep_m, pace_s_per_km=_single(r_pace)),
                Step(Zone.JOG, distance_m=rep_m),
            ),
        ),
    )
    per_rep = format_duration(r_pace * rep_m / 1000.0)
    description = (
        f"{ctx.dist(ctx.warmup_m)} easy, {reps} × {rep_m:.0f} m at repetition pace ({per_rep} "
        f"each, {ctx.pace(r_pace)}) with {rep_m:.0f} m easy jog, {ctx.dist(ctx.warmup_m)} easy. "
        "Fast and relaxed: good form, full recovery, never a sprint."
    )
    return _session(
        SessionKind.REPETITION,
        f"{reps} × {rep_m:.0f} m R",
        description,
        _with_warmup(ctx, work),
        ctx,
        _single(r_pace),
    )


def fartlek(ctx: Context) -> Session:
    """Unstructured speed play at about T–I effort: a gentle first step into quality."""
    surges = 6
    on_s, off_s = 120.0, 120.0
    work: tuple[Segment, ...] = (
        Repeat(
            surges,
            (
                Step(
                    Zone.T, duration_s=on_s, pace_s_per_km=(ctx.paces.interval, ctx.paces.threshold)
                ),
                Step(Zone.JOG, duration_s=off_s),
            ),
        ),
    )
    description = (
        f"{ctx.dist(ctx.warmup_m)} easy, then {surges} × 2 min brisk (between threshold "
        f"{ctx.pace(ctx.paces.threshold)} and interval {ctx.pace(ctx.paces.interval)}) with 2 min "
        f"easy jog, {ctx.dist(ctx.warmup_m)} easy. Run by feel: play with the pace."
    )
    return _session(
        SessionKind.FARTLEK,
        f"Fartlek {surges} × 2 min",
        description,
        _with_warmup(ctx, work),
        ctx,
        (ctx.paces.interval, ctx.paces.threshold),
    )


def marathon_pace_run(ctx: Context) -> Session:
    """A steady run at M pace inside easy running: race rhythm for the marathon."""
    m_m = ctx.floor_m(min(M_SHARE_MAX * ctx.week_m * 0.6, 16_000.0), step=1.0)
    m_m = max(m_m, 2 * ctx.unit_m)
    m_pace = _single(ctx.paces.marathon)
    work: tuple[Segment, ...] = (Step(Zone.M, distance_m=m_m, pace_s_per_km=m_pace),)
    description = (
        f"{ctx.dist(ctx.warmup_m)} easy, {ctx.dist(m_m)} at marathon pace "
        f"{ctx.pace(ctx.paces.marathon)}, {ctx.dist(ctx.warmup_m)} easy. Settle into race "
        "rhythm; practise your race-day drink."
    )
    return _session(
        SessionKind.MARATHON_PACE,
        f"M run {ctx.dist(m_m)}",
        description,
        _with_warmup(ctx, work),
        ctx,
        m_pace,
    )


def race_session(ctx: Context, distance_m: float, goal_s: float, label: str) -> Session:
    pace = round(goal_s / distance_m * 1000.0, 1)
    description = (
        f"Race day: {label}. Goal {format_duration(goal_s)} ({ctx.pace(pace)}). Warm up with "
        "10–15 min easy and a few strides; start a little slower than goal pace."
    )
    step = Step(
        Zone.M if distance_m > 20_000 else Zone.T,
        distance_m=distance_m,
        pace_s_per_km=_single(pace),
    )
    return Session(
        kind=SessionKind.RACE,
        title=f"Race: {label}",
        description=description,
        distance_m=distance_m,
        duration_s=round(goal_s),
        pace_s_per_km=_single(pace),
        segments=(step,),
    )


def rest_day() -> Session:
    return Session(
        kind=SessionKind.REST,
        title="Rest",
        description="Rest day: no running. Walk, stretch, sleep: this is when training sinks in.",
    )
