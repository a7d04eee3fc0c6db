"""Two reference plans, kept as golden files so that a human reviews every change to them.

Regenerate after an intended change with
    MILEPOST_UPDATE_GOLDEN=1 .venv/bin/pytest tests/domain/plan
and read the diff before committing it.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from milepost.domain.plan.generate import generate_plan
from milepost.domain.plan.model import Plan
from milepost.domain.plan.request import PlanRequest
from milepost.domain.units import Units, format_duration, format_pace

GOLDEN = Path(__file__).with_name("golden")
TODAY = date(2026, 11, 27)

REFERENCE = {
    # 16-week marathon at VDOT 50 from 50 km a week.
    "marathon-16wk-vdot50-from-50km": PlanRequest(
        race_distance_m=42195.0,
        race_date=date(2027, 4, 18),
        vdot=50.0,
        weekly_m=50_000.0,
        runs_per_week=5,
        long_run_day=6,
        start=date(2026, 12, 28),
        race_name="Spring Marathon",
    ),
    # 12-week half marathon at VDOT 42 from 30 km a week.
    "half-12wk-vdot42-from-30km": PlanRequest(
        race_distance_m=21097.5,
        race_date=date(2027, 3, 21),
        vdot=42.0,
        weekly_m=30_000.0,
        runs_per_week=5,
        long_run_day=6,
        start=date(2026, 12, 28),
        race_name="City Half",
    ),
}


def render_text(plan: Plan) -> str:
    """The plan as a coach would read it: every week, every day, every session in full."""
    units = Units(plan.units)
    lines = [
        f"{plan.race.name}: {plan.race.distance_m / 1000:.4g} km on {plan.race.date.isoformat()}",
        f"Start VDOT {plan.vdot:.1f}; goal {format_duration(plan.race.goal_s or 0)}",
        "Expected VDOT by week: " + " ".join(f"{v:.1f}" for v in plan.expected_vdot),
        "",
        *[f"* {note}" for note in plan.notes],
    ]
    for week in plan.weeks:
        lines += [
            "",
            f"== {week.countdown(len(plan.weeks))} · {week.phase.label}"
            f"{' · cutback' if week.cutback else ''} · planned {week.target_m / 1000:.1f} km,"
            f" built {week.total_m / 1000:.1f} km",
            f"   {week.focus}",
        ]
        for day in week.days:
            for session in day.sessions:
                pace = ""
                if session.pace_s_per_km:
                    fast, slow = session.pace_s_per_km
                    pace = f" [{format_pace(fast, units)}" + (
                        f"–{format_pace(slow, units)}]" if abs(slow - fast) > 0.5 else "]"
                    )
                lines.append(
                    f"   {day.date:%a %d %b} {session.kind.value:<13} {session.title}{pace}"
                )
                lines.append(f"{'':20}{session.description}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_plans_match_their_golden_files(name: str) -> None:
    text = render_text(generate_plan(REFERENCE[name], TODAY))
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("MILEPOST_UPDATE_GOLDEN"):
        path.write_text(text)
    assert path.exists(), f"no golden file {path.name}: run with MILEPOST_UPDATE_GOLDEN=1"
    assert text == path.read_text(), f"{name} changed: review the diff, then update the golden file"
