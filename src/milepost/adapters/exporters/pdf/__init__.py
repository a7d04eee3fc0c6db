"""The plan on paper: a cover with the race, the fitness and the pace table, then a calendar.

Landscape, four weeks to a page, one row per week and a cell per day, the way coaches hand out a
training block, and a last page with the strength routines. Drawn with ReportLab (pure wheels, no
system libraries such as pango).
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4, landscape, letter
from reportlab.platypus import Flowable, PageBreak, SimpleDocTemplate

from milepost.adapters.exporters.pdf.calendar import WEEKS_PER_PAGE, calendar_page
from milepost.adapters.exporters.pdf.cover import cover_page
from milepost.adapters.exporters.pdf.strength import strength_page, strength_routines
from milepost.adapters.exporters.pdf.style import FONT, MARGIN, MUTED, register_fonts
from milepost.domain.plan.model import Plan
from milepost.domain.units import Units, format_distance

__all__ = ["WEEKS_PER_PAGE", "plan_to_pdf"]


def plan_to_pdf(plan: Plan, *, athlete_name: str, units: Units, paper: str = "a4") -> bytes:
    """The printable plan: a cover, ``ceil(weeks / 4)`` calendar pages, then the strength routines
    (one page, when the plan has strength sessions).

    ``paper`` is ``"a4"`` or ``"letter"``; both landscape.
    """
    register_fonts()
    pagesize = landscape(letter if paper.lower() == "letter" else A4)
    buffer = io.BytesIO()
    race = plan.race.name or format_distance(plan.race.distance_m, units)
    footer = f"{athlete_name} · {race} · {plan.race.date.isoformat()}"

    def decorate(canvas: object, doc: SimpleDocTemplate) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(FONT, 7)  # type: ignore[attr-defined]
        canvas.setFillColor(MUTED)  # type: ignore[attr-defined]
        canvas.drawString(MARGIN, MARGIN / 2, f"milepost · {footer}")  # type: ignore[attr-defined]
        canvas.drawRightString(  # type: ignore[attr-defined]
            pagesize[0] - MARGIN, MARGIN / 2, f"page {doc.page}"
        )
        canvas.restoreState()  # type: ignore[attr-defined]

    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"Training plan: {race}",
        author=athlete_name,
        creator="milepost",
    )
    story: list[Flowable] = cover_page(plan, athlete_name=athlete_name, units=units, race=race)
    for first in range(0, len(plan.weeks), WEEKS_PER_PAGE):
        story.append(PageBreak())
        weeks = plan.weeks[first : first + WEEKS_PER_PAGE]
        story += calendar_page(plan, weeks, units, race, doc.width, doc.height)
    routines = strength_routines(plan)
    if routines:
        story.append(PageBreak())
        story += strength_page(routines, doc.width)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
