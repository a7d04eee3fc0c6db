"""``milepost plan new/show/today``."""

from __future__ import annotations

from datetime import date
from typing import Any

import typer
from rich.table import Table

from milepost.bounds import NAME_LENGTH, check_date, check_distance_m, check_text
from milepost.domain.adapt.edits import Edit
from milepost.domain.athlete import parse_race_result
from milepost.domain.availability import parse_time
from milepost.domain.plan.model import Day, Plan, SessionKind, Week
from milepost.domain.plan.request import PlanRequest, parse_tune_up, parse_weekday
from milepost.domain.plan.serialize import session_to_dict
from milepost.domain.units import (
    METRES_PER_MILE,
    Units,
    format_distance,
    format_duration,
    parse_date,
    parse_distance,
    parse_duration,
)
from milepost.errors import InputError
from milepost.interfaces.cli.context import opened
from milepost.interfaces.cli.episode import LEVEL_LABEL, LEVEL_STYLE, render_replan
from milepost.interfaces.cli.render import console, print_json
from milepost.services.planning import CurrentPlan

app = typer.Typer(help="Race plans: create, show, and today's session.", no_args_is_help=True)

JSON = typer.Option(False, "--json", help="Print one JSON object instead of tables.")


def _volume_m(km: float | None, mi: float | None, what: str, required: bool) -> float | None:
    if km is not None and mi is not None:
        raise InputError(f"give the {what} in km or in miles, not both")
    if km is not None:
        return km * 1000.0
    if mi is not None:
        return mi * METRES_PER_MILE
    if required:
        raise InputError(
            f"milepost needs your {what}", hint="for example --weekly-km 40 or --weekly-mi 25"
        )
    return None


@app.command("new")
def new(
    race: str = typer.Option(..., "--race", help="Race distance: 5k, 10k, half, marathon, 15k…"),
    race_date: str = typer.Option(..., "--race-date", help="YYYY-MM-DD."),
    recent: str | None = typer.Option(None, "--recent", help="A recent race, e.g. 5k=22:30."),
    vdot: float | None = typer.Option(None, "--vdot", help="Current VDOT instead of a race."),
    weekly_km: float | None = typer.Option(None, "--weekly-km", help="Weekly volume now (km)."),
    weekly_mi: float | None = typer.Option(None, "--weekly-mi", help="Weekly volume now (mi)."),
    peak_km: float | None = typer.Option(None, "--peak-km", help="Peak weekly volume (km)."),
    peak_mi: float | None = typer.Option(None, "--peak-mi", help="Peak weekly volume (mi)."),
    runs_per_week: int = typer.Option(5, "--runs-per-week", help="3 to 7."),
    long_run_day: str = typer.Option("sun", "--long-run-day", help="mon … sun."),
    rest_days: str | None = typer.Option(None, "--rest-days", help="e.g. mon,fri."),
    start: str | None = typer.Option(None, "--start", help="First day (default: next Monday)."),
    units: str | None = typer.Option(None, "--units", help="km or mi (default: the athlete's)."),
    tune_up: str | None = typer.Option(None, "--tune-up", help="e.g. 10k@2027-03-14."),
    strength: int = typer.Option(2, "--strength", help="Strength sessions a week, 0 to 3."),
    goal: str | None = typer.Option(None, "--goal", help="Goal time, e.g. 1:45:00."),
    name: str = typer.Option("", "--name", help="The race's name."),
    as_json: bool = JSON,
) -> None:
    """Create a race plan for the current athlete."""
    unit_text = (units or "").lower()
    if units is not None and unit_text not in ("km", "mi"):
        raise InputError(f"'{units}' is not a unit", hint="use km or mi")
    weekly = _volume_m(weekly_km, weekly_mi, "current weekly volume", required=True)
    assert weekly is not None
    request = PlanRequest(
        race_distance_m=check_distance_m(parse_distance(race), "a race"),
        race_date=check_date(parse_date(race_date), "the race date"),
        vdot=0.0,  # set by the service from --vdot, --recent or the athlete's races
        weekly_m=weekly,
        peak_m=_volume_m(peak_km, peak_mi, "peak weekly volume", required=False),
        runs_per_week=runs_per_week,
        long_run_day=parse_weekday(long_run_day),
        rest_days=tuple(parse_weekday(d) for d in rest_days.split(",")) if rest_days else (),
        start=check_date(parse_date(start), "the start") if start else None,
        units=unit_text or "",
        tune_up=parse_tune_up(tune_up) if tune_up else None,
        strength_per_week=strength,
        race_name=check_text(name, "a race name", max_length=NAME_LENGTH),
        goal_s=parse_duration(goal) if goal else None,
    )
    with opened() as mp:
        current = mp.planning.create(
            request, recent=parse_race_result(recent) if recent else None, vdot=vdot
        )
    if as_json:
        print_json(current.as_json())
        return
    render_summary(current)


def _units(plan: Plan) -> Units:
    return Units(plan.units)


def render_summary(current: CurrentPlan) -> None:
    plan = current.plan
    units = _units(plan)
    race = plan.race
    goal = f", goal {format_duration(race.goal_s)}" if race.goal_s else ""
    console.print(
        f"[bold]{race.name or format_distance(race.distance_m)}[/] on {race.date:%a %d %b %Y}"
        f" · {len(plan.weeks)} weeks from {plan.starts:%a %d %b} · VDOT {plan.vdot:.1f}{goal}"
    )
    table = Table(title="The plan", title_justify="left")
    for column in ("Wk", "Starts", "Phase", units.value, "Quality and long run"):
        table.add_column(column, justify="right" if column in ("Wk", units.value) else "left")
    for week in plan.weeks:
        key = [
            s.title
            for d in week.days
            for s in d.sessions
            if s.is_quality or s.kind is SessionKind.LONG
        ]
        phase = week.phase.value + (" (cutback)" if week.cutback else "")
        table.add_row(
            str(week.number),
            f"{week.starts:%d %b}",
            phase,
            f"{week.total_m / units.metres:.0f}",
            " · ".join(key),
        )
    console.print(table)
    for note in plan.notes:
        console.print(f"• {note}")
    for warning in plan.warnings:
        console.print(f"[yellow]Warning[/]: {warning}")
    console.print(
        f"\n[dim]Plan {current.plan_id} stored. See a week with: milepost plan show --week 1; "
        "today's session: milepost plan today[/]"
    )


def _day_cell(day: Day, units: Units) -> str:
    lines = []
    for s in day.sessions:
        line = s.title
        if s.is_run and s.distance_m:
            line += f" · {format_distance(s.distance_m, units)}"
        lines.append(line)
    return "\n".join(lines)


def render_week(
    week: Week, total_weeks: int, units: Units, body_week: dict[str, Any] | None = None
) -> None:
    console.print(
        f"[bold]{week.countdown(total_weeks)}[/] · {week.phase.label}"
        f"{' · cutback' if week.cutback else ''} · "
        f"{week.total_m / units.metres:.1f} {units.value}"
    )
    console.print(f"[dim]{week.focus}[/]")
    table = Table(show_lines=True)
    table.add_column("Day")
    table.add_column("Session")
    table.add_column("How", ratio=1)
    marks = {
        d["date"]: " (provisional)" if d.get("provisional") else ""
        for d in (body_week or {}).get("days", [])
    }
    for day in week.days:
        label = f"{day.date:%a %d %b}{marks.get(day.date.isoformat(), '')}"
        for i, s in enumerate(day.sessions or ()):
            table.add_row(label if i == 0 else "", s.title, s.description)
    console.print(table)


@app.command("show")
def show(
    week: int | None = typer.Option(None, "--week", help="Show one week day by day."),
    as_json: bool = JSON,
) -> None:
    """Show the current plan (or one week of it)."""
    with opened() as mp:
        current = mp.planning.current()
    plan = current.plan
    if week is not None and not 1 <= week <= len(plan.weeks):
        raise InputError(f"week {week} is not in this plan", hint=f"weeks run 1–{len(plan.weeks)}")
    if as_json:
        data = current.as_json()
        data.setdefault("warnings", [])  # plans stored before warnings existed have none
        if week is not None:
            data["weeks"] = [w for w in current.body["weeks"] if w["number"] == week]
        print_json(data)
        return
    if week is not None:
        render_week(
            plan.weeks[week - 1], len(plan.weeks), _units(plan), current.body["weeks"][week - 1]
        )
        return
    render_summary(current)


@app.command("today")
def today(
    on: str | None = typer.Option(None, "--date", help="Another day, YYYY-MM-DD."),
    as_json: bool = JSON,
) -> None:
    """Today's session, with the countdown."""
    with opened() as mp:
        result = mp.planning.today(parse_date(on) if on else None)
    plan = result.plan
    countdown = result.week.countdown(len(plan.weeks)) if result.week else None
    if as_json:
        sessions = result.day.sessions if result.day else ()
        print_json(
            {
                "date": result.date.isoformat(),
                "countdown": countdown,
                "sessions": [session_to_dict(s) for s in sessions],
                "provisional": result.provisional,
                "check_in_due": result.check_in_due,
                "stage": result.stage,
            }
        )
        return
    if result.day is None or result.week is None:
        when = "before" if result.date < plan.starts else "after"
        console.print(
            f"{result.date:%a %d %b %Y} is {when} the plan ({plan.starts} – {plan.race.date})."
        )
        return
    console.print(f"[bold]{result.date:%A %d %B}[/] · {countdown}")
    if result.check_in_due:
        console.print(
            "[bold yellow]Check in first[/]: how are you today? "
            "milepost checkin --temp 37.1 --feeling better|same|worse (or: milepost episode "
            "better). Today's session follows from your answer."
        )
    if result.provisional:
        console.print(
            "[yellow]Provisional[/]: this day depends on an episode that is still open; it "
            "may change with your next check-in."
        )
    if result.stage:
        console.print(f"Return {result.stage}")
    for s in result.day.sessions:
        console.print(f"\n[bold]{s.title}[/]")
        console.print(s.description)
    for item in result.guidance:
        style = LEVEL_STYLE[item["level"]]
        console.print(f"\n[{style}]{LEVEL_LABEL[item['level']]}[/]: {item['text']}")
    if result.forecast and not result.forecast["on_track"]:
        console.print(f"\n[yellow]Race forecast[/]: {result.forecast['message']}")
    if result.forecast and result.forecast.get("readiness"):
        console.print(f"[yellow]Race readiness[/]: {result.forecast['readiness']}")


@app.command("week")
def week_view(
    number: int | None = typer.Argument(None, help="Week number (default: this week)."),
    as_json: bool = JSON,
) -> None:
    """One week as a timeline: each session at its time, between the feeds."""
    with opened() as mp:
        current = mp.planning.current()
        _, feeds = mp.scheduling.settings()
    plan = current.plan
    if number is None:
        found = plan.week_of(current.today)
        number = found.number if found else (1 if current.today < plan.starts else len(plan.weeks))
    if not 1 <= number <= len(plan.weeks):
        raise InputError(
            f"week {number} is not in this plan", hint=f"weeks run 1–{len(plan.weeks)}"
        )
    body_week = current.body["weeks"][number - 1]
    feed_times = [f"{t:%H:%M}" for t in feeds.times] if feeds else []
    days = [
        {
            "date": day["date"],
            "sessions": [
                {
                    "title": s["title"],
                    "kind": s["kind"],
                    "start": s.get("start"),
                    "end": s.get("end"),
                }
                for s in day["sessions"]
            ],
            "feeds": feed_times,
            "notes": [n["text"] for n in day.get("schedule_notes", [])],
        }
        for day in body_week["days"]
    ]
    if as_json:
        print_json({"week": number, "countdown": body_week["countdown"], "days": days})
        return
    console.print(f"[bold]{body_week['countdown']}[/] · {body_week['focus']}")
    feed_minutes = round(feeds.duration_s / 60) if feeds else 0
    for day in days:
        on = date.fromisoformat(day["date"])
        lines: list[tuple[str, str]] = [
            (t, f"[dim]{t} feed ({feed_minutes} min)[/]") for t in feed_times
        ]
        for s in day["sessions"]:
            if s["kind"] == "rest":
                continue
            if s["start"]:
                start, end = s["start"][11:16], s["end"][11:16]
                lines.append((start, f"[bold]{start}–{end}[/] {s['title']}"))
            else:
                lines.append(("99", f"(any time) {s['title']}"))
        console.print(f"\n[bold]{on:%a %d %b}[/]")
        if not any(s["kind"] != "rest" for s in day["sessions"]):
            console.print("  rest")
        for _, text in sorted(lines):
            console.print(f"  {text}")
        for note in day["notes"]:
            console.print(f"  [yellow]{note}[/]")


@app.command("move")
def move(
    on: str = typer.Argument(..., help="The session's day, YYYY-MM-DD."),
    to: str = typer.Option(..., "--to", help="The day to move it to."),
    session: int = typer.Option(0, "--session", help="Which of the day's sessions (0 = first)."),
) -> None:
    """Move a session to another day; the move survives every re-plan unless it is unsafe."""
    with opened() as mp:
        replan = mp.planning.edit(Edit("move", parse_date(on), session, parse_date(to)))
        today = mp.clock.today(mp.athletes.current().timezone)
    render_replan(replan, today)


@app.command("pin")
def pin(
    on: str = typer.Argument(..., help="The session's day, YYYY-MM-DD."),
    session: int = typer.Option(0, "--session", help="Which of the day's sessions (0 = first)."),
    at: str | None = typer.Option(None, "--at", help="Pin its start time too, e.g. 06:15."),
) -> None:
    """Pin a session where it is (and at a time): re-plans keep it unless it becomes unsafe."""
    with opened() as mp:
        replan = mp.planning.edit(
            Edit("pin", parse_date(on), session, None, None, parse_time(at) if at else None)
        )
        today = mp.clock.today(mp.athletes.current().timezone)
    render_replan(replan, today)


@app.command("retarget")
def retarget(
    race_date: str | None = typer.Option(None, "--race-date", help="A later race, YYYY-MM-DD."),
    goal: str | None = typer.Option(None, "--goal", help="A new goal time, e.g. 1:49:00."),
    as_json: bool = JSON,
) -> None:
    """A new plan from today's fitness: a later race or a new goal (after a break, say)."""
    with opened() as mp:
        current = mp.planning.retarget(
            race_date=check_date(parse_date(race_date), "the race date") if race_date else None,
            goal_s=parse_duration(goal) if goal else None,
        )
    if as_json:
        print_json(current.as_json())
        return
    render_summary(current)


@app.command("diff")
def diff() -> None:
    """Preview: what deriving the plan from its inputs now would change."""
    with opened() as mp:
        replan = mp.planning.replan(reason="preview", apply=False)
        today = mp.clock.today(mp.athletes.current().timezone)
    console.print("[bold]Preview[/] (nothing stored; milepost plan apply stores it)")
    render_replan(replan, today)


@app.command("apply")
def apply(reason: str = typer.Option("re-plan", "--reason", help="Why, for the history.")) -> None:
    """Store the plan derived from its inputs now as a new revision."""
    with opened() as mp:
        replan = mp.planning.replan(reason=reason, apply=True)
        today = mp.clock.today(mp.athletes.current().timezone)
    if replan is not None and replan.revision_id is not None:
        console.print(f"Stored revision {replan.revision_id}.")
    render_replan(replan, today)


@app.command("history")
def history(as_json: bool = JSON) -> None:
    """Every revision of the plan: when, why, and what changed."""
    with opened() as mp:
        current = mp.planning.current()
    revisions = current.as_json()["revisions"]
    if as_json:
        print_json(revisions)
        return
    for number, revision in enumerate(current.revisions, start=1):
        console.print(
            f"[bold]{number}[/]  {revision.created_at:%Y-%m-%d %H:%M} UTC  {revision.reason}"
            f"  ({len(revision.changes)} change(s) from the ideal plan)"
        )
