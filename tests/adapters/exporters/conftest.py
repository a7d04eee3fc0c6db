"""A hand-built three-week plan to export: the last weeks before a half marathon at VDOT 45.

Built by hand rather than by generate_plan so the exporters are tested against the model alone:
easy runs (one with strides), a long run with marathon-pace blocks as a Repeat, threshold and
interval sessions with warm-up and cool-down, strength with exercises, rest days, a day with two
sessions, and the race on the last day.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from milepost.domain.plan.model import (
    Day,
    Exercise,
    Phase,
    Plan,
    Race,
    Repeat,
    Segment,
    Session,
    SessionKind,
    Step,
    Week,
    Zone,
)
from milepost.domain.units import HALF_MARATHON_M, METRES_PER_MILE
from milepost.domain.vdot import TrainingPaces, training_paces

START = date(2027, 3, 29)  # a Monday
RACE_DAY = START + timedelta(days=20)  # the third Sunday
VDOT = 45.0
GOAL_S = 1 * 3600 + 39 * 60 + 30.0


def _single(pace: float) -> tuple[float, float]:
    return (pace, pace)


def _distance(segments: tuple[Segment, ...]) -> float:
    total = 0.0
    for segment in segments:
        if isinstance(segment, Repeat):
            total += segment.times * _distance(segment.steps)
        elif segment.distance_m is not None:
            total += segment.distance_m
    return total


def rest() -> Session:
    return Session(SessionKind.REST, "Rest", "Rest day: no running.")


def easy(p: TrainingPaces, km: float, *, strides: bool = False) -> Session:
    segments: tuple[Segment, ...] = (Step(Zone.E, distance_m=km * 1000, pace_s_per_km=p.easy),)
    title = f"Easy {km:g} km"
    if strides:
        segments += (
            Repeat(
                6,
                (
                    Step(Zone.R, duration_s=20, pace_s_per_km=_single(p.repetition)),
                    Step(Zone.REST, duration_s=60),
                ),
            ),
        )
        title += " + 6 strides"
    return Session(
        SessionKind.STRIDES if strides else SessionKind.EASY,
        title,
        f"{km:g} km easy and conversational.",
        distance_m=km * 1000,
        duration_s=km * sum(p.easy) / 2,
        pace_s_per_km=p.easy,
        segments=segments,
    )


def long_run(p: TrainingPaces) -> Session:
    segments: tuple[Segment, ...] = (
        Step(Zone.E, distance_m=4000, pace_s_per_km=p.easy),
        Repeat(
            4,
            (
                Step(Zone.M, distance_m=METRES_PER_MILE, pace_s_per_km=_single(p.marathon)),
                Step(Zone.E, distance_m=1000, pace_s_per_km=p.easy),
            ),
        ),
        Step(Zone.E, distance_m=1500, pace_s_per_km=p.easy),
    )
    return Session(
        SessionKind.LONG,
        "Long run 16 km (4 × 1 mi M)",
        "4 km easy, then 4 × 1 mile at marathon pace with 1 km easy between, 1.5 km easy home. "
        "Practise race-day fuelling.",
        distance_m=_distance(segments),
        duration_s=16 * 330,
        pace_s_per_km=_single(p.marathon),
        segments=segments,
    )


def threshold(p: TrainingPaces) -> Session:
    segments: tuple[Segment, ...] = (
        Step(Zone.E, distance_m=2000, pace_s_per_km=p.easy),
        Repeat(
            4,
            (
                Step(Zone.T, distance_m=METRES_PER_MILE, pace_s_per_km=_single(p.threshold)),
                Step(Zone.REST, duration_s=60),
            ),
        ),
        Step(Zone.E, distance_m=2000, pace_s_per_km=p.easy),
    )
    return Session(
        SessionKind.THRESHOLD,
        "4 × 1 mi T",
        "2 km easy, 4 × 1 mile at threshold pace with 1 min rest, 2 km easy. Comfortably hard.",
        distance_m=_distance(segments),
        duration_s=55 * 60,
        pace_s_per_km=_single(p.threshold),
        segments=segments,
    )


def intervals(p: TrainingPaces) -> Session:
    segments: tuple[Segment, ...] = (
        Step(Zone.E, distance_m=2000, pace_s_per_km=p.easy),
        Repeat(
            5,
            (
                Step(Zone.I, distance_m=1000, pace_s_per_km=_single(p.interval)),
                Step(Zone.JOG, duration_s=180),
            ),
        ),
        Step(Zone.E, distance_m=2000, pace_s_per_km=p.easy),
    )
    return Session(
        SessionKind.INTERVAL,
        "5 × 1000 m I",
        "2 km easy, 5 × 1000 m at interval pace with 3 min easy jog, 2 km easy. Hard but "
        "controlled: the last rep as fast as the first.",
        distance_m=_distance(segments),
        duration_s=60 * 60,
        pace_s_per_km=_single(p.interval),
        segments=segments,
    )


def strength(name: str, *, light: bool = False) -> Session:
    sets = 2 if light else 3
    exercises = (
        Exercise("Split squat", sets, "8 each side", "front knee tracks over the toes"),
        Exercise("Single-leg calf raise", sets, "15 each side", "slow down, pause at the bottom"),
        Exercise("Single-leg glute bridge", sets, "10 each side"),
        Exercise("Side plank", 2, "30 s each side", "straight line from head to feet"),
    )
    return Session(
        SessionKind.STRENGTH,
        f"Strength {name} (35 min)",
        f"Strength {name}: after an easy run. Rest 60–90 s between sets.",
        duration_s=35 * 60,
        exercises=exercises,
    )


def race(goal_s: float) -> Session:
    pace = goal_s / HALF_MARATHON_M * 1000
    return Session(
        SessionKind.RACE,
        "Race: Riverside Half Marathon",
        "Race day. Warm up with 10–15 min easy and a few strides; start a little slower than goal.",
        distance_m=HALF_MARATHON_M,
        duration_s=goal_s,
        pace_s_per_km=_single(pace),
        segments=(Step(Zone.M, distance_m=HALF_MARATHON_M, pace_s_per_km=_single(pace)),),
    )


def _week(number: int, phase: Phase, sessions: list[tuple[Session, ...]], focus: str) -> Week:
    starts = START + timedelta(weeks=number - 1)
    days = tuple(Day(starts + timedelta(days=i), s) for i, s in enumerate(sessions))
    return Week(number, starts, phase, days, focus=focus)


def build_plan(units: str = "km") -> Plan:
    p = training_paces(VDOT)
    taper = training_paces(VDOT + 1)
    weeks = (
        _week(
            1,
            Phase.FINAL_QUALITY,
            [
                (rest(),),
                (threshold(p),),
                (easy(p, 8), strength("A")),
                (intervals(p),),
                (rest(),),
                (easy(p, 8, strides=True), strength("B")),
                (long_run(p),),
            ],
            "Race-specific work: threshold and marathon pace hold the engine.",
        ),
        _week(
            2,
            Phase.TAPER,
            [
                (rest(),),
                (threshold(taper),),
                (easy(taper, 8), strength("A", light=True)),
                (intervals(taper),),
                (rest(),),
                (easy(taper, 6, strides=True),),
                (easy(taper, 12),),
            ],
            "Taper: less volume, same intensity.",
        ),
        _week(
            3,
            Phase.TAPER,
            [
                (rest(),),
                (easy(taper, 6, strides=True),),
                (easy(taper, 5),),
                (rest(),),
                (easy(taper, 5),),
                (easy(taper, 3, strides=True),),
                (race(GOAL_S),),
            ],
            "Race week: stay fresh.",
        ),
    )
    return Plan(
        race=Race(HALF_MARATHON_M, RACE_DAY, "Riverside Half Marathon", GOAL_S),
        vdot=VDOT,
        weeks=weeks,
        units=units,
        expected_vdot=(VDOT, VDOT + 1, VDOT + 1),
    )


@pytest.fixture
def plan() -> Plan:
    return build_plan()


@pytest.fixture
def plan_in_miles() -> Plan:
    return build_plan("mi")
