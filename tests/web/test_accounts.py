"""Sign up, sign in, sign out; the cookie; the form token; the rate limit; API tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from milepost.interfaces.web.auth import ANON_CSRF_COOKIE, SESSION_COOKIE
from milepost.services.clock import Clock

from .helpers import PASSWORD, client_for, csrf_of, sign_up


def _sign_in(client: TestClient, login: str, password: str = PASSWORD):
    return client.post(
        "/signin",
        data={"login": login, "password": password, "csrf_token": csrf_of(client)},
    )


def test_sign_up_signs_in_and_sends_a_runner_to_make_a_plan(app) -> None:
    account = sign_up(app, "maya", name="Maya Runner")
    assert account.client.get("/plan/new").status_code == 200
    me = account.client.get("/api/me").json()
    assert me["username"] == "maya" and me["role"] == "athlete"
    assert me["athlete"]["name"] == "Maya Runner"


def test_the_session_cookie_is_http_only_lax_and_secure_off_loopback(app) -> None:
    sign_up(app, "maya")
    client = client_for(app)
    cookie = _sign_in(client, "maya").headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    remote = TestClient(app, base_url="https://milepost.example", follow_redirects=False)
    cookie = _sign_in(remote, "maya").headers["set-cookie"]
    assert "Secure" in cookie


def test_sign_in_with_the_wrong_password_is_refused(app) -> None:
    sign_up(app, "maya")
    client = client_for(app)
    response = _sign_in(client, "maya", "not the password")
    assert response.status_code == 401
    assert "do not match" in response.text
    assert SESSION_COOKIE not in client.cookies


def test_sign_in_by_email_then_sign_out_ends_the_session_on_the_server(app) -> None:
    sign_up(app, "maya")
    client = client_for(app)
    assert _sign_in(client, "MAYA@example.org").headers["location"] == "/today"
    token = client.cookies[SESSION_COOKIE]
    assert client.get("/today").status_code in (200, 303)
    csrf = csrf_of(client, "/settings")
    assert client.post("/signout", data={"csrf_token": csrf}).status_code == 303
    # The old cookie is worthless now, even if someone kept a copy.
    stale = client_for(app)
    stale.cookies.set(SESSION_COOKIE, token)
    assert stale.get("/api/me").status_code == 401
    assert stale.get("/settings").headers["location"].startswith("/signin")


def test_signing_in_rotates_the_session_id_so_a_planted_cookie_is_useless(app) -> None:
    account = sign_up(app, "maya")
    planted = account.client.cookies[SESSION_COOKIE]
    # The victim's browser carries a session id the attacker knows, then signs in.
    victim = client_for(app)
    victim.cookies.set(SESSION_COOKIE, planted, domain="localhost.local")
    response = _sign_in(victim, "maya")
    assert response.status_code == 303
    fresh = response.cookies[SESSION_COOKIE]
    assert fresh != planted
    probe = client_for(app)
    planted_header = {"Cookie": f"{SESSION_COOKIE}={planted}"}
    assert probe.get("/api/me", headers=planted_header).status_code == 401
    assert probe.get("/api/me", headers={"Cookie": f"{SESSION_COOKIE}={fresh}"}).status_code == 200


def test_a_post_without_the_form_token_is_refused(app) -> None:
    account = sign_up(app, "maya")
    form = {"display_name": "Mallory was here", "timezone": "UTC", "units": "km"}
    assert account.client.post("/settings", data=form).status_code == 403
    wrong = form | {"csrf_token": "not-the-token"}
    assert account.client.post("/settings", data=wrong).status_code == 403
    # Nor does the anonymous double-submit token stand in for the session's.
    anon = client_for(app).get("/signin").cookies[ANON_CSRF_COOKIE]
    assert account.client.post("/settings", data=form | {"csrf_token": anon}).status_code == 403
    assert "Mallory" not in account.client.get("/settings").text
    good = form | {"csrf_token": account.csrf()}
    assert account.client.post("/settings", data=good).status_code == 303


def test_sign_in_and_sign_up_forms_need_their_double_submit_token(app) -> None:
    sign_up(app, "maya")
    client = client_for(app)
    client.get("/signin")
    response = client.post("/signin", data={"login": "maya", "password": PASSWORD})
    assert response.status_code == 403
    other_browser = csrf_of(client_for(app))
    response = client.post(
        "/signin", data={"login": "maya", "password": PASSWORD, "csrf_token": other_browser}
    )
    assert response.status_code == 403


def test_htmx_and_api_writes_with_a_cookie_need_the_token_header(app) -> None:
    account = sign_up(app, "maya")
    body = {"kind": "illness", "symptoms": "above-neck", "preview": True}
    assert account.client.post("/api/episodes", json=body).status_code == 403
    headers = {"X-CSRF-Token": account.csrf()}
    # The form token is accepted; the athlete has no plan yet, so nothing changes.
    response = account.client.post("/api/episodes", json=body, headers=headers)
    assert response.status_code == 200
    assert response.json()["changes"] == []


def test_failed_sign_ins_slow_the_account_down_but_never_lock_the_owner_out(app, mp) -> None:
    """Issue 19 item 10: after 3 failures each attempt waits longer (2 s, 4 s … at most a
    minute), instead of a 15-minute lockout anyone could cause by knowing a username."""
    sign_up(app, "maya")
    client = client_for(app)
    start = datetime(2027, 1, 6, 9, 0, tzinfo=UTC)
    now = [start]
    mp.accounts.clock = Clock(now=lambda: now[0], fixed_today=mp.clock.fixed_today)
    for _ in range(3):
        assert _sign_in(client, "maya", "wrong password").status_code == 401
    # The fourth attempt, at once, must wait (and is not even checked or counted).
    response = _sign_in(client, "maya")
    assert response.status_code == 429
    assert "wait 2 seconds" in response.text.lower()
    assert response.headers["Retry-After"] == "2"
    now[0] = start + timedelta(seconds=2)
    assert _sign_in(client, "maya", "wrong again").status_code == 401
    # Ten more guesses, each after its wait: the delay doubles and stops at a minute.
    for _ in range(10):
        now[0] += timedelta(minutes=1)
        assert _sign_in(client, "maya", "still wrong").status_code == 401
    now[0] += timedelta(seconds=30)
    assert _sign_in(client, "maya").status_code == 429
    # The owner, a minute after the last guess, is in: no 15-minute lockout.
    now[0] += timedelta(seconds=30)
    assert _sign_in(client, "maya").status_code == 303


def test_old_failures_are_purged(app, mp) -> None:
    sign_up(app, "maya")
    client = client_for(app)
    start = datetime(2027, 1, 6, 9, 0, tzinfo=UTC)
    now = [start]
    mp.accounts.clock = Clock(now=lambda: now[0], fixed_today=mp.clock.fixed_today)
    assert _sign_in(client, "maya", "wrong password").status_code == 401
    now[0] = start + timedelta(hours=1)
    assert _sign_in(client, "otto", "wrong password").status_code == 401
    from sqlalchemy import text

    with mp.db.engine.connect() as connection:
        keys = set(connection.execute(text("SELECT key FROM sign_in_failures")).scalars())
    assert keys == {"user:otto", "ip:testclient"}


def test_many_failures_from_one_address_lock_that_address(app) -> None:
    client = client_for(app)
    for n in range(20):
        assert _sign_in(client, f"nobody{n}", "wrong password").status_code == 401
    sign_up(app, "maya")
    assert _sign_in(client, "maya").status_code == 429


def test_a_personal_access_token_works_until_deleted_and_is_stored_hashed(app, mp) -> None:
    account = sign_up(app, "maya")
    page = account.client.post(
        "/settings/tokens",
        data={
            "name": "script",
            "password": PASSWORD,
            "scopes": ["read", "write"],
            "csrf_token": account.csrf(),
        },
    ).text
    token = page.split('class="secret">')[1].split("<")[0]
    bearer = client_for(app)
    headers = {"Authorization": f"Bearer {token}"}
    assert bearer.get("/api/me", headers=headers).json()["username"] == "maya"
    # A bearer request cannot be forged by another site: no form token needed.
    body = {"kind": "illness", "preview": True}
    assert bearer.post("/api/episodes", json=body, headers=headers).status_code == 200
    from sqlalchemy import text

    with mp.db.engine.connect() as connection:
        stored = connection.execute(text("SELECT token_sha256 FROM api_tokens")).scalar_one()
    assert token not in stored and len(stored) == 64
    token_id = account.client.get("/settings").text.split("/settings/tokens/")[1].split("/")[0]
    account.client.post(f"/settings/tokens/{token_id}/delete", data={"csrf_token": account.csrf()})
    assert bearer.get("/api/me", headers=headers).status_code == 401


def test_a_duplicate_username_is_a_conflict(app) -> None:
    sign_up(app, "maya")
    client = client_for(app)
    response = client.post(
        "/signup",
        data={
            "username": "maya",
            "email": "other@example.org",
            "password": PASSWORD,
            "role": "athlete",
            "csrf_token": csrf_of(client, "/signup"),
        },
    )
    assert response.status_code == 409
