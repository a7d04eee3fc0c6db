"""The FIT workout: steps a watch can follow, read back with an independent decoder (fitdecode)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import fitdecode
import pytest

from milepost.adapters.exporters.fit_workout import (
    MIN_BAND_S_PER_KM,
    running_session,
    session_to_fit_workout,
    speed_band,
)
from milepost.domain.plan.model import Plan, Session, SessionKind
from milepost.domain.units import METRES_PER_MILE, Units
from milepost.domain.vdot import training_paces
from milepost.errors import InputError

CREATED = datetime(2027, 3, 29, 18, 0, tzinfo=UTC)


@dataclass
class Workout:
    file_id: dict[str, Any]
    workout: dict[str, Any]
    steps: list[dict[str, Any]]
    crc_ok: bool


def _decode(data: bytes) -> Workout:
    messages: dict[str, list[dict[str, Any]]] = {}
    crc_ok = False
    # CrcCheck.RAISE makes a wrong file CRC fail the read instead of passing silently.
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage):
                fields = {f.name: f.value for f in frame.fields}
                messages.setdefault(frame.name, []).append(fields)
            elif isinstance(frame, fitdecode.FitCRC):
                crc_ok = frame.matched
    return Workout(messages["file_id"][0], messages["workout"][0], messages["workout_step"], crc_ok)


def _session(plan: Plan, on: date, kind: SessionKind) -> Session:
    day = plan.day(on)
    assert day is not None
    return next(s for s in day.sessions if s.kind is kind)


def _export(session: Session, units: Units = Units.KM) -> Workout:
    return _decode(
        session_to_fit_workout(session, name="Tue 4x1mi T", units=units, created=CREATED)
    )


def test_the_file_is_a_running_workout_with_a_valid_crc(plan: Plan) -> None:
    workout = _export(_session(plan, date(2027, 3, 30), SessionKind.THRESHOLD))
    assert workout.crc_ok
    assert workout.file_id["type"] == "workout"
    assert workout.file_id["time_created"] == CREATED
    assert workout.workout["sport"] == "running"
    assert workout.workout["wkt_name"] == "Tue 4x1mi T"
    assert workout.workout["num_valid_steps"] == len(workout.steps)


def test_threshold_reps_become_warm_up_repeat_block_and_cool_down(plan: Plan) -> None:
    steps = _export(_session(plan, date(2027, 3, 30), SessionKind.THRESHOLD)).steps
    assert [s["message_index"] for s in steps] == [0, 1, 2, 3, 4]
    assert [s.get("intensity") for s in steps] == ["warmup", "active", "rest", None, "cooldown"]
    assert steps[0]["duration_type"] == "distance"
    assert steps[0]["duration_distance"] == pytest.approx(2000.0)
    assert steps[1]["duration_distance"] == pytest.approx(METRES_PER_MILE, abs=0.01)
    assert steps[2]["duration_type"] == "time"
    assert steps[2]["duration_time"] == pytest.approx(60.0)
    assert steps[2]["target_type"] == "open"
    repeat = steps[3]
    assert repeat["duration_type"] == "repeat_until_steps_cmplt"
    assert repeat["duration_step"] == 1  # back to the first T rep
    assert repeat["repeat_steps"] == 4
    assert repeat["target_type"] == "open"  # as the FIT SDK cookbook writes repeats


def test_pace_targets_are_speed_ranges_around_the_vdot_pace(plan: Plan) -> None:
    paces = training_paces(plan.vdot)
    steps = _export(_session(plan, date(2027, 3, 30), SessionKind.THRESHOLD)).steps
    t_rep = steps[1]
    assert t_rep["target_type"] == "speed"
    low, high = t_rep["custom_target_speed_low"], t_rep["custom_target_speed_high"]
    assert low < 1000.0 / paces.threshold < high
    assert 1000.0 / low - 1000.0 / high == pytest.approx(MIN_BAND_S_PER_KM, abs=0.1)
    warm_up = steps[0]
    fast, slow = paces.easy
    assert warm_up["custom_target_speed_low"] == pytest.approx(1000.0 / slow, abs=0.001)
    assert warm_up["custom_target_speed_high"] == pytest.approx(1000.0 / fast, abs=0.001)


def test_interval_jogs_are_recoveries_by_time(plan: Plan) -> None:
    steps = _export(_session(plan, date(2027, 4, 1), SessionKind.INTERVAL)).steps
    rep, jog, repeat = steps[1], steps[2], steps[3]
    assert rep["duration_distance"] == pytest.approx(1000.0)
    assert (jog["intensity"], jog["duration_time"]) == ("recovery", pytest.approx(180.0))
    assert (repeat["duration_step"], repeat["repeat_steps"]) == (1, 5)


def test_the_long_run_keeps_its_marathon_pace_blocks(plan: Plan) -> None:
    steps = _export(_session(plan, date(2027, 4, 4), SessionKind.LONG)).steps
    assert len(steps) == 5  # lead-in, M, float, repeat, run home
    assert steps[1]["wkt_step_name"] == "1 mi M"
    assert (steps[3]["duration_step"], steps[3]["repeat_steps"]) == (1, 4)


def test_strides_after_an_easy_run_are_a_timed_repeat(plan: Plan) -> None:
    steps = _export(_session(plan, date(2027, 4, 3), SessionKind.STRIDES)).steps
    assert steps[0]["intensity"] == "warmup"  # the easy run before the strides
    assert steps[1]["duration_time"] == pytest.approx(20.0)
    assert (steps[3]["duration_step"], steps[3]["repeat_steps"]) == (1, 6)


def test_step_names_use_the_runners_units(plan_in_miles: Plan) -> None:
    steps = _export(
        _session(plan_in_miles, date(2027, 3, 30), SessionKind.THRESHOLD), Units.MI
    ).steps
    assert steps[0]["wkt_step_name"] == "Warm-up 1.24 mi"
    assert steps[1]["wkt_step_name"] == "1 mi T"


def test_a_strength_session_has_no_watch_workout(plan: Plan) -> None:
    strength = _session(plan, date(2027, 3, 31), SessionKind.STRENGTH)
    with pytest.raises(InputError, match="no running session on that day to export"):
        session_to_fit_workout(strength, name="x", units=Units.KM)


def test_the_days_run_is_chosen_over_its_strength_session(plan: Plan) -> None:
    day = plan.day(date(2027, 3, 31))
    assert day is not None
    assert running_session(day).kind is SessionKind.EASY


def test_a_rest_day_has_no_running_session(plan: Plan) -> None:
    day = plan.day(date(2027, 3, 29))
    assert day is not None
    with pytest.raises(InputError, match="no running session on 2027-03-29"):
        running_session(day)


def test_a_wide_pace_range_is_kept_and_a_single_pace_is_widened() -> None:
    assert speed_band((300.0, 360.0)) == (round(1000 / 360, 3), round(1000 / 300, 3))
    low, high = speed_band((240.0, 240.0))
    assert (1000 / low, 1000 / high) == (
        pytest.approx(245.0, abs=0.1),
        pytest.approx(235.0, abs=0.1),
    )
