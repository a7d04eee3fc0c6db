"""Stolen-credential recovery (issue 19, item 9): password change ends other sessions, "sign
out everywhere", a one-time reset link from the admin command, API tokens with scopes and an
expiry (shown once, revocable, with their last use), and the password again before minting a
token or sharing health detail. A token alone can no longer do either."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conftest import run_cli
from milepost.services.clock import Clock

from .helpers import PASSWORD, client_for, csrf_of, log_episode, make_plan, sign_up

NEW_PASSWORD = "a brand new password"


def _sign_in(client, login: str, password: str = PASSWORD):
    return client.post(
        "/signin", data={"login": login, "password": password, "csrf_token": csrf_of(client)}
    )


def _mint(account, password: str = PASSWORD, **fields) -> tuple[int, str]:
    response = account.client.post(
        "/settings/tokens",
        data={"name": "script", "password": password, "csrf_token": account.csrf(), **fields},
    )
    secret = ""
    if 'class="secret">' in response.text:
        secret = response.text.split('class="secret">')[1].split("<")[0]
    return response.status_code, secret


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_changing_the_password_ends_every_other_session_but_this_one(app) -> None:
    account = sign_up(app, "maya")
    thief = client_for(app)
    assert _sign_in(thief, "maya").status_code == 303
    response = account.client.post(
        "/settings/password",
        data={"current": PASSWORD, "new": NEW_PASSWORD, "csrf_token": account.csrf()},
    )
    assert response.status_code == 303
    assert thief.get("/api/me").status_code == 401
    assert account.client.get("/api/me").status_code == 200
    assert _sign_in(client_for(app), "maya").status_code == 401
    assert _sign_in(client_for(app), "maya", NEW_PASSWORD).status_code == 303


def test_the_password_is_not_changed_without_the_current_one(app) -> None:
    account = sign_up(app, "maya")
    response = account.client.post(
        "/settings/password",
        data={"current": "a guess", "new": NEW_PASSWORD, "csrf_token": account.csrf()},
    )
    assert response.status_code == 403
    assert _sign_in(client_for(app), "maya").status_code == 303


def test_sign_out_everywhere_ends_every_session(app) -> None:
    account = sign_up(app, "maya")
    other = client_for(app)
    _sign_in(other, "maya")
    response = account.client.post(
        "/settings/signout-everywhere", data={"csrf_token": account.csrf()}
    )
    assert response.headers["location"].startswith("/signin")
    assert other.get("/api/me").status_code == 401
    assert account.client.get("/api/me").status_code == 401


def _cli_on(mp, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("MILEPOST_HOME", str(tmp_path / "cli-home"))
    monkeypatch.setenv("MILEPOST_DATABASE_URL", mp.db.url.render_as_string(hide_password=False))


def test_the_admin_reset_link_works_once_and_signs_out_everywhere(
    app, mp, monkeypatch, tmp_path
) -> None:
    _cli_on(mp, monkeypatch, tmp_path)
    monkeypatch.setenv("MILEPOST_BASE_URL", "https://milepost.example")
    account = sign_up(app, "maya")
    code, out, _ = run_cli("user", "reset-link", "maya@example.org")
    assert code == 0, out
    link = next(line for line in out.splitlines() if line.startswith("https://"))
    assert link.startswith("https://milepost.example/reset/")
    path = link.removeprefix("https://milepost.example")
    browser = client_for(app)
    form = browser.get(path)
    assert form.status_code == 200 and "maya" in form.text
    token = csrf_of(browser, path)
    response = browser.post(path, data={"new": NEW_PASSWORD, "csrf_token": token})
    assert response.headers["location"] == "/signin?reset=1"
    assert account.client.get("/api/me").status_code == 401
    assert _sign_in(client_for(app), "maya", NEW_PASSWORD).status_code == 303
    # Once only.
    assert browser.get(path).status_code == 404
    again = browser.post(path, data={"new": "yet another password", "csrf_token": token})
    assert again.status_code == 404


def test_a_reset_link_for_nobody_is_exit_2(app, mp, monkeypatch, tmp_path) -> None:
    _cli_on(mp, monkeypatch, tmp_path)
    code, _, err = run_cli("user", "reset-link", "nobody")
    assert code == 2 and "no account 'nobody'" in err and "Traceback" not in err


def test_a_token_is_minted_only_with_the_password_and_shown_once(app) -> None:
    account = sign_up(app, "maya")
    status, secret = _mint(account, password="not it")
    assert status == 403 and secret == ""
    status, secret = _mint(account)
    assert status == 200 and secret.startswith("mp_")
    assert secret not in account.client.get("/settings").text


def test_a_read_token_cannot_write_and_a_coach_scope_is_needed_for_athletes(app) -> None:
    account = sign_up(app, "maya")
    make_plan(account)
    _, read = _mint(account, scopes=["read"])
    api = client_for(app)
    assert api.get("/api/me", headers=_bearer(read)).json()["scopes"] == ["read"]
    assert api.get("/api/plan/today", headers=_bearer(read)).status_code == 200
    body = {"kind": "illness", "preview": True}
    refused = api.post("/api/episodes", json=body, headers=_bearer(read))
    assert refused.status_code == 403 and "'write' scope" in refused.json()["message"]
    athlete_id = account.client.get("/api/me").json()["athlete"]["id"]
    assert api.get(f"/api/athletes/{athlete_id}/plan", headers=_bearer(read)).status_code == 403
    _, writer = _mint(account, scopes=["read", "write", "coach"])
    assert api.post("/api/episodes", json=body, headers=_bearer(writer)).status_code == 200
    assert api.get(f"/api/athletes/{athlete_id}/plan", headers=_bearer(writer)).status_code == 200


def test_a_token_expires_and_its_last_use_is_shown(app, mp) -> None:
    account = sign_up(app, "maya")
    made = datetime.now(UTC)
    _, token = _mint(account, days="7")
    api = client_for(app)
    assert api.get("/api/me", headers=_bearer(token)).status_code == 200
    settings = account.client.get("/settings").text
    assert f"expires {(made + timedelta(days=7)):%d %b %Y}" in settings
    assert "last used" in settings and "never used" not in settings
    # Eight days on, the same token is refused.
    later = datetime.now(UTC) + timedelta(days=8)
    mp.accounts.clock = Clock(now=lambda: later, fixed_today=mp.clock.fixed_today)
    from sqlalchemy import text

    with mp.db.engine.begin() as connection:
        connection.execute(
            text("UPDATE api_tokens SET expires_at = :past"), {"past": made - timedelta(days=1)}
        )
    assert api.get("/api/me", headers=_bearer(token)).status_code == 401


def test_a_revoked_token_stops_at_once(app) -> None:
    account = sign_up(app, "maya")
    _, token = _mint(account)
    token_id = account.client.get("/settings").text.split("/settings/tokens/")[1].split("/")[0]
    account.client.post(f"/settings/tokens/{token_id}/delete", data={"csrf_token": account.csrf()})
    assert client_for(app).get("/api/me", headers=_bearer(token)).status_code == 401


def test_a_token_alone_cannot_mint_tokens_or_share_health(app) -> None:
    account = sign_up(app, "maya")
    sign_up(app, "carl", role="coach")
    _, token = _mint(account, scopes=["read", "write", "coach"])
    thief = client_for(app)
    minted = thief.post("/settings/tokens", data={"name": "mine now"}, headers=_bearer(token))
    assert minted.status_code in (303, 401, 403) and "mp_" not in minted.text
    shared = thief.post(
        "/settings/coaches",
        data={"coach": "carl", "scope": "training+health"},
        headers=_bearer(token),
    )
    assert shared.status_code in (303, 401, 403)
    assert "Carl" not in account.client.get("/settings").text


def test_sharing_health_with_a_coach_takes_the_password(app) -> None:
    account = sign_up(app, "maya")
    make_plan(account)
    log_episode(account, kind="mastitis", fever="38.6")
    sign_up(app, "carl", role="coach")
    form = {"coach": "carl", "scope": "training+health", "csrf_token": account.csrf()}
    assert account.client.post("/settings/coaches", data=form).status_code == 403
    assert "Carl" not in account.client.get("/settings").text
    link = account.client.post(
        "/settings/coaches/invite-link",
        data={"scope": "training+health", "csrf_token": account.csrf()},
    )
    assert link.status_code == 403
    # Training only needs no password; widening it to health does.
    form["scope"] = "training"
    assert account.client.post("/settings/coaches", data=form).status_code == 303
    settings = account.client.get("/settings").text
    link_id = settings.split("/settings/coaches/")[1].split("/")[0]
    widen = {"scope": "training+health", "csrf_token": account.csrf()}
    path = f"/settings/coaches/{link_id}/scope"
    assert account.client.post(path, data=widen).status_code == 403
    assert account.client.post(path, data=widen | {"password": PASSWORD}).status_code == 303
