from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from milepost.domain.units import (
    METRES_PER_MILE,
    Units,
    format_duration,
    format_pace,
    parse_altitude_m,
    parse_date,
    parse_distance,
    parse_duration,
    parse_grade,
    parse_pace,
    parse_temperature_c,
    parse_weight_kg,
)
from milepost.errors import InputError


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("19:57", 1197),
        ("1:31:35", 5495),
        ("3:10:49.5", 11449.5),
        ("63:46", 3826),
        ("45min", 2700),
        ("1h30m", 5400),
        ("90s", 90),
        (" 20:00 ", 1200),
    ],
)
def test_durations_are_read_from_the_forms_runners_type(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


def test_a_typo_in_a_time_names_the_bad_text_and_the_expected_form() -> None:
    with pytest.raises(InputError) as info:
        parse_duration("45:3o")
    assert str(info.value) == "could not read '45:3o' as a time: expected mm:ss or h:mm:ss"


@pytest.mark.parametrize("text", ["", "abc", "1:60", "1:75:00", "0:00", "12:", ":30", "1:2:3:4"])
def test_impossible_times_are_refused(text: str) -> None:
    with pytest.raises(InputError):
        parse_duration(text)


@given(st.integers(min_value=1, max_value=100 * 3600))
def test_durations_round_trip_through_their_text(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds


@given(st.floats(min_value=0.1, max_value=36000, allow_nan=False))
def test_durations_with_tenths_round_trip(seconds: float) -> None:
    text = format_duration(seconds, decimals=1)
    assert parse_duration(text) == pytest.approx(seconds, abs=0.05 + 1e-9)


@pytest.mark.parametrize(
    ("text", "metres"),
    [
        ("5k", 5000),
        ("5K", 5000),
        ("10 km", 10000),
        ("half", 21097.5),
        ("half-marathon", 21097.5),
        ("Half Marathon", 21097.5),
        ("marathon", 42195),
        ("mile", METRES_PER_MILE),
        ("1500m", 1500),
        ("3000m", 3000),
        ("2mi", 2 * METRES_PER_MILE),
        ("15k", 15000),
        ("12.5km", 12500),
        ("8 mi", 8 * METRES_PER_MILE),
    ],
)
def test_distances_are_read_in_every_usual_spelling(text: str, metres: float) -> None:
    assert parse_distance(text) == pytest.approx(metres)


@pytest.mark.parametrize("text", ["", "5", "5 parsecs", "-5k", "0k", "k5", "half-ish"])
def test_unknown_distances_are_refused(text: str) -> None:
    with pytest.raises(InputError, match=r"as a distance|longer than zero"):
        parse_distance(text)


@given(st.floats(min_value=0.1, max_value=500), st.sampled_from(["km", "mi", "m", "k"]))
def test_any_number_with_a_unit_is_a_distance(value: float, unit: str) -> None:
    factor = {"km": 1000, "k": 1000, "mi": METRES_PER_MILE, "m": 1}[unit]
    assert parse_distance(f"{value}{unit}") == pytest.approx(value * factor)


def test_paces_are_read_per_km_and_per_mile() -> None:
    assert parse_pace("4:30/km") == pytest.approx(270)
    assert parse_pace("7:15/mi") == pytest.approx(435 / METRES_PER_MILE * 1000)
    assert parse_pace("7:15 / mile") == pytest.approx(parse_pace("7:15/mi"))


@pytest.mark.parametrize("text", ["4:30", "4:30/lap", "4:3x/km", "/km"])
def test_bad_paces_are_refused(text: str) -> None:
    with pytest.raises(InputError, match="as a pace"):
        parse_pace(text)


@given(st.integers(min_value=120, max_value=1200), st.sampled_from(list(Units)))
def test_paces_round_trip_in_both_units(s_per_km: int, units: Units) -> None:
    text = format_pace(s_per_km, units)
    assert parse_pace(text) == pytest.approx(s_per_km, abs=1.0)


def test_temperatures_altitudes_grades_dates_and_weights() -> None:
    assert parse_temperature_c("29") == 29
    assert parse_temperature_c("84F") == pytest.approx(28.888, abs=0.01)
    assert parse_altitude_m("1800m") == 1800
    assert parse_altitude_m("5900ft") == pytest.approx(1798.3, abs=0.1)
    assert parse_grade("6%") == pytest.approx(0.06)
    assert parse_grade("-3 %") == pytest.approx(-0.03)
    assert parse_date("2027-04-18").isoformat() == "2027-04-18"
    assert parse_weight_kg("134lb") == pytest.approx(60.78, abs=0.01)
    for parse, bad in [
        (parse_temperature_c, "hot"),
        (parse_temperature_c, "300"),
        (parse_altitude_m, "high"),
        (parse_grade, "steep"),
        (parse_grade, "nan"),
        (parse_date, "2027-02-30"),
        (parse_weight_kg, "heavy"),
    ]:
        with pytest.raises(InputError):
            parse(bad)  # type: ignore[operator]
