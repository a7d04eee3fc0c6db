"""Making a race plan, deriving its current revision from the inputs, showing it."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.orm import Session

from milepost.adapters.storage.db import Database
from milepost.adapters.storage.repositories import (
    ActivityRepository,
    HealthRepository,
    LifeScheduleRepository,
    PlanRepository,
    StoredActivity,
    StoredPlan,
    StoredRevision,
)
from milepost.adapters.storage.tables import PlanRow
from milepost.domain.adapt import Adaptation, Change, derive_plan
from milepost.domain.adapt.edits import Edit
from milepost.domain.adapt.engine import ENGINE_VERSION, generation_day
from milepost.domain.athlete import Athlete, RaceResult
from milepost.domain.compliance import missed_days
from milepost.domain.episode import CheckIn, Episode, EpisodeKind
from milepost.domain.guidance import guidance_by_day
from milepost.domain.plan.generate import generate_plan
from milepost.domain.plan.model import Day, Plan, Week
from milepost.domain.plan.request import (
    MAX_WEEKS,
    PlanRequest,
    monday_of,
    next_monday,
    plan_start,
)
from milepost.domain.plan.serialize import (
    plan_from_dict,
    plan_to_dict,
    request_from_dict,
    request_to_dict,
)
from milepost.domain.redact import (
    HEALTH_DERIVED_CAUSES,
    redact_body,
    redact_change,
    redact_reason,
)
from milepost.errors import InfeasiblePlanError, InputError, NotFoundError
from milepost.services.athletes import AthleteService
from milepost.services.clock import Clock
from milepost.services.timing import schedule_body

NO_PLAN_HINT = "make one with: milepost plan new --race half --race-date YYYY-MM-DD --weekly-km 40"


@dataclass(frozen=True)
class CurrentPlan:
    """The plan as derived for ``today``: the newest revision only (one query, design.md); the
    full history is loaded only by the views that show it."""

    athlete: Athlete
    plan_id: int
    plan: Plan
    latest: StoredRevision
    today: date
    history: Callable[[], tuple[StoredRevision, ...]] | None = field(default=None, compare=False)

    @property
    def body(self) -> dict[str, Any]:
        return self.latest.body

    @property
    def revisions(self) -> tuple[StoredRevision, ...]:
        return self.history() if self.history is not None else (self.latest,)

    def as_json(self) -> dict[str, Any]:
        """What ``plan show --json`` and ``GET /api/plan`` return: the revision shown, its id,
        and every revision with its reason and changes."""
        data = dict(self.body)
        data.setdefault("warnings", [])  # plans stored before warnings existed have none
        data["plan_id"] = self.plan_id
        data["athlete"] = self.athlete.name
        data["revisions"] = [
            {"at": r.created_at.isoformat(), "reason": r.reason, "changes": r.changes}
            for r in self.revisions
        ]
        return data


@dataclass(frozen=True)
class Today:
    athlete: Athlete
    plan: Plan
    date: date
    week: Week | None
    day: Day | None
    guidance: list[dict[str, str]]
    forecast: dict[str, Any] | None
    # The stored revision's day: its sessions carry "start"/"end" once the plan is placed in
    # the runner's hours, and "schedule_notes" say what the scheduler moved or dropped.
    body_day: dict[str, Any] | None = None

    @property
    def provisional(self) -> bool:
        return bool(self.body_day and self.body_day.get("provisional"))

    @property
    def check_in_due(self) -> bool:
        return bool(self.body_day and self.body_day.get("check_in_due"))

    @property
    def stage(self) -> str:
        return str(self.body_day.get("stage", "")) if self.body_day else ""


@dataclass(frozen=True)
class Replan:
    """A derivation compared with what the runner was last shown."""

    adaptation: Adaptation
    body: dict[str, Any]
    added: tuple[Change, ...]
    removed: tuple[dict[str, Any], ...]
    revision_id: int | None  # None for a preview

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def change_to_dict(change: Change) -> dict[str, Any]:
    return {
        "date": change.on.isoformat(),
        "before": change.before,
        "after": change.after,
        "reason": change.reason,
        "source": change.source,
        "cause": change.cause,
        "text": change.text(),
    }


def forecast_to_dict(adaptation: Adaptation) -> dict[str, Any] | None:
    f = adaptation.forecast
    if f is None:
        return None
    return {
        "race_s": round(f.race_s),
        "goal_s": round(f.goal_s),
        "on_track": f.on_track,
        "vdot_now": round(f.vdot_now, 1),
        "vdot_race_day": round(f.vdot_race_day, 1),
        "message": f.message,
        "new_goal_s": f.new_goal_s,
        "later_race_date": f.later_race_date.isoformat() if f.later_race_date else None,
        "race_day_cleared": f.race_day_cleared,
        "readiness": f.readiness,
        "lost_weeks": f.lost_weeks,
    }


RUNNING_SPORTS = frozenset({"running", "trail_running", "treadmill_running"})


def logged_running_m(activities: list[StoredActivity], timezone: str) -> dict[date, float]:
    """Running logged per local day: the evidence a return stage was done (progress.py)."""
    zone = ZoneInfo(timezone)
    out: dict[date, float] = {}
    for stored in activities:
        activity = stored.activity
        if activity.sport not in RUNNING_SPORTS:
            continue
        day = activity.start.astimezone(zone).date()
        out[day] = out.get(day, 0.0) + (activity.distance_m or 1.0)
    return out


def logged_misses(
    activities: list[StoredActivity], athlete: Athlete, request: PlanRequest, today: date
) -> list[Episode]:
    """Planned run days that ended with nothing in the log become missed days for the rules.

    Only for a runner who keeps a log, and only from the first logged activity on: a planner
    who never imports anything is not told she missed everything.
    """
    if not activities:
        return []
    zone = ZoneInfo(athlete.timezone)
    done = {a.activity.start.astimezone(zone).date() for a in activities}
    first = min(done)
    ideal = generate_plan(request, generation_day(request), strict=False)
    days = [d for d in ideal.days() if d.date >= first]
    return [
        Episode(EpisodeKind.MISSED, start=on, note="nothing logged", id=-(i + 1))
        for i, on in enumerate(missed_days(days, done, today))
    ]


class _RevisionCache:
    """Decoded revisions by id, least recently used out first. A stored revision's body never
    changes, so an id is a key every process may keep on its own (workers agree by
    construction; docs/operations.md)."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, int, str], tuple[StoredRevision, Plan]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, revision_id: tuple[str, int, str]) -> tuple[StoredRevision, Plan] | None:
        with self._lock:
            found = self._items.get(revision_id)
            if found is not None:
                self._items.move_to_end(revision_id)
            return found

    def put(self, revision_id: tuple[str, int, str], value: tuple[StoredRevision, Plan]) -> None:
        with self._lock:
            self._items[revision_id] = value
            self._items.move_to_end(revision_id)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


_REVISIONS = _RevisionCache()


def redacted(current: CurrentPlan) -> CurrentPlan:
    """``current`` rebuilt for a viewer without health consent (domain/redact.py)."""
    body = redact_body(current.body)
    latest = StoredRevision(
        current.latest.id,
        current.latest.created_at,
        redact_reason(current.latest.reason),
        body,
        [redact_change(c) for c in current.latest.changes],
    )
    full_history = current.history

    def history() -> tuple[StoredRevision, ...]:
        revisions = full_history() if full_history is not None else (current.latest,)
        return tuple(
            StoredRevision(
                r.id,
                r.created_at,
                redact_reason(r.reason),
                {},
                [redact_change(c) for c in r.changes],
            )
            for r in revisions
        )

    return replace(current, plan=plan_from_dict(body), latest=latest, history=history)


def derivation_key(inputs_version: int, today: date) -> str:
    """What a stored derivation was made from: the inputs, the day and the rules' version."""
    return f"{inputs_version}:{today.isoformat()}:{ENGINE_VERSION}"


@dataclass(frozen=True)
class _Inputs:
    request: PlanRequest
    episodes: list[Episode]
    check_ins: list[CheckIn]
    edits: list[Edit]
    logged_m: dict[date, float]


class PlanningService:
    def __init__(self, db: Database, athletes: AthleteService, clock: Clock) -> None:
        self.db = db
        self.athletes = athletes
        self.clock = clock

    def _inputs(
        self,
        session: Session,
        athlete: Athlete,
        request: PlanRequest,
        plan_id: int | None,
        today: date,
    ) -> _Inputs:
        health = HealthRepository(session)
        activities = ActivityRepository(session).between(athlete.id or 0)
        episodes = health.episodes(athlete.id or 0)
        episodes += logged_misses(activities, athlete, request, today)
        return _Inputs(
            request,
            episodes,
            health.check_ins(athlete.id or 0),
            health.edits(plan_id) if plan_id is not None else [],
            logged_running_m(activities, athlete.timezone),
        )

    def create(
        self,
        request: PlanRequest,
        *,
        recent: RaceResult | None = None,
        vdot: float | None = None,
    ) -> CurrentPlan:
        """Generate and store a plan for the current athlete.

        Fitness comes from ``vdot``, else ``recent``, else the athlete's latest race; the
        request's own ``vdot`` is ignored. The stored request carries its resolved start, so
        every later derivation builds the same weeks.
        """
        athlete = self.athletes.current()
        today = self.clock.today(athlete.timezone)
        fitness = vdot or (recent.vdot if recent else None) or athlete.current_vdot()
        if fitness is None:
            raise InputError(
                "milepost needs your current fitness to set the paces",
                hint="add a recent race (--recent 5k=22:30) or a VDOT (--vdot 45)",
            )
        # Her other races, to warn when the one the fitness comes from contradicts them.
        if vdot:
            others: tuple[float, ...] = ()
        elif recent:
            others = tuple(round(r.vdot, 2) for r in athlete.races)
        else:
            latest = max(
                athlete.races, key=lambda r: (r.on is not None, r.on or date.min), default=None
            )
            others = tuple(round(r.vdot, 2) for r in athlete.races if r is not latest)
        request = replace(
            request,
            vdot=round(fitness, 2),
            units=request.units or athlete.units.value,
            start=plan_start(request, today),
            other_vdots=request.other_vdots or others,
        )
        generate_plan(request, today)  # validates against the real today
        with self.db.session() as session:
            inputs = self._inputs(session, athlete, request, None, today)
            adaptation = derive_plan(
                request, inputs.episodes, inputs.check_ins, today, logged_m=inputs.logged_m
            )
            body = self._body(adaptation, inputs.episodes, inputs.check_ins, today, athlete)
            life = LifeScheduleRepository(session).get(athlete.id or 0)
            schedule_body(body, adaptation, life, [], athlete.timezone, today, request.long_run_day)
            plans = PlanRepository(session)
            stored = plans.add(
                athlete.id or 0,
                request_to_dict(request),
                body,
                "plan created",
                [change_to_dict(c) for c in adaptation.changes],
            )
            # The new plan row bumped the inputs version in this flush: stamp what it is now.
            key = derivation_key(plans.inputs_version(athlete.id or 0), today)
            plans.set_derived_key(stored.latest.id, key)
        return CurrentPlan(
            athlete,
            stored.id,
            adaptation.plan,
            stored.latest,
            today,
            self._history_of(stored.id),
        )

    def _history_of(self, plan_id: int) -> Callable[[], tuple[StoredRevision, ...]]:
        def load() -> tuple[StoredRevision, ...]:
            with self.db.session() as session:
                return PlanRepository(session).revisions(plan_id)

        return load

    def _stored(self, athlete: Athlete) -> StoredPlan:
        with self.db.session() as session:
            stored = PlanRepository(session).active_for(athlete.id or 0)
        if stored is None:
            raise NotFoundError(f"{athlete.name} has no plan yet", hint=NO_PLAN_HINT)
        return stored

    def current(self) -> CurrentPlan:
        """The plan derived for today: the stored derivation when it was made from today's
        inputs on today's date, else derived again first (design.md: today is an input).

        A read costs one small query (the newest revision's id and key); a revision's body,
        which never changes once stored, is decoded once per process (``_REVISIONS``)."""
        athlete = self.athletes.current()
        today = self.clock.today(athlete.timezone)
        with self.db.session() as session:
            plans = PlanRepository(session)
            head = plans.head_for(athlete.id or 0)
            if head is None:
                raise NotFoundError(f"{athlete.name} has no plan yet", hint=NO_PLAN_HINT)
            if head.derived_key != derivation_key(head.inputs_version, today):
                # Take the plan's write lock, then look again: a concurrent read may have just
                # derived it (PostgreSQL locks the row; SQLite the database).
                session.execute(
                    update(PlanRow).where(PlanRow.id == head.id).values(active=PlanRow.active)
                )
                head = plans.head_for(athlete.id or 0)
                assert head is not None
                if head.derived_key != derivation_key(head.inputs_version, today):
                    reason = (
                        f"derived for {today:%a %d %b}"
                        if head.derived_key is None
                        or not head.derived_key.startswith(f"{head.inputs_version}:")
                        else f"a new day: derived for {today:%a %d %b}"
                    )
                    self.replan_in(session, athlete, today, reason=reason, apply=True)
                    head = plans.head_for(athlete.id or 0)
                    assert head is not None
            # The id with its database and its time: ids restart in a new database.
            cache_key = (str(self.db.url), head.revision_id, head.created_at.isoformat())
            cached = _REVISIONS.get(cache_key)
            if cached is None:
                stored = plans.revision(head.revision_id)
                assert stored is not None
                cached = (stored, plan_from_dict(stored.body))
                _REVISIONS.put(cache_key, cached)
        latest, plan = cached
        return CurrentPlan(
            athlete,
            head.id,
            plan,
            latest,
            today,
            self._history_of(head.id),
        )

    def revision_count(self, plan_id: int) -> int:
        with self.db.session() as session:
            return PlanRepository(session).revision_count(plan_id)

    def view(self, *, health: bool) -> CurrentPlan:
        """The plan as a viewer sees it: whole with health consent, else built by redact.py
        (every coach view, API answer, page, calendar and PDF for others comes from here)."""
        current = self.current()
        return current if health else redacted(current)

    def _body(
        self,
        adaptation: Adaptation,
        episodes: list[Episode],
        check_ins: list[CheckIn],
        today: date,
        athlete: Athlete | None = None,
    ) -> dict[str, Any]:
        plan = adaptation.plan
        body = plan_to_dict(plan)
        guidance = guidance_by_day(
            [(d.date, bool(d.runs)) for d in plan.days()],
            adaptation.rules,
            list(adaptation.episodes) or episodes,
            check_ins,
            today,
            breastfeeding=bool(athlete and athlete.breastfeeding),
        )
        for week in body["weeks"]:
            for day in week["days"]:
                on = date.fromisoformat(day["date"])
                items = guidance.get(on, [])
                day["guidance"] = [i.as_dict() for i in items]
                rules = adaptation.rules.get(on)
                if rules is None:
                    continue
                if {r.cause for r in rules.restrictions} & HEALTH_DERIVED_CAUSES:
                    day["health"] = True  # redaction rewrites this day's words (redact.py)
                if on < today:
                    continue
                if rules.provisional:
                    day["provisional"] = True
                if rules.check_in_due and on == today:
                    day["check_in_due"] = True
                if rules.stage:
                    day["stage"] = rules.stage
        body["forecast"] = forecast_to_dict(adaptation)
        body["health_notes"] = list(adaptation.notes)
        return body

    def replan(
        self,
        *,
        reason: str,
        apply: bool,
        extra_episodes: tuple[Episode, ...] = (),
        extra_check_ins: tuple[CheckIn, ...] = (),
        extra_edits: tuple[Edit, ...] = (),
    ) -> Replan | None:
        """Derive the plan from every stored input (plus any ``extra`` ones not yet stored),
        compare it with the last revision, and store a new revision when ``apply`` and changed.
        None when the athlete has no plan."""
        athlete = self.athletes.current()
        today = self.clock.today(athlete.timezone)
        with self.db.session() as session:
            return self.replan_in(
                session,
                athlete,
                today,
                reason=reason,
                apply=apply,
                extra_episodes=extra_episodes,
                extra_check_ins=extra_check_ins,
                extra_edits=extra_edits,
            )

    def replan_in(
        self,
        session: Session,
        athlete: Athlete,
        today: date,
        *,
        reason: str,
        apply: bool,
        extra_episodes: tuple[Episode, ...] = (),
        extra_check_ins: tuple[CheckIn, ...] = (),
        extra_edits: tuple[Edit, ...] = (),
    ) -> Replan | None:
        """``replan`` inside the caller's transaction, so an input and the revision it leads
        to are committed together or not at all."""
        plans = PlanRepository(session)
        latest = plans.latest_for(athlete.id or 0)
        if latest is None:
            return None
        request = request_from_dict(latest.request)
        inputs = self._inputs(session, athlete, request, latest.id, today)
        episodes = inputs.episodes + list(extra_episodes)
        check_ins = inputs.check_ins + list(extra_check_ins)
        edits = inputs.edits + list(extra_edits)
        adaptation = derive_plan(
            request, episodes, check_ins, today, edits, logged_m=inputs.logged_m
        )
        body = self._body(adaptation, episodes, check_ins, today, athlete)
        life = LifeScheduleRepository(session).get(athlete.id or 0)
        schedule_body(body, adaptation, life, edits, athlete.timezone, today, request.long_run_day)
        now = [change_to_dict(c) for c in adaptation.changes]
        before = {c["text"] for c in latest.latest.changes}
        added = tuple(c for c in adaptation.changes if c.text() not in before)
        removed = tuple(
            c for c in latest.latest.changes if c["text"] not in {d["text"] for d in now}
        )
        revision_id = None
        if apply:
            session.flush()  # the input this job stores bumps the version before the key is read
            key = derivation_key(plans.inputs_version(athlete.id or 0), today)
            if added or removed or body != latest.latest.body:
                revision_id = plans.add_revision(latest.id, body, reason, now, key).id
            else:
                plans.set_derived_key(latest.latest.id, key)
        return Replan(adaptation, body, added, removed, revision_id)

    def edit(self, edit: Edit, *, by: str | None = None) -> Replan | None:
        """Store the runner's move or pin, then re-plan: edits are inputs and survive re-plans.
        A move that would break a return's order or caps, or the hard/easy rhythm, is refused
        with its reason before anything is stored. ``by`` names a coach making the edit."""
        current = self.current()
        plan = current.plan
        for on in (edit.on, edit.to):
            if on is not None and plan.day(on) is None:
                raise InputError(
                    f"{on.isoformat()} is not in the plan",
                    hint=f"the plan runs {plan.starts} to {plan.race.date}",
                )
        day = plan.day(edit.on)
        assert day is not None
        if not 0 <= edit.index < len(day.sessions) or day.sessions[edit.index].kind.value == "rest":
            titles = ", ".join(
                f"{i}: {s.title}" for i, s in enumerate(day.sessions) if s.kind.value != "rest"
            )
            raise InputError(
                f"no session {edit.index} on {edit.on:%a %d %b}",
                hint=f"that day holds {titles or 'no session'}",
            )
        what = day.sessions[edit.index].title
        if edit.kind == "move" and edit.to is not None:
            preview = self.replan(reason="preview", apply=False, extra_edits=(edit,))
            refused = [
                c
                for c in (preview.adaptation.changes if preview else ())
                if c.cause == "edit" and c.on == edit.to and c.after.startswith("not moved here")
            ]
            if refused:
                raise InputError(
                    f"{what} can't move to {edit.to:%a %d %b}: {refused[-1].reason}",
                    hint="nothing was changed",
                )
        who = by or "you"
        reason = (
            f"{who} moved {what} from {edit.on.isoformat()} to {edit.to.isoformat()}"
            if edit.kind == "move" and edit.to
            else f"{who} pinned {what} on {edit.on.isoformat()}"
            + (f" at {edit.at:%H:%M}" if edit.at else "")
        )
        athlete = self.athletes.current()
        with self.db.session() as session:
            HealthRepository(session).add_edit(current.plan_id, edit)
            return self.replan_in(session, athlete, current.today, reason=reason, apply=True)

    def retarget(
        self, *, race_date: date | None = None, goal_s: float | None = None
    ) -> CurrentPlan:
        """A new plan from where the runner is now: the same race inputs, a later date or a new
        goal, today's VDOT (after any break) and the volume she is running now [D]."""
        if race_date is None and goal_s is None:
            raise InputError("say what changes", hint="--race-date YYYY-MM-DD or --goal h:mm:ss")
        athlete = self.athletes.current()
        today = self.clock.today(athlete.timezone)
        replan = self.replan(reason="preview", apply=False)
        if replan is None:
            raise NotFoundError(f"{athlete.name} has no plan yet", hint=NO_PLAN_HINT)
        stored = self._stored(athlete)
        request = request_from_dict(stored.request)
        adapted = replan.adaptation.plan
        week = adapted.week_of(today)
        now_m = week.total_m if week is not None else request.weekly_m
        forecast = replan.adaptation.forecast
        vdot_now = forecast.vdot_now if forecast else adapted.expected_vdot[0]
        target = race_date or request.race_date
        # A race more than 24 weeks out starts its plan 24 weeks before it (until then: easy
        # running at today's volume, as the hint of an over-long request says).
        start = max(next_monday(today), monday_of(target) - timedelta(weeks=MAX_WEEKS - 1))
        new_request = replace(
            request,
            race_date=target,
            goal_s=goal_s,
            start=start,
            weekly_m=max(now_m, request.weekly_m * 0.5, 10_000.0),
            peak_m=None,
            tune_up=None,
        )
        # Coming back at a lower volume may not carry as many runs: keep as many as fit.
        for runs in range(request.runs_per_week, 2, -1):
            try:
                return self.create(replace(new_request, runs_per_week=runs), vdot=vdot_now)
            except InfeasiblePlanError:
                if runs == 3:
                    raise
        raise AssertionError("unreachable: runs_per_week is at least 3")

    def today(self, on: date | None = None) -> Today:
        current = self.current()
        when = on or current.today
        week = current.plan.week_of(when)
        guidance: list[dict[str, str]] = []
        body_day = None
        if week is not None:
            body_week = current.body["weeks"][week.number - 1]
            body_day = body_week["days"][(when - week.starts).days]
            guidance = body_day.get("guidance", [])
        return Today(
            current.athlete,
            current.plan,
            when,
            week,
            current.plan.day(when),
            guidance,
            current.body.get("forecast"),
            body_day,
        )


GUIDANCE_ORDER = {"see_clinician": 0, "caution": 1, "info": 2}


def upcoming_guidance(body: dict[str, Any], today: date) -> list[tuple[date, dict[str, str]]]:
    """The guidance a re-plan screen shows (CLI and web alike): clinician flags and cautions
    from today on, each once, and today's other items; the most serious first."""
    seen: set[str] = set()
    out = []
    for week in body["weeks"]:
        for day in week["days"]:
            on = date.fromisoformat(day["date"])
            if on < today:
                continue
            for item in day.get("guidance", []):
                wanted = item["level"] != "info" or on == today
                if wanted and item["text"] not in seen:
                    seen.add(item["text"])
                    out.append((on, item))
    return sorted(out, key=lambda pair: (GUIDANCE_ORDER[pair[1]["level"]], pair[0]))
