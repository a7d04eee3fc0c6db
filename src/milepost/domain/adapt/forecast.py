"""The race forecast after a break: what the adjusted VDOT predicts, and a way forward when the
goal is out of reach (a new goal time, or a later race with the weeks the VDOT needs back)."""

from __future__ import annotations

import math
from datetime import date, timedelta

from milepost.domain.adapt.model import Forecast
from milepost.domain.plan.generate import VDOT_GAIN_EVERY_WEEKS
from milepost.domain.plan.model import Plan
from milepost.domain.units import format_duration
from milepost.domain.vdot import race_time_s, vdot_from_race

ON_TRACK_SLACK = 0.005  # within half a percent of the goal still counts as on track


def forecast_race(
    plan: Plan,
    vdot_now: float,
    *,
    race_day_cleared: bool = True,
    why_not: str = "",
    readiness: str = "",
    lost_weeks: float = 0.0,
    planned_vdot: float | None = None,
) -> Forecast:
    """What race day looks like. ``plan.expected_vdot`` must already be honest: gains only over
    weeks trained (engine.honest_vdots). When the race is not cleared no time is given."""
    vdot_race = plan.expected_vdot[-1] if plan.expected_vdot else plan.vdot
    race_s = race_time_s(vdot_race, plan.race.distance_m)
    goal_s = plan.race.goal_s or race_s
    on_track = race_day_cleared and race_s <= goal_s * (1 + ON_TRACK_SLACK)
    lost = (
        f" {lost_weeks:.1f} weeks of training lost: VDOT {vdot_race:.1f} on race day instead of "
        f"the planned {planned_vdot:.1f}."
        if lost_weeks >= 0.5 and planned_vdot is not None and vdot_race < planned_vdot - 0.05
        else ""
    )
    if not race_day_cleared:
        return Forecast(
            race_s=race_s,
            goal_s=goal_s,
            on_track=False,
            vdot_now=vdot_now,
            vdot_race_day=vdot_race,
            message=f"Not cleared to race on {plan.race.date:%a %d %b}: {why_not}. Choose a "
            "later race; milepost can build that plan.",
            later_race_date=plan.race.date + timedelta(weeks=4),
            race_day_cleared=False,
            readiness=readiness or f"Not ready to race: {why_not}.",
            lost_weeks=lost_weeks,
        )
    if on_track:
        return Forecast(
            race_s=race_s,
            goal_s=goal_s,
            on_track=True,
            vdot_now=vdot_now,
            vdot_race_day=vdot_race,
            message=f"On track: VDOT {vdot_race:.1f} on race day predicts "
            f"{format_duration(race_s)} for a goal of {format_duration(goal_s)}.{lost}",
            readiness=readiness,
            lost_weeks=lost_weeks,
        )
    deficit = vdot_from_race(plan.race.distance_m, goal_s) - vdot_race
    weeks = math.ceil(deficit * VDOT_GAIN_EVERY_WEEKS)
    later = plan.race.date + timedelta(weeks=weeks)
    return Forecast(
        race_s=race_s,
        goal_s=goal_s,
        on_track=False,
        vdot_now=vdot_now,
        vdot_race_day=vdot_race,
        message=(
            f"The goal of {format_duration(goal_s)} is no longer realistic: VDOT {vdot_now:.1f} "
            f"now and {vdot_race:.1f} by race day predict {format_duration(race_s)}. Aim for "
            f"{format_duration(race_s)}, or race on or after {later:%a %d %b %Y} for the "
            f"original goal.{lost}"
        ),
        new_goal_s=round(race_s),
        later_race_date=later,
        readiness=readiness,
        lost_weeks=lost_weeks,
    )


def week_index(plan: Plan, on: date) -> int:
    """The plan week holding ``on`` (clamped to the plan)."""
    if on < plan.starts:
        return 0
    return min((on - plan.starts).days // 7, len(plan.weeks) - 1)
