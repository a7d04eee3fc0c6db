"""``milepost``: the command line. Noun groups, then verbs; each command parses, calls one
service, renders."""

from __future__ import annotations

import typer

from milepost import __version__
from milepost.interfaces.cli import (
    admin,
    athlete,
    episode,
    export,
    import_all,
    log,
    paces,
    plan,
    schedule,
)
from milepost.interfaces.cli.boundary import BoundaryGroup
from milepost.interfaces.cli.demo import demo
from milepost.interfaces.web.serve import serve

app = typer.Typer(
    cls=BoundaryGroup,
    name="milepost",
    help="A training planner and log for runners whose lives keep interrupting their training.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"milepost {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """A training planner and log for runners whose lives keep interrupting their training."""


paces.register(app)
app.add_typer(athlete.app, name="athlete")
app.add_typer(plan.app, name="plan")
app.add_typer(export.app, name="export")
app.add_typer(episode.app, name="episode")
app.add_typer(log.app, name="log")
app.command("checkin")(episode.checkin)
app.add_typer(schedule.availability_app, name="availability")
app.command("backup")(admin.backup)
app.add_typer(import_all.app, name="import")
app.command("check")(admin.check)
app.add_typer(schedule.feeds_app, name="feeds")
app.command("demo")(demo)
app.command("serve")(serve)


def main() -> None:
    app()
