"""Sign up, sign in, sign out, and the front door."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from milepost.bootstrap import Milepost
from milepost.interfaces.web.auth import (
    SESSION_COOKIE,
    anonymous_csrf,
    clear_session_cookie,
    identify,
    keep_anonymous_csrf,
    milepost,
    set_session_cookie,
)
from milepost.interfaces.web.render import page
from milepost.services.accounts import SignedIn

router = APIRouter()


def _home_of(role: str) -> str:
    return "/coach" if role == "coach" else "/today"


def _safe_next(target: str | None, fallback: str) -> str:
    # Only paths on this site: "//evil.example" and "https://…" would be open redirects, and so
    # would "/\\evil.example" or "/<tab>/evil.example": browsers read a backslash as a slash
    # and drop tabs and newlines from URLs before following them.
    if not target or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target


def _signed_in_response(request: Request, signed: SignedIn, target: str) -> Response:
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, request, signed)
    return response


@router.get("/")
def home(request: Request) -> Response:
    viewer = identify(request)
    return RedirectResponse(_home_of(viewer.user.role) if viewer else "/signin", status_code=303)


@router.get("/signup", response_class=HTMLResponse)
def signup_form(request: Request, next: str | None = None, role: str = "athlete") -> Response:
    anonymous_csrf(request)
    return keep_anonymous_csrf(
        page(
            request,
            "signup.html",
            next=_safe_next(next, ""),
            role="coach" if role == "coach" else "athlete",
        ),
        request,
    )


@router.post("/signup")
def signup(
    request: Request,
    username: str = Form(...),
    email: str = Form(...),
    password: str = Form(...),
    display_name: str = Form(""),
    role: str = Form("athlete"),
    timezone: str = Form("UTC"),
    units: str = Form("km"),
    next: str = Form(""),
    mp: Milepost = Depends(milepost),
) -> Response:
    signed = mp.accounts.sign_up(
        username=username,
        email=email,
        password=password,
        display_name=display_name,
        role=role,
        timezone=timezone,
        units=units,
    )
    target = "/plan/new" if signed.user.role == "athlete" else "/coach"
    # An invite link opened before signing up is where she comes back to (it survives).
    return _signed_in_response(request, signed, _safe_next(next, target))


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request, next: str | None = None) -> Response:
    anonymous_csrf(request)
    return keep_anonymous_csrf(page(request, "signin.html", next=_safe_next(next, "")), request)


@router.post("/signin")
def signin(
    request: Request,
    login: str = Form(...),
    password: str = Form(...),
    next: str = Form(""),
    mp: Milepost = Depends(milepost),
) -> Response:
    signed = mp.accounts.sign_in(
        login,
        password,
        address=request.client.host if request.client else "unknown",
        previous_token=request.cookies.get(SESSION_COOKIE),
    )
    return _signed_in_response(request, signed, _safe_next(next, _home_of(signed.user.role)))


@router.post("/signout")
def signout(request: Request, mp: Milepost = Depends(milepost)) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        mp.accounts.sign_out(token)
    response = RedirectResponse("/signin", status_code=303)
    clear_session_cookie(response, request)
    return response


# One-time reset links, printed by an administrator (`milepost user reset-link NAME`).
@router.get("/reset/{token}", response_class=HTMLResponse, name="reset")
def reset_form(request: Request, token: str, mp: Milepost = Depends(milepost)) -> Response:
    user = mp.accounts.password_reset_user(token)
    anonymous_csrf(request)
    return keep_anonymous_csrf(page(request, "reset.html", user=user, token=token), request)


@router.post("/reset/{token}")
def reset(
    request: Request, token: str, new: str = Form(""), mp: Milepost = Depends(milepost)
) -> Response:
    mp.accounts.reset_password(token, new)
    response = RedirectResponse("/signin?reset=1", status_code=303)
    clear_session_cookie(response, request)
    return response
