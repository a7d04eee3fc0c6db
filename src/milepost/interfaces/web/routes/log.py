"""The training log: upload activity files (or an export), and the list of what was run."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from milepost.bootstrap import Milepost
from milepost.errors import InputError
from milepost.interfaces.web.auth import own_milepost
from milepost.interfaces.web.charts import activity_charts, lap_rows
from milepost.interfaces.web.render import page

router = APIRouter()

MAX_UPLOAD_BYTES = 200 * 1024 * 1024  # a large Garmin/Strava export zip still fits


@router.get("/log", response_class=HTMLResponse)
def log(request: Request, mine: Milepost = Depends(own_milepost)) -> Response:
    return page(
        request,
        "log.html",
        activities=mine.logbook.list_activities(),
        units=mine.athletes.current().units.value,
    )


@router.post("/log", response_class=HTMLResponse)
def upload(
    request: Request, files: list[UploadFile], mine: Milepost = Depends(own_milepost)
) -> Response:
    # A plain def: FastAPI runs it in a worker thread, so a long import does not stall others.
    # Each upload's name is a label only (issue 19: a 255-byte name failed as a temp file path,
    # and that server path was stored as the file's name): nothing is written to disk here.
    uploads: list[tuple[str, bytes]] = []
    total = 0
    for upload in files:
        data = upload.file.read()
        total += len(data)
        if total > MAX_UPLOAD_BYTES:
            raise InputError("that upload is larger than 200 MB", hint="send it in parts")
        uploads.append((upload.filename or "", data))
    report = mine.logbook.import_uploads(uploads)
    context: dict[str, Any] = {
        "report": report,
        "file_name": lambda path: path,
        "units": mine.athletes.current().units.value,
    }
    if request.headers.get("HX-Request") == "true":
        return page(request, "partials/import_report.html", **context)
    return page(request, "log.html", activities=mine.logbook.list_activities(), **context)


@router.get("/log/{activity_id}", response_class=HTMLResponse)
def activity(
    request: Request, activity_id: int, mine: Milepost = Depends(own_milepost)
) -> Response:
    """One activity: its summary, pace, heart-rate and elevation charts, laps, best efforts.
    The owner's only: the logbook looks the id up in her own log (another's id is not found)."""
    logged = mine.logbook.show(activity_id)
    units = mine.athletes.current().units
    return page(
        request,
        "activity.html",
        a=logged,
        units=units.value,
        charts=activity_charts(mine.logbook.samples(activity_id), units),
        laps=lap_rows(logged.activity.laps),
    )
