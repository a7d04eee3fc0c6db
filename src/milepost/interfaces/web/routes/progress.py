"""Progress: weekly volume planned and done, fitness and fatigue, VDOT over time, the forecast."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from milepost.bootstrap import Milepost
from milepost.errors import NotFoundError
from milepost.interfaces.web.auth import own_milepost
from milepost.interfaces.web.charts import fitness_chart, vdot_chart
from milepost.interfaces.web.render import page
from milepost.interfaces.web.views import weekly_volume
from milepost.services.planning import CurrentPlan

router = APIRouter()


@router.get("/progress", response_class=HTMLResponse)
def progress(request: Request, mine: Milepost = Depends(own_milepost)) -> Response:
    # The log's long view stands without a plan; the plan's parts are left out until there is one.
    current: CurrentPlan | None
    try:
        current = mine.planning.current()
    except NotFoundError:
        current = None
    fitness = mine.logbook.fitness()
    vdots = mine.logbook.vdot_history()
    return page(
        request,
        "progress.html",
        current=current,
        volume=weekly_volume(mine, current) if current else None,
        forecast=current.body.get("forecast") if current else None,
        fitness=fitness,
        fitness_data=fitness_chart(fitness.days),
        vdots=vdots,
        vdot_data=vdot_chart(vdots),
        units=mine.athletes.current().units.value,
    )
