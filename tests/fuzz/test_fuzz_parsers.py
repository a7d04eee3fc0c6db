"""Fuzzing every text parser: whatever a runner types, only a typed milepost error comes out."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from milepost.domain import availability, units
from milepost.domain.athlete import parse_race_result
from milepost.domain.episode import parse_temperature_reading
from milepost.domain.plan.request import parse_weekday
from milepost.errors import MilepostError

PARSERS: dict[str, Callable[[str], object]] = {
    "duration": units.parse_duration,
    "distance": units.parse_distance,
    "pace": units.parse_pace,
    "temperature": units.parse_temperature_c,
    "altitude": units.parse_altitude_m,
    "grade": units.parse_grade,
    "date": units.parse_date,
    "weight": units.parse_weight_kg,
    "race": parse_race_result,
    "body temperature": parse_temperature_reading,
    "weekday": parse_weekday,
    "time of day": availability.parse_time,
    "window days": availability.parse_days,
    "windows": lambda text: availability.parse_windows([text]),
    "feed times": availability.parse_feed_times,
    "date range": availability.parse_date_range,
    "feed interval": lambda text: availability.parse_feeds(every=text, start="06:00", end="21:00"),
}

# Text a runner might type, and text nobody should: digits, separators, units, unicode, junk.
TYPED = st.text(
    alphabet=st.sampled_from(list("0123456789:.,-/ kmKMhsiapfcF%@=x\u00b0\u2013\u00a0ée\t")),
    max_size=24,
)
ANY_TEXT = st.text(max_size=40)


@pytest.mark.parametrize("name", sorted(PARSERS))
@settings(max_examples=150, deadline=None)
@given(text=st.one_of(TYPED, ANY_TEXT))
def test_a_parser_returns_or_raises_a_milepost_error_and_nothing_else(name: str, text: str) -> None:
    try:
        PARSERS[name](text)
    except MilepostError as error:
        assert error.message and "\n" not in error.message
