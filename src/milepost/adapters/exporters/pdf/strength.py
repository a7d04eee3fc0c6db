"""The strength page: each routine the plan uses, with sets, reps and cues, and its weeks."""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from milepost.adapters.exporters.pdf.style import BOLD, INK, MUTED, grid_style, para, style
from milepost.domain.plan.model import Exercise, Plan, Session


def strength_routines(plan: Plan) -> list[tuple[Session, list[int]]]:
    """Each distinct strength routine, in order of first use, with the weeks it is done in."""
    found: dict[tuple[str, tuple[Exercise, ...]], tuple[Session, list[int]]] = {}
    for week in plan.weeks:
        for day in week.days:
            for session in day.sessions:
                if not session.exercises:
                    continue
                _, weeks = found.setdefault((session.title, session.exercises), (session, []))
                if week.number not in weeks:
                    weeks.append(week.number)
    return list(found.values())


def _spans(numbers: list[int]) -> str:
    """``[1, 2, 3, 5]`` → ``1–3, 5``."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][-1] + 1:
            spans[-1].append(n)
        else:
            spans.append([n])
    return ", ".join(f"{s[0]}–{s[-1]}" if len(s) > 1 else f"{s[0]}" for s in spans)


def strength_page(routines: list[tuple[Session, list[int]]], width: float) -> list[Flowable]:
    column_w = (width - 8 * mm) / 2
    blocks: list[Flowable] = []
    for session, weeks in routines:
        label = "week" if len(weeks) == 1 else "weeks"
        rows: list[list[object]] = [
            [
                para(
                    f"<b>{escape(session.title)}</b> <font color='#66727f'>· {label} "
                    f"{_spans(weeks)}</font>",
                    style(9),
                ),
                "",
            ]
        ]
        for exercise in session.exercises:
            rows.append(
                [
                    para(
                        f"<b>{escape(exercise.name)}</b>"
                        + (
                            f"<br/><font color='#66727f'>{escape(exercise.cue)}</font>"
                            if exercise.cue
                            else ""
                        ),
                        style(7.5),
                    ),
                    para(escape(f"{exercise.sets} × {exercise.reps}"), style(7.5, alignment=2)),
                ]
            )
        table = Table(rows, colWidths=[column_w * 0.7, column_w * 0.3])
        table.setStyle(
            grid_style([("SPAN", (0, 0), (1, 0)), ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK)])
        )
        blocks += [table, Spacer(1, 4 * mm)]
    intro = (
        para("Strength routines", style(12, font=BOLD)),
        para(
            "Warm up with 5 min of brisk walking or skipping. Rest 60–90 s between sets; stop a "
            "rep or two short of failure. Easy-run days and rest days only, never the day before "
            "a hard session.",
            style(8, color=MUTED),
        ),
    )
    # Two columns of routines, filled top to bottom, so six routines fit on one page.
    half = math.ceil(len(blocks) / 4) * 2
    columns = Table([[blocks[:half], blocks[half:]]], colWidths=[column_w + 8 * mm, column_w])
    columns.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), 8 * mm),
                ("RIGHTPADDING", (1, 0), (1, 0), 0),
            ]
        )
    )
    return [intro[0], Spacer(1, 1 * mm), intro[1], Spacer(1, 4 * mm), columns]
