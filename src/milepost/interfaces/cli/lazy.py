"""Commands that are imported only when they run.

Importing every command module up front cost each ``milepost`` call about two seconds: the
services behind them pull in SQLAlchemy, Alembic, OR-Tools, ReportLab, matplotlib and (for
``serve``) FastAPI. The root group instead knows each command by name, by where it lives
(``"module:attribute"``, a Typer sub-app or a command function) and by the one line
``milepost --help`` shows; the module is imported when the command is resolved to run (or to
show its own help). ``tests/interfaces/test_cli_imports.py`` checks that each listed line is
the command's own help, so the two cannot drift apart.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from milepost.interfaces.cli.boundary import BoundaryGroup

if TYPE_CHECKING:  # Typer ships its own copy of click; these are its types
    from typer._click import Command, Context, HelpFormatter


@dataclass(frozen=True)
class LazyCommand:
    name: str
    target: str  # "package.module:attribute": a typer.Typer sub-app or a command function
    help: str  # what `milepost --help` lists for it: the first paragraph of its own help

    def load(self) -> Any:
        module_name, _, attribute = self.target.partition(":")
        return getattr(importlib.import_module(module_name), attribute)


class _Listed(TyperCommand):
    """Stands in for a command that has not been imported: a name and a line of help."""

    def __init__(self, entry: LazyCommand) -> None:
        super().__init__(entry.name, help=entry.help)
        self.entry = entry


class LazyGroup(BoundaryGroup):
    """The root group: subclasses list their commands in ``lazy_commands``, in help order."""

    lazy_commands: ClassVar[tuple[LazyCommand, ...]] = ()

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        # In self.commands, so the order, "did you mean …?" and the help listing all see them.
        for entry in self.lazy_commands:
            self.commands.setdefault(entry.name, _Listed(entry))
        self._listing = False

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        # Listing the commands needs only their names and lines: import nothing.
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        command = self.commands.get(cmd_name)
        if isinstance(command, _Listed) and not self._listing:
            command = self.commands[cmd_name] = self.build(command.entry)
        return command

    def build(self, entry: LazyCommand) -> Command:
        """The click command Typer would have built had the target been registered eagerly."""
        holder = typer.Typer(
            rich_markup_mode=self.rich_markup_mode,
            pretty_exceptions_enable=False,
            add_completion=False,
        )
        holder.callback()(_nothing)  # a callback makes the holder a group, even with one command
        target = entry.load()
        if isinstance(target, typer.Typer):
            holder.add_typer(target, name=entry.name)
        else:
            holder.command(entry.name)(target)
        group = typer.main.get_command(holder)
        assert isinstance(group, TyperGroup)
        return group.commands[entry.name]


def _nothing() -> None:
    """Placeholder callback of the throwaway group that builds one lazy command."""
