"""``milepost availability …`` and ``milepost feeds …``: the hours the runner really has."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import typer
from rich.markup import escape

from milepost.domain.availability import (
    parse_date_range,
    parse_duration,
    parse_feed_times,
    parse_feeds,
    parse_time,
    parse_windows,
)
from milepost.errors import InputError
from milepost.interfaces.cli.context import opened
from milepost.interfaces.cli.episode import render_replan
from milepost.interfaces.cli.render import console, print_json
from milepost.services.planning import Replan
from milepost.services.scheduling import Effect, schedule_summary

availability_app = typer.Typer(help="Weekly windows and one-off exceptions.", no_args_is_help=True)
feeds_app = typer.Typer(help="Feeding or pumping schedule.", no_args_is_help=True)

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def render_effect(effect: Effect, *, saved: bool) -> None:
    """Placed volume against the plan for the weeks that lose some, the biggest losses, feed
    collisions and the family's proposals."""
    for text in effect.collisions:
        console.print(f"[yellow]Warning:[/] {text}.")
    short = effect.short_weeks
    if effect.weeks:
        if short:
            console.print(
                f"\n[bold]{len(short)} of {len(effect.weeks)} weeks lose volume[/] "
                "(placed / planned):"
            )
            for w in short[:8]:
                console.print(
                    f"  week of {w.monday:%a %d %b}: {w.placed_m / 1000:.0f} of "
                    f"{w.planned_m / 1000:.0f} km"
                )
            if len(short) > 8:
                console.print(f"  … and {len(short) - 8} more weeks")
        else:
            console.print("Every week keeps its planned volume.")
    if effect.losses:
        console.print("[bold]Biggest losses[/]")
        for loss in effect.losses:
            style = "[yellow]" if loss.warning else ""
            end = "[/]" if loss.warning else ""
            console.print(f"  {style}{loss.date:%a %d %b}: {loss.text}{end}")
    for n, proposal in enumerate(effect.proposals, 1):
        if n == 1:
            console.print("\n[bold]What the family could do[/] (milepost feeds accept N):")
        console.print(f"  {n}. {proposal.text}: {proposal.effect}.  [dim]({proposal.key})[/]")
    if effect.key_lost and not effect.proposals and saved:
        console.print(
            f"{effect.key_lost} long runs or quality sessions are cut or dropped: "
            "milepost feeds propose shows what the family could change."
        )
    if not saved:
        console.print("[dim]Preview only: nothing was saved.[/]")


def _after(replan: Replan | None, today_text: str) -> None:
    if replan is None:
        console.print("[dim]Saved. It will shape your plan once you make one.[/]")
        return
    if replan.changed:
        render_replan(replan, date.fromisoformat(today_text))
    summary = schedule_summary(replan.body)
    if summary.since is not None:
        console.print(f"{summary.placed} sessions placed in your hours from {summary.since}.")
    notes = summary.notes
    if notes:
        console.print("\n[bold]Scheduling[/]")
        for on, text in notes[:20]:
            tone = "yellow" if text.startswith("Warning:") else "default"
            console.print(f"  {on}: [{tone}]{escape(text)}[/]")
        if len(notes) > 20:
            console.print(f"  … and {len(notes) - 20} more (milepost plan week)")


@availability_app.command("set")
def set_windows(
    windows: list[str] = typer.Argument(..., help='e.g. "mon-fri 05:30-07:00" "sat 07:00-10:30"'),
    buffer: str | None = typer.Option(None, "--buffer", help="Changing and showering, e.g. 15m."),
    preview: bool = typer.Option(
        False, "--preview", help="Show what these hours do to the plan; save nothing."
    ),
) -> None:
    """Replace the weekly windows in which sessions may be placed."""
    parsed = parse_windows(windows)
    buffer_s = parse_duration(buffer) if buffer else None
    with opened() as mp:
        if preview:
            render_effect(mp.scheduling.preview_windows(parsed, buffer_s), saved=False)
            return
        today = mp.clock.today(mp.athletes.current().timezone).isoformat()
        replan = mp.scheduling.set_windows(parsed, buffer_s)
        console.print(f"Availability: {len(parsed)} weekly window(s).")
        _after(replan, today)
        if replan is not None:
            render_effect(mp.scheduling.effect(), saved=True)


@availability_app.command("except")
def except_(
    when: str = typer.Argument(
        ..., help="A date or a range: 2027-02-13 or 2027-03-03..2027-03-06."
    ),
    unavailable: bool = typer.Option(False, "--unavailable", help="No training that day/range."),
    window: str | None = typer.Option(
        None, "--window", help="An extra window that day, 06:00-08:00."
    ),
    reason: str = typer.Option("", "--reason", help="e.g. kids' tournament, travel."),
) -> None:
    """A one-off exception: a day (or range) unavailable, or an extra window on a day."""
    first, last = parse_date_range(when)
    if unavailable == (window is not None):
        raise InputError("say either --unavailable or --window HH:MM-HH:MM")
    with opened() as mp:
        today = mp.clock.today(mp.athletes.current().timezone).isoformat()
        if unavailable:
            replan = mp.scheduling.add_unavailable(first, last, reason)
        else:
            assert window is not None
            start_text, _, end_text = window.partition("-")
            if first != last:
                raise InputError("an extra window is for one day", hint="give a single date")
            replan = mp.scheduling.add_window(first, parse_time(start_text), parse_time(end_text))
    console.print("Exception saved.")
    _after(replan, today)


@availability_app.command("clear-exceptions")
def clear_exceptions() -> None:
    """Forget every one-off exception."""
    with opened() as mp:
        today = mp.clock.today(mp.athletes.current().timezone).isoformat()
        replan = mp.scheduling.clear_exceptions()
    _after(replan, today)


@availability_app.command("race-start")
def race_start(
    at: str | None = typer.Argument(None, help="The race's start, e.g. 08:30."),
    clear: bool = typer.Option(False, "--clear", help="Forget the start time."),
) -> None:
    """The race's start time: the race is pinned there, and race morning says when to feed."""
    if clear == (at is not None):
        raise InputError("give the start time (e.g. 08:30) or --clear")
    start = None if clear or at is None else parse_time(at)
    with opened() as mp:
        today = mp.clock.today(mp.athletes.current().timezone).isoformat()
        replan = mp.scheduling.set_race_start(start)
    console.print(f"Race start: {start:%H:%M}." if start else "Race start cleared.")
    _after(replan, today)


@availability_app.command("show")
def show(as_json: bool = typer.Option(False, "--json")) -> None:
    """The windows, exceptions and feeds on file."""
    with opened() as mp:
        availability, feeds = mp.scheduling.settings()
    data: dict[str, Any] = {
        "windows": [
            {"day": WEEKDAYS[w.weekday], "start": f"{w.start:%H:%M}", "end": f"{w.end:%H:%M}"}
            for w in availability.windows
        ],
        "buffer_min": round(availability.buffer_s / 60),
        "unavailable": [
            {"first": u.first.isoformat(), "last": u.last.isoformat(), "reason": u.reason}
            for u in availability.unavailable
        ],
        "extra": [
            {"date": e.on.isoformat(), "start": f"{e.start:%H:%M}", "end": f"{e.end:%H:%M}"}
            for e in availability.extra
        ],
        "feeds": [f"{t:%H:%M}" for t in feeds.times] if feeds else None,
        "feed_min": round(feeds.duration_s / 60) if feeds else None,
        "caregiver": [
            {"day": WEEKDAYS[w.weekday], "start": f"{w.start:%H:%M}", "end": f"{w.end:%H:%M}"}
            for w in (feeds.caregiver if feeds else ())
        ],
        "pumped": [
            {"day": WEEKDAYS[w.weekday], "start": f"{w.start:%H:%M}", "end": f"{w.end:%H:%M}"}
            for w in (feeds.pumped if feeds else ())
        ],
        "race_start": f"{availability.race_start:%H:%M}" if availability.race_start else None,
    }
    if as_json:
        print_json(data)
        return
    if not availability.windows:
        console.print('No windows yet: milepost availability set "mon-fri 05:30-07:00" …')
    for w in data["windows"]:
        console.print(f"  {w['day']} {w['start']}–{w['end']}")
    console.print(f"  buffer {data['buffer_min']} min after each run")
    for u in data["unavailable"]:
        console.print(f"  unavailable {u['first']}–{u['last']} {u['reason']}")
    for e in data["extra"]:
        console.print(f"  extra window {e['date']} {e['start']}–{e['end']}")
    if feeds:
        console.print(f"  feeds at {', '.join(data['feeds'])} ({data['feed_min']} min each)")
    for w in data["caregiver"]:
        console.print(f"  caregiver {w['day']} {w['start']}–{w['end']}")
    for w in data["pumped"]:
        console.print(f"  feed or pump before {w['day']} {w['start']}–{w['end']}")
    if data["race_start"]:
        console.print(f"  race start {data['race_start']}")


@feeds_app.command("set")
def set_feeds(
    every: str | None = typer.Option(None, "--every", help="An interval, e.g. 3h."),
    start: str = typer.Option("06:00", "--from", help="First feed of the day."),
    end: str = typer.Option("21:00", "--to", help="Last feed starts at or before."),
    at: str | None = typer.Option(None, "--at", help="Fixed times instead: 06:00,09:30,13:00."),
    duration: str = typer.Option("30m", "--duration", help="Each feed or pump."),
    after_feed: str = typer.Option("45m", "--after-feed", help="Start a run within this."),
    caregiver: list[str] = typer.Option(
        [], "--caregiver", help='When someone else has the baby, e.g. "sat 08:00-12:00".'
    ),
    preview: bool = typer.Option(
        False, "--preview", help="Show what these feeds do to the plan; save nothing."
    ),
    anyway: bool = typer.Option(
        False, "--anyway", help="Save even feeds that leave no window a run."
    ),
) -> None:
    """Set the feeding or pumping schedule: runs go right after a feed, back before the next."""
    if (every is None) == (at is None):
        raise InputError("say either --every 3h (with --from/--to) or --at 06:00,09:30,…")
    feeds = (
        parse_feed_times(at, duration=duration, after_feed=after_feed)
        if at
        else parse_feeds(
            every=every or "", start=start, end=end, duration=duration, after_feed=after_feed
        )
    )
    if caregiver:
        feeds = replace(feeds, caregiver=parse_windows(caregiver))
    with opened() as mp:
        if preview:
            render_effect(mp.scheduling.preview_feeds(feeds), saved=False)
            return
        today = mp.clock.today(mp.athletes.current().timezone).isoformat()
        replan = mp.scheduling.set_feeds(feeds, anyway=anyway)
        console.print(f"Feeds at {', '.join(f'{t:%H:%M}' for t in feeds.times)}.")
        _after(replan, today)
        if replan is not None:
            render_effect(mp.scheduling.effect(), saved=True)


@feeds_app.command("propose")
def propose_() -> None:
    """What the family could change (a feed or pump before a run, a caregiver's bottle, a feed
    moved) to keep the long runs and quality sessions the hours now cut or drop."""
    with opened() as mp:
        proposals = mp.scheduling.proposals()
    if not proposals:
        console.print("Nothing to propose: no long run or quality session is cut or dropped.")
        return
    for n, proposal in enumerate(proposals, 1):
        console.print(f"{n}. {proposal.text}: {proposal.effect}.  [dim]({proposal.key})[/]")
    console.print("Accept one with: milepost feeds accept N")


@feeds_app.command("accept")
def accept(
    which: str = typer.Argument(..., help="The proposal's number or key (milepost feeds propose)."),
) -> None:
    """Accept one proposal: the feeding schedule changes and the plan is placed again."""
    with opened() as mp:
        key = which
        if which.isdigit():
            proposals = mp.scheduling.proposals()
            if not 1 <= int(which) <= len(proposals):
                raise InputError(
                    f"there is no proposal {which}",
                    hint=f"there are {len(proposals)}: milepost feeds propose",
                )
            key = proposals[int(which) - 1].key
        today = mp.clock.today(mp.athletes.current().timezone).isoformat()
        replan = mp.scheduling.accept(key)
        console.print(f"Accepted: {key}.")
        _after(replan, today)


@feeds_app.command("clear")
def clear_feeds() -> None:
    """No feeding schedule (any more)."""
    with opened() as mp:
        today = mp.clock.today(mp.athletes.current().timezone).isoformat()
        replan = mp.scheduling.set_feeds(None)
    console.print("Feeding schedule cleared.")
    _after(replan, today)
