"""Stored XSS, open redirects and oversized uploads (session fixation and the form token are in
test_accounts.py).

The XSS test stores two classic payloads everywhere a user can put text that another page shows
(athlete and coach names, an episode note, a coach's note, a race name, a token name, an activity
note, an uploaded file's name), then reads every page either person can open and checks the raw
HTML: the payload never appears as markup, and where a page shows it, it shows it escaped.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest
from markupsafe import escape
from starlette.routing import Route

from milepost.bootstrap import Milepost
from milepost.interfaces.web import create_app

from .helpers import PASSWORD, Account, client_for, csrf_of, log_episode, sign_up

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
PAYLOADS = (SCRIPT, ATTRIBUTE)


def _token_of(account: Account, name: str) -> str:
    page = account.client.post(
        "/settings/tokens",
        data={"name": name, "password": PASSWORD, "csrf_token": account.csrf()},
    ).text
    return page.split('class="secret">')[1].split("<")[0]


def _pages(app) -> list[str]:
    """Every GET route without a path parameter, as the app lists them."""
    paths = []
    for route in app.routes:
        inner = getattr(route, "original_router", None)
        routes = inner.routes if inner is not None else [route]
        prefix = route.include_context.prefix if inner is not None else ""
        for r in routes:
            if isinstance(r, Route) and "GET" in (r.methods or ()) and "{" not in r.path:
                paths.append(prefix + r.path)
    return paths


def _plant(app, mp: Milepost, payload: str) -> tuple[Account, Account, int]:
    """An athlete and her coach, with ``payload`` in every text field the web can show."""
    athlete = sign_up(app, "olive", name=f"Olive {payload}")
    coach = sign_up(app, "carl", role="coach", name=f"Coach {payload}")
    response = athlete.client.post(
        "/plan",
        data={
            "race": "half",
            "race_date": "2027-04-18",
            "name": f"Race {payload}",
            "recent": "5k=22:30",
            "weekly": "35",
            "units": "km",
            "start": "2027-01-04",
            "csrf_token": athlete.csrf(),
        },
    )
    assert response.status_code == 303, response.text
    log_episode(athlete, kind="illness", symptoms="above-neck", note=f"Episode {payload}")
    athlete.client.post(
        "/settings/coaches",
        data={
            "coach": "carl",
            "scope": "training+health",
            "password": PASSWORD,
            "csrf_token": athlete.csrf(),
        },
    )
    athlete_id = athlete.client.get("/api/me").json()["athlete"]["id"]
    response = coach.client.post(
        f"/coach/athletes/{athlete_id}/notes",
        data={"text": f"Note {payload}", "csrf_token": coach.csrf()},
    )
    assert response.status_code == 303, response.text
    _token_of(athlete, f"Token {payload}")
    mine = mp.for_athlete(mp.athletes.find(str(athlete_id)))
    mine.logbook.add_manual(
        date(2027, 1, 5), distance_m=8000.0, duration_s=2400.0, note=f"Run {payload}"
    )
    return athlete, coach, athlete_id


@pytest.mark.parametrize("payload", PAYLOADS, ids=["script", "attribute"])
def test_stored_text_is_escaped_on_every_page_that_shows_it(app, mp, payload: str) -> None:
    athlete, coach, athlete_id = _plant(app, mp, payload)
    escaped = str(escape(payload))  # as Jinja writes it: quotes become &#34;
    pages = {
        "athlete": (athlete, [*_pages(app), f"/coach/athletes/{athlete_id}"]),
        "coach": (coach, [*_pages(app), f"/coach/athletes/{athlete_id}"]),
    }
    shown: dict[str, set[str]] = {"athlete": set(), "coach": set()}
    for who, (account, paths) in pages.items():
        for path in paths:
            if path.endswith((".ics", ".pdf")):
                continue  # a calendar or a PDF is not markup, and making them is slow
            response = account.client.get(path)
            if not response.headers.get("content-type", "").startswith("text/html"):
                # A calendar or a PDF is not markup: a browser does not run what it holds.
                continue
            assert payload not in response.text, f"{payload!r} unescaped on {path} for the {who}"
            for label in ("Olive", "Coach", "Race", "Episode", "Note", "Token", "Run"):
                if f"{label} {escaped}" in response.text:
                    shown[who].add(label)
    # Not vacuous: the pages do show each planted text (escaped) to someone.
    assert {"Olive", "Race", "Episode", "Note", "Token"} <= shown["athlete"], shown
    assert {"Olive", "Coach", "Note"} <= shown["coach"], shown


def test_an_uploaded_file_name_is_escaped_in_the_import_report(app) -> None:
    athlete = sign_up(app, "olive")
    # The route keeps a base name only (no "</script>" slash) and clients percent-encode quotes
    # in a multipart file name, so the tag is what gets through.
    tag = "<img src=x onerror=alert(1)>"
    files = {"files": (f"{tag}.gpx", b"<gpx>not really</gpx>", "application/gpx+xml")}
    for headers in ({}, {"HX-Request": "true"}):
        response = athlete.client.post(
            "/log", data={"csrf_token": athlete.csrf()}, files=files, headers=headers
        )
        assert response.status_code == 200
        assert tag not in response.text
        assert f"{escape(tag)}.gpx" in response.text


def test_api_answers_carry_the_text_as_data_not_markup(app) -> None:
    athlete = sign_up(app, "olive", name=f"Olive {SCRIPT}")
    response = athlete.client.get("/api/me")
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["athlete"]["name"] == f"Olive {SCRIPT}"


# --- open redirects ----------------------------------------------------------------------------

OFFSITE = (
    "//evil.example",
    "//evil.example/today",
    "https://evil.example",
    "http://evil.example/today",
    "/\\evil.example",
    "/\\/evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "javascript:alert(1)",
    "evil.example",
)


@pytest.mark.parametrize("target", OFFSITE)
def test_signing_in_never_redirects_off_site(app, target: str) -> None:
    sign_up(app, "maya")
    client = client_for(app)
    form_page = client.get("/signin", params={"next": target}).text
    assert 'name="next" value=""' in form_page
    response = client.post(
        "/signin",
        data={"login": "maya", "password": PASSWORD, "next": target, "csrf_token": csrf_of(client)},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/today"


@pytest.mark.parametrize("target", ["/week", "/plan?week=3", "/coach/athletes/1#notes"])
def test_signing_in_returns_to_a_page_of_this_site(app, target: str) -> None:
    sign_up(app, "maya")
    client = client_for(app)
    response = client.post(
        "/signin",
        data={"login": "maya", "password": PASSWORD, "next": target, "csrf_token": csrf_of(client)},
    )
    assert response.headers["location"] == target


def test_the_sign_in_redirect_keeps_the_page_asked_for(app) -> None:
    # The boundary's "?next=" names the path that was asked for, and sign-in honours it.
    client = client_for(app)
    assert client.get("/week").headers["location"] == "/signin?next=/week"


# --- oversized uploads ---------------------------------------------------------------------------

LIMIT = 64 * 1024


async def _call(app, scope: dict[str, Any], chunks: list[bytes]) -> tuple[int, int, bytes]:
    """Drive the ASGI app directly: (status, chunks the app read, response body)."""
    read = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal read
        if read >= len(chunks):
            await asyncio.sleep(3600)  # the client went quiet; the test's timeout ends it
        read += 1
        return {"type": "http.request", "body": chunks[read - 1], "more_body": read < len(chunks)}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await asyncio.wait_for(app(scope, receive, send), timeout=30)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], read, body


def _scope(path: str, headers: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("localhost", 80),
    }


@pytest.fixture
def small_app(mp: Milepost):
    return create_app(mp, max_body_bytes=LIMIT)


def _signed_in_headers(app) -> dict[str, str]:
    account = sign_up(app, "olive")
    cookie = "; ".join(f"{k}={v}" for k, v in account.client.cookies.items())
    return {"cookie": cookie, "x-csrf-token": account.csrf(), "host": "localhost"}


def test_a_declared_size_above_the_limit_is_refused_before_any_byte_is_read(small_app) -> None:
    headers = _signed_in_headers(small_app) | {
        "content-type": "multipart/form-data; boundary=x",
        "content-length": str(LIMIT + 1),
    }
    status, read, body = asyncio.run(_call(small_app, _scope("/log", headers), [b"x" * LIMIT]))
    assert status == 413
    assert read == 0
    assert b"larger than" in body


def test_a_body_that_streams_past_the_limit_is_cut_off(small_app) -> None:
    headers = _signed_in_headers(small_app) | {"content-type": "multipart/form-data; boundary=x"}
    head = b'--x\r\nContent-Disposition: form-data; name="files"; filename="a.fit"\r\n\r\n'
    chunks = [head] + [b"\0" * 8192] * 1000  # 8 MB offered, chunked, no Content-Length
    status, read, _ = asyncio.run(_call(small_app, _scope("/log", headers), chunks))
    assert status == 413
    assert read <= LIMIT // 8192 + 2, f"read {read} chunks of a {LIMIT}-byte limit"


def test_an_api_body_past_the_limit_is_a_json_413(small_app) -> None:
    account = sign_up(small_app, "olive")
    token = _token_of(account, "script")
    headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
    note = "x" * 8192
    chunks = [b'{"kind": "illness", "note": "'] + [note.encode()] * 100 + [b'"}']
    status, read, body = asyncio.run(_call(small_app, _scope("/api/episodes", headers), chunks))
    assert status == 413 and read < 20
    assert b'"message"' in body
    # Through a real client too: a declared length over the limit.
    client = client_for(small_app)
    response = client.post(
        "/api/episodes",
        content=b"{" + b" " * LIMIT + b"}",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"] == "TooLarge"


def test_a_body_within_the_limit_goes_through(small_app) -> None:
    account = sign_up(small_app, "olive")
    files = {"files": ("broken.gpx", b"<gpx>not really</gpx>", "application/gpx+xml")}
    response = account.client.post("/log", data={"csrf_token": account.csrf()}, files=files)
    assert response.status_code == 200
