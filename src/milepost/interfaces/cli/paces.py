"""``milepost paces`` and ``milepost adjust``."""

from __future__ import annotations

import typer
from rich.table import Table

from milepost.domain.units import (
    STANDARD_DISTANCES,
    Units,
    format_duration,
    format_pace,
    parse_altitude_m,
    parse_distance,
    parse_duration,
    parse_grade,
    parse_pace,
    parse_temperature_c,
)
from milepost.errors import InputError
from milepost.interfaces.cli.render import console, print_json, warn
from milepost.services.paces import (
    Conditions,
    PaceReport,
    adjust_single_pace,
    pace_report,
    pace_report_for_vdot,
)

ZONE_NAMES = {
    "E": "Easy",
    "M": "Marathon",
    "T": "Threshold",
    "I": "Interval",
    "R": "Repetition",
}

TEMP = typer.Option(None, "--temp", help="Air temperature, °C (or e.g. 84F).")
DEW = typer.Option(None, "--dew-point", help="Dew point, °C (or e.g. 72F).")
ALTITUDE = typer.Option(None, "--altitude", help="Altitude, e.g. 1800m or 5900ft.")
GRADE = typer.Option(None, "--grade", help="Gradient, e.g. 6% or -3%.")
JSON = typer.Option(False, "--json", help="Print one JSON object instead of tables.")


def _conditions(
    temp: str | None, dew: str | None, altitude: str | None, grade: str | None
) -> Conditions:
    return Conditions(
        temp_c=parse_temperature_c(temp) if temp is not None else None,
        dew_point_c=parse_temperature_c(dew) if dew is not None else None,
        altitude_m=parse_altitude_m(altitude) if altitude is not None else None,
        grade=parse_grade(grade) if grade is not None else None,
    )


def paces(
    distance: str | None = typer.Argument(
        None, help="Race distance: 5k, 10k, half, marathon, mile…"
    ),
    time: str | None = typer.Argument(None, help="Race time: mm:ss or h:mm:ss."),
    vdot: float | None = typer.Option(None, "--vdot", help="Start from a VDOT instead of a race."),
    temp: str | None = TEMP,
    dew_point: str | None = DEW,
    altitude: str | None = ALTITUDE,
    as_json: bool = JSON,
) -> None:
    """VDOT, equivalent race times and training paces from a race (Daniels' tables)."""
    conditions = _conditions(temp, dew_point, altitude, None)
    if vdot is not None:
        if distance is not None:
            raise InputError("give either a race (DISTANCE TIME) or --vdot, not both")
        report = pace_report_for_vdot(vdot, conditions)
    else:
        if distance is None or time is None:
            raise InputError(
                "say which race: a distance and a time",
                hint="for example: milepost paces 5k 20:00 (or milepost paces --vdot 50)",
            )
        report = pace_report(parse_distance(distance), parse_duration(time), conditions)
    if as_json:
        print_json(report.as_json())
        return
    render_report(report)


def render_report(report: PaceReport) -> None:
    for text in report.warnings:
        warn(text)
    console.print(f"[bold]VDOT {report.vdot:.1f}[/]")
    races = Table(title="Equivalent race times", title_justify="left")
    races.add_column("Distance")
    races.add_column("Time", justify="right")
    races.add_column("Pace /km", justify="right")
    races.add_column("Pace /mi", justify="right")
    for standard in STANDARD_DISTANCES:
        seconds = report.equivalent_s[standard.key]
        per_km = seconds / standard.metres * 1000.0
        races.add_row(
            standard.label,
            format_duration(seconds),
            format_pace(per_km, Units.KM),
            format_pace(per_km, Units.MI),
        )
    console.print(races)

    adjusted = report.adjusted_zones()
    table = Table(
        title="Training paces",
        title_justify="left",
        caption=" · ".join(f"{z} {name.lower()}" for z, name in ZONE_NAMES.items()),
        caption_justify="left",
    )
    table.add_column("Zone")
    table.add_column("/km", justify="right")
    table.add_column("/mi", justify="right")
    table.add_column("/400m", justify="right")
    if adjusted:
        table.add_column("adj /km", justify="right", style="yellow")
        table.add_column("adj /mi", justify="right", style="yellow")
    for zone, (fast, slow) in report.zones().items():
        row = [zone, _range(fast, slow, Units.KM), _range(fast, slow, Units.MI)]
        per_400 = {"I": report.paces.interval_400m_s, "R": report.paces.repetition_400m_s}
        row.append(format_duration(per_400[zone]) if zone in per_400 else "")
        if adjusted:
            a_fast, a_slow = adjusted[zone]
            row += [_range(a_fast, a_slow, Units.KM), _range(a_fast, a_slow, Units.MI)]
        table.add_row(*row)
    console.print(table)
    for adjustment in report.adjustments:
        console.print(f"[yellow]Adjusted[/] for {adjustment.reason}")
    if not report.hard_running_advised:
        warn("conditions too hot for hard running: run easy, shorten, or move indoors")


def _range(fast: float, slow: float, units: Units) -> str:
    """A pace or a range in the given units, without the unit (the column header says it)."""
    per_unit = units.metres / 1000.0
    if abs(slow - fast) < 0.5:
        return format_duration(fast * per_unit)
    return f"{format_duration(fast * per_unit)}–{format_duration(slow * per_unit)}"


def adjust(
    pace: str = typer.Argument(..., help="A pace, e.g. 4:30/km or 7:15/mi."),
    zone: str = typer.Option("T", "--zone", help="The Daniels zone of the pace: E, M, T, I or R."),
    grade: str | None = GRADE,
    temp: str | None = TEMP,
    dew_point: str | None = DEW,
    altitude: str | None = ALTITUDE,
    as_json: bool = JSON,
) -> None:
    """Adjust one pace for a hill, heat or altitude."""
    zone = zone.upper()
    if zone not in ZONE_NAMES:
        raise InputError(f"'{zone}' is not a zone", hint="use one of E, M, T, I, R")
    base = parse_pace(pace)
    result = adjust_single_pace(base, _conditions(temp, dew_point, altitude, grade), zone)
    if as_json:
        print_json(
            {
                "pace_s_per_km": round(result.pace_s_per_km, 1),
                "adjusted_s_per_km": round(result.adjusted_s_per_km, 1),
                "zone": zone,
                "adjustments": [{"kind": a.kind, "reason": a.reason} for a in result.adjustments],
            }
        )
        return
    adjusted = result.adjusted_s_per_km
    console.print(
        f"{format_pace(base)} ({format_pace(base, Units.MI)}) → "
        f"[bold]{format_pace(adjusted)}[/] ({format_pace(adjusted, Units.MI)})"
    )
    for adjustment in result.adjustments:
        console.print(f"  {adjustment.reason}")


def register(app: typer.Typer) -> None:
    app.command("paces")(paces)
    app.command("adjust")(adjust)
