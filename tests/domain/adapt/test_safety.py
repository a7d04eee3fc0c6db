"""Issue #11: the plan is true and safe on every day. One scenario per defect that was seen,
each letting days pass after the input."""

from __future__ import annotations

from datetime import date, timedelta

from milepost.domain.adapt import Adaptation, Edit, derive_plan
from milepost.domain.adapt.model import Level
from milepost.domain.episode import CheckIn, Episode, EpisodeKind, Feeling, Symptoms
from milepost.domain.guidance import guidance_by_day
from milepost.domain.plan.model import Day, SessionKind
from milepost.domain.plan.request import PlanRequest

START = date(2027, 1, 4)  # a Monday
HALF = PlanRequest(
    race_distance_m=21097.5,
    race_date=date(2027, 4, 25),
    vdot=43.4,
    weekly_m=40_000.0,
    runs_per_week=5,
    long_run_day=5,
    start=START,
)
WEEK6 = START + timedelta(weeks=5)
I_R = (SessionKind.INTERVAL, SessionKind.REPETITION)


def day_of(a: Adaptation, on: date) -> Day:
    found = a.plan.day(on)
    assert found is not None
    return found


def clinician(a: Adaptation, on: date, today: date, *, profile: bool = False) -> list[str]:
    items = guidance_by_day(
        [(d.date, bool(d.runs)) for d in a.plan.days()],
        a.rules,
        list(a.episodes),
        list(a.check_ins),
        today,
        breastfeeding=profile,
    )
    return [i.text for i in items.get(on, []) if i.level.value == "see_clinician"]


def test_an_open_fever_logged_on_monday_still_rests_on_friday_without_a_check_in() -> None:
    episode = Episode(EpisodeKind.ILLNESS, start=WEEK6, fever_c=38.6, id=1)
    friday = WEEK6 + timedelta(days=4)
    a = derive_plan(HALF, [episode], [], friday)
    assert not day_of(a, friday).runs
    assert not day_of(a, friday + timedelta(days=1)).runs  # the 24 hours after
    assert a.rules[friday].provisional


def test_local_mastitis_logged_today_prescribes_no_threshold_tomorrow() -> None:
    episode = Episode(EpisodeKind.MASTITIS, start=WEEK6, id=1)
    a = derive_plan(HALF, [episode], [], WEEK6)
    for i in range(1, 10):
        assert not day_of(a, WEEK6 + timedelta(days=i)).is_quality


def test_a_fever_at_a_check_in_is_systemic_whatever_else_she_answers() -> None:
    episode = Episode(EpisodeKind.MASTITIS, start=WEEK6, id=1)
    today = WEEK6 + timedelta(days=2)
    check_in = CheckIn(today, 1, temp_c=38.9, systemic=False)
    a = derive_plan(HALF, [episode], [check_in], today)
    assert a.rules[today].level is Level.NO_TRAINING
    assert not day_of(a, today).runs and not day_of(a, today + timedelta(days=1)).runs
    assert not day_of(a, today + timedelta(days=1)).is_quality


def test_a_rest_day_does_not_use_up_stage_1_and_days_not_done_do_not_advance() -> None:
    # Fever Mon–Tue; Wed is the 24 h; she never logs or ticks anything after.
    episode = Episode(
        EpisodeKind.ILLNESS, start=WEEK6, fever_c=38.8, end=WEEK6 + timedelta(1), id=1
    )
    today = WEEK6 + timedelta(days=9)
    a = derive_plan(HALF, [episode], [CheckIn(today, 1, temp_c=36.8)], today)
    # Nothing was done since the fever, so today is still stage 1: under 15 minutes.
    assert "stage 1" in a.rules[today].stage
    for run in day_of(a, today).runs:
        assert run.duration_s <= 15 * 60 + 60


def test_stages_advance_on_days_she_did_them_and_cap_all_training() -> None:
    episode = Episode(
        EpisodeKind.ILLNESS, start=WEEK6, fever_c=38.8, end=WEEK6 + timedelta(1), id=1
    )
    first_back = WEEK6 + timedelta(days=3)
    logged = {first_back: 2000.0, first_back + timedelta(days=1): 5000.0}
    today = first_back + timedelta(days=2)
    a = derive_plan(HALF, [episode], [CheckIn(today, 1, temp_c=36.8)], today, logged_m=logged)
    assert "stage 2" in a.rules[first_back + timedelta(days=1)].stage
    assert "stage 2" in a.rules[today].stage
    for on, rules in a.rules.items():
        if not rules.stage or "rung" in rules.stage:
            continue
        day = day_of(a, on)
        cap = rules.max_run_s or 0
        for s in day.sessions:
            if s.is_run or s.kind is SessionKind.CROSS:
                assert s.duration_s <= cap + 9 * 60, (on, s.title)
        if "stage 1" in rules.stage or "stage 2" in rules.stage:
            assert not any(s.kind is SessionKind.STRENGTH for s in day.sessions), on


def test_symptoms_at_a_check_in_step_the_return_back_a_stage() -> None:
    episode = Episode(
        EpisodeKind.ILLNESS, start=WEEK6, fever_c=38.8, end=WEEK6 + timedelta(1), id=1
    )
    first_back = WEEK6 + timedelta(days=3)
    logged = {first_back: 2000.0}
    worse = CheckIn(first_back + timedelta(days=1), 1, feeling=Feeling.WORSE, temp_c=37.2)
    today = first_back + timedelta(days=2)
    a = derive_plan(
        HALF, [episode], [worse, CheckIn(today, 1, temp_c=36.9)], today, logged_m=logged
    )
    assert "stage 1" in a.rules[today].stage


def test_after_local_mastitis_ends_quality_waits_and_threshold_comes_first() -> None:
    end = WEEK6 + timedelta(days=3)
    episode = Episode(EpisodeKind.MASTITIS, start=WEEK6, end=end, id=1)
    today = end + timedelta(days=1)
    a = derive_plan(HALF, [episode], [], today)
    for i in range(1, 8):
        assert not day_of(a, end + timedelta(days=i)).is_quality
    for i in range(8, 15):
        day = day_of(a, end + timedelta(days=i))
        assert not any(s.kind in I_R for s in day.sessions), day.date


def test_after_a_fever_no_repetitions_a_week_later_and_the_week_held_to_what_she_ran() -> None:
    episode = Episode(
        EpisodeKind.ILLNESS, start=WEEK6, fever_c=38.5, end=WEEK6 + timedelta(1), id=1
    )
    before = {WEEK6 - timedelta(days=i): 4000.0 for i in range(1, 6)}  # 20 km the week before
    today = WEEK6 + timedelta(days=2)
    a = derive_plan(HALF, [episode], [], today, logged_m=before)
    ease = [on for on, r in a.rules.items() if any(x.cause == "ease" for x in r.restrictions)]
    assert ease
    for on in ease:
        day = day_of(a, on)
        assert not any(s.kind in I_R for s in day.sessions)
        assert a.rules[on].max_week_m == 20_000.0


def test_a_high_fever_sends_her_to_a_clinician_on_day_one() -> None:
    episode = Episode(EpisodeKind.ILLNESS, start=WEEK6, fever_c=40.3, id=1)
    a = derive_plan(HALF, [episode], [], WEEK6)
    assert any("39.5" in t for t in clinician(a, WEEK6, WEEK6))


def test_chest_pain_sends_her_to_a_clinician_that_day() -> None:
    episode = Episode(EpisodeKind.ILLNESS, start=WEEK6, symptoms=Symptoms.BELOW_NECK, id=1)
    check_in = CheckIn(WEEK6 + timedelta(days=1), 1, red_flags=("chest-pain",))
    a = derive_plan(HALF, [episode], [check_in], WEEK6 + timedelta(days=1))
    texts = clinician(a, WEEK6 + timedelta(1), WEEK6 + timedelta(1))
    assert any("chest pain" in t.lower() for t in texts)


def test_local_mastitis_no_better_after_48_hours_gets_a_clinician_with_daily_check_ins() -> None:
    episode = Episode(EpisodeKind.MASTITIS, start=WEEK6, id=1)
    days = [WEEK6 + timedelta(days=i) for i in range(1, 4)]
    check_ins = [CheckIn(d, 1, temp_c=37.1, feeling=Feeling.SAME, systemic=False) for d in days]
    today = days[-1]
    a = derive_plan(HALF, [episode], check_ins, today)
    assert any("24–48 hours" in t for t in clinician(a, today, today))
    quiet = derive_plan(HALF, [episode], [], today)  # and without any check-in
    assert any("24–48 hours" in t for t in clinician(quiet, today, today))


def test_mastitis_that_is_better_on_day_two_gets_no_clinician_prompt() -> None:
    episode = Episode(EpisodeKind.MASTITIS, start=WEEK6, id=1)
    better = CheckIn(WEEK6 + timedelta(days=2), 1, temp_c=36.9, feeling=Feeling.BETTER)
    a = derive_plan(HALF, [episode], [better], WEEK6 + timedelta(days=2))
    assert not any("24–48" in t for t in clinician(a, WEEK6 + timedelta(2), WEEK6 + timedelta(2)))


def test_fever_reducing_medicine_masks_a_normal_reading() -> None:
    episode = Episode(EpisodeKind.ILLNESS, start=WEEK6, fever_c=38.6, id=1)
    masked = CheckIn(WEEK6 + timedelta(days=1), 1, temp_c=36.9, fever_reducer=True)
    today = WEEK6 + timedelta(days=2)
    a = derive_plan(HALF, [episode], [masked, CheckIn(today, 1, temp_c=36.8)], today)
    # The masked day still counts as febrile: no running the day after it either.
    assert a.rules[WEEK6 + timedelta(days=1)].level is Level.NO_TRAINING
    assert a.rules[today].level is Level.NO_TRAINING


def test_postpartum_at_14_weeks_holds_volume_after_the_ladder_and_cuts_vdot_from_the_birth() -> (
    None
):
    birth = START - timedelta(weeks=14)
    episode = Episode(
        EpisodeKind.POSTPARTUM, start=START, birth_date=birth, checks_passed=True, id=1
    )
    a = derive_plan(HALF, [episode], [], START)
    assert any("since the birth" in n for n in a.notes)
    assert a.forecast is not None and not a.forecast.on_track
    ladder_end = max(on for on, r in a.rules.items() if "rung" in r.stage)
    week_after = [day_of(a, ladder_end + timedelta(days=i)) for i in range(1, 8)]
    assert sum(d.run_m for d in week_after) <= 25_000
    assert not any(d.is_quality for d in week_after)


def test_a_runner_already_training_after_a_birth_gets_no_walk_run_ladder() -> None:
    birth = START - timedelta(days=395)
    episode = Episode(
        EpisodeKind.POSTPARTUM, start=START, birth_date=birth, already_running=True, id=1
    )
    a = derive_plan(HALF, [episode], [], START)
    assert not any(s.title.startswith("Walk–run") for d in a.plan.days() for s in d.sessions)


def test_breastfeeding_is_a_profile_setting_the_guidance_uses() -> None:
    a = derive_plan(HALF, [], [], WEEK6)
    run_day = next(d.date for d in a.plan.days() if d.runs and d.date >= WEEK6)
    items = guidance_by_day(
        [(d.date, bool(d.runs)) for d in a.plan.days()], a.rules, [], [], WEEK6, breastfeeding=True
    )
    assert any("Feed or pump right before" in i.text for i in items[run_day])


def test_a_febrile_mastitis_during_the_ladder_does_not_advance_a_rung() -> None:
    birth = START - timedelta(weeks=13)
    postpartum = Episode(
        EpisodeKind.POSTPARTUM, start=START, birth_date=birth, checks_passed=True, id=1
    )
    fever = Episode(EpisodeKind.MASTITIS, start=START + timedelta(days=2), fever_c=38.7, id=2)
    check_ins = [CheckIn(START + timedelta(days=3), 2, temp_c=38.4)]
    today = START + timedelta(days=3)
    alone = derive_plan(HALF, [postpartum], [], today)
    both = derive_plan(HALF, [postpartum, fever], check_ins, today)
    for days_on in range(2, 6):
        on = START + timedelta(days=days_on)
        assert not day_of(both, on).runs or on > today + timedelta(days=1)
    # The rung after the fever is no higher than it was before it.
    rung = [r.stage for on, r in sorted(both.rules.items()) if "rung" in r.stage]
    assert rung[0].startswith("rung 1")
    assert alone.rules[START + timedelta(days=5)].stage != both.rules[START + timedelta(5)].stage


def test_a_move_cannot_break_a_stage_order_or_cap() -> None:
    episode = Episode(
        EpisodeKind.ILLNESS, start=WEEK6, fever_c=38.8, end=WEEK6 + timedelta(1), id=1
    )
    today = WEEK6 + timedelta(days=2)
    base = derive_plan(HALF, [episode], [], today)
    stage_days = sorted(on for on, r in base.rules.items() if "stage" in r.stage)
    later = max(stage_days) + timedelta(days=3)
    index = next(i for i, s in enumerate(day_of(base, later).sessions) if s.is_run)
    move = Edit("move", later, index, to=stage_days[0], id=1)
    a = derive_plan(HALF, [episode], [], today, [move])
    assert any(c.cause == "edit" and "not moved" in c.after for c in a.changes)
    assert day_of(a, stage_days[0]) == day_of(base, stage_days[0])


def test_lost_quality_weeks_lower_the_forecast_and_gains_pause() -> None:
    episode = Episode(
        EpisodeKind.INJURY, start=WEEK6, end=WEEK6 + timedelta(days=20), cross_training=True, id=1
    )
    today = WEEK6 + timedelta(days=21)
    base = derive_plan(HALF, [], [], today)
    a = derive_plan(HALF, [episode], [], today)
    assert a.forecast is not None and a.forecast.lost_weeks >= 3
    assert a.plan.expected_vdot[-1] < base.plan.expected_vdot[-1]
    assert "lost" in a.forecast.message


def test_travel_just_before_the_race_gives_no_race_time_but_a_verdict() -> None:
    race = HALF.race_date
    travel = Episode(
        EpisodeKind.UNAVAILABLE, start=race - timedelta(days=8), end=race - timedelta(days=1), id=1
    )
    a = derive_plan(HALF, [travel], [], race - timedelta(days=10))
    assert a.forecast is not None
    race_day = day_of(a, race)
    if not any(s.kind is SessionKind.RACE for s in race_day.sessions):
        assert not a.forecast.race_day_cleared
        assert a.forecast.readiness.startswith("Not ready")
        assert any(s.title.startswith("Not racing") for s in race_day.sessions)


def test_end_is_the_last_day_for_every_kind() -> None:
    last = WEEK6 + timedelta(days=2)
    for kind in (EpisodeKind.ILLNESS, EpisodeKind.UNAVAILABLE, EpisodeKind.INJURY):
        episode = Episode(
            kind, start=WEEK6, end=last, symptoms=Symptoms.BELOW_NECK, fever_c=None, id=1
        )
        a = derive_plan(HALF, [episode], [], last + timedelta(days=5))
        assert a.rules[last].level >= Level.NO_RUNNING, kind


def test_two_clear_check_ins_end_an_episode_by_themselves() -> None:
    episode = Episode(EpisodeKind.ILLNESS, start=WEEK6, symptoms=Symptoms.ABOVE_NECK, id=1)
    clear = [
        CheckIn(WEEK6 + timedelta(days=i), 1, temp_c=36.8, symptoms=Symptoms.NONE) for i in (2, 3)
    ]
    a = derive_plan(HALF, [episode], clear, WEEK6 + timedelta(days=3))
    (resolved,) = a.episodes
    assert resolved.end == WEEK6 + timedelta(days=1)


def test_logging_an_episode_is_that_day_s_report_and_the_next_day_asks_again() -> None:
    episode = Episode(EpisodeKind.ILLNESS, start=WEEK6, symptoms=Symptoms.ABOVE_NECK, id=1)
    logged_today = derive_plan(HALF, [episode], [], WEEK6)
    assert WEEK6 not in logged_today.rules or not logged_today.rules[WEEK6].check_in_due
    next_day = WEEK6 + timedelta(days=1)
    assert derive_plan(HALF, [episode], [], next_day).rules[next_day].check_in_due
