"""The activity summary and best efforts, on synthetic recordings whose answers are known."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from milepost.domain.activity import (
    Samples,
    elevation_change_m,
    haversine_m,
    make_samples,
    same_activity,
    summarise,
)
from milepost.domain.efforts import best_efforts, fastest_window

T0 = datetime(2024, 5, 1, 6, 0, tzinfo=UTC).timestamp()


def steady_run(speed_m_s: float, seconds: int, altitude: list[float] | None = None) -> Samples:
    return make_samples(
        time_s=[T0 + i for i in range(seconds + 1)],
        distance_m=[speed_m_s * i for i in range(seconds + 1)],
        altitude_m=altitude,
    )


@settings(max_examples=60, deadline=None)
@given(
    speed=st.floats(min_value=1.0, max_value=7.0),
    target=st.sampled_from([400.0, 1000.0, 1609.344, 5000.0]),
)
def test_at_constant_speed_a_best_effort_takes_distance_over_speed(
    speed: float, target: float
) -> None:
    samples = steady_run(speed, int(target / speed) + 30)
    found = fastest_window(samples.time_s or (), samples.distance_m or (), target)
    assert found is not None
    assert found[0] == pytest.approx(target / speed, rel=1e-6)  # POSIX seconds near 1.7e9


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=0.0, max_value=8.0), min_size=20, max_size=400))
def test_a_longer_best_effort_never_takes_less_time(speeds: list[float]) -> None:
    distance = [0.0]
    for speed in speeds:
        distance.append(distance[-1] + speed)
    times = [float(i) for i in range(len(distance))]
    last = 0.0
    for target in (50.0, 100.0, 200.0, 400.0, 800.0, 1000.0, 1500.0):
        found = fastest_window(times, distance, target)
        if found is None:
            assert distance[-1] < target
            break
        assert found[0] >= last - 1e-9
        assert found[0] >= target / max(speeds) - 1e-9  # never faster than the fastest second
        last = found[0]


def test_the_best_effort_is_found_inside_a_slower_run() -> None:
    # 10 minutes at 3 m/s, 2 km at 5 m/s, 10 minutes at 3 m/s
    distance, speed_at = [0.0], []
    for second in range(1800 + 400):
        speed = 5.0 if 600 <= second < 1000 else 3.0
        speed_at.append(speed)
        distance.append(distance[-1] + speed)
    samples = make_samples(time_s=[T0 + i for i in range(len(distance))], distance_m=distance)
    efforts = {e.distance_m: e for e in best_efforts(samples)}
    assert efforts[1000.0].duration_s == pytest.approx(200.0)
    assert efforts[1000.0].start_offset_s >= 600
    assert 5000.0 in efforts and 10000.0 not in efforts


def test_a_recording_without_times_has_no_best_efforts() -> None:
    samples = make_samples(time_s=None, distance_m=[0.0, 500.0, 1000.0])
    assert best_efforts(samples) == ()


def test_a_pause_counts_in_elapsed_but_not_in_moving_time() -> None:
    times = [T0 + i for i in range(601)] + [T0 + 900 + i for i in range(1, 601)]
    distance = [3.0 * i for i in range(601)] + [1800.0 + 3.0 * i for i in range(1, 601)]
    activity = summarise(
        make_samples(time_s=times, distance_m=distance), sport="running", source_format="fit"
    )
    assert activity.elapsed_s == 1500
    # 600 s before, 599 s after; the 301 s across the pause (3 m) is not moving
    assert activity.moving_s == pytest.approx(1199)
    assert activity.avg_pace_s_per_km == pytest.approx(1199 / 3.6)


def test_standing_still_at_a_crossing_is_not_moving_time() -> None:
    distance = [3.0 * min(i, 300) + 3.0 * max(0, i - 360) for i in range(661)]
    activity = summarise(
        make_samples(time_s=[T0 + i for i in range(661)], distance_m=distance),
        sport="running",
        source_format="gpx",
    )
    assert activity.elapsed_s == 660
    assert activity.moving_s == pytest.approx(600)


def test_gps_noise_on_flat_ground_adds_no_climb() -> None:
    wobble = [100.0 + (0.8 if i % 2 else -0.8) for i in range(2000)]
    assert elevation_change_m(tuple(wobble)) == (0.0, 0.0)


def test_a_spike_in_the_first_seconds_adds_no_climb() -> None:
    # The Fenix 2 sample opens like this: one good reading, three 87 m too high.
    altitude = [55.0, 142.4, 142.4, 142.4] + [56.0] * 200
    gain, loss = elevation_change_m(tuple(altitude))
    assert gain == 0.0 and loss == 0.0


def test_a_steady_climb_is_counted_whole() -> None:
    altitude = [100.0 + 0.1 * i for i in range(1001)]  # 100 m up
    gain, loss = elevation_change_m(tuple(altitude))
    assert gain == pytest.approx(100.0, abs=2.0)
    assert loss == 0.0


def test_running_uphill_gives_a_faster_grade_adjusted_pace() -> None:
    climb = [100.0 + 0.05 * 3.0 * i for i in range(1201)]  # 5 % at 3 m/s
    activity = summarise(steady_run(3.0, 1200, climb), sport="running", source_format="fit")
    flat = summarise(steady_run(3.0, 1200, [100.0] * 1201), sport="running", source_format="fit")
    assert flat.grade_adjusted_pace_s_per_km == pytest.approx(1000 / 3.0)
    assert activity.avg_pace_s_per_km == pytest.approx(1000 / 3.0)
    assert activity.grade_adjusted_pace_s_per_km is not None
    # Minetti: Cr(0.05) = 4.685 J/kg/m against Cr(0) = 3.6, so the flat pace is 1.30 times quicker
    assert activity.avg_pace_s_per_km / activity.grade_adjusted_pace_s_per_km == pytest.approx(
        1.30, abs=0.01
    )


def test_no_heart_rate_is_unknown_not_zero() -> None:
    activity = summarise(steady_run(3.0, 600), sport="running", source_format="gpx")
    assert activity.avg_hr_bpm is None and activity.max_hr_bpm is None
    assert activity.grade_adjusted_pace_s_per_km is None  # no altitude, no slope to adjust for


def test_a_heart_rate_of_zero_is_a_strap_not_worn() -> None:
    samples = make_samples(time_s=[T0, T0 + 1, T0 + 2], distance_m=[0, 3, 6], hr_bpm=[0, 0, 0])
    assert samples.hr_bpm is None


def test_distance_comes_from_positions_when_the_file_has_none() -> None:
    # One degree of latitude on the mean-radius sphere: 6,371,008.8 m × π / 180 = 111,195 m.
    samples = make_samples(
        time_s=[T0, T0 + 3600], lat_deg=[45.0, 46.0], lon_deg=[7.0, 7.0], distance_m=None
    )
    assert samples.distance_m is not None
    assert samples.distance_m[-1] == pytest.approx(111_195.1, abs=1.0)
    assert haversine_m(0, 0, 0, 0) == 0.0


def test_gaps_in_distance_are_bridged_in_time_not_held() -> None:
    samples = make_samples(
        time_s=[T0, T0 + 10, T0 + 20, T0 + 30], distance_m=[None, 25.0, None, 50.0]
    )
    assert samples.distance_m == (25.0, 25.0, 37.5, 50.0)


def test_samples_come_out_in_time_order() -> None:
    samples = make_samples(time_s=[T0 + 2, T0, T0 + 1], distance_m=[6.0, 0.0, 3.0])
    assert samples.time_s == (T0, T0 + 1, T0 + 2)
    assert samples.distance_m == (0.0, 3.0, 6.0)


def test_samples_refuse_columns_of_different_lengths() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        Samples(time_s=(1.0, 2.0), distance_m=(0.0,))


def test_one_run_from_two_sources_is_the_same_activity_only_within_a_minute_and_2_percent() -> None:
    run = summarise(steady_run(3.0, 3000), sport="running", source_format="fit")
    later = replace(run, start=run.start + timedelta(seconds=59))
    much_later = replace(run, start=run.start + timedelta(seconds=61))
    assert same_activity(run, later)
    assert not same_activity(run, much_later)
    assert run.distance_m is not None
    assert same_activity(run, replace(run, distance_m=run.distance_m * 1.019))
    assert not same_activity(run, replace(run, distance_m=run.distance_m * 1.021))
    assert not same_activity(run, replace(run, distance_m=None))


def test_an_activity_without_times_needs_a_start() -> None:
    samples = make_samples(time_s=None, distance_m=[0.0, 100.0])
    with pytest.raises(ValueError, match="timezone-aware start"):
        summarise(samples, sport="running", source_format="gpx")
    activity = summarise(
        samples, sport="running", source_format="gpx", start=datetime(2024, 1, 1, tzinfo=UTC)
    )
    assert activity.elapsed_s is None and activity.moving_s is None
    assert activity.distance_m == 100.0
    assert not math.isnan(activity.distance_m)


def _brute_force_window(times: list[float], dist: list[float], target: float) -> float | None:
    """The fastest window by trying every start and end on a sample, interpolating the other
    end: slow and obvious, the oracle for the vectorised sweeps."""
    best = None
    n = len(dist)
    for a in range(n):
        for b in range(n - 1):
            # window starting on sample a, ending between b and b + 1
            end = dist[a] + target
            if dist[b] <= end <= dist[b + 1] and dist[b + 1] > dist[b]:
                t_end = times[b] + (times[b + 1] - times[b]) * (end - dist[b]) / (
                    dist[b + 1] - dist[b]
                )
                best = t_end - times[a] if best is None else min(best, t_end - times[a])
            # window ending on sample a, starting between b and b + 1
            start = dist[a] - target
            if dist[b] <= start <= dist[b + 1] and dist[b + 1] > dist[b]:
                t_start = times[b] + (times[b + 1] - times[b]) * (start - dist[b]) / (
                    dist[b + 1] - dist[b]
                )
                best = times[a] - t_start if best is None else min(best, times[a] - t_start)
    return best


@given(
    st.lists(st.floats(min_value=0.0, max_value=8.0), min_size=2, max_size=40),
    st.floats(min_value=1.0, max_value=60.0),
)
def test_the_vectorised_sweeps_agree_with_brute_force(steps: list[float], target: float) -> None:
    times = [float(i) for i in range(len(steps) + 1)]
    dist = [0.0]
    for step in steps:
        dist.append(dist[-1] + step)
    found = fastest_window(times, dist, target)
    expected = _brute_force_window(times, dist, target)
    if found is None:
        assert dist[-1] < target or expected is None
    else:
        assert expected is not None
        assert found[0] == pytest.approx(expected, rel=1e-9, abs=1e-9)
