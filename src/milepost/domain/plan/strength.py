"""Strength sessions for runners: a small library of real exercises with sets and reps.

Two routines alternate (A: single-leg strength and calves; B: hips, posterior chain, trunk).
Foundation weeks use body weight; later phases add load and low-volume plyometrics; the taper
keeps the movements and drops a set and the jumps. [S: common strength-for-runners practice,
e.g. the calf/bridge/sit-to-stand/abduction tests of Goom et al. 2019 (docs/science.md §4) reused
as training movements.] Placement rules live in generate.py: never the day before a quality day.
"""

from __future__ import annotations

from milepost.domain.plan.model import Exercise, Phase, Session, SessionKind

_A_BASE = (
    Exercise("Split squat", 3, "8 each side", "front knee tracks over the toes"),
    Exercise("Single-leg calf raise", 3, "15 each side", "slow down, pause at the bottom"),
    Exercise("Single-leg glute bridge", 3, "10 each side", "hips level, squeeze at the top"),
    Exercise("Side plank", 2, "30 s each side", "straight line from head to feet"),
    Exercise("Dead bug", 2, "8 each side", "low back stays on the floor"),
)
_B_BASE = (
    Exercise("Step-up", 3, "10 each side", "drive through the heel of the top foot"),
    Exercise("Single-leg Romanian deadlift", 3, "8 each side", "hinge at the hip, soft knee"),
    Exercise("Side-lying hip abduction", 2, "15 each side", "toes forward, heel leads"),
    Exercise("Front plank", 3, "40 s", "ribs down, breathe"),
    Exercise("Bird dog", 2, "8 each side", "reach long, don't rotate"),
)
_A_LOADED = (
    Exercise(
        "Rear-foot-elevated split squat (dumbbells)",
        3,
        "6–8 each side",
        "heavy enough that the last 2 reps are hard",
    ),
    Exercise(
        "Weighted single-leg calf raise", 3, "10 each side", "knee straight, then bent (soleus)"
    ),
    Exercise("Hip thrust", 3, "8", "chin tucked, full lockout"),
    Exercise("Pogo hops", 2, "20", "quick, stiff ankles, quiet landings"),
    Exercise("Copenhagen plank (short lever)", 2, "20 s each side", "knee on the bench"),
)
_B_LOADED = (
    Exercise("Romanian deadlift (dumbbells or bar)", 3, "6–8", "flat back, feel the hamstrings"),
    Exercise("Lateral lunge", 3, "8 each side", "sit back into the hip"),
    Exercise(
        "Single-leg box jump or skater bound", 2, "5 each side", "land softly, full reset between"
    ),
    Exercise("Side plank with leg lift", 2, "20 s each side", "hips stay high"),
    Exercise("Pallof press", 2, "10 each side", "resist the twist"),
)


def _lighter(exercises: tuple[Exercise, ...]) -> tuple[Exercise, ...]:
    """Taper dose: one set fewer, no jumping."""
    jumps = ("hop", "jump", "bound")
    return tuple(
        Exercise(e.name, max(1, e.sets - 1), e.reps, e.cue)
        for e in exercises
        if not any(word in e.name.lower() for word in jumps)
    )


def strength_session(phase: Phase, routine: int) -> Session:
    """Routine 0 (A) or 1 (B) for a phase."""
    loaded = phase in (Phase.TRANSITION_QUALITY, Phase.FINAL_QUALITY, Phase.TAPER)
    exercises: tuple[Exercise, ...]
    if routine % 2 == 0:
        exercises, name = (_A_LOADED if loaded else _A_BASE), "A"
    else:
        exercises, name = (_B_LOADED if loaded else _B_BASE), "B"
    if phase is Phase.TAPER:
        exercises = _lighter(exercises)
    minutes = 15 + 5 * len(exercises)
    listing = "; ".join(f"{e.name} {e.sets} × {e.reps}" for e in exercises)
    note = (
        "lighter for the taper: keep the movement, lose the fatigue"
        if phase is Phase.TAPER
        else "after an easy run or on a rest day; 5 min of brisk walking or skipping first"
    )
    return Session(
        kind=SessionKind.STRENGTH,
        title=f"Strength {name} ({minutes} min)",
        description=f"Strength {name}, {note}: {listing}. Rest 60–90 s between sets.",
        duration_s=minutes * 60.0,
        exercises=exercises,
    )
