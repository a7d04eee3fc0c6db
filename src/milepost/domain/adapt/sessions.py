"""What a day's sessions become under its restrictions: rest, cross-training, walking, an easy
run, or the same work at a lower load. Each change carries the reason of the rule that made it."""

from __future__ import annotations

from dataclasses import replace

from milepost.domain.adapt.model import Change, DayRules, Level, Restriction
from milepost.domain.adapt.postpartum import LADDER
from milepost.domain.plan.model import Day, Exercise, Repeat, Session, SessionKind, Step, Zone
from milepost.domain.plan.workouts import (
    Context,
    easy_run,
    fartlek,
    intervals,
    long_run,
    marathon_pace_run,
    repetitions,
    threshold,
)
from milepost.domain.units import format_duration

MIN_RUN_S = 15 * 60.0
CROSS_CAP_S = 90 * 60.0

_POSTNATAL_EXERCISES = (
    Exercise(
        "Pelvic-floor contractions", 3, "10 slow (10 s hold) + 10 quick", "relax fully between"
    ),
    Exercise("Glute bridge", 3, "12", "exhale and lift the pelvic floor as you rise"),
    Exercise("Sit-to-stand", 3, "10", "slow on the way down"),
    Exercise("Side-lying hip abduction", 2, "12 each side", "heel leads"),
    Exercise("Calf raise", 2, "15", "both legs, then single when easy"),
)


def _rest(title: str, description: str) -> Session:
    return Session(kind=SessionKind.REST, title=title, description=description)


def _cross(minutes: float, reason: str) -> Session:
    minutes = max(20.0, min(minutes, CROSS_CAP_S / 60.0))
    return Session(
        kind=SessionKind.CROSS,
        title=f"Cross-training {minutes:.0f} min easy",
        description=(
            f"{minutes:.0f} min of easy cross-training (bike, swim, elliptical or pool running) "
            f"instead of running: {reason}. Easy means you could hold a conversation; stop if "
            "it hurts."
        ),
        duration_s=minutes * 60.0,
    )


def _walk(minutes: float, reason: str) -> Session:
    return Session(
        kind=SessionKind.CROSS,
        title=f"Walk {minutes:.0f} min",
        description=f"A {minutes:.0f} min walk if it is comfortable, no running: {reason}.",
        duration_s=minutes * 60.0,
    )


def postnatal_session(reason: str) -> Session:
    listing = "; ".join(f"{e.name} {e.sets} × {e.reps}" for e in _POSTNATAL_EXERCISES)
    return Session(
        kind=SessionKind.STRENGTH,
        title="Walk 30 min + postnatal strength",
        description=(
            f"No running yet: {reason}. Walk 30 min at a comfortable pace (a buggy walk counts), "
            f"then: {listing}. Stop anything that brings heaviness, dragging, leaking or pain."
        ),
        duration_s=55 * 60.0,
        exercises=_POSTNATAL_EXERCISES,
    )


def walk_run_session(rung: int, ctx: Context, cap_s: float | None = None) -> Session:
    """A rung of the ladder: about 30 minutes in all, less when a return stage caps the day."""
    run_min, walk_min = LADDER[rung]
    total_min = min(30.0, cap_s / 60.0) if cap_s is not None else 30.0
    if walk_min == 0:
        run = easy_run(ctx, total_min * 60.0 / ctx.easy_mid * 1000.0)
        return replace(
            run,
            title=f"Easy {total_min:.0f} min continuous",
            description=f"{total_min:.0f} min continuous easy running: the last rung of the "
            "walk–run ladder. " + run.description,
            duration_s=min(run.duration_s, total_min * 60.0),
        )
    reps = max(1, int(total_min // (run_min + walk_min)))
    segments = (
        Repeat(
            reps,
            (
                Step(Zone.E, duration_s=run_min * 60.0, pace_s_per_km=ctx.paces.easy),
                Step(Zone.REST, duration_s=walk_min * 60.0),
            ),
        ),
    )
    total_s = reps * (run_min + walk_min) * 60.0
    return Session(
        kind=SessionKind.EASY,
        title=f"Walk–run {run_min}:{walk_min} × {reps}",
        description=(
            f"{reps} × ({run_min} min easy running, {walk_min} min walking), about "
            f"{format_duration(total_s)} in all. Stop if you feel heaviness, dragging, leaking "
            "or pain, and go back a rung next time."
        ),
        distance_m=round(reps * run_min * 60.0 / ctx.easy_mid * 1000.0, 1),
        duration_s=total_s,
        pace_s_per_km=ctx.paces.easy,
        segments=segments,
    )


def _scaled_run(session: Session, ctx: Context, factor: float, cap_s: float | None) -> Session:
    """An easy run of ``session``'s distance scaled by ``factor``, within ``cap_s`` of running."""
    per_m = ctx.easy_mid / 1000.0
    metres = session.distance_m * factor
    if cap_s is not None:
        metres = min(metres, cap_s / per_m)
    metres = max(metres, min(MIN_RUN_S, cap_s or MIN_RUN_S) / per_m)
    return easy_run(ctx, ctx.floor_m(metres) or metres)


def _rebuilt(
    session: Session, ctx: Context, factor: float, *, threshold_only: bool = False
) -> Session:
    """The same kind of work at a lower load: quality rebuilt for a smaller week. With
    ``threshold_only``, intervals, repetitions and fartlek come back as threshold first."""
    small = Context(ctx.paces, ctx.units, ctx.week_m * factor)
    if threshold_only and session.kind in (
        SessionKind.INTERVAL,
        SessionKind.REPETITION,
        SessionKind.FARTLEK,
    ):
        session = replace(session, kind=SessionKind.THRESHOLD)
    builders = {
        SessionKind.THRESHOLD: threshold,
        SessionKind.INTERVAL: intervals,
        SessionKind.REPETITION: repetitions,
        SessionKind.FARTLEK: fartlek,
        SessionKind.MARATHON_PACE: marathon_pace_run,
    }
    if session.kind in builders:
        rebuilt = builders[session.kind](small)
        if rebuilt.distance_m <= session.distance_m * factor + ctx.unit_m / 2:
            return rebuilt
        # Warm-up and cool-down do not shrink: when the work no longer fits the load, an easy
        # run with strides keeps the volume honest (duration before intensity).
        return easy_run(small, session.distance_m * factor, strides=True)
    if session.kind is SessionKind.LONG:
        return long_run(small, session.distance_m * factor)
    return easy_run(small, session.distance_m * factor, strides=session.kind is SessionKind.STRIDES)


# Exercises that load an injured area, by words in their names [D: science.md §5]; plyometrics
# (hops, jumps, bounds, skips) load every lower-limb area until running is pain-free.
PLYOMETRIC_WORDS = ("hop", "jump", "bound", "skip", "plyo")
AREA_WORDS: dict[str, tuple[str, ...]] = {
    "calf": ("calf", "heel"),
    "achilles": ("calf", "heel"),
    "foot": ("calf", "heel", "toe"),
    "ankle": ("calf", "heel", "single-leg", "balance"),
    "shin": ("calf", "heel"),
    "knee": ("squat", "lunge", "step", "split"),
    "hamstring": ("deadlift", "bridge", "hamstring", "nordic"),
    "hip": ("lunge", "split", "squat", "abduction", "clam"),
    "back": ("deadlift", "squat", "plank", "superman"),
}


def spare(session: Session, areas: tuple[str, ...]) -> Session:
    """Strength work without the exercises that load ``areas``, nor plyometrics."""
    words = set(PLYOMETRIC_WORDS)
    for area in areas:
        key = next((k for k in AREA_WORDS if k in area.lower()), "")
        words |= set(AREA_WORDS.get(key, ()))
    kept = tuple(e for e in session.exercises if not any(w in e.name.lower() for w in words))
    if len(kept) == len(session.exercises):
        return session
    where = ", ".join(areas)
    dropped = len(session.exercises) - len(kept)
    listing = "; ".join(f"{e.name} {e.sets} × {e.reps}" for e in kept)
    return replace(
        session,
        title=f"{session.title} (sparing the {where})",
        description=(
            f"{listing or 'Core and upper-body work only'}. {dropped} exercise"
            f"{'s' if dropped != 1 else ''} that load the {where} or are plyometric are left out "
            "until running is pain-free."
        ),
        exercises=kept,
        duration_s=session.duration_s * max(0.5, len(kept) / max(1, len(session.exercises))),
    )


def check_in_first(session: Session, reason: str) -> Session:
    return Session(
        kind=SessionKind.REST,
        title="Check in first",
        description=(
            f"{reason[0].upper() + reason[1:]}. Planned: {session.title}. Until you check in, "
            "nothing is prescribed: with a fever, rest."
        ),
    )


def _capped_cross(session: Session, cap_s: float | None, reason: str) -> Session:
    if cap_s is None or session.duration_s <= cap_s:
        return session
    if session.kind is SessionKind.CROSS and cap_s >= 20 * 60:
        return _cross(cap_s / 60.0, reason)
    return _walk(cap_s / 60.0, reason)


def apply_rules(
    day: Day, rules: DayRules, ctx: Context, pinned: frozenset[int] = frozenset()
) -> tuple[Day, list[Change]]:
    """The day's sessions under its rules, and a Change for every session that changed."""
    deciding = rules.deciding
    if deciding is None:
        return day, []
    out: list[Session] = []
    changes: list[Change] = []

    def change(before: Session, after: Session | None, why: Restriction) -> None:
        after_title = after.title if after is not None else "Rest"
        if after is not None and after.title == before.title:
            return  # same session, within the caps: nothing the runner needs to read
        changes.append(
            Change(day.date, before.title, after_title, why.reason, why.source, why.cause)
        )

    level = rules.level
    reason = deciding.reason
    cap = rules.max_run_s
    factor = rules.load_factor
    if rules.max_week_m is not None and ctx.week_m > 0:
        factor = min(factor, rules.max_week_m / ctx.week_m)
    ran = False
    for index, session in enumerate(day.sessions):
        new: Session | None = session
        if session.kind is SessionKind.REST:
            new = session
        elif level is Level.NO_TRAINING:
            new = None
        elif session.kind is SessionKind.STRENGTH and rules.no_strength:
            new = None  # no resistance work in the early stages of a return
        elif session.kind is SessionKind.STRENGTH and rules.spare_areas:
            new = spare(session, rules.spare_areas)
        elif level is Level.NORMAL:
            new = session
        elif level is Level.NO_RUNNING:
            kind = deciding.replacement
            if kind == "missed":
                # A missed day stays what was planned (the log compares against it); the
                # change says it was missed, and the rules act on what follows.
                changes.append(
                    Change(day.date, session.title, "missed", reason, deciding.source, "missed")
                )
            elif kind == "off":
                new = _rest(f"Off: {session.title}", f"Off: {reason}.")
            elif kind == "check_in" and (session.is_run or session.kind is SessionKind.CROSS):
                new = check_in_first(session, reason) if not ran else None
                ran = True
            elif kind == "rest" and (session.is_run or session.kind is SessionKind.CROSS):
                new = None
            elif session.is_run:
                new = postnatal_session(reason) if kind == "postnatal" else _walk(30, reason)
                new = _capped_cross(new, cap, reason)  # a return stage caps walking too
            elif session.kind is SessionKind.STRENGTH and kind == "postnatal":
                new = None  # the postnatal session on the run's day covers strength
        elif level is Level.CROSS_ONLY:
            if session.is_run:
                new = _capped_cross(_cross(session.duration_s / 60.0, reason), cap, reason)
            elif session.kind is SessionKind.CROSS:
                new = _capped_cross(session, cap, reason)
        elif session.kind is SessionKind.CROSS:
            new = _capped_cross(session, cap, reason)
        elif session.is_run and index in pinned and level is Level.REDUCED:
            new = session  # a pinned session keeps its load; only safety rules override it
        elif session.is_run and ran:
            new = None  # one run a day while restricted
        elif session.is_run:
            ran = True
            replacement = deciding.replacement
            if replacement.startswith("walk_run:"):
                new = walk_run_session(int(replacement.split(":")[1]), ctx, cap)
            elif session.kind is SessionKind.RACE and level is Level.REDUCED:
                new = session  # cleared to race: the race is not rebuilt (readiness says how)
            elif session.kind is SessionKind.RACE:
                easy = _scaled_run(session, ctx, factor, cap or 45 * 60.0)
                new = replace(
                    easy,
                    title=f"Not racing: {easy.title.lower()} instead",
                    description=f"Not cleared to race today: {reason}. " + easy.description,
                )
            elif level is Level.EASY_ONLY:
                new = _scaled_run(session, ctx, factor, cap)
                if session.kind is SessionKind.STRIDES and rules.allow_strides:
                    new = easy_run(ctx, new.distance_m, strides=True)
            else:  # REDUCED
                new = _rebuilt(session, ctx, factor, threshold_only=rules.threshold_only)
                if cap is not None and new.duration_s > cap:
                    new = _scaled_run(session, ctx, factor, cap)
        if new is not None and new.kind is not SessionKind.REST and new is not session:
            new = replace(new, description=new.description + f" (Adapted: {reason}.)")
        if new is not session:
            change(session, new, deciding)
        if new is not None:
            out.append(new)
    if not out:
        out.append(_rest("Rest", f"Rest: {reason}."))
    if level is Level.NO_TRAINING:
        out = [_rest("Rest", f"Rest: {reason}.")]
    return Day(day.date, tuple(out)), changes
