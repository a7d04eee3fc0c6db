"""No input reaches a 500 (issue 19, items 6 and 8): over-long names, a huge login, a NUL in a
token's name, ids past what the id columns hold, a 20,000-character or abbreviated time zone,
and a newline in a name that goes into a calendar. Each runs on SQLite and PostgreSQL, where
most of these used to fail (PostgreSQL refuses what SQLite silently stores).
"""

from __future__ import annotations

import pytest
from icalendar import Calendar

from milepost.bootstrap import Milepost

from .helpers import PASSWORD, client_for, csrf_of, make_plan, sign_up

LONG_NAME = "N" * 201


def _signup_form(client, **fields: str) -> dict[str, str]:
    return {
        "username": "maya",
        "email": "maya@example.org",
        "password": PASSWORD,
        "display_name": "Maya",
        "role": "athlete",
        "timezone": "Europe/London",
        "units": "km",
        "csrf_token": csrf_of(client, "/signup"),
    } | fields


@pytest.mark.parametrize("role", ["athlete", "coach"])
def test_a_name_over_200_characters_is_refused_at_sign_up(app, role: str) -> None:
    client = client_for(app)
    response = client.post("/signup", data=_signup_form(client, display_name=LONG_NAME, role=role))
    assert response.status_code == 422
    assert "longer than 200 characters" in response.text


def test_a_name_over_200_characters_is_refused_in_settings(app) -> None:
    account = sign_up(app, "maya")
    response = account.client.post(
        "/settings",
        data={"display_name": LONG_NAME, "timezone": "UTC", "csrf_token": account.csrf()},
    )
    assert response.status_code == 422
    assert account.client.get("/api/me").json()["display_name"] == "Maya"


def test_a_400_character_login_is_an_ordinary_failed_sign_in(app) -> None:
    client = client_for(app)
    response = client.post(
        "/signin",
        data={"login": "x" * 400, "password": "whatever", "csrf_token": csrf_of(client)},
    )
    assert response.status_code == 401


def test_a_nul_byte_in_a_token_name_is_refused(app) -> None:
    account = sign_up(app, "maya")
    response = account.client.post(
        "/settings/tokens", data={"name": "my\x00script", "csrf_token": account.csrf()}
    )
    assert response.status_code == 422
    assert "control character" in response.text
    assert "/settings/tokens/" not in account.client.get("/settings").text


@pytest.mark.parametrize("path", ["/log/{}", "/api/athletes/{}/plan", "/api/athletes/{}/episodes"])
@pytest.mark.parametrize("number", [2**31, 2**63, 10**30, 0])
def test_an_id_past_the_id_columns_names_nothing(app, path: str, number: int) -> None:
    account = sign_up(app, "maya")
    response = account.client.get(path.format(number))
    assert response.status_code == 404


def test_an_id_in_a_form_past_the_columns_is_a_422_not_a_500(app) -> None:
    """The net under the checks: storage's own overflow becomes the user's error (db.py)."""
    account = sign_up(app, "maya")
    make_plan(account)
    response = account.client.post(
        "/week/move",
        data={"on": "2027-01-09", "index": str(10**30), "to": "2027-01-10"}
        | {"csrf_token": account.csrf()},
    )
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("zone", ["E" * 20_000, "EST", "EST5EDT", "Mars/Olympus_Mons", "UTC\x00"])
def test_only_an_iana_time_zone_is_accepted(app, zone: str) -> None:
    client = client_for(app)
    response = client.post("/signup", data=_signup_form(client, timezone=zone))
    assert response.status_code == 422
    assert "is not a time zone" in response.text
    account = sign_up(app, "otto")
    response = account.client.post(
        "/settings",
        data={"display_name": "Otto", "timezone": zone, "csrf_token": account.csrf()},
    )
    assert response.status_code == 422


def test_a_newline_in_a_race_name_is_refused_by_the_plan_form(app) -> None:
    account = sign_up(app, "maya")
    response = account.client.post(
        "/plan",
        data={
            "race": "half",
            "race_date": "2027-04-18",
            "recent": "5k=22:30",
            "weekly": "35",
            "name": "Spring\r\nHalf",
            "csrf_token": account.csrf(),
        },
    )
    assert response.status_code == 422


def test_a_newline_already_stored_in_a_name_still_makes_valid_calendars(app, mp: Milepost) -> None:
    """Names stored before the checks (or by an import) may hold a newline: every calendar
    still parses, with the name on one line."""
    account = sign_up(app, "maya")
    make_plan(account)
    from sqlalchemy import text

    with mp.db.engine.begin() as connection:
        connection.execute(text("UPDATE athletes SET name = 'Maya\nRunner'"))
    page = account.client.post("/exports/feed", data={"csrf_token": account.csrf()}).text
    token = page.split("/feeds/")[1].split("/")[0]
    for path in ("/exports/plan.ics", "/exports/busy.ics", f"/feeds/{token}/plan.ics"):
        response = account.client.get(path)
        assert response.status_code == 200, path
        calendar = Calendar.from_ical(response.content)
        assert "\n" not in str(calendar["x-wr-caldesc"])
        assert "Maya Runner" in str(calendar["x-wr-caldesc"])
