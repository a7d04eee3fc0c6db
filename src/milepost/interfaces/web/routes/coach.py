"""The coach's pages: the roster, an athlete's plan, a note; and accepting an invite."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from milepost.adapters.storage.repositories import User
from milepost.bootstrap import Milepost
from milepost.domain.adapt.edits import Edit
from milepost.domain.units import parse_date
from milepost.errors import InputError
from milepost.interfaces.web.auth import identify, milepost, signed_in
from milepost.interfaces.web.render import page
from milepost.interfaces.web.views import movable_sessions, week_rows

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
    return _athlete_page(request, coach, mp, athlete_id)


def _athlete_page(
    request: Request, coach: User, mp: Milepost, athlete_id: int, **extra: Any
) -> Response:
    view = mp.coaching.athlete_view(coach, athlete_id)
    weeks = week_rows(view.plan) if view.plan else []
    movable = movable_sessions(view.plan) if view.plan else None
    return page(request, "coach_athlete.html", view=view, weeks=weeks, movable=movable, **extra)


@router.post("/coach/athletes/{athlete_id}/move", response_class=HTMLResponse)
def move(
    request: Request,
    athlete_id: int,
    session: str = Form(...),
    to: str = Form(...),
    coach: User = Depends(signed_in),
    mp: Milepost = Depends(milepost),
) -> Response:
    """A linked coach moves one of the athlete's sessions: the athlete's own edit, in her plan
    history with the coach's name (``training`` consent is enough: moving training is training)."""
    on, _, index = session.partition("/")
    if not index.isdigit():
        raise InputError(f"'{session}' is not a session", hint="pick one from the list")
    edit = Edit("move", parse_date(on), int(index), parse_date(to))
    moved = mp.coaching.move_session(coach, athlete_id, edit)
    return _athlete_page(request, coach, mp, athlete_id, moved=moved)


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
def invite(request: Request, token: str, mp: Milepost = Depends(milepost)) -> Response:
    """The link itself is the credential: whoever opens it sees who invites and what is
    shared, then signs in or signs up (and comes back here) to accept."""
    details = mp.coaching.invite_details(token)
    viewer = identify(request)
    return page(
        request,
        "invite.html",
        token=token,
        user=viewer.user if viewer else None,
        invite=details,
        back=f"/invites/{token}",
    )


@router.post("/invites/{token}")
def accept_invite(
    token: str, coach: User = Depends(signed_in), mp: Milepost = Depends(milepost)
) -> Response:
    link = mp.coaching.accept_invite(coach, token)
    return RedirectResponse(f"/coach/athletes/{link.athlete_id}", status_code=303)
