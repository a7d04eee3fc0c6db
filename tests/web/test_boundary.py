"""One boundary: a MilepostError becomes a page, an htmx fragment or JSON, with its status."""

from __future__ import annotations

from .helpers import client_for, sign_up


def test_an_error_is_a_page_a_fragment_or_json_with_its_status(app) -> None:
    account = sign_up(app, "maya")
    # No plan yet: the planning service raises NotFoundError (404).
    page = account.client.get("/week")
    assert page.status_code == 404
    assert page.text.startswith("<!doctype html>") and "has no plan yet" in page.text
    fragment = account.client.get("/week", headers={"HX-Request": "true"})
    assert fragment.status_code == 404
    assert not fragment.text.lstrip().startswith("<!doctype")
    assert fragment.headers["HX-Retarget"] == "#messages"
    api = account.client.get("/api/plan")
    assert api.status_code == 404
    assert api.json()["error"] == "NotFoundError" and "has no plan yet" in api.json()["message"]


def test_bad_input_is_a_422_that_names_the_problem(app) -> None:
    account = sign_up(app, "maya")
    response = account.client.post(
        "/plan",
        data={"race": "a long way", "race_date": "2027-04-18", "weekly": "30"}
        | {"csrf_token": account.csrf()},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "could not read" in response.text.lower()


def test_an_anonymous_page_request_is_sent_to_sign_in_and_the_api_answers_401(app) -> None:
    client = client_for(app)
    assert client.get("/today").headers["location"] == "/signin?next=/today"
    htmx = client.get("/today", headers={"HX-Request": "true"})
    assert htmx.headers["HX-Redirect"].startswith("/signin")
    assert client.get("/api/plan").status_code == 401
    assert client.get("/no/such/page").status_code == 404
