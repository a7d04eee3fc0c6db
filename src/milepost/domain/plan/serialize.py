"""A plan as plain JSON-ready data and back: what is stored in a revision and printed by
``plan show --json``. ``plan_from_dict(plan_to_dict(p)) == p`` for every plan."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from milepost.domain.plan.model import (
    Day,
    Exercise,
    Phase,
    Plan,
    Race,
    Repeat,
    Segment,
    Session,
    SessionKind,
    Step,
    Week,
    Zone,
)
from milepost.domain.plan.request import PlanRequest, TuneUp

Json = dict[str, Any]


def _pace(pace: tuple[float, float] | None) -> list[float] | None:
    return [pace[0], pace[1]] if pace else None


def _segment_to_dict(segment: Segment) -> Json:
    if isinstance(segment, Repeat):
        return {"repeat": segment.times, "steps": [_segment_to_dict(s) for s in segment.steps]}
    return {
        "zone": segment.zone.value,
        "distance_m": segment.distance_m,
        "duration_s": segment.duration_s,
        "pace_s_per_km": _pace(segment.pace_s_per_km),
    }


def session_to_dict(session: Session) -> Json:
    return {
        "kind": session.kind.value,
        "title": session.title,
        "distance_m": session.distance_m,
        "duration_s": session.duration_s,
        "pace_s_per_km": _pace(session.pace_s_per_km),
        "description": session.description,
        "segments": [_segment_to_dict(s) for s in session.segments],
        "exercises": [
            {"name": e.name, "sets": e.sets, "reps": e.reps, "cue": e.cue}
            for e in session.exercises
        ],
    }


def _race_to_dict(race: Race) -> Json:
    return {
        "distance_m": race.distance_m,
        "date": race.date.isoformat(),
        "name": race.name,
        "goal_s": race.goal_s,
    }


def plan_to_dict(plan: Plan) -> Json:
    n = len(plan.weeks)
    return {
        "race": _race_to_dict(plan.race),
        "vdot": plan.vdot,
        "units": plan.units,
        "expected_vdot": list(plan.expected_vdot),
        "tune_up": _race_to_dict(plan.tune_up) if plan.tune_up else None,
        "notes": list(plan.notes),
        "warnings": list(plan.warnings),
        "weeks": [
            {
                "number": w.number,
                "countdown": w.countdown(n),
                "starts": w.starts.isoformat(),
                "phase": w.phase.value,
                "focus": w.focus,
                "cutback": w.cutback,
                "target_m": w.target_m,
                "total_m": round(w.total_m, 1),
                "days": [
                    {
                        "date": d.date.isoformat(),
                        "sessions": [session_to_dict(s) for s in d.sessions],
                    }
                    for d in w.days
                ],
            }
            for w in plan.weeks
        ],
    }


def _tuple_pace(value: list[float] | None) -> tuple[float, float] | None:
    return (float(value[0]), float(value[1])) if value else None


def _segment_from_dict(data: Json) -> Segment:
    if "repeat" in data:
        return Repeat(int(data["repeat"]), tuple(_step(s) for s in data["steps"]))
    return _step(data)


def _step(data: Json) -> Step:
    return Step(
        zone=Zone(data["zone"]),
        distance_m=data.get("distance_m"),
        duration_s=data.get("duration_s"),
        pace_s_per_km=_tuple_pace(data.get("pace_s_per_km")),
    )


def session_from_dict(data: Json) -> Session:
    return Session(
        kind=SessionKind(data["kind"]),
        title=data["title"],
        description=data["description"],
        distance_m=float(data["distance_m"]),
        duration_s=float(data["duration_s"]),
        pace_s_per_km=_tuple_pace(data.get("pace_s_per_km")),
        segments=tuple(_segment_from_dict(s) for s in data.get("segments", [])),
        exercises=tuple(
            Exercise(e["name"], int(e["sets"]), e["reps"], e.get("cue", ""))
            for e in data.get("exercises", [])
        ),
    )


def _race_from_dict(data: Json) -> Race:
    return Race(
        distance_m=float(data["distance_m"]),
        date=date.fromisoformat(data["date"]),
        name=data.get("name", ""),
        goal_s=data.get("goal_s"),
    )


def plan_from_dict(data: Json) -> Plan:
    return Plan(
        race=_race_from_dict(data["race"]),
        vdot=float(data["vdot"]),
        units=data.get("units", "km"),
        expected_vdot=tuple(float(v) for v in data.get("expected_vdot", [])),
        tune_up=_race_from_dict(data["tune_up"]) if data.get("tune_up") else None,
        notes=tuple(data.get("notes", [])),
        warnings=tuple(data.get("warnings", [])),
        weeks=tuple(
            Week(
                number=int(w["number"]),
                starts=date.fromisoformat(w["starts"]),
                phase=Phase(w["phase"]),
                focus=w.get("focus", ""),
                cutback=bool(w.get("cutback", False)),
                target_m=float(w.get("target_m", 0.0)),
                days=tuple(
                    Day(
                        date.fromisoformat(d["date"]),
                        tuple(session_from_dict(s) for s in d["sessions"]),
                    )
                    for d in w["days"]
                ),
            )
            for w in data["weeks"]
        ),
    )


def request_to_dict(request: PlanRequest) -> Json:
    data = asdict(request)
    for key in ("race_date", "start"):
        data[key] = data[key].isoformat() if data[key] else None
    data["rest_days"] = list(request.rest_days)
    data["other_vdots"] = list(request.other_vdots)
    if request.tune_up is not None:
        data["tune_up"] = {
            "distance_m": request.tune_up.distance_m,
            "date": request.tune_up.date.isoformat(),
        }
    return data


def request_from_dict(data: Json) -> PlanRequest:
    fields = dict(data)
    fields["race_date"] = date.fromisoformat(data["race_date"])
    fields["start"] = date.fromisoformat(data["start"]) if data.get("start") else None
    fields["rest_days"] = tuple(data.get("rest_days", ()))
    fields["other_vdots"] = tuple(data.get("other_vdots", ()))
    tune = data.get("tune_up")
    fields["tune_up"] = (
        TuneUp(float(tune["distance_m"]), date.fromisoformat(tune["date"])) if tune else None
    )
    return PlanRequest(**fields)
