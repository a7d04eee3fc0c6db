"""Helpers for the web tests: clients, form tokens, accounts, plans."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

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
