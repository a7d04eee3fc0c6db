"""`make run` seeds the demo runner: she can sign in and finds a plan placed in her hours."""

from __future__ import annotations

from milepost.bootstrap import Milepost
from milepost.interfaces.web.serve import seed_demo
from milepost.services.accounts import DEMO_PASSWORD, DEMO_USERNAME

from .helpers import client_for, csrf_of


def test_the_demo_runner_signs_in_to_a_scheduled_plan_and_seeding_twice_changes_nothing(
    app, mp: Milepost
) -> None:
    seed_demo(mp)
    seed_demo(mp)  # make run again: nothing is duplicated
    assert len(mp.athletes.all()) == 1
    client = client_for(app)
    response = client.post(
        "/signin",
        data={"login": DEMO_USERNAME, "password": DEMO_PASSWORD, "csrf_token": csrf_of(client)},
    )
    assert response.status_code == 303, response.text
    week = client.get("/week")
    assert week.status_code == 200
    assert "Feed (20 min)" in week.text  # her feeds
    assert "05:50" in week.text  # a run placed right after the 05:30 feed
