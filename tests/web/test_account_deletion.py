"""Deleting an account removes everything of the athlete it owns (#8)."""

from __future__ import annotations

from sqlalchemy import func, select

from milepost.adapters.storage.archive import owned_tables
from milepost.bootstrap import Milepost

from .helpers import PASSWORD, log_episode, make_plan, sign_up


def _rows(mp: Milepost) -> dict[str, int]:
    with mp.db.engine.connect() as conn:
        return {
            t.name: conn.scalar(select(func.count()).select_from(t)) or 0 for t in owned_tables()
        }


def test_deleting_an_account_takes_all_her_data_and_ends_the_session(app, mp: Milepost) -> None:
    maya = sign_up(app, "maya", name="Maya")
    make_plan(maya)
    log_episode(maya, kind="illness", start="2027-01-05", fever="38.5")
    assert _rows(mp)["plans"] == 1 and _rows(mp)["episodes"] == 1
    wrong = maya.client.post(
        "/settings/delete-account", data={"password": "nope", "csrf_token": maya.csrf()}
    )
    assert wrong.status_code == 403 and _rows(mp)["athletes"] == 1
    gone = maya.client.post(
        "/settings/delete-account", data={"password": PASSWORD, "csrf_token": maya.csrf()}
    )
    assert gone.status_code == 303 and gone.headers["location"].startswith("/signin")
    assert all(n == 0 for n in _rows(mp).values()), _rows(mp)
    # The old session is worth nothing, and the name can be signed up again.
    assert maya.client.get("/today").status_code in (303, 401)
    sign_up(app, "maya", name="Maya again")


def test_a_coachs_account_goes_without_touching_her_athletes(app, mp: Milepost) -> None:
    olive = sign_up(app, "olive", name="Olive")
    make_plan(olive)
    carla = sign_up(app, "carla", role="coach", name="Carla")
    gone = carla.client.post(
        "/settings/delete-account", data={"password": PASSWORD, "csrf_token": carla.csrf()}
    )
    assert gone.status_code == 303
    assert _rows(mp)["athletes"] == 1 and _rows(mp)["plans"] == 1
