"""The JSON API against its own OpenAPI document: schemathesis generates requests from the spec
(valid ones, then invalid ones) and sends them, in process, with an
athlete's bearer token. Whatever it sends, the answer is never a 5xx: bad input is a typed error
through the boundary (422, 404, 403), never a crash.

On SQLite only, and with a bounded number of examples per operation, to keep this under a minute;
the authorization matrix covers who may reach each endpoint on both databases.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from argon2 import PasswordHasher
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import APIOperation, Case, GenerationMode

from milepost.bootstrap import Milepost, open_milepost
from milepost.config import Settings
from milepost.domain.episode import EpisodeKind, Symptoms
from milepost.interfaces.web import create_app

from .helpers import PASSWORD, TODAY, log_episode, make_plan, sign_up

EXAMPLES_PER_OPERATION = 25
SYMPTOMS = [None, *(s.value for s in Symptoms)]


@pytest.fixture(scope="module")
def api_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, str, int]]:
    """The app over a fresh SQLite database, with an athlete who has a plan, an episode and a
    coach, and her personal access token."""
    home: Path = tmp_path_factory.mktemp("schemathesis")
    mp: Milepost = open_milepost(
        Settings(home=home, database_url=f"sqlite:///{home / 'milepost.db'}", today=TODAY)
    )
    mp.accounts.hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    app = create_app(mp)
    athlete = sign_up(app, "olive", name="Olive Owner")
    make_plan(athlete)
    log_episode(athlete, kind="illness", symptoms="above-neck", note="a cold")
    sign_up(app, "carl", role="coach")
    athlete.client.post(
        "/settings/coaches",
        data={
            "coach": "carl",
            "scope": "training+health",
            "password": PASSWORD,
            "csrf_token": athlete.csrf(),
        },
    )
    page = athlete.client.post(
        "/settings/tokens",
        data={
            "name": "schemathesis",
            "password": PASSWORD,
            "scopes": ["read", "write", "coach"],
            "csrf_token": athlete.csrf(),
        },
    ).text
    token = page.split('class="secret">')[1].split("<")[0]
    yield app, token, athlete.client.get("/api/me").json()["athlete"]["id"]
    mp.close()


def _operations(app) -> list[APIOperation]:
    # The operations one by one, each under its own Hypothesis run (schemathesis's pytest
    # plugin does the same, but its fixture loader does not work with pytest 9 yet).
    loaded = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    return [result.ok() for result in loaded.get_all_operations()]


def _steered(operation: APIOperation, owner_id: int) -> st.SearchStrategy[Case] | None:
    """Valid cases the spec alone rarely reaches: free-text fields that only take a few words
    (an episode's kind, the symptoms), and the owner's own id in an athlete's path. These go
    through validation into the services: the re-plan with odd dates, fevers and flags."""
    if operation.label == "POST /api/episodes":
        kinds = st.sampled_from([k.value for k in EpisodeKind])
        return st.tuples(operation.as_strategy(), kinds, st.sampled_from(SYMPTOMS)).map(
            lambda t: _with(t[0], kind=t[1], symptoms=t[2])
        )
    if operation.label == "POST /api/checkins":
        return st.tuples(operation.as_strategy(), st.sampled_from(SYMPTOMS)).map(
            lambda t: _with(t[0], symptoms=t[1])
        )
    if "{athlete_id}" in operation.path:
        return operation.as_strategy(path_parameters={"athlete_id": owner_id})
    if "{episode_id}" in operation.path:
        # The owner's episodes are the first few ids: a random id almost never names one.
        return operation.as_strategy(path_parameters={"episode_id": 1})
    return None


def _with(case: Case, **fields: object) -> Case:
    if isinstance(case.body, dict):
        case.body.update(fields)
    return case


def _check_operation(strategy: st.SearchStrategy[Case], token: str, seen: Counter[int]) -> None:
    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,  # two shared cores: a re-plan can take a while; time is not the point
        suppress_health_check=list(HealthCheck),
        derandomize=True,  # the same cases every run, so a failure here is reproducible
        database=None,
        # No shrinking: a failure is reported as found (under load, shrinking a slow request
        # once took five minutes).
        phases=[Phase.explicit, Phase.generate],
    )
    def no_server_error(case: Case) -> None:
        # A generous read timeout: a re-plan with scheduling on two busy cores can take seconds;
        # slowness is measured by bench/, not here.
        response = case.call(headers={"Authorization": f"Bearer {token}"}, timeout=120)
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} → {response.status_code}\n"
            f"body: {case.body!r}\nquery: {case.query!r}\nanswer: {response.text[:500]}"
        )
        # Every error is the boundary's JSON, with a message a person can read.
        if response.status_code >= 400:
            assert response.json()["message"]
        seen[response.status_code] += 1

    no_server_error()


def test_no_request_the_spec_allows_makes_the_api_fail(api_world) -> None:
    app, token, owner_id = api_world
    operations = _operations(app)
    assert len(operations) >= 9, [o.label for o in operations]
    statuses: dict[str, Counter[int]] = {}
    for operation in operations:
        seen = statuses.setdefault(operation.label, Counter())
        for mode in GenerationMode:
            try:
                _check_operation(operation.as_strategy(generation_mode=mode), token, seen)
            except Unsatisfiable:
                # No parameters and no body: nothing for the negative mode to make invalid.
                assert mode is GenerationMode.NEGATIVE, operation.label
        steered = _steered(operation, owner_id)
        if steered is not None:
            _check_operation(steered, token, seen)
    print({label: dict(seen) for label, seen in statuses.items()})  # shown with -s
    # Not vacuous: every operation but the coach's (she is an athlete) answered with data.
    answered = {label for label, seen in statuses.items() if seen[200]}
    assert answered == statuses.keys() - {"GET /api/coach/roster"}, str(statuses)
