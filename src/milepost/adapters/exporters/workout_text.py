"""The words every exporter prints for a session: segments, paces, exercises, in the runner's units.

One wording for the calendar, the printed plan and the watch, so "4 × 1 mi T @ 6:32/mi" reads the
same wherever the runner meets it.
"""

from __future__ import annotations

from milepost.domain.plan.model import Exercise, Repeat, Segment, Session, Step, Zone
from milepost.domain.units import METRES_PER_MILE, Units, format_duration, format_pace

# Track reps are named in metres even by runners who think in miles (a "400", an "800").
_TRACK_LIMIT_M = 1600.0
# Two paces closer than this are one pace for the reader; the fit is a fraction of a second.
_SAME_PACE_S = 0.5
_WORK_ZONES = frozenset({Zone.T, Zone.I, Zone.R})


def distance_text(metres: float, units: Units) -> str:
    """``400 m``, ``1 mi``, ``2 km``, ``1.5 mi``: how a coach writes a segment's length."""
    miles = metres / METRES_PER_MILE
    if abs(miles - round(miles)) * METRES_PER_MILE < 1.0 and round(miles) >= 1:
        # Whole miles stay miles even in a km plan: "1 mile T" is how Daniels writes it.
        return f"{round(miles)} mi"
    if metres < _TRACK_LIMIT_M and abs(metres - round(metres, -2)) < 0.5:
        return f"{metres:.0f} m"
    value = metres / units.metres
    return f"{value:.2f}".rstrip("0").rstrip(".") + f" {units.value}"


def duration_text(seconds: float) -> str:
    """``20 s``, ``1 min``, ``2:30``, ``1:05:00``: a step's time as a runner says it."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole % 60 == 0 and whole < 3600:
        return f"{whole // 60} min"
    return format_duration(whole)


def pace_text(pace_s_per_km: tuple[float, float], units: Units) -> str:
    """``4:30/km`` or ``5:20–5:45/km`` for a (fast, slow) range."""
    fast, slow = pace_s_per_km
    if slow - fast < _SAME_PACE_S:
        return format_pace(fast, units)
    per = units.metres / 1000.0
    return f"{format_duration(fast * per)}–{format_duration(slow * per)}/{units.value}"


def _zone_text(zone: Zone) -> str:
    return {Zone.JOG: "jog", Zone.REST: "rest"}.get(zone, zone.value)


def step_text(step: Step, units: Units) -> str:
    """``1 mi T @ 4:04/km (6:32)``, ``2 km E @ 5:20–5:45/km``, ``1 min rest``."""
    if step.distance_m is not None:
        amount = distance_text(step.distance_m, units) + " "
    elif step.duration_s is not None:
        amount = duration_text(step.duration_s) + " "
    else:
        amount = ""
    text = amount + _zone_text(step.zone)
    if step.pace_s_per_km is None:
        return text
    text += " @ " + pace_text(step.pace_s_per_km, units)
    # Quality reps are run against the watch per rep, so give the rep's target time too.
    if step.zone in _WORK_ZONES and step.distance_m is not None and step.distance_m <= 2000.0:
        fast, slow = (p * step.distance_m / 1000.0 for p in step.pace_s_per_km)
        rep = format_duration(fast)
        if slow - fast >= 1.0:
            rep += "–" + format_duration(slow)
        text += f" ({rep})"
    return text


def segment_text(segment: Segment, units: Units) -> str:
    if isinstance(segment, Repeat):
        inner = ", ".join(step_text(s, units) for s in segment.steps)
        return (
            f"{segment.times} × ({inner})"
            if len(segment.steps) > 1
            else f"{segment.times} × {inner}"
        )
    return step_text(segment, units)


def exercise_text(exercise: Exercise) -> str:
    """``Split squat 3 × 8 each side``."""
    return f"{exercise.name} {exercise.sets} × {exercise.reps}"


def session_paces(session: Session, units: Units) -> list[str]:
    """Each zone the session runs in with its pace, in order of first use: ``T 4:04/km``."""
    seen: dict[Zone, tuple[float, float]] = {}
    for step in _steps(session.segments):
        if step.pace_s_per_km is not None and step.zone not in seen:
            seen[step.zone] = step.pace_s_per_km
    if not seen and session.pace_s_per_km is not None and session.is_run:
        return [pace_text(session.pace_s_per_km, units)]
    return [f"{zone.value} {pace_text(pace, units)}" for zone, pace in seen.items()]


def _steps(segments: tuple[Segment, ...]) -> list[Step]:
    steps: list[Step] = []
    for segment in segments:
        steps.extend(segment.steps if isinstance(segment, Repeat) else (segment,))
    return steps


def session_lines(session: Session, units: Units) -> list[str]:
    """The workout in full, one line per segment or exercise (the calendar description's body)."""
    lines = [segment_text(s, units) for s in session.segments]
    lines += [exercise_text(e) + (f" ({e.cue})" if e.cue else "") for e in session.exercises]
    return lines


def session_summary(session: Session, units: Units) -> str:
    """Distance and time at a glance: ``16 km · about 1:32:00``."""
    parts = []
    if session.distance_m > 0:
        parts.append(f"{session.distance_m / units.metres:.1f} {units.value}")
    if session.duration_s > 0:
        parts.append(f"about {duration_text(session.duration_s)}")
    return " · ".join(parts)
