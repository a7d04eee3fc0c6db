"""Exports: the plan as iCal or PDF, and an iCal subscription URL with a secret token."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from milepost.bootstrap import Milepost
from milepost.interfaces.web.auth import milepost, own_milepost
from milepost.interfaces.web.render import page, public_url

router = APIRouter()

ICAL = "text/calendar; charset=utf-8"


def _download(body: bytes, media_type: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/exports", response_class=HTMLResponse)
def exports(request: Request, mine: Milepost = Depends(own_milepost)) -> Response:
    athlete = mine.athletes.current()
    return page(request, "exports.html", has_feed=mine.accounts.has_calendar_feed(athlete))


@router.get("/exports/plan.ics")
def plan_ics(mine: Milepost = Depends(own_milepost)) -> Response:
    return _download(mine.exports.ical(), ICAL, "milepost-plan.ics")


@router.get("/exports/busy.ics")
def busy_ics(mine: Milepost = Depends(own_milepost)) -> Response:
    return _download(mine.exports.ical(busy_only=True), ICAL, "milepost-busy.ics")


@router.get("/exports/plan.pdf")
def plan_pdf(paper: str = "a4", mine: Milepost = Depends(own_milepost)) -> Response:
    return _download(mine.exports.pdf(paper=paper), "application/pdf", "milepost-plan.pdf")


@router.post("/exports/feed", response_class=HTMLResponse)
def new_feed(request: Request, mine: Milepost = Depends(own_milepost)) -> Response:
    token = mine.accounts.new_calendar_feed(mine.athletes.current())
    # Shown once: only the token's hash is stored, so a lost link is replaced, not recovered.
    return page(
        request,
        "exports.html",
        has_feed=True,
        feed_url=public_url(request, "feed", token=token),
        busy_url=public_url(request, "busy_feed", token=token),
    )


@router.post("/exports/feed/off")
def feed_off(mine: Milepost = Depends(own_milepost)) -> Response:
    """Switch the subscription off: the link stops working at once, until a new one is made."""
    mine.accounts.end_calendar_feed(mine.athletes.current())
    return RedirectResponse("/exports?feed=off", status_code=303)


# Calendar apps fetch these without cookies: the secret in the path is the credential.
@router.get("/feeds/{token}/plan.ics", name="feed")
def feed(token: str, mp: Milepost = Depends(milepost)) -> Response:
    athlete = mp.accounts.athlete_for_calendar_feed(token)
    # A subscription lands in calendar apps that families and teams share: training only.
    return Response(mp.for_athlete(athlete).exports.ical(health=False), media_type=ICAL)


@router.get("/feeds/{token}/busy.ics", name="busy_feed")
def busy_feed(token: str, mp: Milepost = Depends(milepost)) -> Response:
    athlete = mp.accounts.athlete_for_calendar_feed(token)
    return Response(mp.for_athlete(athlete).exports.ical(busy_only=True), media_type=ICAL)
