"""``milepost serve``: the web app under uvicorn (``--demo`` seeds the demo sign-in first)."""

from __future__ import annotations

import typer

from milepost.bootstrap import Milepost, open_milepost
from milepost.services.accounts import DEMO_PASSWORD, DEMO_USERNAME
from milepost.services.demo import seed_demo_athlete, seed_demo_plan, seed_demo_schedule


def seed_demo(mp: Milepost) -> None:
    """The demo athlete, her plan and hours, and the sign-in demo / milepost-demo."""
    athlete = seed_demo_athlete(mp.athletes, mp.clock.today())
    mp.accounts.ensure_demo_account(athlete)
    mine = mp.for_athlete(athlete)
    seed_demo_plan(mine.planning, mp.clock.today())
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
