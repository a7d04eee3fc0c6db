"""Who is asking: the session cookie or an API token; the form token (CSRF) on every POST.

Cookies: ``mp_session`` holds the session's random token (HTTP-only, SameSite=Lax, Secure
except on plain-http loopback, where a developer runs `milepost serve`). Signed-in forms carry
the session's own CSRF token; the sign-in and sign-up forms, which come before any session,
carry a double-submit token that must match the ``mp_csrf`` cookie. htmx sends the token as
the ``X-CSRF-Token`` header. Requests with ``Authorization: Bearer`` and no cookie are not
forgeable by another site, so they need no CSRF token.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from fastapi import Depends, Request
from fastapi.responses import Response

from milepost.adapters.storage.repositories import User
from milepost.bootstrap import Milepost
from milepost.domain.athlete import Athlete
from milepost.errors import PermissionDeniedError
from milepost.services.accounts import (
    SESSION_LIFETIME,
    AuthenticationError,
    SignedIn,
    SignInRequiredError,
    new_secret,
)

SESSION_COOKIE = "mp_session"
ANON_CSRF_COOKIE = "mp_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
LOOPBACK = {"localhost", "127.0.0.1", "::1", "[::1]"}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class Viewer:
    user: User
    via_token: bool  # an API token rather than a browser session
    scopes: tuple[str, ...] = ("read", "write", "coach")  # a session may do all its user may
    trains: bool = False  # a coach whose account has her own training too (issue 13)
    athlete: Athlete | None = None  # the athlete the account owns, read with the session


def milepost(request: Request) -> Milepost:
    mp: Milepost = request.app.state.milepost
    return mp


def _secure(request: Request) -> bool:
    return not (request.url.scheme == "http" and request.url.hostname in LOOPBACK)


def set_session_cookie(response: Response, request: Request, signed: SignedIn) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        signed.token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        secure=_secure(request),
        samesite="lax",
        path="/",
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, secure=_secure(request), samesite="lax", path="/"
    )


def anonymous_csrf(request: Request) -> str:
    """The double-submit token for forms shown before sign-in (one per browser); pages pick it
    up from ``request.state`` and :func:`keep_anonymous_csrf` sets its cookie."""
    if identify(request) is not None:
        return str(request.state.csrf_token)  # signed in already: the session's token rules
    token = request.cookies.get(ANON_CSRF_COOKIE) or new_secret()
    request.state.csrf_token = token
    return token


def keep_anonymous_csrf(response: Response, request: Request) -> Response:
    response.set_cookie(
        ANON_CSRF_COOKIE,
        request.state.csrf_token,
        httponly=True,
        secure=_secure(request),
        samesite="strict",
        path="/",
    )
    return response


def identify(request: Request) -> Viewer | None:
    """Resolve the caller once per request (cookie first, then a bearer token)."""
    if hasattr(request.state, "viewer"):
        viewer: Viewer | None = request.state.viewer
        return viewer
    mp = milepost(request)
    viewer = None
    request.state.csrf_token = ""
    cookie = request.cookies.get(SESSION_COOKIE)
    session = mp.accounts.session(cookie) if cookie else None
    if session is not None:
        trains = session.user.role == "coach" and session.athlete is not None
        viewer = Viewer(session.user, via_token=False, trains=trains, athlete=session.athlete)
        request.state.csrf_token = session.csrf_token
    elif request.url.path.startswith("/api"):
        # Tokens reach the API only: never Settings, where tokens are made and health shared.
        scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and credentials:
            grant = mp.accounts.grant_for_api_token(credentials.strip())
            viewer = Viewer(grant.user, via_token=True, scopes=grant.scopes)
    request.state.viewer = viewer
    return viewer


def needed_scope(method: str, path: str) -> str:
    """What a token must carry for a request: ``coach`` for other athletes' data, ``write``
    for any change, ``read`` otherwise."""
    if path.startswith(("/api/coach", "/api/athletes/")):
        return "coach"
    return "write" if method in UNSAFE else "read"


async def check_token_scope(request: Request) -> None:
    viewer = identify(request)
    if viewer is None or not viewer.via_token:
        return
    needed = needed_scope(request.method, request.url.path)
    if needed not in viewer.scopes:
        raise PermissionDeniedError(
            f"this token may not do that (it needs the '{needed}' scope)",
            hint="make a token with that scope in Settings",
        )


async def check_csrf(request: Request) -> None:
    """Every state-changing request from a browser must carry its form token."""
    if request.method not in UNSAFE:
        return
    viewer = identify(request)
    if viewer is not None and viewer.via_token:
        return
    if viewer is None and request.url.path.startswith("/api"):
        return  # the endpoint answers 401: the API takes no anonymous writes at all
    expected = request.state.csrf_token if viewer else request.cookies.get(ANON_CSRF_COOKIE)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        raise PermissionDeniedError(
            "this form has expired or did not come from milepost",
            hint="reload the page and try again",
        )


def signed_in(request: Request) -> User:
    viewer = identify(request)
    if viewer is None:
        if request.url.path.startswith("/api"):
            raise AuthenticationError(
                "sign in, or send Authorization: Bearer <personal access token>"
            )
        raise SignInRequiredError("please sign in")
    return viewer.user


def own_milepost(request: Request, user: User = Depends(signed_in)) -> Milepost:
    """The services bound to the signed-in user's own athlete (coaches have none: 403). A
    browser session brings its athlete along (one query); a token looks it up."""
    mp = milepost(request)
    viewer: Viewer | None = getattr(request.state, "viewer", None)
    if viewer is not None and viewer.athlete is not None and viewer.user.id == user.id:
        return mp.for_athlete(viewer.athlete)
    return mp.for_athlete(mp.coaching.own_athlete(user))
