"""``milepost export ical/pdf/workout``."""

from __future__ import annotations

from pathlib import Path

import typer

from milepost.adapters.files import write_atomically
from milepost.domain.units import parse_date
from milepost.interfaces.cli.context import opened
from milepost.interfaces.cli.render import console

app = typer.Typer(
    help="Export the plan: calendar, printable PDF, watch workout.", no_args_is_help=True
)


@app.command("ical")
def ical(
    path: Path = typer.Argument(..., help="Where to write the .ics file."),
    busy: bool = typer.Option(False, "--busy", help="Busy blocks only, for a shared calendar."),
    training_only: bool = typer.Option(
        False, "--training-only", help="For others: no health detail, only the training."
    ),
) -> None:
    """The plan as an iCalendar file; re-importing it updates the events."""
    with opened() as mp:
        data = mp.exports.ical(busy_only=busy, health=not training_only)
    write_atomically(path, data)
    console.print(f"Wrote {path} ({len(data):,} bytes)")


@app.command("pdf")
def pdf(
    path: Path = typer.Argument(..., help="Where to write the PDF."),
    paper: str = typer.Option("a4", "--paper", help="a4 or letter."),
    training_only: bool = typer.Option(
        False, "--training-only", help="For others: no health detail, only the training."
    ),
) -> None:
    """A printable plan: cover with paces, then calendar pages."""
    with opened() as mp:
        data = mp.exports.pdf(paper=paper.lower(), health=not training_only)
    write_atomically(path, data)
    console.print(f"Wrote {path} ({len(data):,} bytes)")


@app.command("all")
def export_all(path: Path = typer.Argument(..., help="The zip to write, e.g. maya.zip.")) -> None:
    """Everything of the current athlete as one zip (milepost import all brings it back)."""
    with opened() as mp:
        athlete, data = mp.ownership.export_all()
    write_atomically(path, data)
    console.print(f"Wrote {path}: all of {athlete.name}'s data ({len(data):,} bytes)")


@app.command("workout")
def workout(
    on: str = typer.Argument(..., help="The day, YYYY-MM-DD."),
    path: Path = typer.Argument(..., help="Where to write the .fit workout."),
) -> None:
    """That day's session as a FIT workout file for a watch."""
    with opened() as mp:
        data = mp.exports.workout(parse_date(on))
    write_atomically(path, data)
    console.print(f"Wrote {path}: copy it to the watch's GARMIN/NewFiles folder")
