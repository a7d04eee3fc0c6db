"""Helpers for the web tests: clients, form tokens, accounts, plans."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from fastapi.testclient import TestClient

TODAY = date(2027, 1, 6)  # a Wednesday: plans that start on Monday the 4th are in week 1
PASSWORD = "correct horse battery"
# Secure cookies are not sent over plain http, except to a loopback host (auth._secure).
BASE_URL = "http://localhost"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def client_for(app) -> TestClient:
    return TestClient(app, base_url=BASE_URL, follow_redirects=False)


def csrf_of(client: TestClient, path: str = "/signin") -> str:
    found = _CSRF.search(client.get(path).text)
    assert found, f"no form token on {path}"
    return found.group(1)


@dataclass
class Account:
    username: str
    client: TestClient

    def csrf(self) -> str:
        return csrf_of(self.client, "/settings")


def sign_up(app, username: str, role: str = "athlete", name: str | None = None) -> Account:
    client = client_for(app)
    response = client.post(
        "/signup",
        data={
            "username": username,
            "email": f"{username}@example.org",
            "password": PASSWORD,
            "display_name": name or username.title(),
            "role": role,
            "timezone": "Europe/London",
            "units": "km",
            "csrf_token": csrf_of(client, "/signup"),
        },
    )
    assert response.status_code == 303, response.text
    return Account(username, client)


def make_plan(account: Account) -> None:
    response = account.client.post(
        "/plan",
        data={
            "race": "half",
            "race_date": "2027-04-18",
            "recent": "5k=22:30",
            "weekly": "35",
            "units": "km",
            "start": "2027-01-04",
            "csrf_token": account.csrf(),
        },
    )
    assert response.status_code == 303, response.text


def log_episode(account: Account, **fields: str) -> None:
    response = account.client.post(
        "/happened/episode", data={"action": "apply", "csrf_token": account.csrf(), **fields}
    )
    assert response.status_code == 200, response.text


def gpx_run(points: int = 900, start: str = "2027-01-05T07:00:00Z") -> bytes:
    """A run recorded a point every 2 s with heart rate and elevation (Garmin's GPX extension),
    longer than a chart's 500 points so the page has to thin it."""
    first = datetime.fromisoformat(start.replace("Z", "+00:00"))
    rows = []
    for i in range(points):
        at = (first + timedelta(seconds=2 * i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        # ~6 m every 2 s along a meridian: about 3 m/s, a 5:30/km jog.
        lat = 51.5 + i * 6 / 111_320
        rows.append(
            f'<trkpt lat="{lat:.7f}" lon="-0.1000000"><ele>{20 + (i % 120) / 10:.1f}</ele>'
            f"<time>{at}</time><extensions><gpxtpx:TrackPointExtension>"
            f"<gpxtpx:hr>{130 + i % 25}</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions>"
            "</trkpt>"
        )
    return (
        '<?xml version="1.0"?><gpx version="1.1" creator="milepost tests" '
        'xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><trkseg>{''.join(rows)}</trkseg></trk></gpx>"
    ).encode()
