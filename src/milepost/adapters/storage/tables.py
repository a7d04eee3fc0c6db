"""The database tables (SQLAlchemy 2 ORM). Schema changes go through an Alembic migration."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names so that migrations are the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class AthleteRow(Base):
    __tablename__ = "athletes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    timezone: Mapped[str] = mapped_column(String(64))
    units: Mapped[str] = mapped_column(String(2))
    birth_date: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(16))
    weight_kg: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The web account that owns this athlete; None for athletes made on the command line.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True, default=None
    )
    # Bumped whenever an input the plan is derived from changes (storage/versioning.py): the
    # read model re-derives when it differs from the stored derivation's key.
    inputs_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    breastfeeding: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    races: Mapped[list[RaceResultRow]] = relationship(
        back_populates="athlete", cascade="all, delete-orphan", order_by="RaceResultRow.id"
    )


class RaceResultRow(Base):
    __tablename__ = "race_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(
        ForeignKey("athletes.id", ondelete="CASCADE"), index=True
    )
    distance_m: Mapped[float] = mapped_column(Float)
    time_s: Mapped[float] = mapped_column(Float)
    on: Mapped[date | None] = mapped_column(Date)

    athlete: Mapped[AthleteRow] = relationship(back_populates="races")


class PreferenceRow(Base):
    """Small key/value state of this installation, e.g. the current athlete."""

    __tablename__ = "preferences"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class PlanRow(Base):
    """A plan request of an athlete: the inputs from which every revision is derived."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(
        ForeignKey("athletes.id", ondelete="CASCADE"), index=True
    )
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    revisions: Mapped[list[PlanRevisionRow]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanRevisionRow.id"
    )


class PlanRevisionRow(Base):
    """What the athlete was shown, when and why: the plan as JSON with its changes."""

    __tablename__ = "plan_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(Text)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    changes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # "<inputs version>:<day>:<engine version>": what this body was derived from (read model).
    derived_key: Mapped[str | None] = mapped_column(String(80), default=None)

    plan: Mapped[PlanRow] = relationship(back_populates="revisions")


class EpisodeRow(Base):
    """Illness, mastitis, injury, missed or unavailable days, postpartum return: plan inputs."""

    __tablename__ = "episodes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(
        ForeignKey("athletes.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CheckInRow(Base):
    __tablename__ = "check_ins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(
        ForeignKey("athletes.id", ondelete="CASCADE"), index=True
    )
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episodes.id", ondelete="CASCADE"))
    on: Mapped[date] = mapped_column(Date)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EditRow(Base):
    """The runner's own edits to a plan (moves, pins): inputs that survive every re-plan."""

    __tablename__ = "plan_edits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    on: Mapped[date] = mapped_column(Date)
    index: Mapped[int] = mapped_column(Integer)
    to: Mapped[date | None] = mapped_column(Date)
    at: Mapped[str | None] = mapped_column(String(5))  # a pinned start time, "HH:MM"
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ActivityRow(Base):
    """A logged activity's summary: what the week, the list and the load read, without samples.

    Indexed by (athlete, start) for the weekly queries. ``source_format`` is "fit", "gpx", "tcx"
    or "manual" (typed in with ``log add``).
    """

    __tablename__ = "activities"
    __table_args__ = (Index("ix_activities_athlete_id_start", "athlete_id", "start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    sport: Mapped[str] = mapped_column(String(32))
    start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    distance_m: Mapped[float | None] = mapped_column(Float)
    elapsed_s: Mapped[float | None] = mapped_column(Float)
    moving_s: Mapped[float | None] = mapped_column(Float)
    avg_pace_s_per_km: Mapped[float | None] = mapped_column(Float)
    grade_adjusted_pace_s_per_km: Mapped[float | None] = mapped_column(Float)
    elevation_gain_m: Mapped[float | None] = mapped_column(Float)
    elevation_loss_m: Mapped[float | None] = mapped_column(Float)
    avg_hr_bpm: Mapped[float | None] = mapped_column(Float)
    max_hr_bpm: Mapped[float | None] = mapped_column(Float)
    avg_cadence_spm: Mapped[float | None] = mapped_column(Float)
    source_format: Mapped[str] = mapped_column(String(16))
    device: Mapped[str | None] = mapped_column(String(200))
    is_race: Mapped[bool] = mapped_column(Boolean, default=False)
    laps: Mapped[list[Any]] = mapped_column(JSON, default=list)
    legs: Mapped[list[Any]] = mapped_column(JSON, default=list)  # multisport (0008_log)
    best_efforts: Mapped[list[Any]] = mapped_column(JSON, default=list)
    warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ActivitySamplesRow(Base):
    """The per-second recording of one activity as one compressed columnar blob.

    Measured against a row per sample in docs/performance.md: the blob is about 10× smaller and
    is written and read in one statement. Encoding: ``repositories.encode_samples``.
    """

    __tablename__ = "activity_samples"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True
    )
    count: Mapped[int] = mapped_column(Integer)
    encoding: Mapped[str] = mapped_column(String(16))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class ActivityFileRow(Base):
    """The original file an activity came from, byte for byte, kept for export.

    Its sha256 makes importing the same file again a no-op without parsing it.
    """

    __tablename__ = "activity_files"
    __table_args__ = (UniqueConstraint("athlete_id", "sha256", name="uq_activity_files_sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LifeScheduleRow(Base):
    """When the athlete can train: weekly windows, exceptions, buffer, feeds (JSON)."""

    __tablename__ = "life_schedules"

    athlete_id: Mapped[int] = mapped_column(
        ForeignKey("athletes.id", ondelete="CASCADE"), primary_key=True
    )
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# --- the web app: accounts, sessions, coaching (migration 0005) ------------------------------


class UserRow(Base):
    """A web account. ``role`` is "athlete" (owns one athlete) or "coach" (sees linked ones)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WebSessionRow(Base):
    """A signed-in browser. Only the sha256 of the cookie's token is kept, so a copy of the
    database cannot be replayed as a cookie."""

    __tablename__ = "web_sessions"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SignInFailureRow(Base):
    """A failed sign-in, keyed "user:NAME" and "ip:ADDRESS", counted for the rate limit."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (Index("ix_sign_in_failures_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CoachLinkRow(Base):
    """An athlete's consent for a coach: what the coach sees ("training" or
    "training+health"). An open invite has a token and no coach yet; revoking deletes the row."""

    __tablename__ = "coach_links"
    __table_args__ = (
        UniqueConstraint("athlete_id", "coach_user_id", name="uq_coach_links_athlete_coach"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(
        ForeignKey("athletes.id", ondelete="CASCADE"), index=True
    )
    coach_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    scope: Mapped[str] = mapped_column(String(32))
    invite_sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CoachNoteRow(Base):
    """A note a coach leaves; the athlete sees it on Today."""

    __tablename__ = "coach_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(
        ForeignKey("athletes.id", ondelete="CASCADE"), index=True
    )
    coach_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # A thread: the athlete's reply to a coach's note is a note of the same coach's thread.
    from_athlete: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    reply_to: Mapped[int | None] = mapped_column(Integer, default=None)


class CoachAuditRow(Base):
    """What a coach looked at or changed of an athlete's, and when: the athlete reads it."""

    __tablename__ = "coach_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(
        ForeignKey("athletes.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    who: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ApiTokenRow(Base):
    """A personal access token for the JSON API, kept as its sha256 (shown once, at creation)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Comma-separated: "read", "write", "coach" (migration 0008_acct); None never expires.
    scopes: Mapped[str] = mapped_column(String(32), server_default="read,write,coach")
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PasswordResetRow(Base):
    """A one-time link an administrator printed (``milepost user reset-link``), as its sha256."""

    __tablename__ = "password_resets"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CalendarFeedRow(Base):
    """The secret behind an athlete's iCal subscription URL (one per athlete; a new one
    replaces the old, which stops working at once)."""

    __tablename__ = "calendar_feeds"

    athlete_id: Mapped[int] = mapped_column(
        ForeignKey("athletes.id", ondelete="CASCADE"), primary_key=True
    )
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
