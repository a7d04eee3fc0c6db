"""Something happened: log an episode or a check-in, preview the re-plan as a diff, apply it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from milepost.bootstrap import Milepost
from milepost.domain.episode import (
    ILLNESS_RED_FLAGS,
    INJURY_RED_FLAGS,
    POSTPARTUM_RED_FLAGS,
    CheckIn,
    Episode,
    EpisodeKind,
    Feeling,
    Symptoms,
    parse_temperature_reading,
)
from milepost.domain.units import parse_date
from milepost.errors import InputError
from milepost.interfaces.web.auth import own_milepost
from milepost.interfaces.web.render import page
from milepost.interfaces.web.views import replan_context
from milepost.services.planning import Replan

router = APIRouter()


def symptoms_from(text: str) -> Symptoms | None:
    if not text:
        return None
    try:
        return Symptoms(text)
    except ValueError as exc:
        raise InputError(
            f"'{text}' is not a kind of symptoms", hint="none, above-neck or below-neck"
        ) from exc


def kind_from(text: str) -> EpisodeKind:
    try:
        return EpisodeKind(text.lower())
    except ValueError as exc:
        raise InputError(
            f"'{text}' is not a kind of episode",
            hint="one of " + ", ".join(k.value for k in EpisodeKind),
        ) from exc


def _action(action: str) -> bool:
    """True to preview, False to apply."""
    if action not in ("preview", "apply"):
        raise InputError(f"'{action}' is not something this form can do")
    return action == "preview"


def _result(
    request: Request, mine: Milepost, title: str, replan: Replan | None, preview: bool
) -> Response:
    today = mine.clock.today(mine.athletes.current().timezone)
    context = replan_context(replan, today) | {"title": title, "preview": preview}
    if request.headers.get("HX-Request") == "true":
        return page(request, "partials/replan.html", **context)
    return page(
        request,
        "happened.html",
        today=today,
        episodes=mine.health.episodes(),
        kinds=list(EpisodeKind),
        red_flags=POSTPARTUM_RED_FLAGS,
        illness_flags=ILLNESS_RED_FLAGS,
        injury_flags=INJURY_RED_FLAGS,
        **context,
    )


@router.get("/happened", response_class=HTMLResponse)
def happened(request: Request, mine: Milepost = Depends(own_milepost)) -> Response:
    today = mine.clock.today(mine.athletes.current().timezone)
    return page(
        request,
        "happened.html",
        today=today,
        episodes=mine.health.episodes(),
        kinds=list(EpisodeKind),
        red_flags=POSTPARTUM_RED_FLAGS,
        illness_flags=ILLNESS_RED_FLAGS,
        injury_flags=INJURY_RED_FLAGS,
    )


@router.post("/happened/episode", response_class=HTMLResponse)
def add_episode(
    request: Request,
    kind: str = Form(...),
    start: str = Form(""),
    end: str = Form(""),
    fever: str = Form(""),
    symptoms: str = Form(""),
    systemic: bool = Form(False),
    antibiotics: bool = Form(False),
    abscess: bool = Form(False),
    area: str = Form(""),
    pain_free_walking: bool = Form(False),
    cross_training: bool = Form(False),
    birth_date: str = Form(""),
    delivery: str = Form(""),
    breastfeeding: bool = Form(False),
    checks_passed: bool = Form(False),
    red_flags: list[str] = Form([]),
    note: str = Form(""),
    rest_days: str = Form(""),
    pain: str = Form(""),
    stopped_running: str = Form(""),
    already_running: bool = Form(False),
    action: str = Form("preview"),
    mine: Milepost = Depends(own_milepost),
) -> Response:
    preview = _action(action)
    today = mine.clock.today(mine.athletes.current().timezone)
    if delivery and delivery not in ("vaginal", "caesarean"):
        raise InputError(f"'{delivery}' is not a delivery type", hint="vaginal or caesarean")
    episode = Episode(
        kind=kind_from(kind),
        start=parse_date(start) if start else today,
        end=parse_date(end) if end else None,
        note=note.strip(),
        fever_c=parse_temperature_reading(fever) if fever.strip() else None,
        symptoms=symptoms_from(symptoms),
        systemic=systemic,
        antibiotics=antibiotics,
        abscess=abscess,
        area=area.strip(),
        pain_free_walking=pain_free_walking,
        cross_training=cross_training,
        birth_date=parse_date(birth_date) if birth_date else None,
        delivery=delivery,
        breastfeeding=breastfeeding,
        checks_passed=checks_passed,
        red_flags=tuple(red_flags),
        rest_days=whole_number(rest_days, "rest days"),
        pain=whole_number(pain, "pain"),
        stopped_running=parse_date(stopped_running) if stopped_running else None,
        already_running=already_running,
    )
    stored, replan = mine.health.add_episode(episode, preview=preview)
    what = "Preview" if preview else "Logged"
    title = f"{what}: {stored.kind.value} from {stored.start:%a %d %b %Y}"
    return _result(request, mine, title, replan, preview)


@router.post("/happened/checkin", response_class=HTMLResponse)
def check_in(
    request: Request,
    on: str = Form(""),
    temp: str = Form(""),
    fever_free: bool = Form(False),
    symptoms: str = Form(""),
    systemic: str = Form(""),
    pain_free_walking: str = Form(""),
    no_red_flags: bool = Form(False),
    episode: int | None = Form(None),
    fever_reducer: bool = Form(False),
    feeling: str = Form(""),
    done: str = Form(""),
    pain: str = Form(""),
    action: str = Form("preview"),
    mine: Milepost = Depends(own_milepost),
) -> Response:
    preview = _action(action)
    today = mine.clock.today(mine.athletes.current().timezone)
    check = CheckIn(
        on=parse_date(on) if on else today,
        episode_id=episode,
        temp_c=parse_temperature_reading(temp) if temp.strip() else None,
        fever_free=fever_free,
        symptoms=symptoms_from(symptoms),
        systemic={"yes": True, "no": False}.get(systemic),
        pain_free_walking={"yes": True, "no": False}.get(pain_free_walking),
        red_flags=() if no_red_flags else None,
        fever_reducer=fever_reducer or None,
        feeling=feeling_from(feeling),
        done={"yes": True, "no": False}.get(done),
        pain=whole_number(pain, "pain"),
    )
    replan = mine.health.check_in(check, preview=preview)
    title = f"Check-in for {check.on:%a %d %b}" + (" (preview)" if preview else "")
    return _result(request, mine, title, replan, preview)


@router.post("/happened/better", response_class=HTMLResponse)
def better(request: Request, mine: Milepost = Depends(own_milepost)) -> Response:
    """ "I'm better": every open illness, mastitis or injury ends today."""
    ended = mine.health.better()
    names = ", ".join(e.kind.value for e, _ in ended)
    return _result(request, mine, f"Ended today: {names}", ended[-1][1], False)


def feeling_from(text: str) -> Feeling | None:
    if not text.strip():
        return None
    try:
        return Feeling(text.strip().lower())
    except ValueError as exc:
        raise InputError(f"'{text}' is not a feeling", hint="better, same or worse") from exc


def whole_number(text: str, what: str) -> int | None:
    if not text.strip():
        return None
    try:
        return int(text.strip())
    except ValueError as exc:
        raise InputError(f"'{text}' is not a whole number of {what}") from exc
