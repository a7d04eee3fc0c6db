"""``milepost availability …`` and ``milepost feeds …``: the hours the runner really has."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import typer

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
from milepost.services.scheduling import schedule_summary

availability_app = typer.Typer(help="Weekly windows and one-off exceptions.", no_args_is_help=True)
feeds_app = typer.Typer(help="Feeding or pumping schedule.", no_args_is_help=True)

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


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
            console.print(f"  {on}: {text}")
        if len(notes) > 20:
            console.print(f"  … and {len(notes) - 20} more (milepost plan week)")


@availability_app.command("set")
def set_windows(
    windows: list[str] = typer.Argument(..., help='e.g. "mon-fri 05:30-07:00" "sat 07:00-10:30"'),
    buffer: str | None = typer.Option(None, "--buffer", help="Changing and showering, e.g. 15m."),
) -> None:
    """Replace the weekly windows in which sessions may be placed."""
    parsed = parse_windows(windows)
    with opened() as mp:
        today = mp.clock.today(mp.athletes.current().timezone).isoformat()
        replan = mp.scheduling.set_windows(parsed, parse_duration(buffer) if buffer else None)
    console.print(f"Availability: {len(parsed)} weekly window(s).")
    _after(replan, today)


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
        today = mp.clock.today(mp.athletes.current().timezone).isoformat()
        replan = mp.scheduling.set_feeds(feeds)
    console.print(f"Feeds at {', '.join(f'{t:%H:%M}' for t in feeds.times)}.")
    _after(replan, today)


@feeds_app.command("clear")
def clear_feeds() -> None:
    """No feeding schedule (any more)."""
    with opened() as mp:
        today = mp.clock.today(mp.athletes.current().timezone).isoformat()
        replan = mp.scheduling.set_feeds(None)
    console.print("Feeding schedule cleared.")
    _after(replan, today)
