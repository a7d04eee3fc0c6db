"""The CLI's one error boundary: a MilepostError becomes ``Error: …`` (+ hint) and exit code 2.

Anything else is a bug: one line naming it and exit code 1, with the traceback only when
``MILEPOST_DEBUG`` is set. Never a traceback for a user's mistake.
"""

from __future__ import annotations

import os
from typing import Any

import typer
from rich.markup import escape
from typer.core import TyperGroup
from typer.exceptions import TyperException

from milepost.errors import MilepostError
from milepost.interfaces.cli.render import err_console

EXIT_USER_ERROR = 2
EXIT_BUG = 1


def show_error(error: MilepostError) -> None:
    err_console.print(f"[bold red]Error:[/] {escape(error.message)}")
    if error.hint:
        err_console.print(f"[dim]Hint:[/] {escape(error.hint)}")


class BoundaryGroup(TyperGroup):
    """The root command group; every subcommand runs inside its ``invoke``."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except MilepostError as error:
            show_error(error)
            raise typer.Exit(EXIT_USER_ERROR) from error
        except (TyperException, typer.Exit, typer.Abort):
            raise
        except BrokenPipeError:
            raise  # `milepost … | head`: not a bug; typer's main exits quietly (app.main)
        except Exception as error:
            if os.environ.get("MILEPOST_DEBUG"):
                raise
            err_console.print(
                f"[bold red]Error:[/] unexpected {type(error).__name__}: {escape(str(error))}"
            )
            err_console.print(
                "[dim]Hint:[/] this is a bug in milepost; run again with MILEPOST_DEBUG=1 "
                "for the details and report it"
            )
            raise typer.Exit(EXIT_BUG) from error
