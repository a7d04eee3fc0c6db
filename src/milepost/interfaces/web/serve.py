"""``milepost serve``: the web app under uvicorn (``--demo`` seeds the demo sign-in first)."""

from __future__ import annotations

from datetime import timedelta

import typer

from milepost.bootstrap import Milepost, open_milepost
from milepost.domain.plan.request import PlanRequest
from milepost.domain.units import HALF_MARATHON_M
from milepost.errors import NotFoundError
from milepost.services.accounts import DEMO_PASSWORD, DEMO_USERNAME
from milepost.services.demo import seed_demo_athlete, seed_demo_schedule


def seed_demo(mp: Milepost) -> None:
    """The demo athlete (as `milepost demo` makes her), signed in as demo / milepost-demo, with
    a half-marathon plan that is in its fourth week today."""
    today = mp.clock.today()
    athlete = seed_demo_athlete(mp.athletes, today)
    mp.accounts.ensure_demo_account(athlete)
    mine = mp.for_athlete(athlete)
    try:
        mine.planning.current()
    except NotFoundError:
        start = today - timedelta(days=today.weekday() + 21)
        mine.planning.create(
            PlanRequest(
                race_distance_m=HALF_MARATHON_M,
                race_date=start + timedelta(weeks=14, days=-1),
                vdot=0.0,
                weekly_m=40_000.0,
                start=start,
                long_run_day=5,
                race_name="Demo Half",
            )
        )
    seed_demo_schedule(mine.scheduling)


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    demo: bool = typer.Option(False, "--demo", help="Seed the demo sign-in and plan first."),
) -> None:
    """Serve the web app (and the JSON API at /api, documented at /api/docs)."""
    import uvicorn  # only `serve` needs the server

    from milepost.interfaces.web.app import create_app

    mp = open_milepost()
    if demo:
        seed_demo(mp)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"milepost is at http://{shown}:{port}/  (API docs: /api/docs)")
    if demo:
        typer.echo(f"Demo sign-in: {DEMO_USERNAME} / {DEMO_PASSWORD}")
    try:
        uvicorn.run(create_app(mp), host=host, port=port, proxy_headers=True)
    finally:
        mp.close()
