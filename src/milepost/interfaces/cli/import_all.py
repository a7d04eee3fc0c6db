"""``milepost import all``: bring back an export."""

from __future__ import annotations

from pathlib import Path

import typer

from milepost.errors import InputError
from milepost.interfaces.cli.context import opened
from milepost.interfaces.cli.render import console

app = typer.Typer(help="Bring data back into milepost.", no_args_is_help=True)


@app.command("all")
def import_all(
    path: Path = typer.Argument(..., help="A zip made by milepost export all."),
    as_name: str | None = typer.Option(None, "--as", help="Import under another name."),
) -> None:
    """Restore an athlete from an export, as a new athlete (all or nothing)."""
    try:
        data = path.expanduser().read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    with opened() as mp:
        athlete = mp.ownership.import_all(data, rename=as_name)
    console.print(f"Imported {athlete.name} (id {athlete.id}); now the current athlete.")
