"""``milepost backup`` and ``milepost check``: looking after the data."""

from __future__ import annotations

from pathlib import Path

import typer

from milepost.errors import MilepostError
from milepost.interfaces.cli.context import opened
from milepost.interfaces.cli.render import console


def backup(path: Path = typer.Argument(..., help="The backup file to create.")) -> None:
    """Back up the SQLite database while milepost is running (online, consistent)."""
    with opened() as mp:
        size = mp.maintenance.backup(path)
    console.print(f"Backed up to {path} ({size:,} bytes)")


def check() -> None:
    """Check the database's integrity."""
    with opened() as mp:
        problems = mp.maintenance.check()
    if problems:
        raise MilepostError(
            f"the database reports {len(problems)} problem(s): {problems[0]}",
            hint="restore the latest backup (docs/operations.md)",
        )
    console.print("The database is consistent.")
