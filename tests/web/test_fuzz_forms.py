"""Fuzzing every form route (issue 19, "Done means"): whatever a browser posts, the answer is a
page or a 4xx, never a 5xx.

The routes come from the app itself, as the authorization matrix's do, and each form field from
the route's own signature, so a new form is fuzzed without anyone listing it. Values mix what a
form expects (dates, kinds, times, scopes) with what nobody should send: text past every
column, NUL and newlines, numbers past 2³¹ and 2⁶³, dates at the ends of the calendar. The
owner posts with her plan in place (anonymous forms anonymously); schemathesis covers the JSON
API (test_schemathesis.py) and the upload route has its own tests.

``MILEPOST_FUZZ_EXAMPLES`` sets examples per route (default 12: the suite stays quick); a long
run sets it to thousands.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import Any, get_args, get_origin

import pytest
from fastapi.routing import APIRoute
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.routing import Route

from milepost.interfaces.web import create_app

from .helpers import client_for, csrf_of, log_episode, make_plan, sign_up

EXAMPLES = int(os.environ.get("MILEPOST_FUZZ_EXAMPLES", "12"))
# Forms that end the session the fuzzing runs in, and the upload (multipart files).
SKIPPED = {"/signout", "/settings/signout-everywhere", "/log"}
ANONYMOUS = {"/signup", "/signin", "/reset/{token}"}

INTERESTING = [
    "",
    " ",
    "0",
    "1",
    "-1",
    "2",
    "7",
    "99",
    "2147483647",
    "2147483648",
    "9223372036854775808",
    "99999999999999999999",
    "1e309",
    "nan",
    "inf",
    "2027-01-04",
    "2027-02-10",
    "2027-04-18",
    "1901-01-01",
    "0001-01-01",
    "9999-12-31",
    "2126-01-01",
    "06:30",
    "23:59",
    "25:00",
    "mon-fri 05:30-07:00",
    "every",
    "times",
    "3h",
    "30m",
    "05:00,09:00,13:00",
    "km",
    "mi",
    "half",
    "10k",
    "99999999km",
    "5k=22:30",
    "1:45:00",
    "illness",
    "mastitis",
    "injury",
    "postpartum",
    "unavailable",
    "above-neck",
    "below-neck",
    "38.6",
    "106",
    "calf",
    "training",
    "training+health",
    "read",
    "write",
    "coach",
    "athlete",
    "apply",
    "preview",
    "Europe/London",
    "EST",
    "UTC",
    "correct horse battery",
    "x" * 201,
    "y" * 5_000,
    "a\x00b",
    "line\nbreak",
    "\r\n",
    "<script>alert(1)</script>",
    "'; DROP TABLE users; --",
    "Zoë 🏃",
]
VALUE = st.one_of(st.sampled_from(INTERESTING), st.text(max_size=30))
IDS = st.one_of(
    st.sampled_from(["1", "2", "0", "2147483648", "9223372036854775808", "1" * 30, "abc"]),
    st.integers(min_value=-5, max_value=2**70).map(str),
)


def _form_routes(app) -> Iterator[tuple[str, APIRoute]]:
    def walk(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
        for route in routes:
            inner = getattr(route, "original_router", None)
            if inner is not None:
                yield from walk(inner.routes, prefix + route.include_context.prefix)
            elif isinstance(route, APIRoute) and "POST" in (route.methods or ()):
                yield prefix + route.path, route

    for path, route in walk(app.routes):
        if not path.startswith("/api") and path not in SKIPPED:
            yield path, route


def _fields(route: APIRoute) -> dict[str, bool]:
    """Each form field of a route, and whether it takes several values."""
    out = {}
    for field in route.dependant.body_params:
        annotation = field.field_info.annotation
        many = get_origin(annotation) is list or any(
            get_origin(a) is list for a in get_args(annotation)
        )
        out[field.alias] = many
    return out


def _route_paths() -> list[str]:
    # The app is built once, without a database, only to list its routes.
    app = create_app(mp=object())  # type: ignore[arg-type]
    return sorted(path for path, _ in _form_routes(app))


@st.composite
def _form(draw: st.DrawFn, fields: dict[str, bool]) -> dict[str, Any]:
    form: dict[str, Any] = {}
    for name, many in fields.items():
        if not draw(st.booleans()) and draw(st.booleans()):
            continue  # sometimes missing
        form[name] = draw(st.lists(VALUE, max_size=3)) if many else draw(VALUE)
    return form


@pytest.mark.parametrize("path", _route_paths())
def test_no_form_post_ever_answers_a_5xx(app, path: str, caplog: pytest.LogCaptureFixture) -> None:
    route = dict(_form_routes(app))[path]
    fields = _fields(route)
    owner = sign_up(app, "olive")
    make_plan(owner)
    log_episode(owner, kind="illness", symptoms="above-neck")
    sign_up(app, "carl", role="coach")
    client = client_for(app) if path in ANONYMOUS else owner.client
    token = csrf_of(client, "/signin") if path in ANONYMOUS else owner.csrf()
    params = [p.name for p in route.dependant.path_params]
    failures: list[str] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(form=_form(fields), ids=st.fixed_dictionaries({p: IDS for p in params}))
    def post(form: dict[str, Any], ids: dict[str, str]) -> None:
        target = path.format(**ids)
        caplog.clear()
        with caplog.at_level(logging.ERROR, logger="milepost.web"):
            response = client.post(target, data=form | {"csrf_token": token})
        if response.status_code >= 500 or caplog.records:
            failures.append(f"{response.status_code} on POST {target} with {form!r}")
        assert response.status_code < 500, failures[-1]

    post()
    assert failures == []


def test_the_fuzzed_routes_include_every_form(app) -> None:
    """A sanity check that the walk finds the forms (so the fuzzing above cannot go empty)."""
    paths = _route_paths()
    assert {"/signin", "/signup", "/plan", "/settings/tokens", "/happened/episode"} <= set(paths)
    assert all(isinstance(r, Route) for _, r in _form_routes(app))
