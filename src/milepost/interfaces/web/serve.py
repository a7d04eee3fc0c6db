"""``milepost serve``: the web app under uvicorn (``--demo`` seeds the demo sign-in first).

With ``--workers N`` (PostgreSQL only) uvicorn runs N worker processes on one socket; each
builds its own app and database pool with :func:`create_worker_app`, from the same environment
(``MILEPOST_DATABASE_URL``, ``MILEPOST_HOME``). The parent migrates the database and seeds the
demo before any worker starts, so workers never race a migration. Nothing a request depends on
lives in one process: sessions, tokens and sign-in failures are rows in the database, and the
only in-process caches (scheduled weeks in ``services/timing.py``, the time-zone list) are keyed
by everything their answer depends on, so they can never be stale: a worker with a cold cache
answers the same as one with a warm cache, only slower.

Proxy headers (``X-Forwarded-For``, ``X-Forwarded-Proto``) are believed only from the addresses
``--trust-proxy`` (or ``MILEPOST_TRUST_PROXY``) names: otherwise anyone could claim any address
and step around the per-address sign-in limit. Links that leave the browser (invites, feeds)
use ``--base-url`` / ``MILEPOST_BASE_URL``, else the address served on.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import typer

from milepost.errors import InputError

if TYPE_CHECKING:
    from fastapi import FastAPI

    from milepost.bootstrap import Milepost

MAX_WORKERS = 64


def seed_demo(mp: Milepost) -> None:
    """The demo athlete, her plan and hours, and the sign-in demo / milepost-demo."""
    from milepost.services.demo import seed_demo_athlete, seed_demo_plan, seed_demo_schedule

    athlete = seed_demo_athlete(mp.athletes, mp.clock.today())
    mp.accounts.ensure_demo_account(athlete)
    mine = mp.for_athlete(athlete)
    seed_demo_plan(mine.planning, mp.clock.today())
    seed_demo_schedule(mine.scheduling)


def _trusted_proxies(addresses: str | None) -> dict[str, Any]:
    """uvicorn's proxy settings: off unless addresses are named."""
    named = [a.strip() for a in (addresses or "").split(",") if a.strip()]
    if not named:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": named}


def create_worker_app() -> FastAPI:
    """What each of ``--workers`` runs (uvicorn imports it by name in every worker process)."""
    from milepost.interfaces.web.app import create_app

    return create_app()


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    demo: bool = typer.Option(False, "--demo", help="Seed the demo sign-in and plan first."),
    workers: int = typer.Option(
        1,
        "--workers",
        help="Worker processes sharing the port (more than one needs PostgreSQL).",
    ),
    trust_proxy: str | None = typer.Option(
        None,
        "--trust-proxy",
        envvar="MILEPOST_TRUST_PROXY",
        help="The reverse proxy's address(es), comma-separated: only they may set "
        "X-Forwarded-For (default: nobody).",
    ),
    base_url: str | None = typer.Option(
        None,
        "--base-url",
        envvar="MILEPOST_BASE_URL",
        help="The public address, e.g. https://milepost.example (for invite and feed links).",
    ),
) -> None:
    """Serve the web app (and the JSON API at /api, documented at /api/docs)."""
    import uvicorn  # only `serve` needs the server

    from milepost.bootstrap import open_milepost
    from milepost.interfaces.web.app import create_app
    from milepost.services.accounts import DEMO_PASSWORD, DEMO_USERNAME

    if not 1 <= workers <= MAX_WORKERS:
        raise InputError(
            f"--workers must be between 1 and {MAX_WORKERS} (got {workers})",
            hint="one or two per CPU core is usual",
        )
    mp = open_milepost()  # migrates the database, once, before any worker starts
    if workers > 1 and mp.settings.is_sqlite:
        mp.close()
        raise InputError(
            "--workers needs PostgreSQL: SQLite lets one process write at a time",
            hint="set MILEPOST_DATABASE_URL=postgresql+psycopg://USER@HOST/DB "
            "(docs/operations.md), or serve with one worker",
        )
    if demo:
        seed_demo(mp)
    shown = f"[{host}]" if ":" in host else host
    # Workers build their apps from the environment: the base URL travels there.
    os.environ["MILEPOST_BASE_URL"] = (base_url or f"http://{shown}:{port}").rstrip("/")
    proxies = _trusted_proxies(trust_proxy)
    many = f", {workers} workers" if workers > 1 else ""
    typer.echo(f"milepost is at http://{shown}:{port}/  (API docs: /api/docs{many})")
    if demo:
        typer.echo(f"Demo sign-in: {DEMO_USERNAME} / {DEMO_PASSWORD}")
    if workers > 1:
        mp.close()  # the parent only watches its workers; each opens its own pool
        uvicorn.run(
            f"{__name__}:create_worker_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            **proxies,
        )
        return
    try:
        uvicorn.run(create_app(mp), host=host, port=port, **proxies)
    finally:
        mp.close()
