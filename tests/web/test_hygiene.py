"""Leaks and headers (issue 19, item 12): the standard security headers on every answer,
no-store on pages with health data, calendar-feed secrets kept out of the access log, links
built from the configured base URL (never the Host header), and a feed that can be switched
off."""

from __future__ import annotations

import logging

import pytest

from milepost.interfaces.web import create_app
from milepost.interfaces.web.guards import RedactSecrets

from .helpers import BASE_URL, client_for, log_episode, make_plan, sign_up

HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def _feed_token(account) -> str:
    page = account.client.post("/exports/feed", data={"csrf_token": account.csrf()}).text
    return page.split("/feeds/")[1].split("/")[0]


def test_every_answer_carries_the_security_headers_and_health_pages_are_not_cached(app) -> None:
    account = sign_up(app, "maya")
    make_plan(account)
    log_episode(account, kind="mastitis", fever="38.6")
    anonymous = client_for(app)
    answers = {
        "today": account.client.get("/today"),
        "happened": account.client.get("/happened"),
        "api episodes": account.client.get("/api/episodes"),
        "an error": account.client.get("/log/12345"),
        "sign in": anonymous.get("/signin"),
        "a redirect": anonymous.get("/today"),
    }
    for what, response in answers.items():
        for name, value in HEADERS.items():
            assert response.headers.get(name) == value, (what, name)
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, what
        assert (
            "script-src 'self'" in policy
            and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        ), what
        assert response.headers.get("cache-control") == "no-store", what


def test_static_files_may_be_cached_but_keep_the_other_headers(app) -> None:
    response = client_for(app).get("/static/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("cache-control", "")
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_access_log_never_holds_a_feed_secret(app) -> None:
    """uvicorn's access log passes the path as an argument; the filter redacts it."""
    account = sign_up(app, "maya")
    make_plan(account)
    token = _feed_token(account)
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/feeds/{token}/plan.ics", "1.1", 200),
        None,
    )
    assert RedactSecrets().filter(record)
    line = record.getMessage()
    assert token not in line and "/feeds/…/plan.ics" in line


@pytest.mark.parametrize("path", ["/invites/SECRET", "/reset/SECRET", "/feeds/SECRET/busy.ics?x=1"])
def test_invite_and_reset_secrets_are_redacted_too(path: str) -> None:
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, "%s", (path,), None)
    RedactSecrets().filter(record)
    assert "SECRET" not in record.getMessage()


def test_the_app_installs_the_redaction_on_uvicorns_access_log(app) -> None:
    assert any(isinstance(f, RedactSecrets) for f in logging.getLogger("uvicorn.access").filters)


def test_links_use_the_configured_base_url_not_the_host_header(mp) -> None:
    app = create_app(mp, base_url="https://milepost.example/")
    account = sign_up(app, "maya")
    make_plan(account)
    forged = {"Host": "evil.example"}
    page = account.client.post(
        "/settings/coaches/invite-link",
        data={"scope": "training", "csrf_token": account.csrf()},
        headers=forged,
    ).text
    assert "https://milepost.example/invites/" in page and "evil.example" not in page
    page = account.client.post(
        "/exports/feed", data={"csrf_token": account.csrf()}, headers=forged
    ).text
    assert "https://milepost.example/feeds/" in page and "evil.example" not in page


def test_the_base_url_comes_from_the_environment(mp, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MILEPOST_BASE_URL", "https://coach.example")
    app = create_app(mp)
    account = sign_up(app, "maya")
    page = account.client.post(
        "/settings/coaches/invite-link", data={"scope": "training", "csrf_token": account.csrf()}
    ).text
    assert "https://coach.example/invites/" in page
    assert BASE_URL + "/invites/" not in page


def test_the_calendar_feed_can_be_switched_off(app) -> None:
    account = sign_up(app, "maya")
    make_plan(account)
    token = _feed_token(account)
    outsider = client_for(app)
    assert outsider.get(f"/feeds/{token}/plan.ics").status_code == 200
    response = account.client.post("/exports/feed/off", data={"csrf_token": account.csrf()})
    assert response.status_code == 303
    assert outsider.get(f"/feeds/{token}/plan.ics").status_code == 404
    assert outsider.get(f"/feeds/{token}/busy.ics").status_code == 404
    page = account.client.get("/exports?feed=off").text
    assert "Make a subscription link" in page and "Switch the subscription off" not in page


def test_no_template_needs_what_the_csp_blocks() -> None:
    """script-src 'self': no inline scripts, event-handler attributes or javascript: links."""
    import re
    from pathlib import Path

    import milepost.interfaces.web as web

    templates = Path(web.__file__).with_name("templates")
    offenders = []
    for template in sorted(templates.rglob("*.html")):
        text = template.read_text()
        for found in re.finditer(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))", text):
            offenders.append(f"{template.name}: inline <script> at {found.start()}")
        if "javascript:" in text:
            offenders.append(f"{template.name}: a javascript: link")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{template.name}: an on…= handler")
    assert offenders == []
