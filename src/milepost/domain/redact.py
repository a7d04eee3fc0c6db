"""The plan as someone without health consent may see it: built, not scrubbed.

Every view of an athlete's plan for a viewer without health consent (a coach with "training"
consent, an export made for others) comes from :func:`redact_body` and :func:`redact_revision`
(design.md: "no route builds its own redaction"). They do not search for health words to hide:
they build a new plan from a whitelist of training fields, and on every day a health rule
touched (``day["health"]``, set by the planning service from the day's rules) they write each
session's title and description again from its kind, time and distance alone. So a new field,
a new rule or a new wording can't leak: what is not whitelisted is not there.

What goes: guidance, the stage, "provisional" and check-in marks, scheduling notes (feeds say
breastfeeding), the forecast's words (its numbers stay), the plan notes the adaptation added,
and every change's reason but a move's. What is said instead: "adjusted for health" on a day that
changed, neutral titles ("Rest day", "Easy 30 min", "Strength 40 min").
"""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]

ADJUSTED = "adjusted for health"
# Causes whose words may say something about her health (everything but missed days, travel and
# her own edits): a day they touched is marked ``health`` and rewritten here.
HEALTH_DERIVED_CAUSES = frozenset(
    {"illness", "mastitis", "injury", "postpartum", "postpartum-build", "return", "ease", "rebuild"}
)
RUN_KINDS = frozenset(
    {"easy", "long", "marathon_pace", "threshold", "interval", "repetition", "fartlek", "strides"}
)
QUALITY_KINDS = frozenset({"marathon_pace", "threshold", "interval", "repetition", "fartlek"})
_SEGMENT_KEYS = ("zone", "distance_m", "duration_s", "pace_s_per_km")
_FORECAST_KEYS = ("race_s", "goal_s", "on_track", "vdot_now", "vdot_race_day", "race_day_cleared")
_WEEK_KEYS = ("number", "countdown", "starts", "phase", "focus", "cutback", "target_m", "total_m")


def _minutes(session: Json) -> int:
    return max(0, round(float(session.get("duration_s") or 0.0) / 60.0))


def neutral_title(session: Json) -> str:
    kind = session.get("kind", "")
    minutes = _minutes(session)
    if kind == "rest":
        return "Rest day"
    if kind == "race":
        return "Race"
    if kind == "strength":
        return f"Strength {minutes} min" if minutes else "Strength"
    if kind == "cross":
        return f"Cross-training {minutes} min" if minutes else "Cross-training"
    if kind == "long":
        return f"Long run {minutes} min"
    if kind in QUALITY_KINDS:
        return f"Quality session {minutes} min"
    return f"Easy {minutes} min" if minutes else "Easy run"


def _segments(segments: list[Json]) -> list[Json]:
    out = []
    for s in segments:
        if "repeat" in s:
            out.append({"repeat": int(s["repeat"]), "steps": _segments(s.get("steps", []))})
        else:
            out.append({k: s.get(k) for k in _SEGMENT_KEYS})
    return out


def _session(session: Json, adjusted: bool) -> Json:
    kind = str(session.get("kind", "rest"))
    out: Json = {
        "kind": kind,
        "distance_m": session.get("distance_m", 0.0),
        "duration_s": session.get("duration_s", 0.0),
        "pace_s_per_km": session.get("pace_s_per_km"),
    }
    if adjusted:
        out["title"] = neutral_title(session)
        out["description"] = (
            f"{out['title']}: {ADJUSTED} by the athlete." if kind != "rest" else "Rest day."
        )
        out["segments"] = _segments(session.get("segments", [])) if kind in RUN_KINDS else []
        out["exercises"] = []
    else:
        out["title"] = str(session.get("title", ""))
        out["description"] = str(session.get("description", ""))
        out["segments"] = _segments(session.get("segments", []))
        out["exercises"] = [
            {k: e.get(k, "") for k in ("name", "sets", "reps", "cue")}
            for e in session.get("exercises", [])
        ]
    for key in ("start", "end"):
        if key in session:
            out[key] = session[key]
    return out


def _day(day: Json) -> Json:
    adjusted = bool(day.get("health"))
    out: Json = {
        "date": day["date"],
        "sessions": [_session(s, adjusted) for s in day.get("sessions", [])],
        "guidance": [],
    }
    if adjusted:
        out["adjusted"] = ADJUSTED
    return out


def redact_body(body: Json) -> Json:
    """The plan body for a viewer without health consent (see the module's docstring)."""
    health_notes = set(body.get("health_notes", []))
    forecast = body.get("forecast")
    return {
        "race": dict(body["race"]),
        "vdot": body.get("vdot"),
        "units": body.get("units"),
        "expected_vdot": list(body.get("expected_vdot", [])),
        "tune_up": body.get("tune_up"),
        "notes": [n for n in body.get("notes", []) if n not in health_notes],
        "warnings": list(body.get("warnings", [])),
        "weeks": [
            {**{k: w.get(k) for k in _WEEK_KEYS}, "days": [_day(d) for d in w["days"]]}
            for w in body["weeks"]
        ],
        "forecast": {k: forecast.get(k) for k in _FORECAST_KEYS} if forecast else None,
    }


def redact_change(change: Json) -> Json:
    """A change as a viewer without health consent sees it: the day, and whether a session was
    moved there or the day was adjusted; no titles (an adapted title can say why)."""
    moved = change.get("cause") == "edit" and not str(change.get("after", "")).startswith("not ")
    what = "a session moved here" if moved else ADJUSTED
    return {
        "date": change.get("date"),
        "before": "",
        "after": what,
        "reason": what,
        "source": "",
        "cause": "edit" if moved else "adjusted",
        "text": f"{change.get('date')}: {what}",
    }


def redact_reason(reason: str) -> str:
    """A revision's reason: plan creation and moves say so; the rest was the athlete's."""
    if reason == "plan created":
        return reason
    if " moved " in f" {reason} " or " pinned " in f" {reason} ":
        return "a session moved or pinned"
    return "updated by the athlete"
