"""Who may see which athlete: the owner, and coaches the athlete invited, with a scope.

Every web request for an athlete's data asks :meth:`CoachingService.access` first. The rules:

- the account that owns an athlete may see and change everything of theirs;
- a coach the athlete linked sees the training ("training"), and the health episodes only when
  the athlete chose "training+health"; a linked coach may leave notes and move or pin a session
  (moving training is training, so "training" consent is enough), and changes nothing else;
- anyone else is told the athlete does not exist (404), so ids reveal nothing.

Consent is read from the database on every request, so revoking or narrowing it takes effect at
the next click, not at the next sign-in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from milepost.adapters.storage.db import Database
from milepost.adapters.storage.repositories import (
    AccountRepository,
    AthleteRepository,
    AuditEntry,
    CoachingRepository,
    CoachLink,
    CoachNote,
    HealthRepository,
    User,
)
from milepost.bounds import LOGIN_LENGTH, check_text
from milepost.domain.adapt import Change
from milepost.domain.adapt.edits import Edit
from milepost.domain.athlete import Athlete
from milepost.domain.episode import CheckIn, Episode
from milepost.domain.plan.model import Week
from milepost.errors import InputError, NotFoundError, PermissionDeniedError
from milepost.services.accounts import digest, new_secret, password_matches
from milepost.services.clock import Clock
from milepost.services.planning import CurrentPlan, PlanningService

if TYPE_CHECKING:
    from milepost.services.logbook import LogbookService

TRAINING = "training"
TRAINING_AND_HEALTH = "training+health"
SCOPES = (TRAINING, TRAINING_AND_HEALTH)
MAX_NOTE_LENGTH = 2000
INVITE_DAYS = 14  # an invite link works this long, once [D]


@dataclass(frozen=True)
class Invite:
    """What an invite link offers, shown before it is accepted."""

    athlete: Athlete
    scope: str
    expires_at: datetime

    @property
    def shares(self) -> str:
        return "training and health" if self.scope == TRAINING_AND_HEALTH else "training only"


class Need(Enum):
    """What a request wants to do with an athlete."""

    CHANGE = "change"  # the owner only
    TRAINING = "training"  # the owner, or any linked coach
    HEALTH = "health"  # the owner, or a coach with "training+health"


@dataclass(frozen=True)
class Access:
    athlete: Athlete
    owner: bool
    scope: str  # the owner has "training+health" over their own data

    @property
    def sees_health(self) -> bool:
        return self.scope == TRAINING_AND_HEALTH


@dataclass(frozen=True)
class RosterEntry:
    """One athlete's week at a glance, as a coach may see it."""

    athlete: Athlete
    scope: str
    countdown: str | None  # "Week 6 of 16 — 10 to go"; None without a plan in progress
    phase: str | None
    week_m: float | None
    units: str
    today: tuple[str, ...]  # today's session titles
    # The open episodes' kinds today; None (not merely empty) without health consent, so the
    # page cannot show what the athlete did not share.
    episodes: tuple[str, ...] | None
    # The week planned against done (the log), the key sessions missed so far, whether today
    # waits for a check-in (None without health consent), and the latest note.
    done_m: float | None = None
    compliance: float | None = None  # share of the sessions due so far that were done
    missed_key: tuple[str, ...] = ()
    check_in_due: bool | None = None
    latest_note: str | None = None


@dataclass(frozen=True)
class CoachEdit:
    """What a coach's move did on the day it aimed at: moved, or refused with the reason."""

    change: Change
    moved: bool


@dataclass(frozen=True)
class AthleteView:
    """An athlete's plan as a coach sees it (episodes only with health consent)."""

    access: Access
    plan: CurrentPlan | None
    episodes: list[Episode] | None
    notes: list[CoachNote]
    check_ins: list[CheckIn] | None = None  # newest first; None without health consent


def _check_scope(scope: str) -> str:
    if scope not in SCOPES:
        raise InputError(f"'{scope}' is not a choice", hint="training or training+health")
    return scope


def _confirm_for_health(session: Session, user: User, scope: str, password: str | None) -> None:
    """Health detail is shared only with the password typed again: a stolen session (or a
    token, which never reaches these pages) cannot hand a stranger the athlete's health."""
    if scope != TRAINING_AND_HEALTH:
        return
    stored = AccountRepository(session).password_hash(user.id)
    if not password_matches(stored, password or ""):
        raise PermissionDeniedError(
            "sharing health detail needs your password: nothing was shared",
            hint="type your password to confirm",
        )


class CoachingService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        planning_for: Callable[[Athlete], PlanningService],
        logbook_for: Callable[[Athlete], LogbookService] | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.planning_for = planning_for
        self.logbook_for = logbook_for

    # --- who may see what -------------------------------------------------------------------

    def own_athlete(self, user: User) -> Athlete:
        """The athlete an account owns; coaches have none."""
        with self.db.session() as session:
            athlete = AccountRepository(session).athlete_of(user.id)
        if athlete is None:
            raise PermissionDeniedError(
                "this page is for your own training",
                hint="your athletes are on the Roster page; to train too, use Settings",
            )
        return athlete

    def access(self, user: User, athlete_id: int, need: Need) -> Access:
        with self.db.session() as session:
            athlete = AthleteRepository(session).get(athlete_id)
            owner = AccountRepository(session).owner_of(athlete_id) if athlete else None
            link = CoachingRepository(session).link(athlete_id, user.id) if athlete else None
        if athlete is not None and owner == user.id:
            return Access(athlete, True, TRAINING_AND_HEALTH)
        if athlete is None or link is None:
            raise NotFoundError(f"no athlete {athlete_id}")
        if need is Need.CHANGE:
            raise PermissionDeniedError(f"only {athlete.name} can change this")
        if need is Need.HEALTH and link.scope != TRAINING_AND_HEALTH:
            raise PermissionDeniedError(f"{athlete.name} has not shared health detail with you")
        return Access(athlete, False, link.scope)

    # --- the athlete's side: invite, choose the scope, revoke --------------------------------

    def links(self, user: User) -> list[CoachLink]:
        athlete = self.own_athlete(user)
        with self.db.session() as session:
            return CoachingRepository(session).links_of_athlete(athlete.id or 0)

    def invite(
        self, user: User, coach_login: str, scope: str, *, password: str | None = None
    ) -> CoachLink:
        """Link a coach who already has an account, by username or email."""
        athlete = self.own_athlete(user)
        _check_scope(scope)
        coach_login = check_text(coach_login, "a coach's username", max_length=LOGIN_LENGTH)
        with self.db.session() as session:
            _confirm_for_health(session, user, scope, password)
            found = AccountRepository(session).login(coach_login.lower())
            if found is None or found[0].role != "coach":
                raise NotFoundError(
                    f"no coach '{coach_login}' has an account",
                    hint="send them an invite link instead",
                )
            coaching = CoachingRepository(session)
            if coaching.link(athlete.id or 0, found[0].id) is not None:
                raise InputError(f"{found[0].display_name} is already your coach")
            return coaching.add_link(athlete.id or 0, found[0].id, scope, None)

    def create_invite(
        self, user: User, scope: str, *, password: str | None = None
    ) -> tuple[CoachLink, str]:
        """An invite link for a coach without an account yet; it works once."""
        athlete = self.own_athlete(user)
        _check_scope(scope)
        token = new_secret()
        with self.db.session() as session:
            _confirm_for_health(session, user, scope, password)
            link = CoachingRepository(session).add_link(athlete.id or 0, None, scope, digest(token))
        return link, token

    def invite_details(self, token: str) -> Invite:
        """Who invites and what is shared, for anyone holding the link (it is the credential);
        an invite used, revoked or past ``INVITE_DAYS`` is not found."""
        with self.db.session() as session:
            found = CoachingRepository(session).open_invite(digest(token))
        if found is None:
            raise NotFoundError("that invite is not valid (it may have been used or revoked)")
        athlete, scope, created = found
        invite = Invite(athlete, scope, created + timedelta(days=INVITE_DAYS))
        if invite.expires_at <= datetime.now(UTC):
            raise NotFoundError(
                "that invite has expired", hint="ask the athlete for a new invite link"
            )
        return invite

    def accept_invite(self, coach: User, token: str) -> CoachLink:
        if coach.role != "coach":
            raise PermissionDeniedError("only a coach account can accept an invite")
        self.invite_details(token)  # refuses an expired one
        with self.db.session() as session:
            coaching = CoachingRepository(session)
            link = coaching.accept_invite(digest(token), coach.id)
        if link is None:
            raise NotFoundError("that invite is not valid (it may have been used or revoked)")
        return link

    def set_scope(
        self, user: User, link_id: int, scope: str, *, password: str | None = None
    ) -> CoachLink:
        athlete = self.own_athlete(user)
        _check_scope(scope)
        with self.db.session() as session:
            _confirm_for_health(session, user, scope, password)
            link = CoachingRepository(session).set_scope(athlete.id or 0, link_id, scope)
        if link is None:
            raise NotFoundError(f"no coach link {link_id}")
        return link

    def revoke(self, user: User, link_id: int) -> None:
        athlete = self.own_athlete(user)
        with self.db.session() as session:
            if not CoachingRepository(session).delete_link(athlete.id or 0, link_id):
                raise NotFoundError(f"no coach link {link_id}")

    # --- the coach's side --------------------------------------------------------------------

    def roster(self, coach: User) -> list[RosterEntry]:
        if coach.role != "coach":
            raise PermissionDeniedError(
                "the roster is for coaches", hint="invite your coach from Settings"
            )
        with self.db.session() as session:
            links = CoachingRepository(session).links_of_coach(coach.id)
            athletes = AthleteRepository(session)
            health = HealthRepository(session)
            rows = []
            for link in links:
                athlete = athletes.get(link.athlete_id)
                if athlete is None:
                    continue
                today = self.clock.today(athlete.timezone)
                episodes = None
                if link.scope == TRAINING_AND_HEALTH:
                    episodes = tuple(
                        e.kind.value
                        for e in health.episodes(athlete.id or 0)
                        if e.is_open_on(today)
                    )
                rows.append((athlete, link.scope, episodes, today))
        return [self._entry(*row) for row in rows]

    def _entry(
        self, athlete: Athlete, scope: str, episodes: tuple[str, ...] | None, today: date
    ) -> RosterEntry:
        try:
            current = self.planning_for(athlete).view(health=scope == TRAINING_AND_HEALTH)
        except NotFoundError:
            return RosterEntry(athlete, scope, None, None, None, athlete.units.value, (), episodes)
        plan = current.plan
        week = plan.week_of(today)
        day = plan.day(today)
        health = scope == TRAINING_AND_HEALTH
        done_m, compliance, missed_key = self._week_done(athlete, current, week)
        body_day = (
            current.body["weeks"][week.number - 1]["days"][(today - week.starts).days]
            if (week is not None)
            else {}
        )
        with self.db.session() as session:
            notes = CoachingRepository(session).notes(athlete.id or 0, limit=1)
        return RosterEntry(
            athlete,
            scope,
            week.countdown(len(plan.weeks)) if week else None,
            week.phase.label if week else None,
            week.total_m if week else None,
            plan.units,
            tuple(s.title for s in day.sessions) if day else (),
            episodes,
            done_m=done_m,
            compliance=compliance,
            missed_key=missed_key,
            check_in_due=bool(body_day.get("check_in_due")) if health else None,
            latest_note=(
                f"{athlete.name if notes[0].from_athlete else 'you'}: {notes[0].text}"
                if notes
                else None
            ),
        )

    def _week_done(
        self, athlete: Athlete, current: CurrentPlan, week: Week | None
    ) -> tuple[float | None, float | None, tuple[str, ...]]:
        """This week's running done (from her log), the share of the sessions due that were
        done, and the key sessions already missed."""
        if week is None or self.logbook_for is None:
            return None, None, ()
        compliance = self.logbook_for(athlete).week(week.number).compliance
        days = {d.date: d for d in current.plan.weeks[week.number - 1].days}
        missed = tuple(
            f"{on:%a}: {', '.join(s.title for s in days[on].sessions if s.is_run)}"
            for on in compliance.missed
            if on in days and days[on].is_hard
        )
        return compliance.done_m, compliance.compliance, missed

    def athlete_view(self, coach: User, athlete_id: int) -> AthleteView:
        access = self.access(coach, athlete_id, Need.TRAINING)
        self._record(
            access,
            coach,
            "viewed",
            "your plan" + (", episodes and check-ins" if access.sees_health else ""),
        )
        try:
            plan: CurrentPlan | None = self.plan_view(access)
        except NotFoundError:
            plan = None
        with self.db.session() as session:
            health = HealthRepository(session)
            episodes = health.episodes(athlete_id) if access.sees_health else None
            check_ins = (
                sorted(health.check_ins(athlete_id), key=lambda c: (c.on, c.id or 0), reverse=True)
                if access.sees_health
                else None
            )
            notes = CoachingRepository(session).notes(athlete_id)
        return AthleteView(access, plan, episodes, notes, check_ins)

    def plan_view(self, access: Access) -> CurrentPlan:
        """The athlete's plan as this viewer may see it: the one place a coach's view of a plan
        is made (redacted by construction without health consent; domain/redact.py)."""
        return self.planning_for(access.athlete).view(health=access.sees_health)

    def add_note(self, coach: User, athlete_id: int, text: str) -> CoachNote:
        access = self.access(coach, athlete_id, Need.TRAINING)
        if access.owner:
            raise PermissionDeniedError("notes are for coaches to leave")
        text = check_text(
            text, "a note", max_length=MAX_NOTE_LENGTH, allow_empty=False, multiline=True
        )
        with self.db.session() as session:
            coaching = CoachingRepository(session)
            coaching.add_note(athlete_id, coach.id, text)
            coaching.add_audit(athlete_id, coach.id, coach.display_name, "note", "left a note")
            return coaching.notes(athlete_id, limit=1)[0]

    def reply(self, user: User, note_id: int, text: str) -> CoachNote:
        """The athlete answers a coach's note: a note in that coach's thread."""
        athlete = self.own_athlete(user)
        text = check_text(
            text, "a reply", max_length=MAX_NOTE_LENGTH, allow_empty=False, multiline=True
        )
        with self.db.session() as session:
            coaching = CoachingRepository(session)
            note = coaching.note(athlete.id or 0, note_id)
            if note is None or note.coach_user_id is None:
                raise NotFoundError(f"no note {note_id}")
            coaching.add_note(
                athlete.id or 0, note.coach_user_id, text, from_athlete=True, reply_to=note_id
            )
            return coaching.notes(athlete.id or 0, limit=1)[0]

    def audit(self, user: User) -> list[AuditEntry]:
        """Who of her coaches viewed or changed what, and when (newest first)."""
        athlete = self.own_athlete(user)
        with self.db.session() as session:
            return CoachingRepository(session).audit(athlete.id or 0)

    def record_view(self, access: Access, user: User, what: str) -> None:
        self._record(access, user, "viewed", what)

    def _record(self, access: Access, user: User, action: str, detail: str) -> None:
        if access.owner:
            return
        with self.db.session() as session:
            CoachingRepository(session).add_audit(
                access.athlete.id or 0, user.id, user.display_name, action, detail
            )

    def move_session(self, coach: User, athlete_id: int, edit: Edit) -> list[CoachEdit]:
        """A linked coach moves (or pins) one of the athlete's sessions. The edit is the
        athlete's plan input like her own, and the revision's reason names the coach.

        Returns what the edit did on its day. A coach without health consent is not told the
        health reason a move was refused for (only that the day does not fit)."""
        access = self.access(coach, athlete_id, Need.TRAINING)
        if access.owner:
            raise PermissionDeniedError("move your own sessions on the Week page")
        planning = self.planning_for(access.athlete)
        day = planning.current().plan.day(edit.on)
        sessions = day.sessions if day else ()
        title = sessions[edit.index].title if 0 <= edit.index < len(sessions) else ""
        private = f"that day does not fit {access.athlete.name}'s plan right now"
        self._record(
            access,
            coach,
            "moved",
            f"tried to move the session of {edit.on:%a %d %b}"
            + (f" to {edit.to:%a %d %b}" if edit.to else ""),
        )
        try:
            replan = planning.edit(edit, by=coach.display_name)
        except InputError as exc:
            # The refusal's reason can be a return stage or an illness: only with consent.
            if access.sees_health:
                raise
            raise InputError(f"the session was not moved: {private}", hint=None) from exc
        if replan is None:
            return []
        target = edit.to or edit.on
        out = []
        for change in replan.added:
            if change.cause != "edit" or change.on != target:
                continue
            # A refused move keeps the session where it was: its change does not end in it.
            moved = change.after == title
            if not access.sees_health:
                # Titles of an adapted day can say why it was adapted: none without consent.
                change = replace(
                    change,
                    before="a session" if moved else "",
                    after="moved here" if moved else "not moved",
                    reason="moved by you" if moved else private,
                )
            out.append(CoachEdit(change, moved))
        return out

    def notes(self, athlete: Athlete) -> list[CoachNote]:
        with self.db.session() as session:
            return CoachingRepository(session).notes(athlete.id or 0)
