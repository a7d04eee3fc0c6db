from __future__ import annotations

import pytest

from milepost.domain.environment import (
    adjust_pace,
    altitude_adjustment,
    energy_cost_j_per_kg_m,
    grade_adjusted_pace,
    grade_adjustment,
    grade_factor,
    heat_adjustment,
    heat_slowdown_pct,
)
from milepost.domain.units import METRES_PER_FOOT
from milepost.domain.vdot import training_paces
from milepost.errors import InputError


def f_to_c(f: float) -> float:
    return (f - 32) * 5 / 9


@pytest.mark.parametrize(
    ("sum_f", "pct"), [(100, 0.0), (110, 0.5), (120, 1.0), (125, 1.5), (150, 4.5), (180, 10.0)]
)
def test_heat_follows_hadleys_bands(sum_f: float, pct: float) -> None:
    # Split the sum evenly between temperature and dew point.
    t = f_to_c(sum_f / 2)
    assert heat_slowdown_pct(t, t) == pytest.approx(pct, abs=1e-6)


def test_heat_slows_repeats_of_a_mile_or_less_by_half() -> None:
    heat = heat_adjustment(29, 22)
    pct = heat_slowdown_pct(29, 22)
    assert heat.apply("T", 300) == pytest.approx(300 * (1 + pct / 100))
    assert heat.apply("R", 300) == pytest.approx(300 * (1 + pct / 200))
    assert heat.hard_running_advised


def test_above_180f_hard_running_is_not_advised() -> None:
    assert not heat_adjustment(38, 30).hard_running_advised


def test_a_dew_point_above_the_temperature_is_refused() -> None:
    with pytest.raises(InputError, match="dew point"):
        heat_slowdown_pct(20, 25)


def test_altitude_slows_every_aerobic_pace_by_the_same_seconds_but_not_r() -> None:
    at_5000ft = altitude_adjustment(5000 * METRES_PER_FOOT)
    # Daniels: 8–10 s/mile at 5,000 ft for T and I.
    assert 8 / 1.609344 <= at_5000ft.apply("T", 0) <= 10 / 1.609344
    assert at_5000ft.apply("I", 200) > 200
    assert at_5000ft.apply("R", 200) == 200
    assert altitude_adjustment(500).apply("T", 200) == 200
    # M slows as T does, so the gap between them stays what it is at sea level.
    paces = training_paces(50)
    gap = paces.marathon - paces.threshold
    slowed = at_5000ft.apply("M", paces.marathon) - at_5000ft.apply("T", paces.threshold)
    assert slowed == pytest.approx(gap)
    assert at_5000ft.apply("E", 330) > 330
    assert "E, M, T and I" in at_5000ft.reason


def test_downhill_credit_is_capped_at_daniels_8_s_per_mile_per_percent_with_a_warning() -> None:
    down = grade_adjustment(-0.10)
    easy = 330.0  # 5:30/km
    # Minetti alone would give about 3:17/km at -10 %; Daniels' rule gives back 80 s/mile.
    assert easy * grade_factor(-0.10) < 210
    assert down.apply("E", easy) == pytest.approx(easy - 80 / 1.609344)
    assert "eccentric" in down.reason and "8 s/mile per 1 %" in down.reason
    # Minetti credits about 5 % per 1 % of descent: more than Daniels' rule at any pace.
    gentle = grade_adjustment(-0.01)
    assert 210 * grade_factor(-0.01) < 210 - 8 / 1.609344
    assert gentle.apply("I", 210) == pytest.approx(210 - 8 / 1.609344)
    # Uphill is not capped.
    assert grade_adjustment(0.06).apply("E", easy) == pytest.approx(easy * grade_factor(0.06))
    # And the reverse, a descent's flat-ground equivalent, takes the same cap.
    assert grade_adjusted_pace(easy - 49.7, -0.10) == pytest.approx(easy, abs=0.1)


def test_minetti_cost_and_grade_factor() -> None:
    assert energy_cost_j_per_kg_m(0) == pytest.approx(3.6)
    assert grade_factor(0.06) == pytest.approx(1.3687, abs=1e-3)
    assert grade_factor(-0.05) < 1
    with pytest.raises(InputError):
        grade_factor(0.6)


def test_adjustments_compose_in_order() -> None:
    heat, hill = heat_adjustment(29, 22), grade_adjustment(0.06)
    assert adjust_pace("E", 300, [heat, hill]) == pytest.approx(
        hill.apply("E", heat.apply("E", 300))
    )
