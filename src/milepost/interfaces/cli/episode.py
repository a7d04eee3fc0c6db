"""``milepost episode add/end/list`` and ``milepost checkin``: something happened."""

from __future__ import annotations

from datetime import date
from typing import Any

import typer
from rich.markup import escape

from milepost.domain.episode import (
    ALL_RED_FLAGS,
    CheckIn,
    Episode,
    EpisodeKind,
    Feeling,
    Symptoms,
    parse_temperature_reading,
)
from milepost.domain.units import format_duration, parse_date
from milepost.errors import InputError
from milepost.interfaces.cli.context import opened
from milepost.interfaces.cli.render import console, print_json
from milepost.services.planning import Replan, change_to_dict, upcoming_guidance

app = typer.Typer(
    help="Illness, mastitis, injury, missed days, postpartum return.", no_args_is_help=True
)

LEVEL_STYLE = {"see_clinician": "bold red", "caution": "yellow", "info": "cyan"}
LEVEL_LABEL = {"see_clinician": "See a clinician", "caution": "Caution", "info": "Info"}


def _symptoms(text: str | None) -> Symptoms | None:
    if text is None:
        return None
    try:
        return Symptoms(text.lower())
    except ValueError as exc:
        raise InputError(
            f"'{text}' is not a kind of symptoms", hint="use above-neck, below-neck or none"
        ) from exc


def _flags(values: list[str]) -> tuple[str, ...]:
    flags = tuple(v.lower() for v in values)
    for flag in flags:
        if flag not in ALL_RED_FLAGS:
            raise InputError(
                f"unknown red flag '{flag}'", hint="one of: " + ", ".join(ALL_RED_FLAGS)
            )
    return flags


def _feeling(text: str | None) -> Feeling | None:
    if text is None:
        return None
    try:
        return Feeling(text.lower())
    except ValueError as exc:
        raise InputError(f"'{text}' is not a feeling", hint="better, same or worse") from exc


@app.command("add")
def add(
    kind: str = typer.Argument(
        ..., help="illness, mastitis, injury, missed, unavailable or postpartum."
    ),
    start: str | None = typer.Option(
        None, "--start", help="First day, YYYY-MM-DD (default today)."
    ),
    end: str | None = typer.Option(
        None, "--end", help="Its last day, included (the same for every kind)."
    ),
    fever: str | None = typer.Option(None, "--fever", help="Temperature, e.g. 38.6 or 101.5F."),
    symptoms: str | None = typer.Option(None, "--symptoms", help="above-neck or below-neck."),
    systemic: bool = typer.Option(False, "--systemic", help="Mastitis: fever, chills, fast HR."),
    local_only: bool = typer.Option(False, "--local-only", help="Mastitis: local symptoms only."),
    antibiotics: bool = typer.Option(False, "--antibiotics", help="Mastitis: on antibiotics."),
    abscess: bool = typer.Option(False, "--abscess", help="Mastitis: an abscess diagnosed."),
    area: str = typer.Option("", "--area", help="Injury: the body area, e.g. calf."),
    cross_training: bool = typer.Option(
        False, "--cross-training", help="Injury: cross-training OK."
    ),
    pain_free_walking: bool = typer.Option(
        False, "--pain-free-walking", help="Injury: walking is pain-free."
    ),
    birth_date: str | None = typer.Option(None, "--birth-date", help="Postpartum: YYYY-MM-DD."),
    delivery: str = typer.Option("", "--delivery", help="Postpartum: vaginal or caesarean."),
    breastfeeding: bool = typer.Option(False, "--breastfeeding", help="Postpartum: breastfeeding."),
    checks_passed: bool = typer.Option(
        False, "--checks-passed", help="Postpartum: return-to-run tests passed."
    ),
    red_flag: list[str] = typer.Option(
        [], "--red-flag", help="A red flag (repeatable): chest-pain, night-pain, leaking, …"
    ),
    rest_days: int | None = typer.Option(
        None, "--rest-days", help="Mastitis: rest at the first signs, 0–4 days (default 2)."
    ),
    pain: int | None = typer.Option(None, "--pain", help="Injury: pain 0–10."),
    stopped_running: str | None = typer.Option(
        None, "--stopped-running", help="Postpartum: your last run before the birth."
    ),
    already_running: bool = typer.Option(
        False, "--already-running", help="Postpartum: training again already (no ladder)."
    ),
    note: str = typer.Option("", "--note", help="Anything else, e.g. 'kids' tournament'."),
    preview: bool = typer.Option(False, "--preview", help="Show the re-plan; store nothing."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Log an episode; the plan is re-derived at once and every change shown with its reason."""
    try:
        episode_kind = EpisodeKind(kind.lower())
    except ValueError as exc:
        raise InputError(
            f"'{kind}' is not a kind of episode",
            hint="use " + ", ".join(k.value for k in EpisodeKind),
        ) from exc
    if systemic and local_only:
        raise InputError("mastitis is either --systemic or --local-only, not both")
    if delivery and delivery.lower() not in ("vaginal", "caesarean", "cesarean"):
        raise InputError(f"'{delivery}' is not a delivery type", hint="vaginal or caesarean")
    with opened() as mp:
        today = mp.clock.today(mp.athletes.current().timezone)
        episode = Episode(
            kind=episode_kind,
            start=parse_date(start) if start else today,
            end=parse_date(end) if end else None,
            note=note,
            fever_c=parse_temperature_reading(fever) if fever else None,
            symptoms=_symptoms(symptoms),
            systemic=systemic,
            antibiotics=antibiotics,
            abscess=abscess,
            area=area,
            pain_free_walking=pain_free_walking,
            cross_training=cross_training,
            birth_date=parse_date(birth_date) if birth_date else None,
            delivery=delivery.lower().replace("cesarean", "caesarean"),
            breastfeeding=breastfeeding,
            checks_passed=checks_passed,
            red_flags=_flags(red_flag),
            rest_days=rest_days,
            pain=pain,
            stopped_running=parse_date(stopped_running) if stopped_running else None,
            already_running=already_running,
        )
        stored, replan = mp.health.add_episode(episode, preview=preview)
    if as_json:
        print_json({"id": stored.id, **_replan_json(replan)})
        return
    what = "Preview of" if preview else f"Logged (episode {stored.id})"
    console.print(f"[bold]{what}[/]: {stored.kind.value} from {stored.start:%a %d %b %Y}")
    render_replan(replan, today)


@app.command("end")
def end(
    episode_id: int = typer.Argument(..., help="The episode's id (see episode list)."),
    on: str | None = typer.Option(None, "--date", help="Its last day, included (default today)."),
) -> None:
    """End an episode on its last day: the return is recomputed from the day after."""
    with opened() as mp:
        today = mp.clock.today(mp.athletes.current().timezone)
        ended, replan = mp.health.end_episode(episode_id, parse_date(on) if on else today)
    console.print(f"Episode {ended.id} ({ended.kind.value}) ended on {ended.end}")
    render_replan(replan, today)


@app.command("better")
def better() -> None:
    """I'm better: every open illness, mastitis or injury ends today."""
    with opened() as mp:
        today = mp.clock.today(mp.athletes.current().timezone)
        ended = mp.health.better()
    for episode, _ in ended:
        console.print(f"Episode {episode.id} ({episode.kind.value}) ended on {episode.end}")
    render_replan(ended[-1][1], today)


@app.command("list")
def list_(as_json: bool = typer.Option(False, "--json")) -> None:
    """Every episode of the current athlete."""
    with opened() as mp:
        episodes = mp.health.episodes()
    if as_json:
        print_json(
            [
                {
                    "id": e.id,
                    "kind": e.kind.value,
                    "start": e.start.isoformat(),
                    "end": e.end.isoformat() if e.end else None,
                    "note": e.note,
                }
                for e in episodes
            ]
        )
        return
    if not episodes:
        console.print("No episodes logged.")
    for e in episodes:
        until = f"until {e.end:%a %d %b}" if e.end else "open"
        console.print(f"{e.id:>4}  {e.kind.value:<12} from {e.start:%a %d %b %Y}, {until} {e.note}")


def checkin(
    on: str | None = typer.Option(None, "--date", help="The day, YYYY-MM-DD (default today)."),
    temp: str | None = typer.Option(None, "--temp", help="Temperature, e.g. 37.1 or 99F."),
    fever_free: bool = typer.Option(False, "--fever-free", help="No fever today."),
    symptoms: str | None = typer.Option(None, "--symptoms", help="none, above-neck or below-neck."),
    systemic: bool | None = typer.Option(None, "--systemic/--no-systemic", help="Mastitis signs."),
    pain_free_walking: bool | None = typer.Option(
        None, "--pain-free-walking/--painful-walking", help="Injury: is walking pain-free?"
    ),
    red_flag: list[str] = typer.Option([], "--red-flag", help="A red flag now (repeatable)."),
    no_red_flags: bool = typer.Option(False, "--no-red-flags", help="No red flags now."),
    checks_passed: bool | None = typer.Option(None, "--checks-passed/--checks-not-passed"),
    fever_reducer: bool | None = typer.Option(
        None,
        "--fever-reducer/--no-fever-reducer",
        help="Fever-reducing medicine (paracetamol, ibuprofen) in the last 24 h.",
    ),
    feeling: str | None = typer.Option(None, "--feeling", help="better, same or worse."),
    done: bool | None = typer.Option(
        None, "--done/--not-done", help="Today's session done, and it went fine."
    ),
    pain: int | None = typer.Option(None, "--pain", help="Pain 0–10 during or after activity."),
    episode: int | None = typer.Option(
        None, "--episode", help="Which episode (default: latest open)."
    ),
    preview: bool = typer.Option(False, "--preview", help="Show the re-plan; store nothing."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Report how today went: temperature, symptoms, walking, red flags."""
    if red_flag and no_red_flags:
        raise InputError("--red-flag and --no-red-flags contradict each other")
    with opened() as mp:
        today = mp.clock.today(mp.athletes.current().timezone)
        check_in = CheckIn(
            on=parse_date(on) if on else today,
            episode_id=episode,
            temp_c=parse_temperature_reading(temp) if temp else None,
            fever_free=fever_free,
            symptoms=_symptoms(symptoms),
            systemic=systemic,
            pain_free_walking=pain_free_walking,
            red_flags=_flags(red_flag) if red_flag else (() if no_red_flags else None),
            checks_passed=checks_passed,
            fever_reducer=fever_reducer,
            feeling=_feeling(feeling),
            done=done,
            pain=pain,
        )
        replan = mp.health.check_in(check_in, preview=preview)
    if as_json:
        print_json(_replan_json(replan))
        return
    console.print(f"[bold]Check-in[/] for {check_in.on:%a %d %b}{' (preview)' if preview else ''}")
    render_replan(replan, today)


def _replan_json(replan: Replan | None) -> dict[str, Any]:
    if replan is None:
        return {"changes": [], "forecast": None, "revision": None}
    return {
        "changes": [change_to_dict(c) for c in replan.added],
        "no_longer": list(replan.removed),
        "forecast": replan.body.get("forecast"),
        "revision": replan.revision_id,
    }


def render_replan(replan: Replan | None, today: date) -> None:
    """One screen: what changed and why, clinician flags, the return, the forecast."""
    if replan is None:
        console.print("[dim]No plan yet: the episode is kept and will shape the next plan.[/]")
        return
    if not replan.changed:
        console.print("The plan did not change.")
    if replan.added:
        console.print(f"\n[bold]Changes to the plan ({len(replan.added)})[/]")
        for change in sorted(replan.added, key=lambda c: c.on):
            console.print(
                f"  {change.on:%a %d %b}  {escape(change.before)} → [bold]{escape(change.after)}"
                f"[/]: {escape(change.reason)}"
            )
    if replan.removed:
        console.print(f"\n[bold]No longer needed ({len(replan.removed)})[/]")
        for old in replan.removed:
            console.print(f"  [dim]{escape(old['text'])}[/]")
    flags = upcoming_guidance(replan.body, today)
    if flags:
        console.print("\n[bold]Guidance[/]")
        for on, item in flags:
            style = LEVEL_STYLE[item["level"]]
            console.print(
                f"  [{style}]{LEVEL_LABEL[item['level']]}[/] ({on:%a %d %b}): "
                f"{escape(item['text'])} [dim]— {escape(item['source'])}[/]"
            )
    for note in replan.adaptation.notes:
        console.print(f"\n[bold]Fitness[/]: {escape(note)}")
    forecast = replan.body.get("forecast")
    if forecast:
        style = "green" if forecast["on_track"] else "yellow"
        console.print(f"\n[bold]Race forecast[/]: [{style}]{escape(forecast['message'])}[/]")
        if forecast.get("new_goal_s"):
            console.print(
                f"  New goal: {format_duration(forecast['new_goal_s'])} · or a later race: "
                f"{forecast['later_race_date']} (milepost plan new … --race-date "
                f"{forecast['later_race_date']})"
            )
