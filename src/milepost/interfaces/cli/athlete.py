"""``milepost athlete new/show/use/list``."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

import typer
from rich.table import Table

from milepost.bounds import NAME_LENGTH, check_text, check_timezone
from milepost.domain.athlete import Athlete, Sex, parse_race_result
from milepost.domain.units import (
    Units,
    format_distance,
    format_duration,
    parse_date,
    parse_weight_kg,
)
from milepost.errors import InputError
from milepost.interfaces.cli.context import opened
from milepost.interfaces.cli.render import console, print_json

E = TypeVar("E", bound=StrEnum)

app = typer.Typer(help="Athletes: create, choose and show profiles.", no_args_is_help=True)


def athlete_json(athlete: Athlete) -> dict[str, object]:
    vdot = athlete.current_vdot()
    return {
        "id": athlete.id,
        "name": athlete.name,
        "timezone": athlete.timezone,
        "units": athlete.units.value,
        "birth_date": athlete.birth_date.isoformat() if athlete.birth_date else None,
        "sex": athlete.sex.value if athlete.sex else None,
        "weight_kg": athlete.weight_kg,
        "breastfeeding": athlete.breastfeeding,
        "races": [
            {
                "distance_m": r.distance_m,
                "time_s": r.time_s,
                "date": r.on.isoformat() if r.on else None,
                "vdot": round(r.vdot, 2),
            }
            for r in athlete.races
        ],
        "vdot": round(vdot, 2) if vdot is not None else None,
    }


def _choice(value: str, enum: type[E], what: str) -> E:
    try:
        return enum(value.lower())
    except ValueError as exc:
        allowed = ", ".join(m.value for m in enum)
        raise InputError(f"'{value}' is not a {what}", hint=f"use one of: {allowed}") from exc


@app.command("new")
def new(
    name: str = typer.Argument(..., help="The athlete's name."),
    tz: str = typer.Option("UTC", "--tz", help="IANA time zone, e.g. Europe/London."),
    units: str = typer.Option("km", "--units", help="km or mi."),
    birth_date: str | None = typer.Option(None, "--birth-date", help="YYYY-MM-DD."),
    sex: str | None = typer.Option(None, "--sex", help="female, male or other."),
    weight: str | None = typer.Option(None, "--weight", help="e.g. 61kg or 134lb."),
    race: list[str] = typer.Option(
        [], "--race", help="A recent race, e.g. 5k=22:30@2026-10-04 (repeatable)."
    ),
    breastfeeding: bool = typer.Option(
        False, "--breastfeeding", help="Breastfeeding: feed-or-pump guidance around runs."
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Create an athlete and make them the current one."""
    athlete = Athlete(
        name=check_text(name, "a name", max_length=NAME_LENGTH, allow_empty=False),
        timezone=check_timezone(tz),
        units=_choice(units, Units, "unit"),
        birth_date=parse_date(birth_date) if birth_date else None,
        sex=_choice(sex, Sex, "sex") if sex else None,
        weight_kg=parse_weight_kg(weight) if weight else None,
        races=tuple(parse_race_result(r) for r in race),
        breastfeeding=breastfeeding,
    )
    with opened() as mp:
        stored = mp.athletes.create(athlete)
    if as_json:
        print_json(athlete_json(stored))
        return
    console.print(
        f"Created athlete [bold]{stored.name}[/] (id {stored.id}); now the current athlete."
    )


@app.command("set")
def set_(
    breastfeeding: bool | None = typer.Option(
        None,
        "--breastfeeding/--not-breastfeeding",
        help="Breastfeeding: feed or pump before runs, fluids, a supportive bra.",
    ),
) -> None:
    """Change the current athlete's profile settings; the plan is derived again."""
    if breastfeeding is None:
        raise InputError("say what to set", hint="--breastfeeding or --not-breastfeeding")
    with opened() as mp:
        athlete = mp.athletes.set_breastfeeding(breastfeeding)
    console.print(
        f"{athlete.name}: {'breastfeeding' if athlete.breastfeeding else 'not breastfeeding'}"
    )


@app.command("show")
def show(
    ref: str | None = typer.Argument(None, help="Id or name; the current athlete by default."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Show a profile."""
    with opened() as mp:
        athlete = mp.athletes.find(ref) if ref else mp.athletes.current()
    if as_json:
        print_json(athlete_json(athlete))
        return
    console.print(f"[bold]{athlete.name}[/] (id {athlete.id})")
    console.print(f"Time zone {athlete.timezone} · units {athlete.units.value}")
    if athlete.birth_date:
        console.print(f"Born {athlete.birth_date.isoformat()}")
    if athlete.sex:
        console.print(f"Sex {athlete.sex.value}")
    if athlete.weight_kg:
        console.print(f"Weight {athlete.weight_kg:.1f} kg")
    for r in athlete.races:
        when = f" on {r.on.isoformat()}" if r.on else ""
        console.print(
            f"Race: {format_distance(r.distance_m, athlete.units)} in {format_duration(r.time_s)}"
            f"{when} → VDOT {r.vdot:.1f}"
        )


@app.command("use")
def use(ref: str = typer.Argument(..., help="Id or name.")) -> None:
    """Make an athlete the current one."""
    with opened() as mp:
        athlete = mp.athletes.use(ref)
    console.print(f"Current athlete: [bold]{athlete.name}[/] (id {athlete.id})")


@app.command("list")
def list_(as_json: bool = typer.Option(False, "--json")) -> None:
    """List athletes."""
    with opened() as mp:
        athletes = mp.athletes.all()
        current_id = mp.athletes.current_id()
    if as_json:
        print_json([athlete_json(a) | {"current": a.id == current_id} for a in athletes])
        return
    table = Table()
    for column in ("", "Id", "Name", "Time zone", "Units", "VDOT"):
        table.add_column(column)
    for a in athletes:
        vdot = a.current_vdot()
        table.add_row(
            "*" if a.id == current_id else "",
            str(a.id),
            a.name,
            a.timezone,
            a.units.value,
            f"{vdot:.1f}" if vdot else "",
        )
    console.print(table)


@app.command("delete")
def delete(
    ref: str = typer.Argument(..., help="Id or name."),
    yes: bool = typer.Option(False, "--yes", help="Really delete, without asking."),
) -> None:
    """Delete an athlete and everything of hers: plans, episodes, log, files."""
    if not yes:
        raise InputError(
            f"this deletes '{ref}' and all her data for good",
            hint=f"export it first (milepost export all), then add --yes to delete '{ref}'",
        )
    with opened() as mp:
        counts = mp.ownership.delete(ref)
    console.print(
        f"Deleted '{ref}': " + ", ".join(f"{n} {table}" for table, n in counts.items() if n)
    )
