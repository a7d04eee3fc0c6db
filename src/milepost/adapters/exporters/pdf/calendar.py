"""The calendar pages: four weeks to a page, a row per week, a cell per day.

Each cell holds the day's sessions with their paces; the type shrinks, page by page, until the
page's weeks fit, so a busy block never spills onto an extra page and the page count stays
``ceil(weeks / 4)``.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from milepost.adapters.exporters.pdf.cover import week_vdot
from milepost.adapters.exporters.pdf.style import (
    ACCENT,
    BOLD,
    INK,
    ITALIC,
    MUTED,
    PHASE_TINT,
    RULE,
    WEEKDAYS,
    para,
    style,
)
from milepost.adapters.exporters.workout_text import pace_text, session_paces
from milepost.domain.plan.model import Day, Plan, Session, SessionKind, Week
from milepost.domain.units import Units

WEEKS_PER_PAGE = 4
QUALITY_TINT = colors.HexColor("#fff4e6")
LONG_TINT = colors.HexColor("#eef5fb")
RACE_TINT = colors.HexColor("#fde3a7")
REST_TINT = colors.HexColor("#f5f6f7")


def calendar_page(
    plan: Plan, weeks: tuple[Week, ...], units: Units, race: str, width: float, height: float
) -> list[Flowable]:
    heading = para(
        escape(f"{race} — weeks {weeks[0].number}–{weeks[-1].number} of {len(plan.weeks)}"),
        style(12, font=BOLD),
    )
    legend = para(
        "Paces per "
        + units.value
        + ". E easy · M marathon · T threshold · I interval · R repetition. "
        "Shaded: quality day, long run, race.",
        style(6.5, color=MUTED),
    )
    # The page frame pads 6 pt on each edge; the two spacers take 6 mm.
    frame_padding = 12.0
    room = (
        height
        - frame_padding
        - heading.wrap(width, height)[1]
        - legend.wrap(width, height)[1]
        - 6 * mm
    )
    # Shrink the type until the page's weeks fit, so a busy block never spills onto an extra page;
    # past the smallest legible size, keep only the session titles (a page of two-a-days).
    sizes = (8.5, 8.0, 7.5, 7.0, 6.5, 6.0, 5.5)
    attempts = [(size, True) for size in sizes] + [(size, False) for size in sizes]
    for size, detail in attempts:
        table = _week_table(plan, weeks, units, width, size, detail)
        if table.wrap(width, room)[1] <= room:
            break
    return [heading, Spacer(1, 3 * mm), table, Spacer(1, 3 * mm), legend]


def _week_table(
    plan: Plan, weeks: tuple[Week, ...], units: Units, width: float, size: float, detail: bool
) -> Table:
    label_w = 33 * mm
    day_w = (width - label_w) / 7
    head = style(7.5, font=BOLD, color=MUTED, alignment=1)
    data: list[list[object]] = [[""] + [para(d, head) for d in WEEKDAYS]]
    rules: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 1), (-1, -1), 0.5, RULE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 1), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 4),
    ]
    for row, week in enumerate(weeks, start=1):
        data.append(
            [_week_label(plan, week, units, size)]
            + [_day_cell(d, units, size, detail) for d in week.days]
        )
        rules.append(("BACKGROUND", (0, row), (0, row), PHASE_TINT[week.phase]))
        for col, day in enumerate(week.days, start=1):
            tint = _day_tint(day)
            if tint is not None:
                rules.append(("BACKGROUND", (col, row), (col, row), tint))
    table = Table(data, colWidths=[label_w] + [day_w] * 7, repeatRows=1)
    table.setStyle(TableStyle(rules))
    return table


def _week_label(plan: Plan, week: Week, units: Units, size: float) -> list[Flowable]:
    countdown = week.countdown(len(plan.weeks))
    head, _, tail = countdown.partition(" — ")
    total = week.total_m / units.metres
    cells: list[Flowable] = [
        para(escape(head), style(size + 1.5, font=BOLD)),
        para(escape(tail), style(size, color=ACCENT, font=BOLD)),
        Spacer(1, 1.5),
        para(escape(week.phase.label), style(size - 0.5)),
        para(
            f"{total:.0f} {units.value}" + (" · cutback" if week.cutback else ""),
            style(size - 0.5),
        ),
        para(f"VDOT {week_vdot(plan, week):.1f}", style(size - 0.5, color=MUTED)),
    ]
    if week.focus:
        cells += [Spacer(1, 2), para(escape(week.focus), style(size - 1, font=ITALIC, color=MUTED))]
    return cells


def _day_cell(day: Day, units: Units, size: float, detail: bool) -> list[Flowable]:
    date_style = style(size - 1, color=MUTED)
    cells: list[Flowable] = [para(day.date.strftime("%d %b").lstrip("0"), date_style)]
    for index, session in enumerate(day.sessions):
        if index:
            cells.append(Spacer(1, size * 0.5))
        cells += _session_lines(session, units, size, detail)
    return cells


def _session_lines(session: Session, units: Units, size: float, detail: bool) -> list[Flowable]:
    if session.kind is SessionKind.REST:
        return [para("Rest", style(size, color=MUTED, font=ITALIC))]
    lines: list[Flowable] = [para(escape(session.title), style(size, font=BOLD))]
    if not detail:
        return lines
    small = style(size - 0.8)
    if session.kind is SessionKind.RACE and session.pace_s_per_km is not None:
        lines = [lines[0], para("goal pace " + pace_text(session.pace_s_per_km, units), small)]
    else:
        lines += [para(escape(pace), small) for pace in session_paces(session, units)]
    if session.is_run and session.distance_m > 0:
        amount = f"{session.distance_m / units.metres:.1f} {units.value}"
        if session.duration_s > 0:
            amount += f" · {_about(session.duration_s)}"
        lines.append(para(amount, style(size - 0.8, color=MUTED)))
    if session.exercises:
        # The routine itself, with cues, is on the strength page: a cell has no room for it.
        lines.append(
            para(
                f"{len(session.exercises)} exercises: see Strength", style(size - 0.8, color=MUTED)
            )
        )
    return lines


def _about(seconds: float) -> str:
    minutes = round(seconds / 60.0)
    return f"~{minutes} min" if minutes < 60 else f"~{minutes // 60} h {minutes % 60:02d}"


def _day_tint(day: Day) -> colors.Color | None:
    kinds = {s.kind for s in day.sessions}
    if SessionKind.RACE in kinds:
        return RACE_TINT
    if day.is_quality:
        return QUALITY_TINT
    if SessionKind.LONG in kinds:
        return LONG_TINT
    if not day.sessions or kinds == {SessionKind.REST}:
        return REST_TINT
    return None
