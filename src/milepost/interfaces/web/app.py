"""The FastAPI application: routers, static files, the form-token check and the one boundary."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.responses import PlainTextResponse
from fastapi.staticfiles import StaticFiles

from milepost import __version__
from milepost.bootstrap import Milepost, open_milepost
from milepost.interfaces.web.auth import check_csrf, check_token_scope
from milepost.interfaces.web.boundary import install_boundary
from milepost.interfaces.web.guards import SecurityHeaders, check_path_ids, install_log_redaction
from milepost.interfaces.web.limits import MAX_BODY_BYTES, BodySizeLimit
from milepost.interfaces.web.routes import (
    accounts,
    api,
    athlete,
    availability,
    coach,
    exports,
    happened,
    log,
    progress,
)
from milepost.services.accounts import DEFAULT_BASE_URL

STATIC = Path(__file__).with_name("static")


def create_app(
    mp: Milepost | None = None,
    *,
    max_body_bytes: int = MAX_BODY_BYTES,
    base_url: str | None = None,
) -> FastAPI:
    """The app over ``mp`` (default: opened from the environment, as the CLI opens it);
    request bodies above ``max_body_bytes`` are refused before they are read.

    ``base_url`` (default: ``MILEPOST_BASE_URL``, else the local address) is where links that
    leave the browser point (invites, calendar feeds); the request's Host header, which anyone
    can set, never is."""
    app = FastAPI(
        title="milepost",
        version=__version__,
        description="The JSON API of milepost: the same services as the web pages and the CLI.",
        docs_url="/api/docs",
        redoc_url=None,
        swagger_ui_oauth2_redirect_url="/api/docs/oauth2-redirect",
        openapi_url="/api/openapi.json",
        dependencies=[Depends(check_path_ids), Depends(check_csrf), Depends(check_token_scope)],
    )
    app.state.milepost = mp or open_milepost()
    app.state.base_url = (
        base_url or os.environ.get("MILEPOST_BASE_URL") or DEFAULT_BASE_URL
    ).rstrip("/")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (accounts, athlete, availability, happened, exports, log, progress, coach):
        app.include_router(module.router, include_in_schema=False)
    app.include_router(api.router, prefix="/api")

    # For load balancers and the web benchmark's baseline: no session, no database.
    @app.get("/healthz", include_in_schema=False)
    def healthz() -> PlainTextResponse:
        return PlainTextResponse("ok")

    install_boundary(app)
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    app.add_middleware(SecurityHeaders)  # outermost: the 413 above gets the headers too
    install_log_redaction()
    return app
