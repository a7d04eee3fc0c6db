"""``milepost log import/list/show/add/week/recap/fitness``: the training log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from milepost.bounds import check_id
from milepost.domain.units import (
    Units,
    format_distance,
    format_duration,
    format_pace,
    parse_date,
    parse_distance,
    parse_duration,
)
from milepost.errors import InputError
from milepost.interfaces.cli.context import opened
from milepost.interfaces.cli.render import console, print_json
from milepost.services.logbook import (
    ImportReport,
    LoggedActivity,
    RaceUpdate,
    WeekView,
    report_json,
)

app = typer.Typer(
    help="The training log: import, add, list, the week against the plan.", no_args_is_help=True
)

JSON = typer.Option(False, "--json", help="Print one JSON object instead of tables.")
SUMMARY_ROWS = 20  # imported activities listed after an import; the rest are counted


class FilesPerSecond(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} files/s" if speed else "… files/s", style="progress.data.speed")


@app.command("import")
def import_(
    paths: list[Path] = typer.Argument(..., help="Files, folders or export zips."),
    as_json: bool = JSON,
) -> None:
    """Import FIT, GPX and TCX files (gzipped too), folders and Garmin or Strava export zips."""
    with opened() as mp:
        if as_json:
            report = mp.logbook.import_paths(paths)
        else:
            columns = (
                TextColumn("Importing"),
                BarColumn(),
                MofNCompleteColumn(),
                FilesPerSecond(),
                TimeElapsedColumn(),
            )
            with Progress(*columns, console=console) as bar:
                task = bar.add_task("import", total=None)

                def advance(done: int, total: int, _path: str) -> None:
                    bar.update(task, completed=done, total=total)

                report = mp.logbook.import_paths(paths, progress=advance)
        units = mp.athletes.current().units
    if as_json:
        print_json(report_json(report))
        return
    render_import(report, units)


def render_import(report: ImportReport, units: Units) -> None:
    rate = report.files / report.seconds if report.seconds > 0 else 0.0
    console.print(
        f"[bold]{len(report.imported)} imported[/], {len(report.duplicates)} duplicate"
        f"{'' if len(report.duplicates) == 1 else 's'}, {len(report.failed)} failed "
        f"[dim]({report.files} files, {report.bytes_read / 1e6:.1f} MB in "
        f"{report.seconds:.1f} s, {rate:.1f} files/s)[/]"
    )
    if report.imported:
        table = Table(title="Imported", title_justify="left")
        for column in ("ID", "Start", "Sport", "Distance", "Moving", "File"):
            table.add_column(column)
        for a in report.imported[:SUMMARY_ROWS]:
            table.add_row(
                str(a.id),
                f"{a.start:%Y-%m-%d %H:%M}",
                a.sport,
                format_distance(a.distance_m, units) if a.distance_m else "—",
                format_duration(a.moving_s) if a.moving_s else "—",
                escape(Path(a.path).name),
            )
        console.print(table)
        if len(report.imported) > SUMMARY_ROWS:
            console.print(f"[dim]… and {len(report.imported) - SUMMARY_ROWS} more[/]")
    for d in report.duplicates[:SUMMARY_ROWS]:
        console.print(f"[dim]duplicate:[/] {escape(d.path)} [dim]is activity {d.of}[/]")
    for f in report.failed:
        console.print(f"[red]failed:[/] {escape(f.path)}: {escape(f.reason)}")


def _activity_row(logged: LoggedActivity, units: Units) -> list[str]:
    a = logged.activity
    return [
        str(logged.id),
        f"{logged.local_date:%a %Y-%m-%d}",
        a.sport + (" (race)" if logged.stored.is_race else ""),
        format_distance(a.distance_m, units) if a.distance_m else "—",
        format_duration(a.moving_s or a.elapsed_s or 0) if (a.moving_s or a.elapsed_s) else "—",
        format_pace(a.avg_pace_s_per_km, units) if a.avg_pace_s_per_km else "—",
        f"{a.avg_hr_bpm:.0f}" if a.avg_hr_bpm else "—",
        f"{logged.load:.0f}" if logged.load is not None else "—",
    ]


def activity_json(logged: LoggedActivity) -> dict[str, Any]:
    a = logged.activity
    return {
        "id": logged.id,
        "date": logged.local_date.isoformat(),
        "start": a.start.isoformat(),
        "sport": a.sport,
        "race": logged.stored.is_race,
        "distance_m": a.distance_m,
        "elapsed_s": a.elapsed_s,
        "moving_s": a.moving_s,
        "avg_pace_s_per_km": a.avg_pace_s_per_km,
        "grade_adjusted_pace_s_per_km": a.grade_adjusted_pace_s_per_km,
        "elevation_gain_m": a.elevation_gain_m,
        "elevation_loss_m": a.elevation_loss_m,
        "avg_hr_bpm": a.avg_hr_bpm,
        "max_hr_bpm": a.max_hr_bpm,
        "avg_cadence_spm": a.avg_cadence_spm,
        "source_format": a.source_format,
        "device": a.device,
        "load": logged.load,
        "load_method": logged.load_method,
    }


@app.command("list")
def list_(
    since: str | None = typer.Option(None, "--since", help="From this date, YYYY-MM-DD."),
    as_json: bool = JSON,
) -> None:
    """List logged activities, oldest first."""
    with opened() as mp:
        activities = mp.logbook.list_activities(parse_date(since) if since else None)
        units = mp.athletes.current().units
    if as_json:
        print_json({"activities": [activity_json(a) for a in activities]})
        return
    if not activities:
        console.print("Nothing logged yet. Import with: milepost log import PATH")
        return
    table = Table()
    for column in ("ID", "Date", "Sport", "Distance", "Time", "Pace", "HR", "Load"):
        table.add_column(column, justify="left" if column in ("Date", "Sport") else "right")
    for logged in activities:
        table.add_row(*_activity_row(logged, units))
    console.print(table)


def render_race(update: RaceUpdate, units: Units) -> None:
    was = f" (was {update.previous_vdot:.1f})" if update.previous_vdot else ""
    p = update.paces
    console.print(f"[bold]Race: VDOT {update.vdot:.1f}[/]{was}")
    console.print(
        f"Paces: E {format_pace(p.easy[0], units)}–{format_pace(p.easy[1], units)} · "
        f"M {format_pace(p.marathon, units)} · T {format_pace(p.threshold, units)} · "
        f"I {format_pace(p.interval, units)} · R {format_pace(p.repetition, units)}"
    )
    if update.suggestion:
        console.print(f"To carry this into your plan: [bold]{escape(update.suggestion)}[/]")


def race_json(update: RaceUpdate) -> dict[str, Any]:
    return {
        "vdot": update.vdot,
        "previous_vdot": update.previous_vdot,
        "paces": update.paces.by_zone(),
        "suggestion": update.suggestion,
    }


@app.command("show")
def show(
    activity_id: int = typer.Argument(..., help="The activity's ID (see milepost log list)."),
    race: bool | None = typer.Option(
        None, "--race/--not-race", help="Flag it as a race (re-derives VDOT), or unflag it."
    ),
    as_json: bool = JSON,
) -> None:
    """Show one activity: summary, laps and best efforts."""
    check_id(activity_id, "activity id")
    with opened() as mp:
        update = mp.logbook.mark_race(activity_id, race) if race is not None else None
        logged = mp.logbook.show(activity_id)
        units = mp.athletes.current().units
    a = logged.activity
    if as_json:
        data = activity_json(logged)
        data["laps"] = [
            {
                "start": lap.start.isoformat(),
                "elapsed_s": lap.elapsed_s,
                "distance_m": lap.distance_m,
            }
            for lap in a.laps
        ]
        data["best_efforts"] = [
            {"distance_m": e.distance_m, "duration_s": e.duration_s}
            for e in logged.stored.best_efforts
        ]
        data["samples"] = logged.samples
        data["warnings"] = list(logged.stored.warnings)
        if update is not None:
            data["race_update"] = race_json(update)
        print_json(data)
        return
    table = Table(show_header=False, box=None)
    table.add_column(style="dim")
    table.add_column()
    headers = ("ID", "Date", "Sport", "Distance", "Time", "Pace", "Avg HR", "Load")
    for label, value in zip(headers, _activity_row(logged, units), strict=True):
        table.add_row(label, value)
    if a.elapsed_s:
        table.add_row("Elapsed", format_duration(a.elapsed_s))
    if a.grade_adjusted_pace_s_per_km:
        table.add_row("Grade-adjusted", format_pace(a.grade_adjusted_pace_s_per_km, units))
    if a.elevation_gain_m is not None:
        table.add_row("Climb / descent", f"{a.elevation_gain_m:.0f} m / {a.elevation_loss_m:.0f} m")
    if a.avg_cadence_spm:
        table.add_row("Cadence", f"{a.avg_cadence_spm:.0f} spm")
    table.add_row("Source", f"{a.source_format}{' · ' + a.device if a.device else ''}")
    console.print(table)
    if logged.stored.best_efforts:
        efforts = " · ".join(
            f"{format_distance(e.distance_m, units)} {format_duration(e.duration_s)}"
            for e in logged.stored.best_efforts
        )
        console.print(f"[bold]Best efforts[/] {efforts}")
    if a.laps:
        console.print(f"[dim]{len(a.laps)} laps[/]")
    for warning in logged.stored.warnings:
        console.print(f"[yellow]Note:[/] {escape(warning)}")
    if update is not None:
        render_race(update, units)


@app.command("add")
def add(
    on: str = typer.Option(..., "--date", help="YYYY-MM-DD."),
    distance: str | None = typer.Option(None, "--distance", help="e.g. 8km, 5mi."),
    duration: str | None = typer.Option(None, "--time", help="e.g. 45:00 or 1:02:30."),
    kind: str = typer.Option("run", "--kind", help="run, strength, walk, hike, ride, swim, cross."),
    race: bool = typer.Option(False, "--race", help="It was a race: re-derive VDOT from it."),
    note: str = typer.Option("", "--note", help="A few words to keep with it."),
    as_json: bool = JSON,
) -> None:
    """Log a session by hand: a run without a watch, a strength session."""
    if kind == "run" and duration is None:
        raise InputError("a run needs a time", hint="for example --time 45:00")
    with opened() as mp:
        logged = mp.logbook.add_manual(
            parse_date(on),
            distance_m=parse_distance(distance) if distance else None,
            duration_s=parse_duration(duration) if duration else None,
            kind=kind,
            race=race,
            note=note,
        )
        units = mp.athletes.current().units
    if as_json:
        data = activity_json(logged)
        if logged.race is not None:
            data["race_update"] = race_json(logged.race)
        print_json(data)
        return
    console.print(f"Logged activity {logged.id}: " + " · ".join(_activity_row(logged, units)[1:5]))
    if logged.race is not None:
        render_race(logged.race, units)


def week_json(view: WeekView) -> dict[str, Any]:
    c = view.compliance
    fitness = view.fitness
    return {
        "week": c.week,
        "weeks_in_plan": c.weeks_in_plan,
        "starts": c.starts.isoformat(),
        "ends": c.ends.isoformat(),
        "planned_m": c.planned_m,
        "done_m": c.done_m,
        "long_run_m": c.long_run_m,
        "planned_long_run_m": c.planned_long_run_m,
        "strength_sessions": c.strength_sessions,
        "planned_strength_sessions": c.planned_strength_sessions,
        "weeks_to_race": c.weeks_to_race,
        "compliance": c.compliance,
        "volume_ratio": c.volume_ratio,
        "headline": view.headline(),
        "missed": [d.isoformat() for d in c.missed],
        "activities": [
            {
                "id": m.activity.id,
                "date": m.activity.date.isoformat(),
                "sport": m.activity.sport,
                "distance_m": m.activity.distance_m,
                "planned": m.planned,
                "session": m.session.title if m.session else None,
                "session_kind": m.session.kind.value if m.session else None,
            }
            for m in c.matches
        ],
        "fitness": None
        if fitness is None
        else {
            "date": fitness.date.isoformat(),
            "ctl": fitness.fitness_ctl,
            "atl": fitness.fatigue_atl,
            "tsb": fitness.form_tsb,
            "acwr_info_only": fitness.acute_chronic_ratio,
        },
    }


@app.command("week")
def week(
    number: int | None = typer.Argument(None, help="The plan week (default: this week)."),
    as_json: bool = JSON,
) -> None:
    """The week against the plan: volume, the long run, strength, sessions done."""
    with opened() as mp:
        view = mp.logbook.week(number)
    if as_json:
        print_json(week_json(view))
        return
    c, units = view.compliance, view.units
    console.print(f"[bold]{escape(view.headline())}[/]")
    done_share = f" ({c.volume_ratio:.0%})" if c.volume_ratio is not None else ""
    console.print(
        f"{c.done_m / units.metres:.1f} of {c.planned_m / units.metres:.1f} {units.value} "
        f"planned{done_share} · long run {c.long_run_m / units.metres:.1f} {units.value} "
        f"· sessions done {'—' if c.compliance is None else format(c.compliance, '.0%')}"
    )
    table = Table()
    for column in ("Day", "Planned", "Done"):
        table.add_column(column)
    by_day: dict[Any, list[str]] = {}
    for m in c.matches:
        a = m.activity
        text = a.sport + (f" {format_distance(a.distance_m, units)}" if a.distance_m else "")
        by_day.setdefault(a.date, []).append(text if m.planned else f"{text} [dim](unplanned)[/]")
    for day in view.plan_week.days:
        planned = ", ".join(s.title for s in day.sessions) or "—"
        done = by_day.get(day.date, [])
        mark = "[red]missed[/]" if day.date in c.missed else "—"
        table.add_row(f"{day.date:%a %d %b}", escape(planned), "\n".join(done) or mark)
    console.print(table)
    if view.fitness is not None:
        f = view.fitness
        console.print(
            f"[dim]Fitness {f.fitness_ctl:.0f} · fatigue {f.fatigue_atl:.0f} · "
            f"form {f.form_tsb:+.0f} (as of {f.date:%d %b})[/]"
        )


@app.command("recap")
def recap(
    png: Path = typer.Option(..., "--png", help="Where to write the card, e.g. week.png."),
    week_number: int | None = typer.Option(None, "--week", help="The plan week (default: now)."),
    health: bool = typer.Option(False, "--health", help="Add heart rate and the load numbers."),
) -> None:
    """Draw the week as a PNG card to share."""
    with opened() as mp:
        written = mp.logbook.recap_png(week_number, png, health=health)
    console.print(f"Wrote {escape(str(written))}")


@app.command("fitness")
def fitness(as_json: bool = JSON) -> None:
    """Fitness, fatigue and form (42- and 7-day), and VDOT over time."""
    with opened() as mp:
        result = mp.logbook.fitness()
        points = mp.logbook.vdot_history()
    latest = result.latest
    if as_json:
        print_json(
            {
                "latest": None
                if latest is None
                else {
                    "date": latest.date.isoformat(),
                    "ctl": latest.fitness_ctl,
                    "atl": latest.fatigue_atl,
                    "tsb": latest.form_tsb,
                    "acwr_info_only": latest.acute_chronic_ratio,
                },
                "notes": list(result.notes),
                "vdot": [
                    {"date": p.date.isoformat(), "vdot": p.vdot, "source": p.source} for p in points
                ],
            }
        )
        return
    if latest is None:
        console.print("Nothing logged yet.")
        return
    ratio = latest.acute_chronic_ratio
    console.print(
        f"[bold]Fitness {latest.fitness_ctl:.0f} · fatigue {latest.fatigue_atl:.0f} · "
        f"form {latest.form_tsb:+.0f}[/] on {latest.date:%d %b %Y}"
        + (f" [dim](acute:chronic {ratio:.2f}, for information only)[/]" if ratio else "")
    )
    for note in result.notes:
        console.print(f"[dim]{escape(note)}[/]")
    for p in points[-10:]:
        console.print(f"{p.date}  VDOT {p.vdot:.1f}  [dim]{p.source}[/]")
