"""The one place a :class:`MilepostError` becomes what the user sees: a page, an htmx fragment
(when the request has ``HX-Request``) or JSON (under ``/api``), always with the error's status.

A page that needs a signed-in user sends the browser to the sign-in page instead; anything that
is not a MilepostError is a bug: a plain 500, with no detail that could leak data.
"""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from milepost.errors import InputError, MilepostError, NotFoundError
from milepost.interfaces.web.render import page
from milepost.services.accounts import SignInRequiredError

log = logging.getLogger("milepost.web")
ERRORS_TO_HEADER = "X-Errors-To"
_ELEMENT_ID = re.compile(r"#[A-Za-z][\w-]{0,63}")


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api")


def render_error(request: Request, error: MilepostError) -> Response:
    if _is_api(request):
        return JSONResponse(
            {"error": type(error).__name__, "message": error.message, "hint": error.hint},
            status_code=error.status,
        )
    htmx = request.headers.get("HX-Request") == "true"
    if isinstance(error, SignInRequiredError):
        target = "/signin"
        if request.method == "GET":
            target += f"?next={request.url.path}"
        if htmx:
            return Response(status_code=204, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)
    if htmx:
        # Into the page's message area, leaving the form as the user filled it; a form far down
        # a phone screen names its own area (X-Errors-To) so the message shows beside it.
        response = page(request, "partials/error.html", status_code=error.status, error=error)
        wanted = request.headers.get(ERRORS_TO_HEADER, "")
        response.headers["HX-Retarget"] = wanted if _ELEMENT_ID.fullmatch(wanted) else "#messages"
        response.headers["HX-Reswap"] = "innerHTML"
        # The whole fragment, even when the form asked htmx to pick a part of a page (hx-select).
        response.headers["HX-Reselect"] = ".error"
        return response
    return page(request, "error.html", status_code=error.status, error=error)


def install_boundary(app: FastAPI) -> None:
    @app.exception_handler(MilepostError)
    async def milepost_error(request: Request, error: MilepostError) -> Response:
        response = render_error(request, error)
        retry_after = getattr(error, "retry_after_s", None)
        if isinstance(retry_after, int):
            response.headers["Retry-After"] = str(retry_after)
        return response

    # FastAPI's own errors (a missing form field, an unknown path) take the same road.
    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ())[1:]) or "the request"
        message = f"{where}: {first.get('msg', 'not valid')}"
        return render_error(request, InputError(message))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 404:
            return render_error(request, NotFoundError(f"nothing at {request.url.path}"))
        wrapped = MilepostError(str(error.detail))
        wrapped.status = error.status_code
        return render_error(request, wrapped)

    @app.exception_handler(Exception)
    async def bug(request: Request, error: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return render_error(request, MilepostError("something went wrong on our side"))
