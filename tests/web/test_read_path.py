"""Issue #16's read path and issue #11's daily loop on the web: a page costs a handful of
queries, and Today asks for the check-in while an episode is open."""

from __future__ import annotations

from sqlalchemy import event

from .helpers import log_episode, make_plan, sign_up

# The session with its user and athlete (and her races), the plan's newest revision (its id
# and key: the body is decoded once per process), and the coach's notes on Today;
# the plan's history is not read to render a page.
BUDGET = {"/today": 4, "/week": 4, "/plan": 5}


def test_today_week_and_plan_each_cost_a_handful_of_queries(app, mp) -> None:
    maya = sign_up(app, "maya")
    make_plan(maya)
    log_episode(maya, kind="mastitis", fever="38.6")
    maya.client.get("/today")  # the first read after the input may derive; then it is cached
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(mp.db.engine, "before_cursor_execute", count)
    try:
        for path, budget in BUDGET.items():
            statements.clear()
            assert maya.client.get(path).status_code == 200
            assert len(statements) <= budget, (path, statements)
    finally:
        event.remove(mp.db.engine, "before_cursor_execute", count)


def test_today_asks_for_the_check_in_and_i_am_better_ends_the_episode(app) -> None:
    maya = sign_up(app, "maya")
    make_plan(maya)
    log_episode(maya, kind="illness", symptoms="above-neck", start="2027-01-05")
    today = maya.client.get("/today").text
    assert "How are you today?" in today and "check in first" in today
    assert "Provisional" in today
    response = maya.client.post(
        "/happened/checkin",
        data={"temp": "36.9", "feeling": "better", "action": "apply", "csrf_token": maya.csrf()},
    )
    assert response.status_code == 200, response.text
    assert "How are you today?" not in maya.client.get("/today").text
    response = maya.client.post("/happened/better", data={"csrf_token": maya.csrf()})
    assert response.status_code == 200 and "Ended today" in response.text
    assert "I'm better" not in maya.client.get("/today").text
    episodes = maya.client.get("/api/episodes").json()
    assert episodes[0]["end"] == "2027-01-06"


def test_the_api_ends_an_episode_on_its_last_day(app) -> None:
    maya = sign_up(app, "maya")
    make_plan(maya)
    log_episode(maya, kind="injury", area="calf", start="2027-01-04")
    (episode,) = maya.client.get("/api/episodes").json()
    response = maya.client.post(
        f"/api/episodes/{episode['id']}/end",
        json={"end": "2027-01-05"},
        headers={"X-CSRF-Token": maya.csrf()},
    )
    assert response.status_code == 200, response.text
    assert response.json()["episode"]["end"] == "2027-01-05"


def test_the_week_marks_provisional_days_and_the_return_stage(app) -> None:
    maya = sign_up(app, "maya")
    make_plan(maya)
    log_episode(maya, kind="illness", fever="38.9")
    week = maya.client.get("/week?n=1").text
    assert "Provisional: depends on an open episode" in week
    week2 = maya.client.get("/week?n=2").text
    assert "Return stage" in week2 or "Return stage" in week


def test_breastfeeding_is_set_in_settings_and_the_plan_follows(app) -> None:
    maya = sign_up(app, "maya")
    make_plan(maya)
    response = maya.client.post(
        "/settings",
        data={
            "display_name": "Maya",
            "timezone": "UTC",
            "units": "km",
            "breastfeeding": "true",
            "csrf_token": maya.csrf(),
        },
    )
    assert response.status_code in (200, 303)
    assert "checked" in maya.client.get("/settings").text.split("Breastfeeding")[0][-80:]
    plan = maya.client.get("/api/plan").json()
    tips = [g["text"] for w in plan["weeks"] for d in w["days"] for g in d["guidance"]]
    assert any("Feed or pump right before" in t for t in tips)


def test_ticking_a_return_stage_done_on_today_moves_the_return_on(app, mp) -> None:
    maya = sign_up(app, "maya")
    make_plan(maya)
    # A fever on Sunday the 3rd, over on Monday: today (Wed 6th) is in the graded return.
    log_episode(maya, kind="illness", fever="38.7", start="2027-01-03", end="2027-01-03")
    page = maya.client.get("/today").text
    assert "Return stage 1 of 4" in page and "Done, and it went fine" in page
    response = maya.client.post(
        "/happened/checkin",
        data={"done": "yes", "temp": "36.8", "action": "apply", "csrf_token": maya.csrf()},
    )
    assert response.status_code == 200, response.text
    plan = maya.client.get("/api/plan").json()
    tomorrow = next(d for w in plan["weeks"] for d in w["days"] if d["date"] == "2027-01-07")
    assert "stage 2 of 4" in tomorrow.get("stage", "")


def test_switching_units_in_settings_changes_what_the_plan_says(app) -> None:
    maya = sign_up(app, "maya")
    make_plan(maya)
    before = maya.client.get("/week?n=2").text
    assert " km" in before
    response = maya.client.post(
        "/settings",
        data={"display_name": "Maya", "timezone": "UTC", "units": "mi", "csrf_token": maya.csrf()},
    )
    assert response.status_code in (200, 303)
    after = maya.client.get("/week?n=2").text
    assert " mi" in after and "/mi" in after
    plan = maya.client.get("/api/plan").json()
    assert plan["units"] == "mi"


def test_an_invite_link_survives_sign_up_and_says_who_invites_and_what_is_shared(app) -> None:
    from .helpers import PASSWORD, client_for

    maya = sign_up(app, "maya", name="Maya Runner")
    make_plan(maya)
    page = maya.client.post(
        "/settings/coaches/invite-link",
        data={"scope": "training+health", "password": PASSWORD, "csrf_token": maya.csrf()},
    ).text
    link = "/invites/" + page.split("/invites/")[1].split("<")[0]
    stranger = client_for(app)
    opened = stranger.get(link)
    assert opened.status_code == 200
    assert "Maya Runner" in opened.text and "training and health" in opened.text
    assert "Sign up as a coach" in opened.text
    signup = stranger.get(f"/signup?role=coach&next={link}")
    assert f'name="next" value="{link}"' in signup.text
    token = signup.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = stranger.post(
        "/signup",
        data={
            "username": "carla",
            "email": "carla@example.org",
            "password": PASSWORD,
            "display_name": "Coach Carla",
            "role": "coach",
            "next": link,
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == link
    back = stranger.get(link).text
    assert "Accept" in back
    token = back.split('name="csrf_token" value="')[1].split('"')[0]
    accepted = stranger.post(link, data={"csrf_token": token}, follow_redirects=False)
    assert accepted.status_code == 303
    assert stranger.get(link).status_code == 404  # it works once


def test_an_old_invite_has_expired(app, mp) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from milepost.adapters.storage.tables import CoachLinkRow

    from .helpers import client_for

    maya = sign_up(app, "maya")
    make_plan(maya)
    page = maya.client.post(
        "/settings/coaches/invite-link", data={"scope": "training", "csrf_token": maya.csrf()}
    ).text
    link = "/invites/" + page.split("/invites/")[1].split("<")[0]
    with mp.db.session() as session:
        session.execute(
            update(CoachLinkRow).values(created_at=datetime.now(UTC) - timedelta(days=15))
        )
    response = client_for(app).get(link)
    assert response.status_code == 404 and "expired" in response.text


def test_one_account_coaches_and_trains_and_switches_between_them(app) -> None:
    carla = sign_up(app, "carla", role="coach", name="Coach Carla")
    assert carla.client.get("/today").status_code == 403
    assert "Start my own training" in carla.client.get("/settings").text
    response = carla.client.post(
        "/settings/train", data={"csrf_token": carla.csrf()}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == "/plan/new"
    make_plan(carla)
    today = carla.client.get("/today")
    assert today.status_code == 200
    assert 'href="/coach"' in today.text and 'href="/week"' in today.text  # both roles' pages
    assert carla.client.get("/coach").status_code == 200
    again = carla.client.post("/settings/train", data={"csrf_token": carla.csrf()})
    assert again.status_code == 403


def test_the_something_happened_form_takes_the_new_answers(app) -> None:
    maya = sign_up(app, "maya")
    make_plan(maya)
    page = maya.client.get("/happened").text
    for field in ("rest_days", "already_running", "stopped_running", 'name="feeling"'):
        assert field in page
    assert "Chest pain" in page and "bone pain at rest" in page.lower()
    log_episode(maya, kind="mastitis", rest_days="3")
    response = maya.client.post(
        "/happened/checkin",
        data={
            "feeling": "same",
            "pain": "2",
            "fever_reducer": "true",
            "action": "apply",
            "csrf_token": maya.csrf(),
        },
    )
    assert response.status_code == 200, response.text
    plan = maya.client.get("/api/plan").json()
    rest = [
        d for w in plan["weeks"] for d in w["days"] if "2027-01-06" <= d["date"] <= "2027-01-08"
    ]
    assert all(s["kind"] == "rest" for d in rest for s in d["sessions"])
    bad = maya.client.post(
        "/happened/episode",
        data={"kind": "mastitis", "rest_days": "x", "action": "apply", "csrf_token": maya.csrf()},
    )
    assert bad.status_code == 422 and "whole number" in bad.text


def test_the_roster_shows_each_week_planned_against_done_and_what_needs_a_look(app) -> None:
    from .helpers import PASSWORD, gpx_run

    maya = sign_up(app, "maya", name="Maya Runner")
    make_plan(maya)
    carla = sign_up(app, "carla", role="coach", name="Coach Carla")
    maya.client.post(
        "/settings/coaches",
        data={
            "coach": "carla", "scope": "training+health", "password": PASSWORD,
            "csrf_token": maya.csrf(),
        },
    )  # fmt: skip
    maya.client.post(
        "/log",
        data={"csrf_token": maya.csrf()},
        files={"files": ("jog.gpx", gpx_run(points=900), "application/gpx+xml")},
    )
    log_episode(maya, kind="illness", symptoms="above-neck", start="2027-01-05")  # yesterday
    athlete_id = maya.client.get("/api/me").json()["athlete"]["id"]
    carla.client.post(
        f"/coach/athletes/{athlete_id}/notes",
        data={"text": "Easy does it this week", "csrf_token": carla.csrf()},
    )
    (entry,) = carla.client.get("/api/coach/roster").json()
    assert entry["done_m"] and entry["done_m"] > 2000  # the logged jog, against the plan
    assert 0 < entry["compliance"] <= 1
    assert entry["check_in_due"] is True  # with health consent
    assert entry["latest_note"] == "you: Easy does it this week"
    page = carla.client.get("/coach").text
    assert "done of" in page and "A check-in is due today" in page


def test_with_health_consent_the_coach_sees_the_check_in_history_and_without_it_not(app) -> None:
    from .helpers import PASSWORD

    maya = sign_up(app, "maya", name="Maya Runner")
    make_plan(maya)
    log_episode(maya, kind="illness", fever="38.4")
    maya.client.post(
        "/happened/checkin",
        data={"temp": "38.1", "feeling": "worse", "action": "apply", "csrf_token": maya.csrf()},
    )
    athlete_id = maya.client.get("/api/me").json()["athlete"]["id"]
    for name, scope in (("hana", "training+health"), ("tom", "training")):
        coach = sign_up(app, name, role="coach")
        maya.client.post(
            "/settings/coaches",
            data={"coach": name, "scope": scope, "password": PASSWORD, "csrf_token": maya.csrf()},
        )
        page = coach.client.get(f"/coach/athletes/{athlete_id}").text
        if scope == "training+health":
            assert "Check-ins" in page and "38.1 °C" in page and "worse" in page
        else:
            assert "Check-ins" not in page and "38.1" not in page


def test_notes_are_a_thread_and_the_athlete_sees_what_her_coach_viewed_and_did(app) -> None:
    from .helpers import PASSWORD

    maya = sign_up(app, "maya", name="Maya Runner")
    make_plan(maya)
    carla = sign_up(app, "carla", role="coach", name="Coach Carla")
    maya.client.post(
        "/settings/coaches",
        data={"coach": "carla", "scope": "training", "password": PASSWORD,
              "csrf_token": maya.csrf()},
    )  # fmt: skip
    athlete_id = maya.client.get("/api/me").json()["athlete"]["id"]
    carla.client.get(f"/coach/athletes/{athlete_id}")
    carla.client.post(
        f"/coach/athletes/{athlete_id}/notes",
        data={"text": "How did the long run feel?", "csrf_token": carla.csrf()},
    )
    today = maya.client.get("/today").text
    note_id = today.split('action="/notes/')[1].split("/")[0]
    response = maya.client.post(
        f"/notes/{note_id}/reply",
        data={"text": "Strong, legs fresh", "csrf_token": maya.csrf()},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "Strong, legs fresh" in carla.client.get(f"/coach/athletes/{athlete_id}").text
    assert "— you" in maya.client.get("/today").text
    settings = maya.client.get("/settings").text
    assert "Coach Carla viewed your plan" in settings and "Coach Carla left a note" in settings
