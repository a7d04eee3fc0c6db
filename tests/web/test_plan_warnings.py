"""Issue 12 on the web: the plan page shows a plan's warnings and its notes in her units."""

from __future__ import annotations

from .helpers import sign_up


def _plan(account, **changes: str) -> None:
    data = {
        "race": "half",
        "race_date": "2027-04-18",
        "recent": "10k=45:00",
        "weekly": "40",
        "units": "km",
        "start": "2027-01-04",
        "csrf_token": account.csrf(),
        **changes,
    }
    response = account.client.post("/plan", data=data)
    assert response.status_code == 303, response.text


def test_the_plan_page_shows_an_unrealistic_goals_warning(app) -> None:
    maya = sign_up(app, "maya")
    _plan(maya, goal="1:05:00")
    page = maya.client.get("/plan").text
    assert 'role="alert">Warning: Your goal of 1:05:00' in page
    assert "realistic goal is" in page


def test_a_plan_without_warnings_shows_none_and_a_miles_plan_reads_miles(app) -> None:
    maya = sign_up(app, "maya")
    _plan(maya, units="mi", weekly="25")
    page = maya.client.get("/plan").text
    assert 'role="alert"' not in page
    assert "You did not ask for a peak" in page and "--peak-mi" in page
