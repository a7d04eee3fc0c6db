from __future__ import annotations

from datetime import date

import pytest

from milepost.domain.athlete import Athlete, RaceResult, parse_race_result, validate_athlete
from milepost.errors import InputError

TODAY = date(2026, 11, 27)


def test_a_race_is_read_with_and_without_a_date() -> None:
    race = parse_race_result("5k=22:30@2026-10-04")
    assert (race.distance_m, race.time_s, race.on) == (5000, 1350, date(2026, 10, 4))
    assert parse_race_result("half=1:45:00").on is None


@pytest.mark.parametrize("text", ["5k", "5k=", "5k=22:3o", "5k=22:30@2026-13-01", "5k=2:00"])
def test_bad_race_text_is_refused(text: str) -> None:
    with pytest.raises(InputError):
        parse_race_result(text)


def test_the_latest_race_sets_the_current_vdot() -> None:
    athlete = Athlete(
        name="A",
        races=(
            RaceResult(5000, 1200, date(2026, 1, 1)),
            RaceResult(5000, 1350, date(2026, 10, 1)),
            RaceResult(5000, 1100, None),
        ),
    )
    assert athlete.current_vdot() == pytest.approx(RaceResult(5000, 1350).vdot)
    assert Athlete(name="B").current_vdot() is None


@pytest.mark.parametrize(
    ("athlete", "message"),
    [
        (Athlete(name=" "), "needs a name"),
        (Athlete(name="A", timezone="Mars/Olympus"), "not a time zone"),
        (Athlete(name="A", birth_date=date(2030, 1, 1)), "birth date"),
        (Athlete(name="A", weight_kg=5), "weight"),
        (Athlete(name="A", races=(RaceResult(5000, 1200, date(2027, 1, 1)),)), "future"),
    ],
)
def test_impossible_profiles_are_refused(athlete: Athlete, message: str) -> None:
    with pytest.raises(InputError, match=message):
        validate_athlete(athlete, TODAY)
