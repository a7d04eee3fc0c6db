"""A day's run as a FIT workout file, the format Garmin (and Coros, Wahoo, Suunto) watches load.

Layout per the FIT SDK's workout file: ``file_id`` (type workout), one ``workout`` (sport running,
``num_valid_steps``), then ``workout_step`` messages in order. A repeat is its steps followed by a
step whose duration type is ``repeat_until_steps_cmplt``, pointing back at the block's first step by
``message_index``, with target type open and the total number of times in ``target_value``; and
``num_valid_steps`` counts every step, repeat steps included. Both as the FIT SDK's own cookbook
encodes "Running 800m Repeats". Written with fit-tool, whose validator checks every field against
the FIT profile; we run it on each file (see :func:`_check`).
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime

from fit_tool import ConformanceLevel, FitFile, FitFileBuilder, validate_fit_file
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.workout_message import WorkoutMessage
from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
from fit_tool.profile.profile_type import (
    FileType,
    Intensity,
    Manufacturer,
    Sport,
    WorkoutStepDuration,
    WorkoutStepTarget,
)

from milepost.adapters.exporters.workout_text import distance_text, duration_text
from milepost.domain.plan.model import Day, Repeat, Segment, Session, Step, Zone
from milepost.domain.units import Units
from milepost.errors import InputError

# A watch alarms whenever the runner leaves the target band; a band of zero width (Daniels gives
# T, I and R as single paces) would beep all session, so single paces get ±5 s/km around them.
MIN_BAND_S_PER_KM = 10.0
# Watches show about this many characters of a step or workout name; longer ones are cut anyway.
_NAME_CHARS = 32


def running_session(day: Day) -> Session:
    """The run to put on the watch: the day's quality run, else its longest run."""
    runs = day.runs
    if not runs:
        raise InputError(
            f"no running session on {day.date.isoformat()} to export",
            hint="choose a day with a run on it; strength and rest days have no watch workout",
        )
    return max(runs, key=lambda s: (s.is_quality, s.distance_m, s.duration_s))


def session_to_fit_workout(
    session: Session, *, name: str, units: Units, created: datetime | None = None
) -> bytes:
    """The session's segments as FIT workout steps with distance or time and pace targets.

    ``created`` becomes file_id.time_created (default: now); with ``name`` it tells two exports
    apart, which watches use to decide whether a file is new.
    """
    if not session.is_run:
        raise InputError(
            f"no running session on that day to export ({session.title} is not a run)",
            hint="choose a day with a run on it; strength and rest days have no watch workout",
        )
    steps = _steps(session, units)
    moment = (created or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)

    file_id = FileIdMessage()
    file_id.type = FileType.WORKOUT
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.time_created = round(moment.timestamp() * 1000)  # fit-tool takes Unix milliseconds
    # Not a device serial: a checksum of what the file says, so different workouts differ.
    file_id.serial_number = zlib.crc32(f"{name}|{session.title}|{moment}".encode()) or 1

    workout = WorkoutMessage()
    workout.workout_name = name[:_NAME_CHARS]
    workout.sport = Sport.RUNNING
    workout.num_valid_steps = len(steps)

    builder = FitFileBuilder(auto_define=True, min_string_size=_NAME_CHARS)
    builder.add(file_id)
    builder.add(workout)
    builder.add_all(steps)
    fit_file = builder.build()
    _check(fit_file)
    data: bytes = fit_file.to_bytes()
    return data


def _check(fit_file: FitFile) -> None:
    """Fail loudly on any profile violation, bar one rule where fit-tool and the FIT SDK differ.

    fit-tool 0.9.16 expects ``num_valid_steps`` to leave repeat steps out; the SDK's cookbook, and
    the Garmin devices it was written for, count them. We follow the SDK.
    """
    report = validate_fit_file(
        fit_file,
        levels={ConformanceLevel.WIRE, ConformanceLevel.PROFILE, ConformanceLevel.FILE_TYPE},
    )
    errors = [e for e in report.errors if "num_valid_steps" not in e.message]
    if errors:
        raise RuntimeError(f"milepost wrote an invalid FIT workout: {errors[0]}")


def _steps(session: Session, units: Units) -> list[WorkoutStepMessage]:
    segments = session.segments or (_whole_run(session),)
    roles = _roles(segments)
    messages: list[WorkoutStepMessage] = []
    for segment, role in zip(segments, roles, strict=True):
        if isinstance(segment, Repeat):
            first = len(messages)
            for step in segment.steps:
                messages.append(_step(step, len(messages), _intensity(step, None), units))
            if segment.times > 1:
                messages.append(_repeat(len(messages), first, segment.times))
        else:
            messages.append(_step(segment, len(messages), _intensity(segment, role), units))
    return messages


def _whole_run(session: Session) -> Step:
    # An easy run may carry no segments: it is one step of its distance (or time) at its pace.
    return Step(
        Zone.E,
        distance_m=session.distance_m or None,
        duration_s=None if session.distance_m else (session.duration_s or None),
        pace_s_per_km=session.pace_s_per_km,
    )


def _roles(segments: tuple[Segment, ...]) -> list[Intensity | None]:
    """Easy running before the first work is the warm-up, after the last work the cool-down."""
    work = [i for i, s in enumerate(segments) if isinstance(s, Repeat) or s.zone is not Zone.E]
    if not work:
        return [None] * len(segments)
    return [
        Intensity.WARMUP if i < work[0] else Intensity.COOLDOWN if i > work[-1] else None
        for i in range(len(segments))
    ]


def _intensity(step: Step, role: Intensity | None) -> Intensity:
    if role is not None:
        return role
    if step.zone is Zone.JOG:
        return Intensity.RECOVERY
    if step.zone is Zone.REST:
        return Intensity.REST
    return Intensity.ACTIVE


def _step(step: Step, index: int, intensity: Intensity, units: Units) -> WorkoutStepMessage:
    message = WorkoutStepMessage()
    message.message_index = index
    message.workout_step_name = _step_name(step, intensity, units)[:_NAME_CHARS]
    message.intensity = intensity
    # fit-tool picks a sub-field by the type already set, so each type goes before its value.
    if step.distance_m is not None:
        message.duration_type = WorkoutStepDuration.DISTANCE
        message.duration_distance = step.distance_m
    elif step.duration_s is not None:
        message.duration_type = WorkoutStepDuration.TIME
        message.duration_time = step.duration_s
    else:
        message.duration_type = WorkoutStepDuration.OPEN  # until the lap button
        message.duration_value = 0
    if step.pace_s_per_km is None:
        message.target_type = WorkoutStepTarget.OPEN
        message.target_value = 0
    else:
        low_m_s, high_m_s = speed_band(step.pace_s_per_km)
        message.target_type = WorkoutStepTarget.SPEED
        message.target_value = 0  # zone 0: the custom low/high range below applies
        message.custom_target_speed_low = low_m_s
        message.custom_target_speed_high = high_m_s
    return message


def speed_band(pace_s_per_km: tuple[float, float]) -> tuple[float, float]:
    """(low, high) in m/s from a (fast, slow) pace, at least :data:`MIN_BAND_S_PER_KM` wide."""
    fast, slow = sorted(pace_s_per_km)
    if slow - fast < MIN_BAND_S_PER_KM:
        middle = (fast + slow) / 2.0
        fast, slow = middle - MIN_BAND_S_PER_KM / 2.0, middle + MIN_BAND_S_PER_KM / 2.0
    return round(1000.0 / slow, 3), round(1000.0 / fast, 3)


def _repeat(index: int, first: int, times: int) -> WorkoutStepMessage:
    message = WorkoutStepMessage()
    message.message_index = index
    message.duration_type = WorkoutStepDuration.REPEAT_UNTIL_STEPS_CMPLT
    message.duration_step = first
    message.target_type = WorkoutStepTarget.OPEN
    message.target_repeat_steps = times
    return message


def _step_name(step: Step, intensity: Intensity, units: Units) -> str:
    """``1 mi T``, ``3 min jog``, ``Warm-up 2 km``: what the watch shows for the step."""
    if step.distance_m is not None:
        amount = distance_text(step.distance_m, units)
    elif step.duration_s is not None:
        amount = duration_text(step.duration_s)
    else:
        amount = ""
    if intensity in (Intensity.WARMUP, Intensity.COOLDOWN):
        label = "Warm-up" if intensity is Intensity.WARMUP else "Cool-down"
        return f"{label} {amount}".strip()
    zone = {Zone.JOG: "jog", Zone.REST: "rest"}.get(step.zone, step.zone.value)
    return f"{amount} {zone}".strip()
