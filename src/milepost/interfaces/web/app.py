"""The FastAPI application: routers, static files, the form-token check and the one boundary."""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from milepost import __version__
from milepost.bootstrap import Milepost, open_milepost
from milepost.interfaces.web.auth import check_csrf
from milepost.interfaces.web.boundary import install_boundary
from milepost.interfaces.web.routes import accounts, api, athlete, coach, exports, happened, log

STATIC = Path(__file__).with_name("static")


def create_app(mp: Milepost | None = None) -> FastAPI:
    """The app over ``mp`` (default: opened from the environment, as the CLI opens it)."""
    app = FastAPI(
        title="milepost",
        version=__version__,
        description="The JSON API of milepost: the same services as the web pages and the CLI.",
        docs_url="/api/docs",
        redoc_url=None,
        swagger_ui_oauth2_redirect_url="/api/docs/oauth2-redirect",
        openapi_url="/api/openapi.json",
        dependencies=[Depends(check_csrf)],
    )
    app.state.milepost = mp or open_milepost()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (accounts, athlete, happened, exports, log, coach):
        app.include_router(module.router, include_in_schema=False)
    app.include_router(api.router, prefix="/api")
    install_boundary(app)
    return app
