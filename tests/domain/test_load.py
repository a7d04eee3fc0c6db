"""Training load against hand-computed values and the check in science.md §6."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from milepost.domain.athlete import Sex
from milepost.domain.efforts import BestEffort
from milepost.domain.load import (
    fitness_fatigue,
    heart_rate_bounds,
    running_tss,
    session_load,
    trimp,
    vdot_history,
)
from milepost.domain.vdot import vdot_from_race

START = date(2026, 1, 1)


def test_42_days_of_100_from_zero_give_ctl_63_7_and_atl_99_8() -> None:
    loads = {START + timedelta(days=i): 100.0 for i in range(42)}
    days = fitness_fatigue(loads, START, START + timedelta(days=41))
    assert len(days) == 42
    assert round(days[-1].fitness_ctl, 1) == 63.7
    assert round(days[-1].fatigue_atl, 1) == 99.8
    assert days[-1].form_tsb == pytest.approx(63.654 - 99.846, abs=0.01)


def test_days_without_load_let_fitness_and_fatigue_decay() -> None:
    days = fitness_fatigue({START: 70.0}, START, START + timedelta(days=7))
    assert days[0].fitness_ctl == pytest.approx(70 / 42)
    assert days[0].fatigue_atl == pytest.approx(10.0)
    assert days[1].load == 0 and days[1].fatigue_atl == pytest.approx(10.0 * 6 / 7)
    assert [d.date for d in days] == [START + timedelta(days=i) for i in range(8)]


def test_trimp_matches_banisters_formula_worked_by_hand() -> None:
    # 60 min at 150 bpm, rest 60, max 190: x = 90/130 = 0.6923
    # men: 60 × 0.6923 × 0.64 × e^(1.92 × 0.6923) = 100.44; women: × 0.86 e^(1.67 x) = 113.52
    assert trimp(3600, 150, 60, 190, Sex.MALE) == pytest.approx(100.44, abs=0.01)
    assert trimp(3600, 150, 60, 190, Sex.FEMALE) == pytest.approx(113.52, abs=0.01)
    assert trimp(3600, 150, 60, 190, None) == pytest.approx((100.44 + 113.52) / 2, abs=0.01)
    assert trimp(3600, 50, 60, 190, Sex.MALE) == 0.0  # below resting counts as nothing


def test_running_tss_is_hours_times_intensity_squared_times_100() -> None:
    assert running_tss(3600, 270, 270) == pytest.approx(100.0)  # an hour at threshold
    assert running_tss(3600, 300, 270) == pytest.approx(81.0)  # IF 0.9
    assert running_tss(1800, 270, 270) == pytest.approx(50.0)


def test_a_session_uses_trimp_with_heart_rate_and_tss_without() -> None:
    bounds = heart_rate_bounds(highest_recorded_hr_bpm=190, age_years=None, rest_hr_bpm=60)
    with_hr = session_load(
        duration_s=3600, distance_m=12000, avg_hr_bpm=150, bounds=bounds, sex=Sex.MALE,
        threshold_pace_s_per_km=270,
    )  # fmt: skip
    without = session_load(
        duration_s=3600, distance_m=12000, avg_hr_bpm=None, bounds=bounds, sex=Sex.MALE,
        threshold_pace_s_per_km=270,
    )  # fmt: skip
    assert with_hr is not None and with_hr.method == "trimp"
    assert with_hr.load == pytest.approx(100.44, abs=0.01)
    assert without is not None and without.method == "tss"
    assert without.load == pytest.approx(81.0)  # 12 km in an hour is 300 s/km
    nothing = session_load(
        duration_s=3600, distance_m=None, avg_hr_bpm=None, bounds=bounds, sex=None,
        threshold_pace_s_per_km=270,
    )  # fmt: skip
    assert nothing is None


def test_maximum_heart_rate_is_the_higher_of_the_log_and_the_age_estimate() -> None:
    estimated = heart_rate_bounds(highest_recorded_hr_bpm=170, age_years=40)
    assert estimated.max_hr_bpm == pytest.approx(180.0)  # 208 − 0.7 × 40
    assert "Tanaka" in estimated.source and "default of 60" in estimated.source
    recorded = heart_rate_bounds(highest_recorded_hr_bpm=195, age_years=40)
    assert recorded.max_hr_bpm == 195 and "your log" in recorded.source
    assert heart_rate_bounds(highest_recorded_hr_bpm=None, age_years=None).max_hr_bpm == 190


def test_vdot_history_keeps_races_and_the_best_long_effort_of_each_day() -> None:
    day = date(2026, 3, 1)
    races = [(date(2026, 4, 5), 5000.0, 1350.0)]
    efforts = [
        (day, BestEffort(400, 80, 0)),  # too short for the formula: left out
        (day, BestEffort(1609.344, 400, 0)),
        (day, BestEffort(5000, 1500, 0)),
        (day, BestEffort(10000, 6000, 0)),  # a jog: a VDOT below any runner's, left out
    ]
    points = vdot_history(races, efforts)
    assert [(p.date, p.source) for p in points] == [
        (day, "best effort"),
        (date(2026, 4, 5), "race"),
    ]
    assert points[0].vdot == pytest.approx(
        max(vdot_from_race(1609.344, 400), vdot_from_race(5000, 1500))
    )
    assert points[1].vdot == pytest.approx(vdot_from_race(5000, 1350))
