"""The coach's pages: the roster, an athlete's plan, a note; and accepting an invite."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from milepost.adapters.storage.repositories import User
from milepost.bootstrap import Milepost
from milepost.interfaces.web.auth import milepost, signed_in
from milepost.interfaces.web.render import page
from milepost.interfaces.web.views import plan_weeks

router = APIRouter()


@router.get("/coach", response_class=HTMLResponse)
def roster(
    request: Request, coach: User = Depends(signed_in), mp: Milepost = Depends(milepost)
) -> Response:
    return page(request, "roster.html", roster=mp.coaching.roster(coach))


@router.get("/coach/athletes/{athlete_id}", response_class=HTMLResponse)
def athlete(
    request: Request,
    athlete_id: int,
    coach: User = Depends(signed_in),
    mp: Milepost = Depends(milepost),
) -> Response:
    view = mp.coaching.athlete_view(coach, athlete_id)
    weeks = plan_weeks(view.plan) if view.plan else []
    return page(request, "coach_athlete.html", view=view, weeks=weeks)


@router.post("/coach/athletes/{athlete_id}/notes")
def note(
    athlete_id: int,
    text: str = Form(...),
    coach: User = Depends(signed_in),
    mp: Milepost = Depends(milepost),
) -> Response:
    mp.coaching.add_note(coach, athlete_id, text)
    return RedirectResponse(f"/coach/athletes/{athlete_id}?noted=1", status_code=303)


@router.get("/invites/{token}", response_class=HTMLResponse, name="invite")
def invite(request: Request, token: str, user: User = Depends(signed_in)) -> Response:
    return page(request, "invite.html", token=token, user=user)


@router.post("/invites/{token}")
def accept_invite(
    token: str, coach: User = Depends(signed_in), mp: Milepost = Depends(milepost)
) -> Response:
    link = mp.coaching.accept_invite(coach, token)
    return RedirectResponse(f"/coach/athletes/{link.athlete_id}", status_code=303)
