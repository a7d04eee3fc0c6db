"""``milepost demo``: seed the demo athlete and show what to try next (what `make run` calls)."""

from __future__ import annotations

from datetime import date

from milepost.interfaces.cli.context import opened
from milepost.interfaces.cli.paces import render_report
from milepost.interfaces.cli.render import console
from milepost.services.demo import seed_demo_athlete
from milepost.services.paces import pace_report_for_vdot


def demo() -> None:
    """Create (or reuse) the demo athlete and show her paces."""
    with opened() as mp:
        athlete = seed_demo_athlete(mp.athletes, date.today())
        where = mp.settings.database_url
        home = mp.settings.home
    vdot = athlete.current_vdot()
    console.print(f"Demo athlete [bold]{athlete.name}[/] is ready in {where}\n")
    if vdot is not None:
        render_report(pace_report_for_vdot(vdot))
    console.print(
        "\nTry next (the demo lives in its own folder):\n"
        f"  export MILEPOST_HOME={home}\n"
        "  .venv/bin/milepost paces half 1:45:00\n"
        "  .venv/bin/milepost paces 10k 45:00 --temp 29 --dew-point 22 --altitude 1800m\n"
        "  .venv/bin/milepost adjust 4:30/km --grade 6%\n"
        "  .venv/bin/milepost athlete show\n"
        "  .venv/bin/milepost --help"
    )
