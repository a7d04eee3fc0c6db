"""``milepost backup``, ``milepost check`` and ``milepost user``: looking after the data and
the web accounts."""

from __future__ import annotations

import os
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


user_app = typer.Typer(help="Web accounts: a one-time password-reset link.", no_args_is_help=True)


@user_app.command("reset-link")
def reset_link(
    login: str = typer.Argument(..., help="The account's username or email."),
    base_url: str | None = typer.Option(
        None, "--base-url", help="Where the web app is served (default: MILEPOST_BASE_URL)."
    ),
) -> None:
    """Print a one-time link to choose a new password (valid for a day).

    Using it signs the account out everywhere. Send it to its owner yourself."""
    from milepost.services.accounts import DEFAULT_BASE_URL, RESET_LIFETIME

    base = (base_url or os.environ.get("MILEPOST_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
    with opened() as mp:
        user, token = mp.accounts.create_password_reset(login)
    hours = int(RESET_LIFETIME.total_seconds() // 3600)
    console.print(f"A one-time reset link for {user.username}, valid for {hours} hours:")
    # Plain print: Rich would wrap a long link, and the link must survive copying.
    print(f"{base}/reset/{token}")
