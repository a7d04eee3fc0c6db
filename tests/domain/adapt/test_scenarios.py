"""Each adaptation rule in a scenario a runner would recognise (issue #4)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from milepost.domain.adapt import Adaptation, Edit, derive_plan
from milepost.domain.adapt.return_to_run import time_off_factor
from milepost.domain.episode import CheckIn, Episode, EpisodeKind, Symptoms
from milepost.domain.guidance import guidance_by_day
from milepost.domain.plan.model import Day, SessionKind
from milepost.domain.plan.request import PlanRequest

START = date(2027, 1, 4)  # a Monday
HALF = PlanRequest(
    race_distance_m=21097.5,
    race_date=date(2027, 4, 25),  # 16 weeks
    vdot=43.4,
    weekly_m=40_000.0,
    runs_per_week=5,
    long_run_day=5,
    start=START,
)
WEEK6 = START + timedelta(weeks=5)


def day_of(adaptation: Adaptation, on: date) -> Day:
    found = adaptation.plan.day(on)
    assert found is not None
    return found


def runs_on(adaptation: Adaptation, on: date) -> list[str]:
    return [s.title for s in day_of(adaptation, on).runs]


def guidance(adaptation: Adaptation, today: date) -> dict[date, list[str]]:
    items = guidance_by_day(
        [(d.date, bool(d.runs)) for d in adaptation.plan.days()],
        adaptation.rules,
        list(adaptation.episodes),
        list(adaptation.check_ins),
        today,
    )
    return {d: [f"{i.level.value}: {i.text}" for i in v] for d, v in items.items()}


def test_mastitis_in_week_6_with_two_fever_days_rests_flags_and_grades_the_return() -> None:
    monday = WEEK6
    episode = Episode(EpisodeKind.MASTITIS, start=monday, systemic=True, fever_c=38.6, id=1)
    check_ins = [
        CheckIn(monday + timedelta(days=1), 1, temp_c=38.3),
        CheckIn(monday + timedelta(days=2), 1, temp_c=37.0, systemic=False),
    ]
    today = monday + timedelta(days=2)
    a = derive_plan(HALF, [episode], check_ins, today)
    # Two fever days and the 24 hours after: no running, no training.
    for offset in range(3):
        day = day_of(a, monday + timedelta(days=offset))
        assert not day.runs and all(s.kind is SessionKind.REST for s in day.sessions)
    reasons = [c.reason for c in a.changes if c.on == monday + timedelta(days=1)]
    assert reasons and "no running until 24 h" in reasons[0]
    # Graded return: stage 1 under 15 minutes, then 30–45 minutes, quality only later.
    stage1 = day_of(a, monday + timedelta(days=3)).runs
    assert stage1 and stage1[0].duration_s <= 15 * 60 + 60
    assert all(not d.is_quality for d in a.plan.days()[35 + 3 : 35 + 8])
    flags = guidance(a, today)
    clinician = [
        t for t in flags.get(monday + timedelta(days=1), []) if t.startswith("see_clinician")
    ]
    assert any("more than 24 hours" in t for t in clinician)
    assert a.forecast is not None and a.forecast.race_day_cleared


def test_mastitis_local_only_rests_two_days_then_allows_easy_running_after_a_feed() -> None:
    episode = Episode(EpisodeKind.MASTITIS, start=WEEK6, id=1)
    wednesday = WEEK6 + timedelta(days=2)
    check_ins = [CheckIn(wednesday, 1, temp_c=37.0, systemic=False)]
    a = derive_plan(HALF, [episode], check_ins, wednesday)
    assert not any(day_of(a, WEEK6 + timedelta(days=i)).runs for i in range(2))
    assert not any(d.is_quality for d in a.plan.days()[35:45])
    runs = day_of(a, wednesday).runs
    assert runs and runs[0].kind in (SessionKind.EASY, SessionKind.STRIDES)
    texts = " ".join(guidance(a, wednesday)[wednesday])
    assert "feed or pump right before" in texts.lower() and "sports bra" in texts


def test_an_abscess_means_no_training_and_a_clinician() -> None:
    episode = Episode(EpisodeKind.MASTITIS, start=WEEK6, abscess=True, id=1)
    a = derive_plan(HALF, [episode], [], WEEK6 + timedelta(days=2))
    assert not any(day_of(a, WEEK6 + timedelta(days=i)).runs for i in range(3))
    assert any(t.startswith("see_clinician") and "abscess" in t for t in guidance(a, WEEK6)[WEEK6])


def test_a_cold_above_the_neck_keeps_easy_running_shorter_and_drops_quality() -> None:
    episode = Episode(
        EpisodeKind.ILLNESS,
        start=WEEK6,
        end=WEEK6 + timedelta(days=4),
        symptoms=Symptoms.ABOVE_NECK,
        id=1,
    )
    base = derive_plan(HALF, [], [], WEEK6)
    check_ins = [CheckIn(WEEK6 + timedelta(days=1), 1, symptoms=Symptoms.ABOVE_NECK)]
    a = derive_plan(HALF, [episode], check_ins, WEEK6 + timedelta(days=1))
    for offset in range(4):
        on = WEEK6 + timedelta(days=offset)
        planned = day_of(base, on)
        adapted = day_of(a, on)
        assert not adapted.is_quality or adapted.date >= episode.end  # type: ignore[operator]
        if planned.runs:
            assert adapted.runs, "an above-the-neck cold still allows easy running"
            assert adapted.runs[0].duration_s <= 45 * 60 + 60
    assert a.breaks == ()  # no time off: the VDOT stays
    assert a.vdot_factor == 1.0


def test_three_weeks_of_calf_injury_with_cross_training() -> None:
    start = WEEK6
    healed = start + timedelta(days=21)
    episode = Episode(EpisodeKind.INJURY, start=start, area="calf", cross_training=True, id=1)
    check_ins = [CheckIn(healed - timedelta(days=1), 1, pain_free_walking=True)]
    a = derive_plan(HALF, [episode], check_ins, healed)
    during = [day_of(a, start + timedelta(days=i)) for i in range(21)]
    assert not any(d.runs for d in during)
    assert sum(1 for d in during for s in d.sessions if s.kind is SessionKind.CROSS) >= 10
    (brk,) = a.breaks
    assert brk.cross_training and brk.days == 21
    assert a.vdot_factor == pytest.approx(time_off_factor(21, cross_training=True))
    assert a.vdot_factor == pytest.approx(1 - 0.0015 * 16)
    # Paces after the break run on the lowered VDOT.
    week = (healed - START).days // 7
    base = derive_plan(HALF, [], [], healed)
    assert a.plan.expected_vdot[week] < base.plan.expected_vdot[week]
    # The rebuild: easy running at half the load first, quality only at 75 %.
    first_half = [day_of(a, healed + timedelta(days=i)) for i in range(10)]
    assert not any(d.is_quality for d in first_half)
    assert "calf" in a.changes[0].reason


def test_injury_without_cross_training_offers_walking() -> None:
    episode = Episode(EpisodeKind.INJURY, start=WEEK6, area="shin", id=1)
    a = derive_plan(HALF, [episode], [], WEEK6 + timedelta(days=2))
    titles = [s.title for i in range(3) for s in day_of(a, WEEK6 + timedelta(days=i)).sessions]
    assert any(t.startswith("Walk") for t in titles)
    assert not any(day_of(a, WEEK6 + timedelta(days=i)).runs for i in range(3))


def _postpartum(weeks_after_birth: int, **facts: object) -> tuple[Adaptation, date]:
    birth = START - timedelta(weeks=weeks_after_birth)
    episode = Episode(
        EpisodeKind.POSTPARTUM,
        start=START,
        birth_date=birth,
        breastfeeding=True,
        id=1,
        **facts,  # type: ignore[arg-type]
    )
    return derive_plan(HALF, [episode], [], START), birth


def test_a_postpartum_runner_at_8_weeks_walks_until_12_weeks_then_climbs_the_ladder() -> None:
    a, birth = _postpartum(8, checks_passed=True)
    twelve = birth + timedelta(weeks=12)
    before = [d for d in a.plan.days() if d.date < twelve]
    assert before and not any(d.runs for d in before)
    assert any("postnatal" in s.title for d in before for s in d.sessions)
    ladder = [s for d in a.plan.days() if twelve <= d.date for s in d.runs][:4]
    assert ladder[0].title.startswith("Walk–run 1:1")
    assert a.forecast is not None


def test_a_postpartum_red_flag_stops_running_and_routes_to_a_physiotherapist() -> None:
    a, _ = _postpartum(14, checks_passed=True, red_flags=("leaking",))
    assert not any(d.runs for d in a.plan.days()[:14])
    texts = " ".join(t for items in guidance(a, START).values() for t in items)
    assert "pelvic-health physiotherapist" in texts and "see_clinician" in texts


def test_a_postpartum_runner_at_14_weeks_with_the_checks_passed_starts_the_ladder_now() -> None:
    a, _ = _postpartum(14, checks_passed=True)
    first_runs = [s.title for d in a.plan.days()[:7] for s in d.runs]
    assert first_runs and first_runs[0].startswith("Walk–run 1:1")
    feeds = " ".join(t for items in guidance(a, START).values() for t in items)
    assert "Feed or pump right before you run" in feeds


def test_a_postpartum_runner_who_has_not_passed_the_checks_does_not_run() -> None:
    a, _ = _postpartum(14)
    assert not any(d.runs for d in a.plan.days()[:7])


def test_a_missed_quality_session_moves_to_a_safe_later_day_or_is_dropped() -> None:
    base = derive_plan(HALF, [], [], WEEK6)
    quality_days = [d.date for d in base.plan.weeks[5].days if d.is_quality]
    missed_on = quality_days[0]
    episode = Episode(EpisodeKind.MISSED, start=missed_on, id=1)
    a = derive_plan(HALF, [episode], [], missed_on + timedelta(days=1))
    # The day stays what was planned, said missed (the log compares against it) ...
    assert any(c.cause == "missed" and c.on == missed_on for c in a.changes)
    moved = [c for c in a.changes if "moved from" in c.reason or c.after == "dropped"]
    assert moved
    # ... and a session that moved on to a later day is not left on it as well.
    if any("moved from" in c.reason for c in moved):
        assert runs_on(a, missed_on) == []
    days = a.plan.days()
    for i in range(len(days) - 1):
        assert not (days[i].is_hard and days[i + 1].is_hard)


def test_many_missed_days_count_as_a_break_and_rebuild() -> None:
    episode = Episode(EpisodeKind.MISSED, start=WEEK6, end=WEEK6 + timedelta(days=8), id=1)
    a = derive_plan(HALF, [episode], [], WEEK6 + timedelta(days=9))
    assert a.breaks and a.breaks[0].days == 9
    assert a.vdot_factor == pytest.approx(1 - 0.003 * 4)
    assert any("rebuilding" in c.reason for c in a.changes)


def test_a_fever_on_race_day_cancels_the_race_and_the_forecast_says_why() -> None:
    episode = Episode(
        EpisodeKind.ILLNESS, start=HALF.race_date - timedelta(days=1), fever_c=38.9, id=1
    )
    a = derive_plan(HALF, [episode], [], HALF.race_date - timedelta(days=1))
    assert a.forecast is not None and not a.forecast.race_day_cleared
    assert "Not cleared to race" in a.forecast.message
    assert not day_of(a, HALF.race_date).runs


def test_a_long_break_makes_the_goal_unrealistic_and_offers_a_way_forward() -> None:
    episode = Episode(EpisodeKind.INJURY, start=WEEK6, area="knee", id=1)
    healed = WEEK6 + timedelta(days=30)
    a = derive_plan(HALF, [episode], [CheckIn(healed, 1, pain_free_walking=True)], healed)
    forecast = a.forecast
    assert forecast is not None and not forecast.on_track
    assert forecast.new_goal_s is not None and forecast.new_goal_s > forecast.goal_s
    assert forecast.later_race_date is not None and forecast.later_race_date > HALF.race_date
    assert "no longer realistic" in forecast.message


def test_a_pinned_interval_session_on_a_fever_day_is_still_removed_with_the_reason() -> None:
    base = derive_plan(HALF, [], [], WEEK6)
    quality_day = next(d for d in base.plan.weeks[5].days if d.is_quality)
    pin = Edit("pin", quality_day.date, 0)
    episode = Episode(EpisodeKind.ILLNESS, start=quality_day.date, fever_c=38.5, id=1)
    a = derive_plan(HALF, [episode], [], quality_day.date, [pin])
    assert not runs_on(a, quality_day.date)
    assert any(c.on == quality_day.date and "fever" in c.reason for c in a.changes)


def test_a_moved_session_survives_a_re_plan_and_an_unsafe_move_is_refused() -> None:
    base = derive_plan(HALF, [], [], START)
    week = base.plan.weeks[7]  # a cutback week: one quality day, Tue, and the long run on Sat
    quality = next(d for d in week.days if d.is_quality)
    easy = quality.date + timedelta(days=1)
    move = Edit("move", quality.date, 0, easy, id=1)
    a = derive_plan(HALF, [], [], START, [move])
    assert runs_on(a, easy) == [quality.runs[0].title]
    assert runs_on(a, quality.date) == runs_on(base, easy)  # the easy run swapped back
    # A cold logged later leaves the move in place on the days it does not touch.
    cold = Episode(
        EpisodeKind.ILLNESS,
        start=START,
        end=START + timedelta(days=2),
        symptoms=Symptoms.ABOVE_NECK,
        id=2,
    )
    b = derive_plan(HALF, [cold], [], START, [move])
    assert runs_on(b, easy) == runs_on(a, easy)
    # Onto the eve of the long run: two hard days in a row, so it is refused, with the reason.
    eve_of_long = next(d.date for d in week.days if any(s.kind is SessionKind.LONG for s in d.runs))
    unsafe = Edit("move", quality.date, 0, eve_of_long - timedelta(days=1), id=3)
    c = derive_plan(HALF, [], [], START, [unsafe])
    refused = [x for x in c.changes if "not moved here" in x.after]
    assert refused and "two hard days" in refused[0].reason
    assert runs_on(c, quality.date) == [quality.runs[0].title]
