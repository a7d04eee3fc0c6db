"""The JSON API under /api (OpenAPI at /api/docs): the same services as the pages.

Authenticate with the session cookie (then send the form token as ``X-CSRF-Token`` on writes)
or with ``Authorization: Bearer <personal access token>`` from Settings.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from milepost.adapters.storage.repositories import User
from milepost.bootstrap import Milepost
from milepost.domain.episode import CheckIn, Episode, EpisodeKind
from milepost.domain.plan.serialize import session_to_dict
from milepost.interfaces.web.auth import identify, milepost, own_milepost, signed_in
from milepost.interfaces.web.routes.happened import feeling_from, kind_from, symptoms_from
from milepost.services.coaching import Need
from milepost.services.planning import Replan, change_to_dict

router = APIRouter(tags=["milepost"])


class EpisodeIn(BaseModel):
    kind: str = Field(description=", ".join(k.value for k in EpisodeKind))
    start: date | None = Field(None, description="default: today")
    end: date | None = None
    fever_c: float | None = None
    symptoms: str | None = Field(None, description="none, above-neck or below-neck")
    systemic: bool = False
    antibiotics: bool = False
    abscess: bool = False
    area: str = ""
    pain_free_walking: bool = False
    cross_training: bool = False
    birth_date: date | None = None
    delivery: str = ""
    breastfeeding: bool = False
    checks_passed: bool = False
    red_flags: list[str] = []
    note: str = ""
    rest_days: int | None = Field(None, ge=0, le=4, description="mastitis: rest at first signs")
    pain: int | None = Field(None, ge=0, le=10, description="injury: pain 0–10")
    stopped_running: date | None = Field(None, description="postpartum: last run before birth")
    already_running: bool = Field(False, description="postpartum: training again (no ladder)")
    preview: bool = Field(False, description="derive the re-plan but store nothing")


class CheckInIn(BaseModel):
    on: date | None = Field(None, description="default: today")
    episode_id: int | None = None
    temp_c: float | None = None
    fever_free: bool = False
    symptoms: str | None = None
    systemic: bool | None = None
    pain_free_walking: bool | None = None
    red_flags: list[str] | None = None
    checks_passed: bool | None = None
    fever_reducer: bool | None = Field(
        None, description="fever-reducing medicine in the last 24 h (masks a normal reading)"
    )
    feeling: str | None = Field(None, description="better, same or worse")
    done: bool | None = Field(None, description="today's session done, and it went fine")
    pain: int | None = Field(None, ge=0, le=10, description="pain 0–10")
    preview: bool = False


class EpisodeEndIn(BaseModel):
    end: date | None = Field(None, description="its last day, included (default: today)")


def _user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
    }


def _replan_json(replan: Replan | None) -> dict[str, Any]:
    if replan is None:
        return {"changes": [], "no_longer": [], "forecast": None, "revision": None}
    return {
        "changes": [change_to_dict(c) for c in replan.added],
        "no_longer": list(replan.removed),
        "forecast": replan.body.get("forecast"),
        "revision": replan.revision_id,
    }


def _episode_json(e: Episode) -> dict[str, Any]:
    return {
        "id": e.id,
        "kind": e.kind.value,
        "start": e.start.isoformat(),
        "end": e.end.isoformat() if e.end else None,
        "note": e.note,
    }


@router.get("/me")
def me(
    request: Request, user: User = Depends(signed_in), mp: Milepost = Depends(milepost)
) -> dict[str, Any]:
    """Who the token or session belongs to, the athlete the account owns, and what this
    credential may do (``scopes``: read, write, coach)."""
    athlete = mp.accounts.athlete_of(user)
    owned = (
        {"id": athlete.id, "name": athlete.name, "timezone": athlete.timezone} if athlete else None
    )
    viewer = identify(request)
    scopes = list(viewer.scopes) if viewer is not None else []
    return _user_json(user) | {"athlete": owned, "scopes": scopes}


@router.get("/plan")
def plan(mine: Milepost = Depends(own_milepost)) -> dict[str, Any]:
    """Your current plan: every week and day, with guidance, the forecast and the revisions."""
    return mine.planning.current().as_json()


@router.get("/plan/today")
def plan_today(on: date | None = None, mine: Milepost = Depends(own_milepost)) -> dict[str, Any]:
    """Today's sessions (or another day's), the countdown, guidance and the race forecast."""
    result = mine.planning.today(on)
    sessions = result.day.sessions if result.day else ()
    return {
        "date": result.date.isoformat(),
        "countdown": result.week.countdown(len(result.plan.weeks)) if result.week else None,
        "sessions": [session_to_dict(s) for s in sessions],
        "guidance": result.guidance,
        "forecast": result.forecast,
    }


@router.get("/episodes")
def episodes(mine: Milepost = Depends(own_milepost)) -> list[dict[str, Any]]:
    """Your episodes, oldest first."""
    return [_episode_json(e) for e in mine.health.episodes()]


@router.post("/episodes")
def add_episode(body: EpisodeIn, mine: Milepost = Depends(own_milepost)) -> dict[str, Any]:
    """Log an episode (or, with ``preview``, see the re-plan it would cause)."""
    today = mine.clock.today(mine.athletes.current().timezone)
    episode = Episode(
        kind=kind_from(body.kind),
        start=body.start or today,
        end=body.end,
        note=body.note,
        fever_c=body.fever_c,
        symptoms=symptoms_from(body.symptoms or ""),
        systemic=body.systemic,
        antibiotics=body.antibiotics,
        abscess=body.abscess,
        area=body.area,
        pain_free_walking=body.pain_free_walking,
        cross_training=body.cross_training,
        birth_date=body.birth_date,
        delivery=body.delivery,
        breastfeeding=body.breastfeeding,
        checks_passed=body.checks_passed,
        red_flags=tuple(body.red_flags),
        rest_days=body.rest_days,
        pain=body.pain,
        stopped_running=body.stopped_running,
        already_running=body.already_running,
    )
    stored, replan = mine.health.add_episode(episode, preview=body.preview)
    return {"episode": _episode_json(stored) if not body.preview else None} | _replan_json(replan)


@router.post("/checkins")
def add_check_in(body: CheckInIn, mine: Milepost = Depends(own_milepost)) -> dict[str, Any]:
    """Report a day: temperature, symptoms, walking, red flags."""
    today = mine.clock.today(mine.athletes.current().timezone)
    check = CheckIn(
        on=body.on or today,
        episode_id=body.episode_id,
        temp_c=body.temp_c,
        fever_free=body.fever_free,
        symptoms=symptoms_from(body.symptoms or ""),
        systemic=body.systemic,
        pain_free_walking=body.pain_free_walking,
        red_flags=tuple(body.red_flags) if body.red_flags is not None else None,
        checks_passed=body.checks_passed,
        fever_reducer=body.fever_reducer,
        feeling=feeling_from(body.feeling or ""),
        done=body.done,
        pain=body.pain,
    )
    return _replan_json(mine.health.check_in(check, preview=body.preview))


@router.post("/episodes/{episode_id}/end")
def end_episode(
    episode_id: int, body: EpisodeEndIn, mine: Milepost = Depends(own_milepost)
) -> dict[str, Any]:
    """End an episode on its last day (included); the return is derived from the day after."""
    today = mine.clock.today(mine.athletes.current().timezone)
    ended, replan = mine.health.end_episode(episode_id, body.end or today)
    return {"episode": _episode_json(ended)} | _replan_json(replan)


@router.get("/coach/roster")
def roster(user: User = Depends(signed_in), mp: Milepost = Depends(milepost)) -> list[Any]:
    """Your athletes' weeks at a glance: planned against done, missed key sessions, your latest
    note; ``episodes`` and ``check_in_due`` are null without health consent."""
    return [
        {
            "athlete": {"id": e.athlete.id, "name": e.athlete.name},
            "scope": e.scope,
            "countdown": e.countdown,
            "phase": e.phase,
            "week_m": e.week_m,
            "today": list(e.today),
            "episodes": list(e.episodes) if e.episodes is not None else None,
            "done_m": e.done_m,
            "compliance": e.compliance,
            "missed_key": list(e.missed_key),
            "check_in_due": e.check_in_due,
            "latest_note": e.latest_note,
        }
        for e in mp.coaching.roster(user)
    ]


@router.get("/athletes/{athlete_id}/plan")
def athlete_plan(
    athlete_id: int, user: User = Depends(signed_in), mp: Milepost = Depends(milepost)
) -> dict[str, Any]:
    """An athlete's plan: yours, or one who made you their coach."""
    access = mp.coaching.access(user, athlete_id, Need.TRAINING)
    if not access.owner:
        mp.coaching.record_view(access, user, "your plan (through the API)")
    return mp.coaching.plan_view(access).as_json()


@router.get("/athletes/{athlete_id}/episodes")
def athlete_episodes(
    athlete_id: int, user: User = Depends(signed_in), mp: Milepost = Depends(milepost)
) -> list[dict[str, Any]]:
    """An athlete's episodes: yours, or one who shared training and health with you."""
    access = mp.coaching.access(user, athlete_id, Need.HEALTH)
    return [_episode_json(e) for e in mp.for_athlete(access.athlete).health.episodes()]
