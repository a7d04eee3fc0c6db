"""Issue #13: a coach without health consent reads nothing of the athlete's health, on every
route of the app (the routes come from the app itself, through the authorization matrix, so a
new route or a new field can't slip past), for an athlete with every kind of episode."""

from __future__ import annotations

import re

from .helpers import PASSWORD
from .test_authorization import (
    COACH_HEALTH,
    COACH_NONE,
    COACH_TRAINING,
    LAST,
    OWNER,
    RULES,
    World,
    _request,
    _world,
)

# Words that say something about her health. Checked whole-word and case-blind in every
# response a training-only coach gets.
HEALTH_WORDS = (
    "mastitis", "fever", "febrile", "clinician", "doctor", "antibiotic", "antibiotics", "breast",
    "breastfeeding", "postpartum", "postnatal", "pelvic", "pelvic-floor", "caesarean", "birth",
    "injury", "injured", "calf", "illness", "ill", "sick", "sickness", "symptoms", "symptom",
    "temperature", "abscess", "physiotherapist", "lactation", "pump", "bra",
    "graded", "stage", "walk–run", "provisional", "red flag", "rung", "leaking", "chills",
)  # fmt: skip
# The API's own documentation describes the API to anyone, signed in or not: it holds no
# athlete's data, and its field descriptions name these words.
STATIC = {("GET", "/api/docs"), ("GET", "/api/openapi.json"), ("GET", "/api/docs/oauth2-redirect")}
SECRET_NOTES = ("the sore left side again", "after the school run")


def _everything_happened(w: World) -> None:
    """The owner logs an episode of every kind, with notes and check-ins of her own."""
    owner = w.accounts[OWNER]
    token = owner.csrf()
    bodies = [
        {"kind": "illness", "fever_c": 38.9, "note": SECRET_NOTES[1]},
        {"kind": "injury", "area": "calf", "cross_training": True, "note": SECRET_NOTES[0]},
        {"kind": "postpartum", "birth_date": "2026-09-20", "checks_passed": True,
         "breastfeeding": True, "delivery": "caesarean"},
        {"kind": "unavailable", "start": "2027-03-01", "end": "2027-03-03", "note": "travel"},
    ]  # fmt: skip
    for body in bodies:
        response = owner.client.post("/api/episodes", json=body, headers={"X-CSRF-Token": token})
        assert response.status_code == 200, response.text
    response = owner.client.post(
        "/api/checkins",
        json={"temp_c": 38.4, "feeling": "worse", "red_flags": ["chest-pain"]},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 200, response.text


def _words(text: str) -> set[str]:
    lowered = text.lower()
    return {w for w in HEALTH_WORDS if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", lowered)}


def _leaks(world: World, actor: str) -> tuple[list[str], int]:
    ordered = sorted(RULES.items(), key=lambda item: item[0][1] in LAST)
    leaks = []
    checked = 0
    for (method, path), rule in ordered:
        if (method, path) in STATIC:
            continue
        response = _request(world, actor, method, path, rule)
        checked += 1
        found = _words(response.text)
        found |= {n for n in SECRET_NOTES if n in response.text}
        if found:
            leaks.append(f"{actor}: {method} {path}: {sorted(found)}")
    return leaks, checked


def test_a_training_only_coach_reads_no_health_detail_on_any_route(app) -> None:
    world = _world(app)
    _everything_happened(world)
    leaks, checked = _leaks(world, COACH_TRAINING)
    assert leaks == [], "\n".join(leaks)
    assert checked >= len(RULES) - len(STATIC)


def test_a_coach_never_linked_or_revoked_reads_nothing_of_her_health(app) -> None:
    world = _world(app)
    _everything_happened(world)
    leaks, _ = _leaks(world, COACH_NONE)
    assert leaks == [], "\n".join(leaks)
    owner, coach = world.accounts[OWNER], world.accounts[COACH_HEALTH]
    plan = f"/api/athletes/{world.owner_id}/plan"
    assert "fever" in coach.client.get(plan).text.lower()
    settings = owner.client.get("/settings").text
    link_ids = {int(c.split("/")[0]) for c in settings.split("/settings/coaches/")[1:]
                if c.split("/")[0].isdigit()}  # fmt: skip
    for link_id in link_ids:
        owner.client.post(f"/settings/coaches/{link_id}/revoke", data={"csrf_token": owner.csrf()})
    # Revoked: the very next request finds nothing, on every route.
    assert coach.client.get(plan).status_code == 404
    leaks, _ = _leaks(world, COACH_HEALTH)
    assert leaks == [], "\n".join(leaks)


def test_with_health_consent_the_coach_sees_the_health_detail(app) -> None:
    world = _world(app)
    _everything_happened(world)
    coach = world.accounts[COACH_HEALTH]
    plan = coach.client.get(f"/api/athletes/{world.owner_id}/plan").text.lower()
    assert "fever" in plan and "graded return" in plan


def test_the_training_only_plan_says_adjusted_where_a_day_changed(app) -> None:
    world = _world(app)
    _everything_happened(world)
    coach = world.accounts[COACH_TRAINING]
    plan = coach.client.get(f"/api/athletes/{world.owner_id}/plan").json()
    days = [d for w in plan["weeks"] for d in w["days"]]
    assert any(d.get("adjusted") == "adjusted for health" for d in days)
    assert all(not d["guidance"] for d in days)
    assert PASSWORD not in str(plan)
