"""The authorization matrix: every route of the app × {owner, another athlete, a coach without
consent, a coach with training consent, a coach with training+health consent, anonymous}.

The route list comes from the app itself, so a new route without a rule here fails
`test_every_route_has_a_rule`. Each rule names who may succeed; everyone else must get 401,
403, 404 or (a page, anonymously) a redirect to sign in, and a refusal never shows the owner's
name to someone who is not linked to her.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from starlette.routing import Route

from .helpers import (
    PASSWORD,
    Account,
    client_for,
    csrf_of,
    gpx_run,
    log_episode,
    make_plan,
    sign_up,
)

OWNER, OTHER, COACH_NONE, COACH_TRAINING, COACH_HEALTH, ANON = (
    "owner",
    "other athlete",
    "coach without consent",
    "coach with training consent",
    "coach with health consent",
    "anonymous",
)
# Owner last: her own state-changing requests (revoke, delete) then hit only her own things.
ACTORS = (ANON, OTHER, COACH_NONE, COACH_TRAINING, COACH_HEALTH, OWNER)
EVERYONE = frozenset(ACTORS)
SIGNED_IN = EVERYONE - {ANON}
ATHLETES = frozenset({OWNER, OTHER})
COACHES = frozenset({COACH_NONE, COACH_TRAINING, COACH_HEALTH})
LINKED = frozenset({OWNER, COACH_TRAINING, COACH_HEALTH})
OWNER_NAME = "Olive Owner"
_FORM_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class World:
    accounts: dict[str, Account]
    owner_id: int
    ids: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    allowed: frozenset[str]
    form: Callable[[World], dict[str, Any]] | None = None
    json: dict[str, Any] | None = None
    path: Callable[[World, str], dict[str, str]] | None = None
    files: bool = False
    # Sends everyone to the sign-in page by design (the front door signed out, signing out).
    to_signin: bool = False
    # Holding the secret is the permission: the owner's calendar, with her name, is the answer.
    secret_holder_sees_owner: bool = False


def _owner(w: World, _: str) -> dict[str, str]:
    return {"athlete_id": str(w.owner_id)}


def _fresh_feed(w: World, _: str) -> dict[str, str]:
    # A new feed link replaces the old one, and the matrix itself makes new ones.
    owner = w.accounts[OWNER]
    page = owner.client.post("/exports/feed", data={"csrf_token": owner.csrf()}).text
    return {"token": page.split("/feeds/")[1].split("/")[0]}


def _new_user(w: World) -> dict[str, str]:
    w.ids["signups"] = str(int(w.ids.get("signups", "0")) + 1)
    name = f"new{w.ids['signups']}"
    return {
        "username": name,
        "email": f"{name}@example.org",
        "password": PASSWORD,
        "role": "athlete",
    }


def _fresh_invite(w: World, _: str) -> dict[str, str]:
    # Each attempt gets its own invite (one accepted cannot be accepted again), from the other
    # athlete, whom no coach coaches yet, so accepting changes nothing the matrix relies on.
    owner = w.accounts[OTHER]
    page = owner.client.post(
        "/settings/coaches/invite-link", data={"scope": "training", "csrf_token": owner.csrf()}
    ).text
    return {"token": page.split("/invites/")[1].split("<")[0]}


def _a_session(w: World) -> dict[str, str]:
    # The first session the owner's Week 6 offers to move (the other athlete's plan has had the
    # same inputs, in the same order, so it holds the same session there).
    owner = w.accounts[OWNER]
    found = re.search(
        r'name="on" value="([\d-]+)"><input type="hidden" name="index" value="(\d+)">'
        r'.*?<option value="([\d-]+)"',
        owner.client.get("/week?n=6").text,
        re.S,
    )
    assert found, "no movable session in week 6"
    return {"on": found.group(1), "index": found.group(2), "to": found.group(3)}


def _coach_move(w: World) -> dict[str, str]:
    session = _a_session(w)
    return {"session": f"{session['on']}/{session['index']}", "to": session["to"]}


PLAN_FORM = {
    "race": "10k",
    "race_date": "2027-03-28",
    "recent": "5k=24:00",
    "weekly": "30",
    "start": "2027-01-04",
}

RULES: dict[tuple[str, str], Rule] = {
    ("GET", "/"): Rule(EVERYONE, to_signin=True),
    ("GET", "/signup"): Rule(EVERYONE),
    ("GET", "/signin"): Rule(EVERYONE),
    ("GET", "/api/docs"): Rule(EVERYONE),
    ("GET", "/api/docs/oauth2-redirect"): Rule(EVERYONE),
    ("GET", "/api/openapi.json"): Rule(EVERYONE),
    ("GET", "/healthz"): Rule(EVERYONE),  # a liveness probe: "ok", nothing about anyone
    # The athlete's own pages: each athlete gets their own; coaches have no athlete.
    ("GET", "/today"): Rule(ATHLETES),
    ("GET", "/week"): Rule(ATHLETES),
    ("POST", "/week/move"): Rule(ATHLETES, form=_a_session),
    ("POST", "/week/pin"): Rule(ATHLETES, form=lambda w: _a_session(w) | {"at": "06:30"}),
    ("GET", "/progress"): Rule(ATHLETES),
    ("GET", "/plan"): Rule(ATHLETES),
    ("GET", "/plan/new"): Rule(ATHLETES),
    ("POST", "/plan"): Rule(ATHLETES, form=lambda w: PLAN_FORM),
    ("GET", "/happened"): Rule(ATHLETES),
    ("POST", "/happened/episode"): Rule(
        ATHLETES, form=lambda w: {"kind": "illness", "symptoms": "above-neck"}
    ),
    ("POST", "/happened/checkin"): Rule(ATHLETES, form=lambda w: {"fever_free": "true"}),
    # Ends each athlete's own open mastitis (run late: later routes check in on it).
    ("POST", "/happened/better"): Rule(ATHLETES, form=lambda w: {}),
    ("POST", "/api/episodes/{episode_id}/end"): Rule(
        frozenset({OWNER}), json={}, path=lambda w, _: {"episode_id": w.ids["episode"]}
    ),
    ("GET", "/log"): Rule(ATHLETES),
    ("POST", "/log"): Rule(ATHLETES, files=True),
    # An activity is its owner's alone: another athlete's log has no such id (404).
    ("GET", "/log/{activity_id}"): Rule(
        frozenset({OWNER}), path=lambda w, _: {"activity_id": w.ids["activity"]}
    ),
    ("GET", "/exports"): Rule(ATHLETES),
    ("GET", "/exports/plan.ics"): Rule(ATHLETES),
    ("GET", "/exports/busy.ics"): Rule(ATHLETES),
    ("GET", "/exports/plan.pdf"): Rule(ATHLETES),
    ("POST", "/exports/feed"): Rule(ATHLETES, form=lambda w: {}),
    ("POST", "/exports/feed/off"): Rule(ATHLETES, form=lambda w: {}),
    # The secret in the path is the credential: whoever holds it reads the calendar.
    ("GET", "/feeds/{token}/plan.ics"): Rule(
        EVERYONE, path=_fresh_feed, secret_holder_sees_owner=True
    ),
    ("GET", "/feeds/{token}/busy.ics"): Rule(
        EVERYONE, path=_fresh_feed, secret_holder_sees_owner=True
    ),
    ("GET", "/settings"): Rule(SIGNED_IN),
    ("POST", "/settings"): Rule(
        SIGNED_IN, form=lambda w: {"display_name": "Renamed", "timezone": "UTC", "units": "km"}
    ),
    ("POST", "/settings/tokens"): Rule(
        SIGNED_IN, form=lambda w: {"name": "matrix", "password": PASSWORD}
    ),
    # The current password is wrong: nobody's changes (test_account_recovery.py changes one).
    # Her coach's note is hers to answer; another athlete finds no such note (404).
    ("POST", "/notes/{note_id}/reply"): Rule(
        frozenset({OWNER}),
        form=lambda w: {"text": "Thanks!"},
        path=lambda w, _: {"note_id": w.ids["note"]},
    ),
    # A coach who trains gets her own plan (an athlete's account has one already: 403).
    ("POST", "/settings/train"): Rule(COACHES, form=lambda w: {}),
    ("POST", "/settings/password"): Rule(
        frozenset(), form=lambda w: {"current": "wrong", "new": "a new long password"}
    ),
    # A reset link nobody was given names nothing (test_account_recovery.py uses a real one).
    ("GET", "/reset/{token}"): Rule(frozenset(), path=lambda w, _: {"token": "not-a-link"}),
    ("POST", "/reset/{token}"): Rule(
        frozenset(),
        form=lambda w: {"new": "a new long password"},
        path=lambda w, _: {"token": "not-a-link"},
    ),
    # Without the right password nobody's account goes (test_account_deletion.py deletes one).
    ("POST", "/settings/delete-account"): Rule(frozenset(), form=lambda w: {"password": "wrong"}),
    # The hours an athlete trains in are her own: coaches have no athlete (403).
    ("POST", "/settings/availability"): Rule(
        ATHLETES, form=lambda w: {"windows": "mon-fri 05:30-07:00\nsat,sun 07:00-10:30"}
    ),
    ("POST", "/settings/availability/unavailable"): Rule(
        ATHLETES, form=lambda w: {"first": "2027-02-10", "reason": "travel"}
    ),
    ("POST", "/settings/availability/window"): Rule(
        ATHLETES, form=lambda w: {"on": "2027-02-11", "start": "12:00", "end": "13:00"}
    ),
    ("POST", "/settings/availability/clear"): Rule(ATHLETES, form=lambda w: {}),
    ("POST", "/settings/feeds"): Rule(
        ATHLETES, form=lambda w: {"mode": "times", "times": "05:00,09:00,13:00,17:00,21:00"}
    ),
    # Issue #14; accepting needs feeds on file, which the rule above has just saved.
    ("POST", "/settings/feeds/accept"): Rule(ATHLETES, form=lambda w: {"key": "shift:05:00>04:45"}),
    ("POST", "/settings/feeds/proposals"): Rule(ATHLETES, form=lambda w: {}),
    ("POST", "/settings/race-start"): Rule(ATHLETES, form=lambda w: {"start": "08:00"}),
    ("POST", "/settings/feeds/clear"): Rule(ATHLETES, form=lambda w: {}),
    ("POST", "/settings/tokens/{token_id}/delete"): Rule(
        frozenset({OWNER}), form=lambda w: {}, path=lambda w, _: {"token_id": w.ids["token"]}
    ),
    ("POST", "/settings/coaches"): Rule(ATHLETES, form=lambda w: {"coach": "spare"}),
    ("POST", "/settings/coaches/invite-link"): Rule(ATHLETES, form=lambda w: {}),
    ("POST", "/settings/coaches/{link_id}/scope"): Rule(
        frozenset({OWNER}),
        form=lambda w: {"scope": "training+health", "password": PASSWORD},
        path=lambda w, _: {"link_id": w.ids["spare_link"]},
    ),
    ("POST", "/settings/coaches/{link_id}/revoke"): Rule(
        frozenset({OWNER}), form=lambda w: {}, path=lambda w, _: {"link_id": w.ids["spare_link"]}
    ),
    # The coach's pages.
    ("GET", "/coach"): Rule(COACHES),
    ("GET", "/coach/athletes/{athlete_id}"): Rule(LINKED, path=_owner),
    ("POST", "/coach/athletes/{athlete_id}/notes"): Rule(
        frozenset({COACH_TRAINING, COACH_HEALTH}), form=lambda w: {"text": "Nice!"}, path=_owner
    ),
    # Moving training is training: any linked coach may; the owner moves hers on the Week page.
    ("POST", "/coach/athletes/{athlete_id}/move"): Rule(
        frozenset({COACH_TRAINING, COACH_HEALTH}), form=_coach_move, path=_owner
    ),
    # The link is the credential: whoever holds it sees who invites and what is shared.
    ("GET", "/invites/{token}"): Rule(EVERYONE, path=_fresh_invite),
    ("POST", "/invites/{token}"): Rule(COACHES, form=lambda w: {}, path=_fresh_invite),
    # The JSON API.
    ("GET", "/api/me"): Rule(SIGNED_IN),
    ("GET", "/api/plan"): Rule(ATHLETES),
    ("GET", "/api/plan/today"): Rule(ATHLETES),
    ("GET", "/api/episodes"): Rule(ATHLETES),
    ("POST", "/api/episodes"): Rule(ATHLETES, json={"kind": "illness", "preview": True}),
    ("POST", "/api/checkins"): Rule(ATHLETES, json={"fever_free": True, "preview": True}),
    ("GET", "/api/coach/roster"): Rule(COACHES),
    ("GET", "/api/athletes/{athlete_id}/plan"): Rule(LINKED, path=_owner),
    ("GET", "/api/athletes/{athlete_id}/episodes"): Rule(
        frozenset({OWNER, COACH_HEALTH}), path=_owner
    ),
    # Last: these change who the client is.
    ("POST", "/signup"): Rule(EVERYONE, form=_new_user),
    ("POST", "/signin"): Rule(EVERYONE, form=lambda w: {"login": "spare", "password": PASSWORD}),
    # Ends every session of whoever asks (after /signin, that is the spare coach's, for all).
    ("POST", "/settings/signout-everywhere"): Rule(EVERYONE, form=lambda w: {}, to_signin=True),
    ("POST", "/signout"): Rule(EVERYONE, form=lambda w: {}, to_signin=True),
}
# Requests that change who the client is run after every other.
LAST = (
    "/settings/train",
    "/happened/better",
    "/api/episodes/{episode_id}/end",
    "/signup",
    "/signin",
    "/signout",
    "/settings/signout-everywhere",
)


def _walk(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for route in routes:
        # FastAPI 0.16x keeps an included router as one lazy entry (``original_router``);
        # older releases copied its routes in. Both are walked.
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _walk(inner.routes, prefix + route.include_context.prefix)
        elif isinstance(route, Route):
            for method in route.methods or ():
                if method != "HEAD":
                    yield method, prefix + route.path


def _app_routes(app) -> set[tuple[str, str]]:
    return set(_walk(app.routes))


def test_every_route_has_a_rule(app) -> None:
    routes = _app_routes(app)
    assert routes - RULES.keys() == set(), "add a rule for each new route"
    assert RULES.keys() - routes == set(), "a rule for a route that no longer exists"


def _world(app) -> World:
    owner = sign_up(app, "olive", name=OWNER_NAME)
    other = sign_up(app, "otto", name="Otto Other")
    coaches = {
        COACH_NONE: sign_up(app, "nina", role="coach"),
        COACH_TRAINING: sign_up(app, "tara", role="coach"),
        COACH_HEALTH: sign_up(app, "hank", role="coach"),
    }
    sign_up(app, "spare", role="coach")
    for athlete in (owner, other):
        make_plan(athlete)
        log_episode(athlete, kind="mastitis", fever="38.6")
    for actor, scope in ((COACH_TRAINING, "training"), (COACH_HEALTH, "training+health")):
        owner.client.post(
            "/settings/coaches",
            data={
                "coach": coaches[actor].username,
                "scope": scope,
                "password": PASSWORD,
                "csrf_token": owner.csrf(),
            },
        )
    owner_id = owner.client.get("/api/me").json()["athlete"]["id"]
    owner.client.post(
        "/log",
        data={"csrf_token": owner.csrf()},
        files={"files": ("jog.gpx", gpx_run(points=200), "application/gpx+xml")},
    )
    world = World(
        {OWNER: owner, OTHER: other, ANON: Account("", client_for(app)), **coaches}, owner_id
    )
    page = owner.client.post(
        "/settings/tokens",
        data={"name": "owner's", "password": PASSWORD, "csrf_token": owner.csrf()},
    ).text
    world.ids["token"] = page.split("/settings/tokens/")[1].split("/")[0]
    world.ids["activity"] = re.findall(r'href="/log/(\d+)"', owner.client.get("/log").text)[0]
    world.ids["episode"] = str(owner.client.get("/api/episodes").json()[0]["id"])
    # A note from the training coach, for the owner's reply (notes are a thread).
    coach = coaches[COACH_TRAINING]
    coach.client.post(
        f"/coach/athletes/{owner_id}/notes", data={"text": "Hi", "csrf_token": coach.csrf()}
    )
    today = owner.client.get("/today").text
    world.ids["note"] = re.findall(r'action="/notes/(\d+)/reply"', today)[0]
    page = owner.client.post(
        "/settings/coaches/invite-link", data={"scope": "training", "csrf_token": owner.csrf()}
    ).text
    # The invite link is the newest of her links.
    world.ids["spare_link"] = max(re.findall(r"/settings/coaches/(\d+)/scope", page), key=int)
    return world


def _form_token(client, actor: str) -> str:
    """The session's form token; the sign-in form's once a request has signed the client out."""
    if actor != ANON:
        found = _FORM_TOKEN.search(client.get("/settings").text)
        if found:
            return found.group(1)
    return csrf_of(client, "/signin")


def _request(world: World, actor: str, method: str, template: str, rule: Rule):
    account = world.accounts[actor]
    client = account.client
    path = template.format(**rule.path(world, actor)) if rule.path else template
    if method == "GET":
        return client.get(path)
    token = _form_token(client, actor)
    if rule.json is not None:
        return client.post(path, json=rule.json, headers={"X-CSRF-Token": token})
    data = (rule.form(world) if rule.form else {}) | {"csrf_token": token}
    if rule.files:
        files = {"files": ("broken.gpx", b"<gpx>not really</gpx>", "application/gpx+xml")}
        return client.post(path, data=data, files=files)
    return client.post(path, data=data)


def _refused(response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    # An anonymous page request is sent to sign in (and an htmx one told to go there).
    location = response.headers.get("location", "")
    return response.status_code == 303 and (
        location == "/signin" or location.startswith("/signin?")
    )


def test_only_the_right_people_reach_each_route(app) -> None:
    world = _world(app)
    ordered = sorted(RULES.items(), key=lambda item: item[0][1] in LAST)
    failures = []
    checked = 0
    for (method, path), rule in ordered:
        for actor in ACTORS:
            response = _request(world, actor, method, path, rule)
            checked += 1
            allowed = actor in rule.allowed
            refused = _refused(response) and not rule.to_signin
            if allowed and (refused or response.status_code >= 400):
                failures.append(f"{actor} should reach {method} {path}: {response.status_code}")
            if not allowed and not refused:
                failures.append(f"{actor} should not reach {method} {path}: {response.status_code}")
            leaks = OWNER_NAME in response.text and not rule.secret_holder_sees_owner
            if actor not in LINKED and leaks:
                failures.append(f"{actor} saw the owner's name on {method} {path}")
    assert failures == [], "\n".join(failures)
    assert checked == len(RULES) * len(ACTORS)


def test_health_detail_reaches_a_coach_only_with_consent(app) -> None:
    world = _world(app)
    training, health = world.accounts[COACH_TRAINING], world.accounts[COACH_HEALTH]
    for page in ("/coach", f"/coach/athletes/{world.owner_id}"):
        assert "mastitis" not in training.client.get(page).text.lower()
        assert "mastitis" in health.client.get(page).text.lower()
    roster = training.client.get("/api/coach/roster").json()
    assert roster[0]["episodes"] is None
    assert health.client.get("/api/coach/roster").json()[0]["episodes"] == ["mastitis"]


def test_revoking_a_coach_takes_effect_at_once(app) -> None:
    world = _world(app)
    owner, coach = world.accounts[OWNER], world.accounts[COACH_HEALTH]
    page = f"/api/athletes/{world.owner_id}/plan"
    assert coach.client.get(page).status_code == 200
    settings = owner.client.get("/settings").text
    # The health coach's link is the second one the owner made.
    link_ids = [chunk.split("/")[0] for chunk in settings.split("/settings/coaches/")[1:]]
    numeric = sorted({int(i) for i in link_ids if i.isdigit()})
    for link_id in numeric:
        owner.client.post(f"/settings/coaches/{link_id}/revoke", data={"csrf_token": owner.csrf()})
    assert coach.client.get(page).status_code == 404
    assert coach.client.get("/api/coach/roster").json() == []
