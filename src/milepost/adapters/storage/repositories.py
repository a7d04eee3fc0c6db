"""Repositories: turn rows into domain objects and back. One class per aggregate."""

from __future__ import annotations

import math
import struct
import zlib
from array import array
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, joinedload

from milepost.adapters.storage.tables import (
    ActivityFileRow,
    ActivityRow,
    ActivitySamplesRow,
    ApiTokenRow,
    AthleteRow,
    CalendarFeedRow,
    CheckInRow,
    CoachAuditRow,
    CoachLinkRow,
    CoachNoteRow,
    EditRow,
    EpisodeRow,
    LifeScheduleRow,
    PasswordResetRow,
    PlanRevisionRow,
    PlanRow,
    PreferenceRow,
    RaceResultRow,
    SignInFailureRow,
    UserRow,
    WebSessionRow,
)
from milepost.domain.activity import Activity, Lap, Leg, Samples
from milepost.domain.adapt.edits import Edit
from milepost.domain.athlete import Athlete, RaceResult, Sex
from milepost.domain.availability import (
    Availability,
    ExtraWindow,
    FeedSchedule,
    Unavailable,
    Window,
)
from milepost.domain.efforts import BestEffort
from milepost.domain.episode import CheckIn, Episode, EpisodeKind, Feeling, Symptoms
from milepost.domain.units import Units

CURRENT_ATHLETE_KEY = "current_athlete_id"


def _to_athlete(row: AthleteRow) -> Athlete:
    return Athlete(
        id=row.id,
        name=row.name,
        timezone=row.timezone,
        units=Units(row.units),
        birth_date=row.birth_date,
        sex=Sex(row.sex) if row.sex else None,
        weight_kg=row.weight_kg,
        races=tuple(RaceResult(r.distance_m, r.time_s, r.on) for r in row.races),
        breastfeeding=bool(row.breastfeeding),
    )


class AthleteRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, athlete: Athlete) -> Athlete:
        row = AthleteRow(
            name=athlete.name,
            timezone=athlete.timezone,
            units=athlete.units.value,
            birth_date=athlete.birth_date,
            sex=athlete.sex.value if athlete.sex else None,
            weight_kg=athlete.weight_kg,
            breastfeeding=athlete.breastfeeding,
            created_at=datetime.now(UTC),
            races=[
                RaceResultRow(distance_m=r.distance_m, time_s=r.time_s, on=r.on)
                for r in athlete.races
            ],
        )
        self.session.add(row)
        self.session.flush()
        return _to_athlete(row)

    def get(self, athlete_id: int) -> Athlete | None:
        row = self.session.get(AthleteRow, athlete_id)
        return _to_athlete(row) if row else None

    def by_name(self, name: str) -> Athlete | None:
        row = self.session.scalar(select(AthleteRow).where(AthleteRow.name == name))
        return _to_athlete(row) if row else None

    def all(self) -> list[Athlete]:
        return [
            _to_athlete(r) for r in self.session.scalars(select(AthleteRow).order_by(AthleteRow.id))
        ]

    def set_breastfeeding(self, athlete_id: int, value: bool) -> None:
        row = self.session.get(AthleteRow, athlete_id)
        if row is not None:
            row.breastfeeding = value
            self.session.flush()

    def current_id(self) -> int | None:
        row = self.session.get(PreferenceRow, CURRENT_ATHLETE_KEY)
        return int(row.value) if row else None

    def set_current(self, athlete_id: int) -> None:
        self.session.merge(PreferenceRow(key=CURRENT_ATHLETE_KEY, value=str(athlete_id)))


@dataclass(frozen=True)
class StoredRevision:
    id: int
    created_at: datetime
    reason: str
    body: dict[str, Any]
    changes: list[Any]


@dataclass(frozen=True)
class PlanHead:
    """The active plan's newest revision, without its body: what a read checks first."""

    id: int
    revision_id: int
    derived_key: str | None
    inputs_version: int
    created_at: datetime


@dataclass(frozen=True)
class LatestPlan:
    """The active plan with only its newest revision: what a read needs, in one query."""

    id: int
    athlete_id: int
    request: dict[str, Any]
    latest: StoredRevision
    derived_key: str | None
    inputs_version: int


@dataclass(frozen=True)
class StoredPlan:
    id: int
    athlete_id: int
    request: dict[str, Any]
    revisions: tuple[StoredRevision, ...]

    @property
    def latest(self) -> StoredRevision:
        return self.revisions[-1]


def _aware(moment: datetime) -> datetime:
    """SQLite hands timestamps back without their zone; everything is stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _to_stored_plan(row: PlanRow) -> StoredPlan:
    return StoredPlan(
        id=row.id,
        athlete_id=row.athlete_id,
        request=row.request,
        revisions=tuple(
            StoredRevision(r.id, _aware(r.created_at), r.reason, r.body, list(r.changes))
            for r in row.revisions
        ),
    )


class PlanRepository:
    """Plans are requests plus the revisions that were shown; one active plan per athlete."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        athlete_id: int,
        request: dict[str, Any],
        body: dict[str, Any],
        reason: str,
        changes: list[Any] | None = None,
    ) -> StoredPlan:
        for old in self.session.scalars(
            select(PlanRow).where(PlanRow.athlete_id == athlete_id, PlanRow.active.is_(True))
        ):
            old.active = False
        now = datetime.now(UTC)
        row = PlanRow(athlete_id=athlete_id, request=request, active=True, created_at=now)
        row.revisions.append(
            PlanRevisionRow(created_at=now, reason=reason, body=body, changes=changes or [])
        )
        self.session.add(row)
        self.session.flush()
        return _to_stored_plan(row)

    def add_revision(
        self,
        plan_id: int,
        body: dict[str, Any],
        reason: str,
        changes: list[Any],
        derived_key: str | None = None,
    ) -> StoredRevision:
        row = PlanRevisionRow(
            plan_id=plan_id,
            created_at=datetime.now(UTC),
            reason=reason,
            body=body,
            changes=changes,
            derived_key=derived_key,
        )
        self.session.add(row)
        self.session.flush()
        return StoredRevision(row.id, _aware(row.created_at), reason, body, changes)

    def _newest(self, athlete_id: int, *columns: Any) -> Any:
        """``columns`` of the active plan's newest revision, with the athlete's row joined."""
        return self.session.execute(
            select(*columns)
            .select_from(PlanRow)
            .join(PlanRevisionRow, PlanRevisionRow.plan_id == PlanRow.id)
            .join(AthleteRow, AthleteRow.id == PlanRow.athlete_id)
            .where(PlanRow.athlete_id == athlete_id, PlanRow.active.is_(True))
            .order_by(PlanRow.id.desc(), PlanRevisionRow.id.desc())
            .limit(1)
        ).first()

    def latest_for(self, athlete_id: int) -> LatestPlan | None:
        """The active plan, its newest revision and the athlete's inputs version: one query."""
        row = self._newest(
            athlete_id, PlanRow.id, PlanRow.request, PlanRevisionRow, AthleteRow.inputs_version
        )
        if row is None:
            return None
        plan_id, request, rev, version = row
        latest = StoredRevision(
            rev.id, _aware(rev.created_at), rev.reason, rev.body, list(rev.changes)
        )
        return LatestPlan(plan_id, athlete_id, request, latest, rev.derived_key, version or 0)

    def set_units(self, athlete_id: int, units: str) -> None:
        """The active plan is shown in ``units`` from its next derivation on."""
        row = self.session.scalar(
            select(PlanRow).where(PlanRow.athlete_id == athlete_id, PlanRow.active.is_(True))
        )
        if row is not None and row.request.get("units") != units:
            row.request = {**row.request, "units": units}
            self.session.flush()

    def head_for(self, athlete_id: int) -> PlanHead | None:
        """The active plan's newest revision id and derivation key with the athlete's inputs
        version: one small query (no JSON)."""
        row = self._newest(
            athlete_id,
            PlanRow.id,
            PlanRevisionRow.id,
            PlanRevisionRow.derived_key,
            AthleteRow.inputs_version,
            PlanRevisionRow.created_at,
        )
        if row is None:
            return None
        plan_id, revision_id, key, version, created_at = row
        return PlanHead(plan_id, revision_id, key, version or 0, _aware(created_at))

    def revision_count(self, plan_id: int) -> int:
        return (
            self.session.scalar(
                select(func.count(PlanRevisionRow.id)).where(PlanRevisionRow.plan_id == plan_id)
            )
            or 0
        )

    def revision(self, revision_id: int) -> StoredRevision | None:
        row = self.session.get(PlanRevisionRow, revision_id)
        if row is None:
            return None
        return StoredRevision(
            row.id, _aware(row.created_at), row.reason, row.body, list(row.changes)
        )

    def set_derived_key(self, revision_id: int, key: str) -> None:
        self.session.execute(
            update(PlanRevisionRow)
            .where(PlanRevisionRow.id == revision_id)
            .values(derived_key=key)
            .execution_options(synchronize_session=False)
        )

    def revisions(self, plan_id: int) -> tuple[StoredRevision, ...]:
        """Every revision's time, reason and changes, oldest first: the history. The bodies
        stay in the database (each is a whole plan); ``body`` is empty here."""
        rows = self.session.execute(
            select(
                PlanRevisionRow.id,
                PlanRevisionRow.created_at,
                PlanRevisionRow.reason,
                PlanRevisionRow.changes,
            )
            .where(PlanRevisionRow.plan_id == plan_id)
            .order_by(PlanRevisionRow.id)
        )
        return tuple(
            StoredRevision(rid, _aware(at), reason, {}, list(changes or []))
            for rid, at, reason, changes in rows
        )

    def inputs_version(self, athlete_id: int) -> int:
        return (
            self.session.scalar(
                select(AthleteRow.inputs_version).where(AthleteRow.id == athlete_id)
            )
            or 0
        )

    def active_for(self, athlete_id: int) -> StoredPlan | None:
        row = self.session.scalar(
            select(PlanRow)
            .where(PlanRow.athlete_id == athlete_id, PlanRow.active.is_(True))
            .order_by(PlanRow.id.desc())
        )
        return _to_stored_plan(row) if row else None


def _facts(obj: object, skip: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in asdict(obj).items():  # type: ignore[call-overload]
        if key in skip:
            continue
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        out[key] = value
    return out


def _episode(row: EpisodeRow) -> Episode:
    facts = dict(row.facts)
    for key in ("birth_date", "stopped_running"):
        if facts.get(key):
            facts[key] = date.fromisoformat(facts[key])
    if facts.get("symptoms"):
        facts["symptoms"] = Symptoms(facts["symptoms"])
    facts["red_flags"] = tuple(facts.get("red_flags", ()))
    return Episode(kind=EpisodeKind(row.kind), start=row.start, end=row.end, id=row.id, **facts)


def _check_in(row: CheckInRow) -> CheckIn:
    facts = dict(row.facts)
    if facts.get("symptoms"):
        facts["symptoms"] = Symptoms(facts["symptoms"])
    if facts.get("feeling"):
        facts["feeling"] = Feeling(facts["feeling"])
    if facts.get("red_flags") is not None:
        facts["red_flags"] = tuple(facts["red_flags"])
    return CheckIn(on=row.on, episode_id=row.episode_id, id=row.id, **facts)


def _edit(row: EditRow) -> Edit:
    at = time.fromisoformat(row.at) if row.at else None
    return Edit(row.kind, row.on, row.index, row.to, row.id, at)


class HealthRepository:
    """Episodes, check-ins and plan edits: the inputs a plan is derived from."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add_episode(self, athlete_id: int, episode: Episode) -> Episode:
        row = EpisodeRow(
            athlete_id=athlete_id,
            kind=episode.kind.value,
            start=episode.start,
            end=episode.end,
            facts=_facts(episode, {"kind", "start", "end", "id"}),
            created_at=datetime.now(UTC),
        )
        self.session.add(row)
        self.session.flush()
        return _episode(row)

    def end_episode(self, athlete_id: int, episode_id: int, end: date) -> Episode | None:
        row = self.session.get(EpisodeRow, episode_id)
        if row is None or row.athlete_id != athlete_id:
            return None
        row.end = end
        self.session.flush()
        return _episode(row)

    def episodes(self, athlete_id: int) -> list[Episode]:
        rows = self.session.scalars(
            select(EpisodeRow).where(EpisodeRow.athlete_id == athlete_id).order_by(EpisodeRow.id)
        )
        return [_episode(r) for r in rows]

    def add_check_in(self, athlete_id: int, check_in: CheckIn) -> CheckIn:
        row = CheckInRow(
            athlete_id=athlete_id,
            episode_id=check_in.episode_id,
            on=check_in.on,
            facts=_facts(check_in, {"on", "episode_id", "id"}),
            created_at=datetime.now(UTC),
        )
        self.session.add(row)
        self.session.flush()
        return _check_in(row)

    def check_ins(self, athlete_id: int) -> list[CheckIn]:
        rows = self.session.scalars(
            select(CheckInRow).where(CheckInRow.athlete_id == athlete_id).order_by(CheckInRow.id)
        )
        return [_check_in(r) for r in rows]

    def add_edit(self, plan_id: int, edit: Edit) -> Edit:
        row = EditRow(
            plan_id=plan_id,
            kind=edit.kind,
            on=edit.on,
            index=edit.index,
            to=edit.to,
            at=_hhmm(edit.at) if edit.at else None,
            created_at=datetime.now(UTC),
        )
        self.session.add(row)
        self.session.flush()
        return _edit(row)

    def edits(self, plan_id: int) -> list[Edit]:
        rows = self.session.scalars(
            select(EditRow).where(EditRow.plan_id == plan_id).order_by(EditRow.id)
        )
        return [_edit(r) for r in rows]


# --- The training log -------------------------------------------------------------------------

# Samples are stored as one zlib-compressed columnar blob per activity ("mps1"): a header naming
# the channels present, then each channel as a packed array. Positions stay float64 (a float32
# latitude is only good to ~0.4 m); every other channel is float32, exact for heart rate and
# cadence and better than a millimetre or a millisecond for distance and time, which is stored as
# seconds from the first sample (a float32 POSIX time would be off by minutes). NaN (a missing
# reading) survives. Chosen over a row per sample by measurement: docs/performance.md.
SAMPLES_ENCODING = "mps1"
_SAMPLE_CHANNELS: tuple[tuple[str, str], ...] = (
    ("time_s", "f"),
    ("distance_m", "f"),
    ("lat_deg", "d"),
    ("lon_deg", "d"),
    ("altitude_m", "f"),
    ("hr_bpm", "f"),
    ("cadence_spm", "f"),
    ("speed_m_s", "f"),
)
_SAMPLES_HEADER = struct.Struct("<4sIBd")  # magic, count, channels present (bits), first time


def encode_samples(samples: Samples) -> bytes:
    """The recording as one compact blob (see ``SAMPLES_ENCODING``)."""
    count = len(samples)
    present = 0
    first_s = 0.0
    parts: list[bytes] = []
    for bit, (name, code) in enumerate(_SAMPLE_CHANNELS):
        column = getattr(samples, name)
        if column is None:
            continue
        present |= 1 << bit
        if name == "time_s":
            first_s = column[0] if column else 0.0
            column = [t - first_s for t in column]
        parts.append(array(code, column).tobytes())
    header = _SAMPLES_HEADER.pack(b"MPS1", count, present, first_s)
    # Level 1: measured 5 % larger than level 6 and three times faster, on the import's hot path
    return header + zlib.compress(b"".join(parts), 1)


def decode_samples(data: bytes) -> Samples:
    magic, count, present, first_s = _SAMPLES_HEADER.unpack_from(data)
    if magic != b"MPS1":
        raise ValueError("not a milepost samples blob")
    body = zlib.decompress(data[_SAMPLES_HEADER.size :])
    columns: dict[str, tuple[float, ...] | None] = {}
    pos = 0
    for bit, (name, code) in enumerate(_SAMPLE_CHANNELS):
        if not present & (1 << bit):
            columns[name] = None
            continue
        values = array(code)
        values.frombytes(body[pos : pos + values.itemsize * count])
        pos += values.itemsize * count
        column = values.tolist()
        if name == "time_s":
            column = [t + first_s for t in column]
        columns[name] = tuple(column)
    return Samples(**columns)


def _json_number(value: float | None) -> float | None:
    """JSON has no NaN (PostgreSQL refuses it): a missing number is null."""
    return value if value is not None and math.isfinite(value) else None


def _lap_to_json(lap: Lap) -> dict[str, Any]:
    return {
        "start": lap.start.isoformat(),
        "elapsed_s": _json_number(lap.elapsed_s),
        "timer_s": _json_number(lap.timer_s),
        "distance_m": _json_number(lap.distance_m),
        "avg_hr_bpm": _json_number(lap.avg_hr_bpm),
        "max_hr_bpm": _json_number(lap.max_hr_bpm),
    }


def _lap_from_json(data: dict[str, Any]) -> Lap:
    return Lap(
        start=datetime.fromisoformat(data["start"]),
        elapsed_s=data["elapsed_s"] or 0.0,
        timer_s=data["timer_s"],
        distance_m=data["distance_m"],
        avg_hr_bpm=data["avg_hr_bpm"],
        max_hr_bpm=data["max_hr_bpm"],
    )


def _leg_to_json(leg: Leg) -> dict[str, Any]:
    return {
        "sport": leg.sport,
        "start": leg.start.isoformat(),
        "elapsed_s": _json_number(leg.elapsed_s),
        "distance_m": _json_number(leg.distance_m),
    }


def _leg_from_json(data: dict[str, Any]) -> Leg:
    return Leg(
        sport=data["sport"],
        start=datetime.fromisoformat(data["start"]),
        elapsed_s=data["elapsed_s"],
        distance_m=data["distance_m"],
    )


# The device column is VARCHAR(200): PostgreSQL refuses longer (a GPX creator can be any length).
DEVICE_LENGTH = 200

_NO_SAMPLES = Samples(time_s=None, distance_m=None)


@dataclass(frozen=True)
class StoredActivity:
    """A logged activity: its summary (``activity.samples`` left empty), id and flags."""

    id: int
    athlete_id: int
    activity: Activity
    is_race: bool
    best_efforts: tuple[BestEffort, ...]
    warnings: tuple[str, ...]
    note: str


def _to_stored_activity(row: ActivityRow) -> StoredActivity:
    activity = Activity(
        sport=row.sport,
        start=_aware(row.start),
        distance_m=row.distance_m,
        elapsed_s=row.elapsed_s,
        moving_s=row.moving_s,
        avg_pace_s_per_km=row.avg_pace_s_per_km,
        grade_adjusted_pace_s_per_km=row.grade_adjusted_pace_s_per_km,
        elevation_gain_m=row.elevation_gain_m,
        elevation_loss_m=row.elevation_loss_m,
        avg_hr_bpm=row.avg_hr_bpm,
        max_hr_bpm=row.max_hr_bpm,
        avg_cadence_spm=row.avg_cadence_spm,
        laps=tuple(_lap_from_json(lap) for lap in row.laps),
        source_format=row.source_format,
        device=row.device,
        samples=_NO_SAMPLES,
        legs=tuple(_leg_from_json(leg) for leg in row.legs or ()),
    )
    efforts = tuple(
        BestEffort(e["distance_m"], e["duration_s"], e["start_offset_s"]) for e in row.best_efforts
    )
    return StoredActivity(
        id=row.id,
        athlete_id=row.athlete_id,
        activity=activity,
        is_race=row.is_race,
        best_efforts=efforts,
        warnings=tuple(row.warnings),
        note=row.note,
    )


@dataclass(frozen=True)
class OriginalFile:
    name: str
    sha256: str
    data: bytes


class ActivityRepository:
    """Activities with their samples and original files; always within one athlete."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        athlete_id: int,
        activity: Activity,
        *,
        best_efforts: tuple[BestEffort, ...] = (),
        warnings: tuple[str, ...] = (),
        is_race: bool = False,
        note: str = "",
        original: OriginalFile | None = None,
        encoded: tuple[int, bytes] | None = None,
    ) -> StoredActivity:
        """Store an activity; ``encoded`` is its samples as (count, ``encode_samples`` blob) when
        a reader process has encoded them already (the activity then carries none)."""
        row = ActivityRow(
            athlete_id=athlete_id,
            sport=activity.sport,
            start=activity.start.astimezone(UTC),
            distance_m=_json_number(activity.distance_m),
            elapsed_s=_json_number(activity.elapsed_s),
            moving_s=_json_number(activity.moving_s),
            avg_pace_s_per_km=_json_number(activity.avg_pace_s_per_km),
            grade_adjusted_pace_s_per_km=_json_number(activity.grade_adjusted_pace_s_per_km),
            elevation_gain_m=_json_number(activity.elevation_gain_m),
            elevation_loss_m=_json_number(activity.elevation_loss_m),
            avg_hr_bpm=_json_number(activity.avg_hr_bpm),
            max_hr_bpm=_json_number(activity.max_hr_bpm),
            avg_cadence_spm=_json_number(activity.avg_cadence_spm),
            source_format=activity.source_format,
            device=activity.device[:DEVICE_LENGTH] if activity.device else None,
            is_race=is_race,
            laps=[_lap_to_json(lap) for lap in activity.laps],
            legs=[_leg_to_json(leg) for leg in activity.legs],
            best_efforts=[
                {
                    "distance_m": e.distance_m,
                    "duration_s": e.duration_s,
                    "start_offset_s": e.start_offset_s,
                }
                for e in best_efforts
            ],
            warnings=list(warnings),
            note=note,
            created_at=datetime.now(UTC),
        )
        self.session.add(row)
        self.session.flush()
        count, blob = encoded if encoded is not None else (len(activity.samples), None)
        if count:
            self.session.add(
                ActivitySamplesRow(
                    activity_id=row.id,
                    count=count,
                    encoding=SAMPLES_ENCODING,
                    data=blob if blob is not None else encode_samples(activity.samples),
                )
            )
        if original is not None:
            self.session.add(
                ActivityFileRow(
                    athlete_id=athlete_id,
                    activity_id=row.id,
                    name=original.name,
                    sha256=original.sha256,
                    size_bytes=len(original.data),
                    data=original.data,
                    imported_at=row.created_at,
                )
            )
        self.session.flush()
        return _to_stored_activity(row)

    def lock_athlete(self, athlete_id: int) -> None:
        """Serialise this athlete's imports until the transaction ends, so a check for a
        duplicate and the insert after it cannot race another upload of the same activity.

        A no-op write to the athlete's row: PostgreSQL holds that row's lock until commit, and
        SQLite takes its one write lock (other writers wait out the busy timeout).
        """
        self.session.execute(
            update(AthleteRow).where(AthleteRow.id == athlete_id).values(id=AthleteRow.id)
        )

    def get(self, athlete_id: int, activity_id: int) -> StoredActivity | None:
        row = self.session.get(ActivityRow, activity_id)
        if row is None or row.athlete_id != athlete_id:
            return None
        return _to_stored_activity(row)

    def between(
        self, athlete_id: int, since: datetime | None = None, until: datetime | None = None
    ) -> list[StoredActivity]:
        """Activities starting in ``[since, until)``, oldest first."""
        query = select(ActivityRow).where(ActivityRow.athlete_id == athlete_id)
        if since is not None:
            query = query.where(ActivityRow.start >= since.astimezone(UTC))
        if until is not None:
            query = query.where(ActivityRow.start < until.astimezone(UTC))
        rows = self.session.scalars(query.order_by(ActivityRow.start, ActivityRow.id))
        return [_to_stored_activity(r) for r in rows]

    def owner_of_file(self, athlete_id: int, sha256: str) -> int | None:
        """The activity a file with this sha256 was imported as, if it was."""
        return self.session.scalar(
            select(ActivityFileRow.activity_id).where(
                ActivityFileRow.athlete_id == athlete_id, ActivityFileRow.sha256 == sha256
            )
        )

    def known_files(self, athlete_id: int) -> dict[str, int]:
        """sha256 → activity id of every file this athlete imported."""
        rows = self.session.execute(
            select(ActivityFileRow.sha256, ActivityFileRow.activity_id).where(
                ActivityFileRow.athlete_id == athlete_id
            )
        )
        return {sha: activity_id for sha, activity_id in rows}

    def samples(self, activity_id: int) -> Samples | None:
        row = self.session.get(ActivitySamplesRow, activity_id)
        return decode_samples(row.data) if row is not None else None

    def original(self, activity_id: int) -> OriginalFile | None:
        row = self.session.scalar(
            select(ActivityFileRow).where(ActivityFileRow.activity_id == activity_id)
        )
        return OriginalFile(row.name, row.sha256, row.data) if row is not None else None

    def set_race(self, athlete_id: int, activity_id: int, is_race: bool) -> StoredActivity | None:
        row = self.session.get(ActivityRow, activity_id)
        if row is None or row.athlete_id != athlete_id:
            return None
        row.is_race = is_race
        self.session.flush()
        return _to_stored_activity(row)


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def life_schedule_to_dict(availability: Availability, feeds: FeedSchedule | None) -> dict[str, Any]:
    def window(w: Window) -> dict[str, Any]:
        return {"weekday": w.weekday, "start": _hhmm(w.start), "end": _hhmm(w.end)}

    return {
        "windows": [window(w) for w in availability.windows],
        "unavailable": [
            {"first": u.first.isoformat(), "last": u.last.isoformat(), "reason": u.reason}
            for u in availability.unavailable
        ],
        "extra": [
            {"on": e.on.isoformat(), "start": _hhmm(e.start), "end": _hhmm(e.end)}
            for e in availability.extra
        ],
        "buffer_s": availability.buffer_s,
        "race_start": _hhmm(availability.race_start) if availability.race_start else None,
        "feeds": None
        if feeds is None
        else {
            "times": [_hhmm(t) for t in feeds.times],
            "duration_s": feeds.duration_s,
            "after_feed_window_s": feeds.after_feed_window_s,
            "caregiver": [window(w) for w in feeds.caregiver],
            "pumped": [window(w) for w in feeds.pumped],
        },
    }


def life_schedule_from_dict(data: dict[str, Any]) -> tuple[Availability, FeedSchedule | None]:
    def window(w: dict[str, Any]) -> Window:
        return Window(
            int(w["weekday"]), time.fromisoformat(w["start"]), time.fromisoformat(w["end"])
        )

    availability = Availability(
        windows=tuple(window(w) for w in data.get("windows", [])),
        unavailable=tuple(
            Unavailable(date.fromisoformat(u["first"]), date.fromisoformat(u["last"]), u["reason"])
            for u in data.get("unavailable", [])
        ),
        extra=tuple(
            ExtraWindow(
                date.fromisoformat(e["on"]),
                time.fromisoformat(e["start"]),
                time.fromisoformat(e["end"]),
            )
            for e in data.get("extra", [])
        ),
        buffer_s=float(data.get("buffer_s", 900.0)),
        race_start=time.fromisoformat(data["race_start"]) if data.get("race_start") else None,
    )
    feed_data = data.get("feeds")
    feeds = (
        FeedSchedule(
            times=tuple(time.fromisoformat(t) for t in feed_data["times"]),
            duration_s=float(feed_data["duration_s"]),
            after_feed_window_s=float(feed_data["after_feed_window_s"]),
            caregiver=tuple(window(w) for w in feed_data.get("caregiver", [])),
            pumped=tuple(window(w) for w in feed_data.get("pumped", [])),
        )
        if feed_data
        else None
    )
    return availability, feeds


class LifeScheduleRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, athlete_id: int) -> tuple[Availability, FeedSchedule | None] | None:
        row = self.session.get(LifeScheduleRow, athlete_id)
        return life_schedule_from_dict(row.settings) if row else None

    def put(self, athlete_id: int, availability: Availability, feeds: FeedSchedule | None) -> None:
        settings = life_schedule_to_dict(availability, feeds)
        row = self.session.get(LifeScheduleRow, athlete_id)
        if row is None:
            self.session.add(
                LifeScheduleRow(
                    athlete_id=athlete_id, settings=settings, updated_at=datetime.now(UTC)
                )
            )
        else:
            row.settings = settings
            row.updated_at = datetime.now(UTC)
        self.session.flush()


# --- the web app: accounts, sessions, coaching ----------------------------------------------


@dataclass(frozen=True)
class User:
    id: int
    username: str
    email: str
    display_name: str
    role: str  # "athlete" | "coach"


@dataclass(frozen=True)
class StoredSession:
    user: User
    csrf_token: str
    expires_at: datetime
    athlete: Athlete | None = None  # the athlete the account owns, read in the same query


@dataclass(frozen=True)
class CoachLink:
    id: int
    athlete_id: int
    coach: User | None  # None while the invite is open
    scope: str  # "training" | "training+health"


@dataclass(frozen=True)
class CoachNote:
    id: int
    athlete_id: int
    coach_name: str
    text: str
    created_at: datetime
    from_athlete: bool = False  # the athlete's reply, in that coach's thread
    reply_to: int | None = None
    coach_user_id: int | None = None


@dataclass(frozen=True)
class AuditEntry:
    who: str
    action: str
    detail: str
    at: datetime


@dataclass(frozen=True)
class ApiToken:
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    scopes: tuple[str, ...] = ("read", "write", "coach")
    expires_at: datetime | None = None


@dataclass(frozen=True)
class TokenGrant:
    """Who a valid API token speaks for, and what it may do."""

    user: User
    scopes: tuple[str, ...]


def _to_token(row: ApiTokenRow) -> ApiToken:
    return ApiToken(
        row.id,
        row.name,
        _aware(row.created_at),
        _aware(row.last_used_at) if row.last_used_at else None,
        tuple(s for s in (row.scopes or "").split(",") if s),
        _aware(row.expires_at) if row.expires_at else None,
    )


def _to_user(row: UserRow) -> User:
    return User(row.id, row.username, row.email, row.display_name, row.role)


class AccountRepository:
    """Users, their sessions, sign-in failures, API tokens and calendar feeds."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add_user(
        self, username: str, email: str, display_name: str, password_hash: str, role: str
    ) -> User:
        row = UserRow(
            username=username,
            email=email,
            display_name=display_name,
            password_hash=password_hash,
            role=role,
            created_at=datetime.now(UTC),
        )
        self.session.add(row)
        self.session.flush()
        return _to_user(row)

    def user(self, user_id: int) -> User | None:
        row = self.session.get(UserRow, user_id)
        return _to_user(row) if row else None

    def login(self, login: str) -> tuple[User, str] | None:
        """The user whose username or email is ``login`` (already lower-cased), with the hash."""
        row = self.session.scalar(
            select(UserRow).where((UserRow.username == login) | (UserRow.email == login))
        )
        return (_to_user(row), row.password_hash) if row else None

    def password_hash(self, user_id: int) -> str | None:
        row = self.session.get(UserRow, user_id)
        return row.password_hash if row else None

    def delete_user(self, user_id: int) -> int:
        """Delete a user, every athlete she owns (and so, by cascade, all their data), her
        sessions, tokens and coaching links. Returns how many athletes went with her."""
        athletes = list(
            self.session.scalars(select(AthleteRow).where(AthleteRow.user_id == user_id))
        )
        for athlete in athletes:
            self.session.delete(athlete)
        self.session.flush()
        row = self.session.get(UserRow, user_id)
        if row is not None:
            self.session.delete(row)
        self.session.flush()
        return len(athletes)

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        row = self.session.get(UserRow, user_id)
        if row is not None:
            row.password_hash = password_hash

    def set_display_name(self, user_id: int, display_name: str) -> None:
        row = self.session.get(UserRow, user_id)
        if row is not None:
            row.display_name = display_name

    def taken(self, username: str, email: str) -> bool:
        return (
            self.session.scalar(
                select(func.count())
                .select_from(UserRow)
                .where((UserRow.username == username) | (UserRow.email == email))
            )
            or 0
        ) > 0

    # athletes owned by users

    def link_athlete(self, athlete_id: int, user_id: int) -> None:
        row = self.session.get(AthleteRow, athlete_id)
        if row is not None:
            row.user_id = user_id

    def athlete_of(self, user_id: int) -> Athlete | None:
        # The athlete and her races in one query (every page asks this).
        row = (
            self.session.scalars(
                select(AthleteRow)
                .where(AthleteRow.user_id == user_id)
                .order_by(AthleteRow.id)
                .options(joinedload(AthleteRow.races))
            )
            .unique()
            .first()
        )
        return _to_athlete(row) if row else None

    def owner_of(self, athlete_id: int) -> int | None:
        row = self.session.get(AthleteRow, athlete_id)
        return row.user_id if row else None

    def update_athlete(self, athlete_id: int, timezone: str, units: str) -> None:
        row = self.session.get(AthleteRow, athlete_id)
        if row is not None:
            row.timezone = timezone
            row.units = units

    # sessions

    def add_session(
        self, token_sha256: str, user_id: int, csrf_token: str, expires_at: datetime
    ) -> None:
        self.session.add(
            WebSessionRow(
                token_sha256=token_sha256,
                user_id=user_id,
                csrf_token=csrf_token,
                created_at=datetime.now(UTC),
                expires_at=expires_at,
            )
        )
        self.session.flush()

    def web_session(self, token_sha256: str) -> StoredSession | None:
        """The session and its user in one query (every page asks this first)."""
        found = (
            self.session.execute(
                select(WebSessionRow, UserRow, AthleteRow)
                .join(UserRow, UserRow.id == WebSessionRow.user_id)
                .outerjoin(AthleteRow, AthleteRow.user_id == UserRow.id)
                .where(WebSessionRow.token_sha256 == token_sha256)
                .order_by(AthleteRow.id)
                .options(joinedload(AthleteRow.races))
            )
            .unique()
            .first()
        )
        if found is None:
            return None
        row, user, athlete = found
        return StoredSession(
            _to_user(user),
            row.csrf_token,
            _aware(row.expires_at),
            _to_athlete(athlete) if athlete is not None else None,
        )

    def delete_session(self, token_sha256: str) -> None:
        self.session.execute(
            delete(WebSessionRow).where(WebSessionRow.token_sha256 == token_sha256)
        )

    def delete_sessions(self, user_id: int, *, keep_sha256: str | None = None) -> int:
        """End every session of a user (but ``keep_sha256``'s); returns how many ended."""
        query = delete(WebSessionRow).where(WebSessionRow.user_id == user_id)
        if keep_sha256 is not None:
            query = query.where(WebSessionRow.token_sha256 != keep_sha256)
        return int(getattr(self.session.execute(query), "rowcount", 0) or 0)

    def session_owner(self, token_sha256: str) -> int | None:
        row = self.session.get(WebSessionRow, token_sha256)
        return row.user_id if row else None

    # one-time password-reset links

    def add_password_reset(self, token_sha256: str, user_id: int, expires_at: datetime) -> None:
        # One open link per user: a new one replaces any before it.
        self.session.execute(delete(PasswordResetRow).where(PasswordResetRow.user_id == user_id))
        self.session.add(
            PasswordResetRow(
                token_sha256=token_sha256,
                user_id=user_id,
                created_at=datetime.now(UTC),
                expires_at=expires_at,
            )
        )
        self.session.flush()

    def password_reset_user(self, token_sha256: str, now: datetime) -> int | None:
        row = self.session.get(PasswordResetRow, token_sha256)
        if row is None or _aware(row.expires_at) <= now:
            return None
        return row.user_id

    def delete_password_reset(self, token_sha256: str) -> None:
        self.session.execute(
            delete(PasswordResetRow).where(PasswordResetRow.token_sha256 == token_sha256)
        )

    # sign-in failures (the rate limit)

    def add_failures(self, keys: list[str], at: datetime) -> None:
        self.session.add_all(SignInFailureRow(key=key, at=at) for key in keys)
        self.session.flush()

    def failures_since(self, key: str, since: datetime) -> int:
        return (
            self.session.scalar(
                select(func.count())
                .select_from(SignInFailureRow)
                .where(SignInFailureRow.key == key, SignInFailureRow.at >= since)
            )
            or 0
        )

    def last_failure(self, key: str, since: datetime) -> datetime | None:
        last = self.session.scalar(
            select(func.max(SignInFailureRow.at)).where(
                SignInFailureRow.key == key, SignInFailureRow.at >= since
            )
        )
        return _aware(last) if last is not None else None

    def clear_failures(self, key: str) -> None:
        self.session.execute(delete(SignInFailureRow).where(SignInFailureRow.key == key))

    def purge_failures(self, before: datetime) -> int:
        """Forget failures older than the window: they no longer count for anything."""
        result = self.session.execute(delete(SignInFailureRow).where(SignInFailureRow.at < before))
        return int(getattr(result, "rowcount", 0) or 0)

    # personal access tokens

    def add_api_token(
        self,
        user_id: int,
        name: str,
        token_sha256: str,
        scopes: tuple[str, ...] = ("read", "write", "coach"),
        expires_at: datetime | None = None,
    ) -> ApiToken:
        row = ApiTokenRow(
            user_id=user_id,
            name=name,
            token_sha256=token_sha256,
            created_at=datetime.now(UTC),
            scopes=",".join(scopes),
            expires_at=expires_at,
        )
        self.session.add(row)
        self.session.flush()
        return _to_token(row)

    def grant_for_api_token(self, token_sha256: str) -> TokenGrant | None:
        """The user and scopes of a token that exists and has not expired."""
        row = self.session.scalar(
            select(ApiTokenRow).where(ApiTokenRow.token_sha256 == token_sha256)
        )
        if row is None:
            return None
        now = datetime.now(UTC)
        if row.expires_at is not None and _aware(row.expires_at) <= now:
            return None
        user = self._touch_token(row, now)
        if user is None:
            return None
        return TokenGrant(user, _to_token(row).scopes)

    def user_for_api_token(self, token_sha256: str) -> User | None:
        grant = self.grant_for_api_token(token_sha256)
        return grant.user if grant else None

    def _touch_token(self, row: ApiTokenRow, now: datetime) -> User | None:
        # At most one write a minute per token: a script calling the API in a loop must not turn
        # every read into a write (found by bench_web: 50 clients locked SQLite).
        if row.last_used_at is None or now - _aware(row.last_used_at) > timedelta(minutes=1):
            row.last_used_at = now
        return self.user(row.user_id)

    def api_tokens(self, user_id: int) -> list[ApiToken]:
        rows = self.session.scalars(
            select(ApiTokenRow).where(ApiTokenRow.user_id == user_id).order_by(ApiTokenRow.id)
        )
        return [_to_token(r) for r in rows]

    def delete_api_token(self, user_id: int, token_id: int) -> bool:
        result = self.session.execute(
            delete(ApiTokenRow).where(ApiTokenRow.id == token_id, ApiTokenRow.user_id == user_id)
        )
        return bool(getattr(result, "rowcount", 0))

    # calendar feeds

    def set_calendar_feed(self, athlete_id: int, token_sha256: str) -> None:
        row = self.session.get(CalendarFeedRow, athlete_id)
        if row is None:
            self.session.add(
                CalendarFeedRow(
                    athlete_id=athlete_id, token_sha256=token_sha256, created_at=datetime.now(UTC)
                )
            )
        else:
            row.token_sha256 = token_sha256
            row.created_at = datetime.now(UTC)
        self.session.flush()

    def delete_calendar_feed(self, athlete_id: int) -> None:
        self.session.execute(
            delete(CalendarFeedRow).where(CalendarFeedRow.athlete_id == athlete_id)
        )

    def athlete_for_calendar_feed(self, token_sha256: str) -> int | None:
        row = self.session.scalar(
            select(CalendarFeedRow).where(CalendarFeedRow.token_sha256 == token_sha256)
        )
        return row.athlete_id if row else None

    def has_calendar_feed(self, athlete_id: int) -> bool:
        return self.session.get(CalendarFeedRow, athlete_id) is not None


def _to_link(row: CoachLinkRow, coach: User | None) -> CoachLink:
    return CoachLink(row.id, row.athlete_id, coach, row.scope)


class CoachingRepository:
    """Coach links (the athlete's consent, with its scope) and coaches' notes."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _coach(self, row: CoachLinkRow) -> User | None:
        if row.coach_user_id is None:
            return None
        user = self.session.get(UserRow, row.coach_user_id)
        return _to_user(user) if user else None

    def add_link(
        self, athlete_id: int, coach_user_id: int | None, scope: str, invite_sha256: str | None
    ) -> CoachLink:
        row = CoachLinkRow(
            athlete_id=athlete_id,
            coach_user_id=coach_user_id,
            scope=scope,
            invite_sha256=invite_sha256,
            created_at=datetime.now(UTC),
        )
        self.session.add(row)
        self.session.flush()
        return _to_link(row, self._coach(row))

    def link(self, athlete_id: int, coach_user_id: int) -> CoachLink | None:
        row = self.session.scalar(
            select(CoachLinkRow).where(
                CoachLinkRow.athlete_id == athlete_id, CoachLinkRow.coach_user_id == coach_user_id
            )
        )
        return _to_link(row, self._coach(row)) if row else None

    def links_of_athlete(self, athlete_id: int) -> list[CoachLink]:
        rows = self.session.scalars(
            select(CoachLinkRow)
            .where(CoachLinkRow.athlete_id == athlete_id)
            .order_by(CoachLinkRow.id)
        )
        return [_to_link(r, self._coach(r)) for r in rows]

    def links_of_coach(self, coach_user_id: int) -> list[CoachLink]:
        rows = self.session.scalars(
            select(CoachLinkRow)
            .where(CoachLinkRow.coach_user_id == coach_user_id)
            .order_by(CoachLinkRow.athlete_id)
        )
        return [_to_link(r, self._coach(r)) for r in rows]

    def open_invite(self, invite_sha256: str) -> tuple[Athlete, str, datetime] | None:
        """Who invites, with what scope, since when: for the page an invite link opens."""
        row = self.session.scalar(
            select(CoachLinkRow).where(
                CoachLinkRow.invite_sha256 == invite_sha256, CoachLinkRow.coach_user_id.is_(None)
            )
        )
        if row is None:
            return None
        athlete = self.session.get(AthleteRow, row.athlete_id)
        if athlete is None:
            return None
        return _to_athlete(athlete), row.scope, _aware(row.created_at)

    def accept_invite(self, invite_sha256: str, coach_user_id: int) -> CoachLink | None:
        """Bind an open invite to the coach who opened it; the token works once."""
        row = self.session.scalar(
            select(CoachLinkRow).where(
                CoachLinkRow.invite_sha256 == invite_sha256, CoachLinkRow.coach_user_id.is_(None)
            )
        )
        if row is None:
            return None
        row.coach_user_id = coach_user_id
        row.invite_sha256 = None
        self.session.flush()
        return _to_link(row, self._coach(row))

    def set_scope(self, athlete_id: int, link_id: int, scope: str) -> CoachLink | None:
        row = self.session.get(CoachLinkRow, link_id)
        if row is None or row.athlete_id != athlete_id:
            return None
        row.scope = scope
        self.session.flush()
        return _to_link(row, self._coach(row))

    def delete_link(self, athlete_id: int, link_id: int) -> bool:
        result = self.session.execute(
            delete(CoachLinkRow).where(
                CoachLinkRow.id == link_id, CoachLinkRow.athlete_id == athlete_id
            )
        )
        return bool(getattr(result, "rowcount", 0))

    def add_note(
        self,
        athlete_id: int,
        coach_user_id: int,
        text: str,
        *,
        from_athlete: bool = False,
        reply_to: int | None = None,
    ) -> None:
        self.session.add(
            CoachNoteRow(
                athlete_id=athlete_id,
                coach_user_id=coach_user_id,
                text=text,
                created_at=datetime.now(UTC),
                from_athlete=from_athlete,
                reply_to=reply_to,
            )
        )
        self.session.flush()

    def note(self, athlete_id: int, note_id: int) -> CoachNote | None:
        found = self.session.execute(
            select(CoachNoteRow, UserRow.display_name)
            .join(UserRow, UserRow.id == CoachNoteRow.coach_user_id)
            .where(CoachNoteRow.id == note_id, CoachNoteRow.athlete_id == athlete_id)
        ).first()
        if found is None:
            return None
        note, name = found
        return _to_note(note, name)

    def notes(self, athlete_id: int, limit: int = 5) -> list[CoachNote]:
        rows = self.session.execute(
            select(CoachNoteRow, UserRow.display_name)
            .join(UserRow, UserRow.id == CoachNoteRow.coach_user_id)
            .where(CoachNoteRow.athlete_id == athlete_id)
            .order_by(CoachNoteRow.id.desc())
            .limit(limit)
        )
        return [_to_note(note, name) for note, name in rows]

    def add_audit(
        self, athlete_id: int, user_id: int | None, who: str, action: str, detail: str
    ) -> None:
        self.session.add(
            CoachAuditRow(
                athlete_id=athlete_id,
                user_id=user_id,
                who=who,
                action=action,
                detail=detail,
                at=datetime.now(UTC),
            )
        )
        self.session.flush()

    def audit(self, athlete_id: int, limit: int = 50) -> list[AuditEntry]:
        rows = self.session.scalars(
            select(CoachAuditRow)
            .where(CoachAuditRow.athlete_id == athlete_id)
            .order_by(CoachAuditRow.id.desc())
            .limit(limit)
        )
        return [AuditEntry(r.who, r.action, r.detail, _aware(r.at)) for r in rows]


def _to_note(note: CoachNoteRow, name: str) -> CoachNote:
    return CoachNote(
        note.id,
        note.athlete_id,
        name,
        note.text,
        _aware(note.created_at),
        bool(note.from_athlete),
        note.reply_to,
        note.coach_user_id,
    )
