"""The athlete's own pages: Today, Week, Plan (and a new plan), Settings."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from milepost.adapters.storage.repositories import User
from milepost.bootstrap import Milepost
from milepost.bounds import NAME_LENGTH, check_text
from milepost.domain.adapt.edits import Edit
from milepost.domain.athlete import parse_race_result
from milepost.domain.availability import parse_time
from milepost.domain.plan.request import PlanRequest, TuneUp, parse_tune_up, parse_weekday
from milepost.domain.units import (
    METRES_PER_MILE,
    parse_date,
    parse_distance,
    parse_duration,
)
from milepost.errors import InputError, NotFoundError
from milepost.interfaces.web.auth import (
    SESSION_COOKIE,
    clear_session_cookie,
    milepost,
    own_milepost,
    signed_in,
)
from milepost.interfaces.web.render import page, public_url
from milepost.interfaces.web.views import (
    availability_view,
    plan_weeks,
    replan_context,
    today_view,
    week_rows,
    weekly_volume,
)
from milepost.services.planning import Replan

router = APIRouter()

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@router.get("/today", response_class=HTMLResponse)
def today(request: Request, mine: Milepost = Depends(own_milepost)) -> Response:
    try:
        result = mine.planning.today()
    except NotFoundError:
        return RedirectResponse("/plan/new", status_code=303)
    notes = mine.coaching.notes(result.athlete)
    return page(request, "today.html", t=result, notes=notes, **today_view(result))


@router.get("/week", response_class=HTMLResponse)
def week(
    request: Request, n: int | None = None, mine: Milepost = Depends(own_milepost)
) -> Response:
    return _week_page(request, mine, n)


def _week_page(
    request: Request,
    mine: Milepost,
    n: int | None,
    on: date | None = None,
    replan: Replan | None = None,
    title: str = "",
) -> Response:
    """Week ``n``, else the week holding ``on`` (after an edit there), else this week."""
    current = mine.planning.current()
    _, feeds = mine.scheduling.settings()  # feeds, if any, drawn around the placed sessions
    weeks = plan_weeks(current, feeds)
    holding = next((w["number"] for w in weeks if on and w["starts"] <= on <= w["ends"]), None)
    number = n or holding or next((w["number"] for w in weeks if w["is_current"]), 1)
    if not 1 <= number <= len(weeks):
        raise InputError(f"week {number} is not in this plan", hint=f"weeks run 1–{len(weeks)}")
    extra = (replan_context(replan, current.today) | {"title": title}) if title else {}
    return page(
        request,
        "week.html",
        current=current,
        week=weeks[number - 1],
        total=len(weeks),
        **extra,
    )


@router.post("/week/move", response_class=HTMLResponse)
def move(
    request: Request,
    on: str = Form(...),
    index: int = Form(0),
    to: str = Form(...),
    mine: Milepost = Depends(own_milepost),
) -> Response:
    """Move a session to another day (``milepost plan move``); unsafe moves are refused with
    the reason, in the re-plan shown above the week."""
    when, target = parse_date(on), parse_date(to)
    replan = mine.planning.edit(Edit("move", when, index, target))
    return _week_page(request, mine, None, when, replan, "Session moved")


@router.post("/week/pin", response_class=HTMLResponse)
def pin(
    request: Request,
    on: str = Form(...),
    index: int = Form(0),
    at: str = Form(""),
    mine: Milepost = Depends(own_milepost),
) -> Response:
    """Pin a session where it is (``milepost plan pin``), optionally at a start time."""
    when = parse_date(on)
    start = parse_time(at) if at.strip() else None
    replan = mine.planning.edit(Edit("pin", when, index, None, None, start))
    return _week_page(request, mine, None, when, replan, "Session pinned")


@router.get("/plan", response_class=HTMLResponse)
def plan(request: Request, mine: Milepost = Depends(own_milepost)) -> Response:
    try:
        current = mine.planning.current()
    except NotFoundError:
        return RedirectResponse("/plan/new", status_code=303)
    return page(
        request,
        "plan.html",
        current=current,
        weeks=week_rows(current),
        volume=weekly_volume(mine, current),
    )


@router.get("/plan/new", response_class=HTMLResponse)
def new_plan_form(request: Request, mine: Milepost = Depends(own_milepost)) -> Response:
    athlete = mine.athletes.current()
    return page(request, "plan_new.html", athlete=athlete, weekdays=WEEKDAYS)


def _weekly_m(value: float | None, units: str, what: str) -> float | None:
    if value is None:
        return None
    if value <= 0:
        raise InputError(f"the {what} must be more than zero")
    return value * (METRES_PER_MILE if units == "mi" else 1000.0)


def _optional_tune_up(text: str) -> TuneUp | None:
    return parse_tune_up(text) if text.strip() else None


@router.post("/plan")
def create_plan(
    race: str = Form(...),
    race_date: str = Form(...),
    recent: str = Form(""),
    vdot: float | None = Form(None),
    weekly: float = Form(...),
    peak: float | None = Form(None),
    units: str = Form("km"),
    runs_per_week: int = Form(5),
    long_run_day: str = Form("sun"),
    rest_days: list[str] = Form([]),
    start: str = Form(""),
    tune_up: str = Form(""),
    strength: int = Form(2),
    goal: str = Form(""),
    name: str = Form(""),
    mine: Milepost = Depends(own_milepost),
) -> Response:
    """The same request as ``milepost plan new``, from the form."""
    if units not in ("km", "mi"):
        raise InputError(f"'{units}' is not a unit", hint="km or mi")
    request = PlanRequest(
        race_distance_m=parse_distance(race),
        race_date=parse_date(race_date),
        vdot=0.0,  # set by the service from the VDOT, the recent race or the athlete's races
        weekly_m=_weekly_m(weekly, units, "weekly volume") or 0.0,
        peak_m=_weekly_m(peak, units, "peak volume"),
        runs_per_week=runs_per_week,
        long_run_day=parse_weekday(long_run_day),
        rest_days=tuple(parse_weekday(d) for d in rest_days),
        start=parse_date(start) if start.strip() else None,
        units=units,
        tune_up=_optional_tune_up(tune_up),
        strength_per_week=strength,
        race_name=check_text(name, "a race name", max_length=NAME_LENGTH),
        goal_s=parse_duration(goal) if goal.strip() else None,
    )
    mine.planning.create(
        request, recent=parse_race_result(recent) if recent.strip() else None, vdot=vdot
    )
    return RedirectResponse("/today", status_code=303)


@router.get("/settings", response_class=HTMLResponse)
def settings(
    request: Request,
    user: User = Depends(signed_in),
    mp: Milepost = Depends(milepost),
) -> Response:
    return settings_page(request, user, mp)


def settings_page(
    request: Request, user: User, mp: Milepost, status_code: int = 200, **extra: object
) -> Response:
    athlete = mp.accounts.athlete_of(user)
    hours = availability_view(mp.for_athlete(athlete).scheduling) if athlete else {}
    return page(
        request,
        "settings.html",
        status_code=status_code,
        user=user,
        athlete=athlete,
        tokens=mp.accounts.api_tokens(user),
        links=mp.coaching.links(user) if athlete else [],
        audit=mp.coaching.audit(user) if athlete else [],
        **hours,
        **extra,
    )


@router.post("/settings")
def save_settings(
    display_name: str = Form(...),
    timezone: str = Form("UTC"),
    units: str = Form("km"),
    breastfeeding: bool = Form(False),
    user: User = Depends(signed_in),
    mp: Milepost = Depends(milepost),
) -> Response:
    mp.accounts.update_settings(
        user,
        display_name=display_name,
        timezone=timezone,
        units=units,
        breastfeeding=breastfeeding,
    )
    return RedirectResponse("/settings?saved=1", status_code=303)


@router.post("/settings/tokens", response_class=HTMLResponse)
def create_token(
    request: Request,
    name: str = Form(""),
    password: str = Form(""),
    scopes: list[str] = Form(["read"]),
    days: int = Form(90),
    user: User = Depends(signed_in),
    mp: Milepost = Depends(milepost),
) -> Response:
    _, token = mp.accounts.create_api_token(
        user, name, password=password, scopes=tuple(scopes), days=days
    )
    # Shown once, in this response: only its hash is stored.
    return settings_page(request, user, mp, new_token=token)


@router.post("/notes/{note_id}/reply")
def reply_to_note(
    note_id: int,
    text: str = Form(...),
    user: User = Depends(signed_in),
    mp: Milepost = Depends(milepost),
) -> Response:
    """The athlete answers her coach: notes are a thread."""
    mp.coaching.reply(user, note_id, text)
    return RedirectResponse("/today?replied=1", status_code=303)


@router.post("/settings/train")
def start_training(user: User = Depends(signed_in), mp: Milepost = Depends(milepost)) -> Response:
    """A coach who trains gets her own plan beside her roster, in the same account."""
    mp.accounts.start_training(user)
    return RedirectResponse("/plan/new", status_code=303)


@router.post("/settings/password")
def change_password(
    request: Request,
    current: str = Form(""),
    new: str = Form(""),
    user: User = Depends(signed_in),
    mp: Milepost = Depends(milepost),
) -> Response:
    """A new password; every other session of the account ends, this one stays."""
    mp.accounts.change_password(
        user, current, new, session_token=request.cookies.get(SESSION_COOKIE)
    )
    return RedirectResponse("/settings?password=changed", status_code=303)


@router.post("/settings/signout-everywhere")
def sign_out_everywhere(
    request: Request, user: User = Depends(signed_in), mp: Milepost = Depends(milepost)
) -> Response:
    mp.accounts.sign_out_everywhere(user)
    response = RedirectResponse("/signin?everywhere=1", status_code=303)
    clear_session_cookie(response, request)
    return response


@router.post("/settings/delete-account")
def delete_account(
    request: Request,
    password: str = Form(""),
    user: User = Depends(signed_in),
    mp: Milepost = Depends(milepost),
) -> Response:
    mp.accounts.delete_account(user, password)
    response = RedirectResponse("/signin?deleted=1", status_code=303)
    clear_session_cookie(response, request)
    return response


@router.post("/settings/tokens/{token_id}/delete")
def delete_token(
    token_id: int, user: User = Depends(signed_in), mp: Milepost = Depends(milepost)
) -> Response:
    mp.accounts.delete_api_token(user, token_id)
    return RedirectResponse("/settings", status_code=303)


@router.post("/settings/coaches")
def invite_coach(
    coach: str = Form(...),
    scope: str = Form("training"),
    password: str = Form(""),
    user: User = Depends(signed_in),
    mp: Milepost = Depends(milepost),
) -> Response:
    mp.coaching.invite(user, coach, scope, password=password)
    return RedirectResponse("/settings#coaches", status_code=303)


@router.post("/settings/coaches/invite-link", response_class=HTMLResponse)
def invite_link(
    request: Request,
    scope: str = Form("training"),
    password: str = Form(""),
    user: User = Depends(signed_in),
    mp: Milepost = Depends(milepost),
) -> Response:
    _, token = mp.coaching.create_invite(user, scope, password=password)
    url = public_url(request, "invite", token=token)
    return settings_page(request, user, mp, invite_url=url)


@router.post("/settings/coaches/{link_id}/scope")
def coach_scope(
    link_id: int,
    scope: str = Form(...),
    password: str = Form(""),
    user: User = Depends(signed_in),
    mp: Milepost = Depends(milepost),
) -> Response:
    mp.coaching.set_scope(user, link_id, scope, password=password)
    return RedirectResponse("/settings#coaches", status_code=303)


@router.post("/settings/coaches/{link_id}/revoke")
def revoke_coach(
    link_id: int, user: User = Depends(signed_in), mp: Milepost = Depends(milepost)
) -> Response:
    mp.coaching.revoke(user, link_id)
    return RedirectResponse("/settings#coaches", status_code=303)
