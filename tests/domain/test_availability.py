"""Availability, feeds and the words a runner types to set them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from milepost.domain.availability import (
    Availability,
    ExtraWindow,
    FeedSchedule,
    Unavailable,
    Window,
    parse_date_range,
    parse_days,
    parse_duration,
    parse_feed_times,
    parse_feeds,
    parse_time,
    parse_windows,
)
from milepost.errors import InputError


def test_weekday_ranges_and_weekend_windows_are_read_as_the_issue_writes_them() -> None:
    windows = parse_windows(["mon-fri 05:30-07:00", "sat 07:00-10:30"])
    assert [w.weekday for w in windows] == [0, 1, 2, 3, 4, 5]
    assert windows[0] == Window(0, time(5, 30), time(7, 0))
    assert windows[-1] == Window(5, time(7, 0), time(10, 30))


def test_a_day_set_may_carry_two_time_ranges_and_ranges_wrap_past_sunday() -> None:
    windows = parse_windows(["tue,thu 05:30-06:30,19:00-20:00", "fri-mon 08:00-09:00"])
    assert sorted((w.weekday, w.start) for w in windows[:4]) == [
        (1, time(5, 30)),
        (1, time(19, 0)),
        (3, time(5, 30)),
        (3, time(19, 0)),
    ]
    assert sorted(w.weekday for w in windows[4:]) == [0, 4, 5, 6]


def test_a_misspelt_day_is_named_in_the_error_with_what_to_write_instead() -> None:
    with pytest.raises(InputError) as error:
        parse_windows(["mon-fry 05:30-07:00"])
    assert str(error.value) == (
        "could not read 'mon-fry' as days: use mon, tue, … or ranges like mon-fri"
    )


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("mon 25:00-26:00", "'25:00'"),
        ("mon 05:30", "'05:30' as a time range"),
        ("mon05:30-07:00", "'mon05:30-07:00' as a window"),
        ("mon 07:00-06:00", "07:00-06:00 ends before it starts"),
    ],
)
def test_a_bad_window_names_the_part_that_could_not_be_read(text: str, named: str) -> None:
    with pytest.raises(InputError) as error:
        parse_windows([text])
    assert named in str(error.value)


def test_daily_weekdays_and_weekends_are_shorthands() -> None:
    assert parse_days("daily") == (0, 1, 2, 3, 4, 5, 6)
    assert parse_days("weekdays") == (0, 1, 2, 3, 4)
    assert parse_days("Saturday,sun") == (5, 6)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30m", 1800), ("45min", 2700), ("3h", 10800), ("1h30m", 5400), ("90", 5400), ("2.5h", 9000)],
)
def test_durations_read_the_way_runners_write_them(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "3x", "h", "m30", "-5m"])
def test_an_unreadable_duration_says_how_to_write_one(text: str) -> None:
    with pytest.raises(InputError, match=r"as a duration: use e\.g\. 30m, 3h or 1h30m"):
        parse_duration(text)


def test_feeds_every_three_hours_from_six_to_nine_are_six_feeds_of_half_an_hour() -> None:
    feeds = parse_feeds(every="3h", start="06:00", end="21:00", duration="30m")
    assert feeds.times == tuple(time(h) for h in (6, 9, 12, 15, 18, 21))
    assert feeds.duration_s == 1800
    assert feeds.after_feed_window_s == 45 * 60  # the issue's default


def test_fixed_feed_times_are_sorted_and_kept() -> None:
    feeds = parse_feed_times("13:00, 06:00,09:30", duration="20m", after_feed="1h")
    assert feeds.times == (time(6), time(9, 30), time(13))
    assert (feeds.duration_s, feeds.after_feed_window_s) == (1200, 3600)


def test_feeds_that_would_run_into_each_other_are_refused() -> None:
    with pytest.raises(InputError, match="until the next one starts"):
        parse_feeds(every="30m", start="06:00", end="21:00", duration="30m")
    with pytest.raises(InputError, match="'6am' as a time"):
        parse_feed_times("6am")
    with pytest.raises(InputError, match="same time"):
        FeedSchedule(times=(time(6), time(6)))


def test_an_exception_removes_the_weekly_windows_but_an_extra_window_still_counts() -> None:
    travel = Unavailable(date(2027, 3, 3), date(2027, 3, 6), "travel")
    hotel = ExtraWindow(date(2027, 3, 5), time(6), time(7))
    availability = Availability(parse_windows(["daily 05:30-07:00"]), (travel,), (hotel,))
    assert availability.windows_on(date(2027, 3, 2)) == [(time(5, 30), time(7))]
    assert availability.windows_on(date(2027, 3, 4)) == []
    assert availability.exception_on(date(2027, 3, 6)) == travel
    assert availability.windows_on(date(2027, 3, 5)) == [(time(6), time(7))]
    assert availability.windows_on(date(2027, 3, 7)) == [(time(5, 30), time(7))]


def test_overlapping_windows_on_a_day_merge_into_one() -> None:
    availability = Availability(parse_windows(["mon 06:00-07:00,06:30-08:00", "mon 08:00-09:00"]))
    assert availability.windows_on(date(2027, 3, 1)) == [(time(6), time(9))]


def test_date_ranges_read_one_date_or_two() -> None:
    assert parse_date_range("2027-03-03..2027-03-06") == (date(2027, 3, 3), date(2027, 3, 6))
    assert parse_date_range("2027-02-13") == (date(2027, 2, 13), date(2027, 2, 13))
    with pytest.raises(InputError, match="as dates"):
        parse_date_range("3-6 March")
    with pytest.raises(InputError, match=r"ends \(2027-03-03\) before it starts"):
        Unavailable(date(2027, 3, 6), date(2027, 3, 3))


@settings(max_examples=40, deadline=None)
@given(
    weekday=st.integers(0, 6),
    start=st.integers(0, 23 * 60),
    length=st.integers(1, 60),
)
def test_a_window_written_out_reads_back_the_same(weekday: int, start: int, length: int) -> None:
    end = min(start + length, 23 * 60 + 59)
    window = Window(weekday, time(*divmod(start, 60)), time(*divmod(end, 60)))
    assert parse_windows([str(window)]) == (window,)


def test_parse_time_accepts_one_digit_hours() -> None:
    assert parse_time("5:30") == time(5, 30)


def test_a_window_she_feeds_or_pumps_before_lifts_the_feed_rule_like_a_caregiver() -> None:
    feeds = parse_feeds(every="3h", start="05:00", end="20:00")
    saturday = date(2027, 2, 13)
    assert feeds.caregiver_on(saturday) == []
    pumped = replace(feeds, pumped=(Window(5, time(7), time(9, 45)),))
    assert pumped.caregiver_on(saturday) == [(time(7), time(9, 45))]
    assert pumped.caregiver_on(saturday - timedelta(days=1)) == []  # Saturdays only
