"""Shaping what the services return into what a template or a chart draws. No rules here:
only picking, ordering and unit conversion for display."""

from __future__ import annotations

from typing import Any

from milepost.bootstrap import Milepost
from milepost.domain.plan.model import SessionKind
from milepost.domain.units import Units
from milepost.services.planning import CurrentPlan


def plan_weeks(current: CurrentPlan) -> list[dict[str, Any]]:
    """The stored revision's weeks (with each day's guidance), marking this week and today."""
    today = current.today
    weeks = []
    for plan_week, body_week in zip(current.plan.weeks, current.body["weeks"], strict=True):
        days = []
        for plan_day, body_day in zip(plan_week.days, body_week["days"], strict=True):
            days.append(
                {
                    "date": plan_day.date,
                    "sessions": plan_day.sessions,
                    "guidance": body_day.get("guidance", []),
                    "is_today": plan_day.date == today,
                    "is_past": plan_day.date < today,
                }
            )
        weeks.append(
            {
                "number": plan_week.number,
                "starts": plan_week.starts,
                "phase": plan_week.phase.label,
                "cutback": plan_week.cutback,
                "focus": plan_week.focus,
                "total_m": plan_week.total_m,
                "countdown": plan_week.countdown(len(current.plan.weeks)),
                "days": days,
                "is_current": plan_week.starts <= today <= plan_week.ends,
                # The same picks as the CLI's plan summary: quality sessions and the long run.
                "key_sessions": [
                    s.title
                    for d in plan_week.days
                    for s in d.sessions
                    if s.is_quality or s.kind is SessionKind.LONG
                ],
            }
        )
    return weeks


def weekly_volume(mine: Milepost, current: CurrentPlan) -> dict[str, Any]:
    """Planned and done volume per plan week, in the plan's units, for the chart. "Done" comes
    from the training log for the weeks that have begun (None for weeks still ahead)."""
    units = Units(current.plan.units) if current.plan.units in ("km", "mi") else Units.KM
    planned: list[float] = []
    done: list[float | None] = []
    for week in current.plan.weeks:
        planned.append(round(week.total_m / units.metres, 1))
        if week.starts <= current.today:
            view = mine.logbook.week(week.number)
            done.append(round(view.compliance.done_m / units.metres, 1))
        else:
            done.append(None)
    return {
        "unit": units.value,
        "labels": [f"W{w.number}" for w in current.plan.weeks],
        "planned": planned,
        "done": done,
    }
