"""Settings → availability and feeds, times on Today and Week, moving and pinning, Progress, an
activity's page, and a coach moving a session."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

from .helpers import Account, gpx_run, log_episode, make_plan, sign_up

HTMX = {"HX-Request": "true"}
WINDOWS = "mon-fri 05:30-07:00\nsat,sun 07:00-10:30"


def _post(account: Account, path: str, headers: dict[str, str] | None = None, **data: str):
    return account.client.post(
        path, data={"csrf_token": account.csrf(), **data}, headers=headers or {}
    )


def _times(html: str) -> list[str]:
    return re.findall(r'class="time">(\d\d:\d\d–\d\d:\d\d)<', html)


def test_saving_windows_places_sessions_and_today_and_week_show_their_times(app) -> None:
    maya = sign_up(app, "maya")
    make_plan(maya)
    assert _times(maya.client.get("/week").text) == []
    saved = _post(maya, "/settings/availability", HTMX, windows=WINDOWS, buffer="15")
    assert saved.status_code == 200
    assert 'id="availability"' in saved.text and "<html" not in saved.text
    placed = re.search(r"(\d+) sessions placed in your hours from", saved.text)
    assert placed and int(placed.group(1)) > 50
    assert "moved to" in saved.text  # the scheduler's notes: strength moved off full days
    week = maya.client.get("/week").text
    assert _times(week) and all("05:30" <= t[:5] <= "10:30" for t in _times(week))
    today = maya.client.get("/today").text  # Wednesday: strength moved here at a time
    assert _times(today)
    # The form shows the windows back, as they were typed.
    settings = maya.client.get("/settings").text
    assert "mon-fri 05:30-07:00\nsat-sun 07:00-10:30" in settings


def test_a_window_the_parser_cannot_read_is_explained_beside_the_form(app) -> None:
    maya = sign_up(app, "maya")
    make_plan(maya)
    headers = HTMX | {"X-Errors-To": "#hours-errors"}
    wrong = _post(maya, "/settings/availability", headers, windows="mon-fri 5.30")
    assert wrong.status_code == 422
    assert wrong.headers["HX-Retarget"] == "#hours-errors"
    assert "could not read &#39;5.30&#39; as a time range" in wrong.text.lower()
    # Only an element id is honoured as a target, nothing that could reach outside the page.
    odd = _post(maya, "/settings/availability", HTMX | {"X-Errors-To": "body *"}, windows="x")
    assert odd.headers["HX-Retarget"] == "#messages"


def test_feeds_and_exceptions_are_saved_shown_and_cleared(app) -> None:
    maya = sign_up(app, "maya")
    make_plan(maya)
    _post(maya, "/settings/availability", windows=WINDOWS)
    fed = _post(
        maya,
        "/settings/feeds",
        HTMX,
        mode="times",
        times="05:00, 08:00, 11:00, 14:00, 17:00, 20:00",
        duration="30m",
        after_feed="45m",
    )
    assert fed.status_code == 200 and "Feeds saved: 05:00, 08:00" in fed.text
    assert "Feed (30 min)" in maya.client.get("/week").text  # on the week's timeline
    every = _post(maya, "/settings/feeds", mode="every", every="3h", start="06:00", end="21:00")
    assert "Feeds at 06:00, 09:00, 12:00, 15:00, 18:00, 21:00, 30 min each" in every.text
    away = _post(maya, "/settings/availability/unavailable", first="2027-01-16", reason="travel")
    assert "Unavailable Sat 16 Jan: travel" in away.text
    extra = _post(
        maya, "/settings/availability/window", on="2027-01-13", start="12:00", end="13:00"
    )
    assert "Extra window Wed 13 Jan 12:00–13:00" in extra.text
    cleared = _post(maya, "/settings/availability/clear")
    assert "Exceptions cleared." in cleared.text and "Unavailable Sat 16 Jan" not in cleared.text
    no_feeds = _post(maya, "/settings/feeds/clear")
    assert "Feeding schedule cleared." in no_feeds.text and "Feed (30 min)" not in (
        maya.client.get("/week").text
    )


def _a_session(html: str) -> tuple[str, str, str]:
    """The first movable session on a Week page: its day, index and the first day it may go to."""
    found = re.search(
        r'name="on" value="([\d-]+)"><input type="hidden" name="index" value="(\d+)">'
        r'.*?<option value="([\d-]+)"',
        html,
        re.S,
    )
    assert found, "no movable session on this page"
    return found.group(1), found.group(2), found.group(3)


def test_moving_and_pinning_from_the_week_replan_and_explain_refusals(app) -> None:
    maya = sign_up(app, "maya")
    make_plan(maya)
    _post(maya, "/settings/availability", windows=WINDOWS)
    week = maya.client.get("/week?n=3").text
    on, index, _ = _a_session(week)
    # Saturday's long run onto the day before Sunday... any hard day next to a hard day is refused.
    moved = _post(maya, "/week/move", on=on, index=index, to="2027-01-23")
    assert moved.status_code == 200 and "Session moved" in moved.text
    assert "Changes to the plan" in moved.text or "did not change" in moved.text
    pinned = _post(maya, "/week/pin", on="2027-01-23", index="0", at="09:00")
    assert pinned.status_code == 200 and "Session pinned" in pinned.text
    assert "09:00–" in pinned.text  # the pinned start time is on the calendar
    history = maya.client.get("/plan").text
    assert "you pinned" in history and "you moved" in history
    wrong = _post(maya, "/week/move", HTMX, on="2027-01-06", index="5", to="2027-01-07")
    assert wrong.status_code == 422 and "no session 5" in wrong.text.lower()


def test_progress_shows_volume_fitness_vdot_and_the_forecast(app) -> None:
    maya = sign_up(app, "maya")
    empty = maya.client.get("/progress")
    assert empty.status_code == 200 and "make one" in empty.text
    make_plan(maya)
    files = {"files": ("jog.gpx", gpx_run(), "application/gpx+xml")}
    maya.client.post("/log", data={"csrf_token": maya.csrf()}, files=files)
    page = maya.client.get("/progress").text
    assert 'id="volume-data"' in page and "Nothing has knocked the plan off course" in page
    fitness = json.loads(re.search(r'id="fitness-data">(.*?)</script>', page, re.S).group(1))
    assert fitness["labels"][-1] == "2027-01-06" and max(fitness["datasets"][0]["data"]) > 0
    log_episode(maya, kind="illness", symptoms="below-neck", fever="38.5")
    forecast = maya.client.get("/api/plan").json()["forecast"]
    assert forecast["message"] in maya.client.get("/progress").text


def test_an_activity_page_draws_thinned_charts_for_its_owner_only(app) -> None:
    maya = sign_up(app, "maya")
    make_plan(maya)
    files = {"files": ("jog.gpx", gpx_run(points=1200), "application/gpx+xml")}
    maya.client.post("/log", data={"csrf_token": maya.csrf()}, files=files)
    activity_id = re.search(r'href="/log/(\d+)"', maya.client.get("/log").text).group(1)
    page = maya.client.get(f"/log/{activity_id}")
    assert page.status_code == 200
    for key in ("pace", "hr", "altitude"):
        data = json.loads(re.search(rf'id="{key}-data">(.*?)</script>', page.text, re.S).group(1))
        assert 100 < len(data["points"]) <= 500
    pace = json.loads(re.search(r'id="pace-data">(.*?)</script>', page.text, re.S).group(1))
    assert all(5.0 < p["y"] < 6.0 for p in pace["points"])  # ~3 m/s is 5:33/km
    assert "Best efforts" in page.text
    otto = sign_up(app, "otto")
    assert otto.client.get(f"/log/{activity_id}").status_code == 404


def test_a_coach_with_training_consent_moves_a_session_and_the_athlete_sees_who(app) -> None:
    maya = sign_up(app, "maya", name="Maya Runner")
    make_plan(maya)
    log_episode(maya, kind="mastitis", fever="38.6")
    carla = sign_up(app, "carla", role="coach", name="Coach Carla")
    _post(maya, "/settings/coaches", coach="carla", scope="training")
    athlete_id = maya.client.get("/api/me").json()["athlete"]["id"]
    on, index, to = _a_session(maya.client.get("/week?n=4").text)
    moved = carla.client.post(
        f"/coach/athletes/{athlete_id}/move",
        data={"session": f"{on}/{index}", "to": to, "csrf_token": carla.csrf()},
    )
    assert moved.status_code == 200 and "sees this in her plan" in moved.text
    assert "Coach Carla moved" in maya.client.get("/plan").text
    # A run onto a fever day: refused, and a training-only coach is not told it is about health.
    # (The coach's list names sessions in neutral words where health changed a day.)
    run = re.search(r'value="([\d-]+/\d+)">[^<]*(?:km|min)<', moved.text).group(1)
    fever_day = carla.client.post(
        f"/coach/athletes/{athlete_id}/move",
        data={"session": run, "to": "2027-01-07", "csrf_token": carla.csrf()},
    )
    # Refused before anything is stored, with a reason that says nothing of her health.
    assert fever_day.status_code in (200, 400, 422)
    assert "does not fit Maya Runner" in fever_day.text
    assert "fever" not in fever_day.text.lower() and "mastitis" not in fever_day.text.lower()


# ── Issue #14: seeing the effect first, the family's proposals, race morning ────────────────


def test_the_feed_form_has_no_made_up_first_feed_and_a_preview_saves_nothing(app) -> None:
    maya = sign_up(app, "maya")
    make_plan(maya)
    _post(maya, "/settings/availability", windows=WINDOWS)
    settings = maya.client.get("/settings").text
    assert 'id="feed-from" name="start" type="time" value=""' in settings
    missing = _post(maya, "/settings/feeds", HTMX, mode="every", every="3h", start="")
    assert missing.status_code == 422 and "Give the time of the first feed" in missing.text
    shown = _post(
        maya, "/settings/feeds", HTMX, mode="every", every="3h", start="06:00", preview="1"
    )
    assert "nothing saved yet" in shown.text
    assert "Warning: the 06:00 feed falls inside the Mon–Fri 05:30–07:00 window" in shown.text
    assert re.search(r"\d+ of \d+ weeks lose volume", shown.text)
    assert "Biggest losses" in shown.text
    assert "Feed (30 min)" not in maya.client.get("/week").text  # nothing was saved


def test_feeds_that_leave_no_window_a_run_are_refused_unless_she_insists(app) -> None:
    maya = sign_up(app, "maya")
    make_plan(maya)
    _post(maya, "/settings/availability", windows="mon-fri 05:30-07:00")
    refused = _post(maya, "/settings/feeds", HTMX, mode="every", every="3h", start="06:00")
    assert (
        refused.status_code == 422
        and "Not saved: with these feeds no window holds a run" in refused.text
    )
    saved = _post(maya, "/settings/feeds", mode="every", every="3h", start="06:00", anyway="1")
    assert "Feeds saved: 06:00" in saved.text


def test_a_proposal_is_offered_with_a_button_and_applied_only_when_accepted(app) -> None:
    maya = sign_up(app, "maya")
    make_plan(maya)
    _post(maya, "/settings/availability", windows="mon-fri 05:30-07:00\nsat,sun 07:00-08:45")
    _post(maya, "/settings/feeds", mode="every", every="3h", start="05:00", end="20:00")
    week_before = maya.client.get("/week").text
    offered = _post(maya, "/settings/feeds/proposals", HTMX)
    keys = re.findall(r'name="key" value="([^"]+)"', offered.text)
    assert keys and "wins back" in offered.text
    assert maya.client.get("/week").text == week_before  # offering changes nothing
    accepted = _post(maya, "/settings/feeds/accept", HTMX, key=keys[0])
    assert "Proposal accepted" in accepted.text
    again = _post(maya, "/settings/feeds/proposals", HTMX)
    assert keys[0] not in re.findall(r'name="key" value="([^"]+)"', again.text)


def test_a_race_start_time_shows_race_mornings_feed(app) -> None:
    maya = sign_up(app, "maya")
    make_plan(maya)
    _post(maya, "/settings/availability", windows=WINDOWS)
    _post(maya, "/settings/feeds", mode="every", every="3h", start="05:00", end="20:00")
    saved = _post(maya, "/settings/race-start", HTMX, start="08:30")
    assert "Race start saved: 08:30." in saved.text and 'value="08:30"' in saved.text
    assert 'id="race-start" name="start" type="time" value="08:30"' in (
        maya.client.get("/settings").text
    )
    body = maya.client.get("/api/plan").json()
    race_day = next(d for w in body["weeks"] for d in w["days"] if d["date"] == "2027-04-18")
    assert any(
        n["text"] == "Race morning: feed or pump 07:15–07:45, then go: the start is at 08:30."
        for n in race_day["schedule_notes"]
    )


HARD_KINDS = {"long", "threshold", "interval", "repetition", "marathon", "fartlek", "race"}


def _body_days(maya: Account) -> list[dict]:
    body = maya.client.get("/api/plan").json()
    return [d for w in body["weeks"] for d in w["days"]]


def test_with_the_issues_hours_and_feeds_the_long_runs_stay_and_strength_keeps_off_hard_days(
    app,
) -> None:
    maya = sign_up(app, "maya")
    make_plan(maya)
    _post(maya, "/settings/availability", windows=WINDOWS)
    saved = _post(
        maya, "/settings/feeds", HTMX, mode="every", every="3h", start="05:00", end="20:00"
    )
    assert "Feeds saved: 05:00" in saved.text
    days = _body_days(maya)
    planned = {d["date"] for d in days for s in d["sessions"] if s["kind"] == "long"}
    assert planned and all(
        any(s.get("start") for s in d["sessions"] if s["kind"] == "long")
        for d in days
        if d["date"] in planned
    )
    notes = [n for d in days for n in d.get("schedule_notes", [])]
    assert not any(n.get("warning") for n in notes if "long run" in n["text"])
    kinds = [{s["kind"] for s in d["sessions"] if s.get("start")} for d in days]
    for k, here in enumerate(kinds):
        if "strength" in here:
            tomorrow = kinds[k + 1] if k + 1 < len(kinds) else set()
            assert not (here | tomorrow) & HARD_KINDS, days[k]["date"]


def test_a_long_run_moved_to_sunday_on_the_week_page_is_placed_on_sunday(app) -> None:
    maya = sign_up(app, "maya")
    make_plan(maya)
    _post(maya, "/settings/availability", windows=WINDOWS)
    saturday = next(
        d
        for d in _body_days(maya)
        if any(s["kind"] == "long" for s in d["sessions"]) and d["date"] >= "2027-01-09"
    )
    index = next(i for i, s in enumerate(saturday["sessions"]) if s["kind"] == "long")
    sunday = (date.fromisoformat(saturday["date"]) + timedelta(days=1)).isoformat()
    moved = _post(maya, "/week/move", on=saturday["date"], index=str(index), to=sunday)
    assert moved.status_code == 200
    by_date = {d["date"]: d for d in _body_days(maya)}
    assert any(s["kind"] == "long" and s.get("start") for s in by_date[sunday]["sessions"])
    assert not any(s["kind"] == "long" for s in by_date[saturday["date"]]["sessions"])


def test_a_long_run_lost_for_good_is_said_in_the_warning_tone_on_the_week(app) -> None:
    maya = sign_up(app, "maya")
    make_plan(maya)
    # Mornings too short for even a cut long run (45 min and the shower): dropped, with a warning.
    _post(maya, "/settings/availability", windows="mon-fri 05:30-06:15\nsat,sun 07:00-07:30")
    week = maya.client.get("/week?n=2").text
    assert re.search(r'<li class="warn">Warning: [^<]*long run is dropped', week)
