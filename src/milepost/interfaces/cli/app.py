"""``milepost``: the command line. Noun groups, then verbs; each command parses, calls one
service, renders.

Each command's module is imported only when that command runs (``lazy.py``): ``milepost
paces`` never loads the database, and ``milepost --help`` loads no command at all.
"""

from __future__ import annotations

import os
import sys

import typer

from milepost import __version__
from milepost.interfaces.cli.lazy import LazyCommand, LazyGroup

CLI = "milepost.interfaces.cli"


class Root(LazyGroup):
    # In the order `milepost --help` lists them (Typer lists commands before groups).
    lazy_commands = (
        LazyCommand(
            "paces",
            f"{CLI}.paces:paces",
            "VDOT, equivalent race times and training paces from a race (Daniels' tables).",
        ),
        LazyCommand(
            "adjust", f"{CLI}.paces:adjust", "Adjust one pace for a hill, heat or altitude."
        ),
        LazyCommand(
            "checkin",
            f"{CLI}.episode:checkin",
            "Report how today went: temperature, symptoms, walking, red flags.",
        ),
        LazyCommand(
            "backup",
            f"{CLI}.admin:backup",
            "Back up the SQLite database while milepost is running (online, consistent).",
        ),
        LazyCommand("check", f"{CLI}.admin:check", "Check the database's integrity."),
        LazyCommand(
            "user", f"{CLI}.admin:user_app", "Web accounts: a one-time password-reset link."
        ),
        LazyCommand(
            "demo", f"{CLI}.demo:demo", "Create (or reuse) the demo athlete and show her paces."
        ),
        LazyCommand(
            "serve",
            "milepost.interfaces.web.serve:serve",
            "Serve the web app (and the JSON API at /api, documented at /api/docs).",
        ),
        LazyCommand("athlete", f"{CLI}.athlete:app", "Athletes: create, choose and show profiles."),
        LazyCommand("plan", f"{CLI}.plan:app", "Race plans: create, show, and today's session."),
        LazyCommand(
            "export",
            f"{CLI}.export:app",
            "Export the plan: calendar, printable PDF, watch workout.",
        ),
        LazyCommand(
            "episode",
            f"{CLI}.episode:app",
            "Illness, mastitis, injury, missed days, postpartum return.",
        ),
        LazyCommand(
            "log",
            f"{CLI}.log:app",
            "The training log: import, add, list, the week against the plan.",
        ),
        LazyCommand(
            "availability",
            f"{CLI}.schedule:availability_app",
            "Weekly windows and one-off exceptions.",
        ),
        LazyCommand("import", f"{CLI}.import_all:app", "Bring data back into milepost."),
        LazyCommand("feeds", f"{CLI}.schedule:feeds_app", "Feeding or pumping schedule."),
    )


app = typer.Typer(
    cls=Root,
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


def main() -> None:
    try:
        app()
    except BrokenPipeError:
        _reader_went_away()
    finally:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _reader_went_away()


def _reader_went_away() -> None:
    """``milepost … | head -1``: the reader closed the pipe. Stop quietly, as click and Rich
    do (exit 1, no traceback); stdout goes to /dev/null so the exit's own flush cannot fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(1)
