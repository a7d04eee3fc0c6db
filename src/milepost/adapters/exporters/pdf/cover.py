"""The cover: the race, the goal, the training paces, where the fitness points, the phases."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from milepost.adapters.exporters.pdf.style import (
    ACCENT,
    BOLD,
    INK,
    MUTED,
    PHASE_TINT,
    grid_style,
    long_date,
    para,
    style,
)
from milepost.domain.plan.model import Phase, Plan, Week
from milepost.domain.units import Units, format_distance, format_duration, format_pace
from milepost.domain.vdot import equivalent_times, race_time_s, training_paces

# What each pace is for, in the words a runner reads on the cover (Daniels' Running Formula, ch. 4).
ZONE_PURPOSE = {
    "E": "Easy: conversational; warm-ups, recoveries, most of your running",
    "M": "Marathon: race rhythm, inside long runs",
    "T": "Threshold: comfortably hard, about an hour's racing effort",
    "I": "Interval: hard, reps of 3–5 min with equal jog",
    "R": "Repetition: fast and relaxed, short reps, full recovery",
}


def cover_page(plan: Plan, *, athlete_name: str, units: Units, race: str) -> list[Flowable]:
    final_vdot = plan.expected_vdot[-1] if plan.expected_vdot else plan.vdot
    if plan.race.goal_s:
        goal = f"goal {format_duration(plan.race.goal_s)}"
    else:
        predicted = race_time_s(final_vdot, plan.race.distance_m)
        goal = f"predicted {format_duration(predicted)} at VDOT {final_vdot:.1f}"
    distance = format_distance(plan.race.distance_m, units)
    story: list[Flowable] = [
        para("MILEPOST TRAINING PLAN", style(9, font=BOLD, color=ACCENT)),
        Spacer(1, 2 * mm),
        para(escape(race), style(26, font=BOLD)),
        Spacer(1, 3 * mm),
        para(
            escape(f"{distance} · {long_date(plan.race.date)} · {goal}"),
            style(13, color=INK),
        ),
        Spacer(1, 1.5 * mm),
        para(
            escape(
                f"For {athlete_name} · {len(plan.weeks)} weeks from {long_date(plan.starts)} · "
                f"starting VDOT {plan.vdot:.1f}, expected {final_vdot:.1f} by race day"
            ),
            style(10, color=MUTED),
        ),
        Spacer(1, 8 * mm),
    ]
    left = [
        para("Training paces", style(12, font=BOLD)),
        Spacer(1, 2 * mm),
        _pace_table(plan.vdot),
        Spacer(1, 2 * mm),
        para(
            escape(
                f"At your starting VDOT of {plan.vdot:.1f}. Each week's sessions use the VDOT "
                "expected by then (right), so the paces in the calendar quicken as you get fitter."
            ),
            style(7.5, color=MUTED),
        ),
        Spacer(1, 6 * mm),
        para("Where your fitness points", style(12, font=BOLD)),
        Spacer(1, 2 * mm),
        _prediction_table(plan.vdot, final_vdot),
    ]
    right = [
        para("Phases", style(12, font=BOLD)),
        Spacer(1, 2 * mm),
        _phase_table(plan, units),
    ]
    if plan.notes:
        right += [Spacer(1, 4 * mm), para("Notes", style(10, font=BOLD))]
        right += [para("• " + escape(note), style(8)) for note in plan.notes]
    columns = Table([[left, right]], colWidths=["47%", "53%"])
    columns.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), 8 * mm),
            ]
        )
    )
    story.append(columns)
    return story


def _pace_table(vdot: float) -> Table:
    paces = training_paces(vdot)
    cell, head = style(8.5), style(8, font=BOLD, color=MUTED)

    def both(fast: float, slow: float | None = None) -> tuple[str, str]:
        km = format_pace(fast, Units.KM).removesuffix("/km")
        mi = format_pace(fast, Units.MI).removesuffix("/mi")
        if slow is not None:
            km += "–" + format_pace(slow, Units.KM).removesuffix("/km")
            mi += "–" + format_pace(slow, Units.MI).removesuffix("/mi")
        return km, mi

    rows = [
        ("E", *both(*paces.easy), "—"),
        ("M", *both(paces.marathon), "—"),
        ("T", *both(paces.threshold), format_duration(paces.threshold * 0.4)),
        ("I", *both(paces.interval), format_duration(paces.interval_400m_s)),
        ("R", *both(paces.repetition), format_duration(paces.repetition_400m_s)),
    ]
    data = [[para(t, head) for t in ("", "per km", "per mile", "per 400 m", "what it is for")]]
    for zone, km, mi, lap in rows:
        data.append(
            [
                para(zone, style(11, font=BOLD, color=ACCENT)),
                para(km, cell),
                para(mi, cell),
                para(lap, cell),
                para(escape(ZONE_PURPOSE[zone]), style(7.5, color=MUTED)),
            ]
        )
    table = Table(data, colWidths=[9 * mm, 21 * mm, 21 * mm, 23 * mm, None])
    table.setStyle(grid_style())
    return table


def _prediction_table(start_vdot: float, final_vdot: float) -> Table:
    """Equivalent race times now and on race day (Daniels' Table 5.1)."""
    cell, head = style(8.5), style(8, font=BOLD, color=MUTED)
    now, then = equivalent_times(start_vdot), equivalent_times(final_vdot)
    shown = (
        ("5k", "5K"),
        ("10k", "10K"),
        ("half_marathon", "Half marathon"),
        ("marathon", "Marathon"),
    )
    data = [
        [
            para("", head),
            para(f"now (VDOT {start_vdot:.1f})", head),
            para(f"race day (VDOT {final_vdot:.1f})", head),
        ]
    ]
    for key, label in shown:
        data.append(
            [
                para(label, cell),
                para(format_duration(now[key]), cell),
                para(format_duration(then[key]), cell),
            ]
        )
    table = Table(data, colWidths=[33 * mm, 37 * mm, 40 * mm], hAlign="LEFT")
    table.setStyle(grid_style())
    return table


def _phase_table(plan: Plan, units: Units) -> Table:
    cell, head = style(8.5), style(8, font=BOLD, color=MUTED)
    data = [[para(t, head) for t in ("Phase", "Weeks", "Dates", "VDOT", f"{units.value} / week")]]
    tints = []
    for phase, weeks in _phases(plan):
        first, last = weeks[0], weeks[-1]
        vdots = [week_vdot(plan, w) for w in weeks]
        volumes = [w.total_m / units.metres for w in weeks]
        vdot = f"{vdots[0]:.1f}" if vdots[0] == vdots[-1] else f"{vdots[0]:.1f}–{vdots[-1]:.1f}"
        span = f"{first.number}" if first is last else f"{first.number}–{last.number}"
        dates = f"{first.starts.strftime('%d %b')} – {last.ends.strftime('%d %b')}"
        data.append(
            [
                para(escape(phase.label), style(8.5, font=BOLD)),
                para(span, cell),
                para(dates, cell),
                para(vdot, cell),
                para(_span_text(min(volumes), max(volumes)), cell),
            ]
        )
        tints.append(("BACKGROUND", (0, len(data) - 1), (0, len(data) - 1), PHASE_TINT[phase]))
    table = Table(data, colWidths=[None, 16 * mm, 28 * mm, 21 * mm, 22 * mm])
    table.setStyle(grid_style(tints))
    return table


def _span_text(low: float, high: float) -> str:
    return f"{low:.0f}" if round(low) == round(high) else f"{low:.0f}–{high:.0f}"


def _phases(plan: Plan) -> list[tuple[Phase, list[Week]]]:
    groups: list[tuple[Phase, list[Week]]] = []
    for week in plan.weeks:
        if groups and groups[-1][0] is week.phase:
            groups[-1][1].append(week)
        else:
            groups.append((week.phase, [week]))
    return groups


def week_vdot(plan: Plan, week: Week) -> float:
    index = week.number - 1
    return plan.expected_vdot[index] if index < len(plan.expected_vdot) else plan.vdot
