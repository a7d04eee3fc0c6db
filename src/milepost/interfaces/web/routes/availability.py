"""Settings → availability and feeds: the weekly windows, one-off exceptions and the feeding
or pumping schedule, the same jobs as ``milepost availability …`` and ``milepost feeds …``.

Each form answers with the section itself (htmx) or the whole Settings page: the values now on
file, how many sessions were placed in those hours and what the scheduler could not place.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from milepost.adapters.storage.repositories import User
from milepost.bootstrap import Milepost
from milepost.domain.availability import (
    parse_date_range,
    parse_feed_times,
    parse_feeds,
    parse_time,
    parse_windows,
)
from milepost.errors import InputError
from milepost.interfaces.web.auth import milepost, own_milepost, signed_in
from milepost.interfaces.web.render import page
from milepost.interfaces.web.routes.athlete import settings_page
from milepost.interfaces.web.views import availability_view, schedule_result
from milepost.services.planning import Replan
from milepost.services.scheduling import Effect

router = APIRouter()


def _answer(
    request: Request,
    user: User,
    mp: Milepost,
    mine: Milepost,
    replan: Replan | None,
    what: str,
    *,
    effect: Effect | None = None,
    preview: bool = False,
) -> Response:
    today = mine.clock.today(mine.athletes.current().timezone)
    result = schedule_result(replan, what, today)
    if effect is None and replan is not None:
        effect = mine.scheduling.effect()
    # What the hours do to the plan (issue #14): weeks that lose volume, the biggest losses,
    # feeds that leave a window no run, and the family's proposals when asked for.
    result["effect"] = effect
    result["preview"] = preview
    if request.headers.get("HX-Request") == "true" and not request.headers.get("HX-Boosted"):
        return page(
            request,
            "partials/availability.html",
            **availability_view(mine.scheduling),
            result=result,
        )
    return settings_page(request, user, mp, result=result)


def _minutes(text: str, what: str) -> float | None:
    if not text.strip():
        return None
    try:
        minutes = float(text)
    except ValueError as exc:
        raise InputError(f"could not read '{text}' as minutes for the {what}") from exc
    return minutes * 60.0


@router.post("/settings/availability", response_class=HTMLResponse)
def set_windows(
    request: Request,
    windows: str = Form(""),
    buffer: str = Form(""),
    preview: str = Form(""),
    user: User = Depends(signed_in),
    mp: Milepost = Depends(milepost),
    mine: Milepost = Depends(own_milepost),
) -> Response:
    lines = [line.strip() for line in windows.splitlines() if line.strip()]
    parsed = parse_windows(lines)
    if preview:
        effect = mine.scheduling.preview_windows(parsed, _minutes(buffer, "buffer"))
        return _answer(
            request,
            user,
            mp,
            mine,
            None,
            "Preview: nothing saved yet.",
            effect=effect,
            preview=True,
        )
    replan = mine.scheduling.set_windows(parsed, _minutes(buffer, "buffer"))
    return _answer(request, user, mp, mine, replan, f"{len(parsed)} weekly window(s) saved.")


@router.post("/settings/availability/unavailable", response_class=HTMLResponse)
def add_unavailable(
    request: Request,
    first: str = Form(...),
    last: str = Form(""),
    reason: str = Form(""),
    user: User = Depends(signed_in),
    mp: Milepost = Depends(milepost),
    mine: Milepost = Depends(own_milepost),
) -> Response:
    start, end = parse_date_range(f"{first}..{last}" if last.strip() else first)
    replan = mine.scheduling.add_unavailable(start, end, reason.strip())
    return _answer(request, user, mp, mine, replan, "Unavailable dates saved.")


@router.post("/settings/availability/window", response_class=HTMLResponse)
def add_window(
    request: Request,
    on: str = Form(...),
    start: str = Form(...),
    end: str = Form(...),
    user: User = Depends(signed_in),
    mp: Milepost = Depends(milepost),
    mine: Milepost = Depends(own_milepost),
) -> Response:
    day, _ = parse_date_range(on)
    replan = mine.scheduling.add_window(day, parse_time(start), parse_time(end))
    return _answer(request, user, mp, mine, replan, "Extra window saved.")


@router.post("/settings/availability/clear", response_class=HTMLResponse)
def clear_exceptions(
    request: Request,
    user: User = Depends(signed_in),
    mp: Milepost = Depends(milepost),
    mine: Milepost = Depends(own_milepost),
) -> Response:
    replan = mine.scheduling.clear_exceptions()
    return _answer(request, user, mp, mine, replan, "Exceptions cleared.")


@router.post("/settings/feeds", response_class=HTMLResponse)
def set_feeds(
    request: Request,
    mode: str = Form("every"),
    every: str = Form("3h"),
    start: str = Form(""),  # no default: a made-up first feed can silently break the plan
    end: str = Form("21:00"),
    times: str = Form(""),
    duration: str = Form("30m"),
    after_feed: str = Form("45m"),
    preview: str = Form(""),
    anyway: str = Form(""),
    user: User = Depends(signed_in),
    mp: Milepost = Depends(milepost),
    mine: Milepost = Depends(own_milepost),
) -> Response:
    if mode == "every":
        if not start.strip():
            raise InputError("give the time of the first feed", hint="e.g. 05:00")
        feeds = parse_feeds(
            every=every, start=start, end=end, duration=duration, after_feed=after_feed
        )
    elif mode == "times":
        feeds = parse_feed_times(times, duration=duration, after_feed=after_feed)
    else:
        raise InputError(f"'{mode}' is not a way to give feeds", hint="every or times")
    listed = ", ".join(f"{t:%H:%M}" for t in feeds.times)
    if preview:
        effect = mine.scheduling.preview_feeds(feeds)
        what = f"Preview of feeds at {listed}: nothing saved yet."
        return _answer(request, user, mp, mine, None, what, effect=effect, preview=True)
    replan = mine.scheduling.set_feeds(feeds, anyway=bool(anyway))
    return _answer(request, user, mp, mine, replan, f"Feeds saved: {listed}.")


@router.post("/settings/feeds/proposals", response_class=HTMLResponse)
def feed_proposals(
    request: Request,
    user: User = Depends(signed_in),
    mp: Milepost = Depends(milepost),
    mine: Milepost = Depends(own_milepost),
) -> Response:
    """The family's proposals for the hours on file (tried before they are offered)."""
    effect = mine.scheduling.effect(with_proposals=True)
    what = (
        "Ways the family could help:"
        if effect.proposals
        else "Nothing to propose: no long run or quality session is cut or dropped."
    )
    return _answer(request, user, mp, mine, None, what, effect=effect, preview=True)


@router.post("/settings/feeds/accept", response_class=HTMLResponse)
def accept_proposal(
    request: Request,
    key: str = Form(...),
    user: User = Depends(signed_in),
    mp: Milepost = Depends(milepost),
    mine: Milepost = Depends(own_milepost),
) -> Response:
    replan = mine.scheduling.accept(key)
    return _answer(request, user, mp, mine, replan, "Proposal accepted: your plan is placed again.")


@router.post("/settings/race-start", response_class=HTMLResponse)
def set_race_start(
    request: Request,
    start: str = Form(""),
    user: User = Depends(signed_in),
    mp: Milepost = Depends(milepost),
    mine: Milepost = Depends(own_milepost),
) -> Response:
    at = parse_time(start) if start.strip() else None
    replan = mine.scheduling.set_race_start(at)
    what = f"Race start saved: {at:%H:%M}." if at else "Race start cleared."
    return _answer(request, user, mp, mine, replan, what)


@router.post("/settings/feeds/clear", response_class=HTMLResponse)
def clear_feeds(
    request: Request,
    user: User = Depends(signed_in),
    mp: Milepost = Depends(milepost),
    mine: Milepost = Depends(own_milepost),
) -> Response:
    replan = mine.scheduling.set_feeds(None)
    return _answer(request, user, mp, mine, replan, "Feeding schedule cleared.")
