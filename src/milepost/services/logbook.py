"""The training log: importing what a runner recorded, typing in the rest, and reading it back
against the plan — the week, fitness and fatigue, VDOT over time, a recap card.

Each activity is stored in its own transaction (summary, samples blob and original file
together), so a failure part-way through a batch leaves every earlier activity whole and nothing
of the failing one. Re-importing is a no-op: a file already imported is recognised by its sha256
before it is parsed; the same activity from another source (start within a minute, distance within
2 %, ``domain.activity.same_activity``) is reported as a duplicate of the stored one.
"""

from __future__ import annotations

import hashlib
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path, PurePosixPath
from typing import Any

from milepost.adapters.exporters.recap import render_recap
from milepost.adapters.files import write_atomically
from milepost.adapters.importers import (
    ImportResult,
    iter_activity_files,
    iter_upload,
    read_activities,
)
from milepost.adapters.importers.archive import Budget, Member
from milepost.adapters.storage.db import Database
from milepost.adapters.storage.repositories import ActivityRepository, OriginalFile, StoredActivity
from milepost.domain.activity import SAME_START_S, Activity, Samples, same_activity
from milepost.domain.athlete import Athlete
from milepost.domain.compliance import DoneActivity, WeekCompliance, compare_week
from milepost.domain.efforts import EFFORT_SPORTS, best_efforts
from milepost.domain.load import (
    HeartRateBounds,
    LoadDay,
    VdotPoint,
    fitness_fatigue,
    heart_rate_bounds,
    session_load,
    vdot_history,
)
from milepost.domain.plan.model import Plan, Week
from milepost.domain.units import Units, distance_key, format_distance
from milepost.domain.vdot import TrainingPaces, training_paces, vdot_from_race
from milepost.errors import ImportFileError, InputError, MilepostError, NotFoundError
from milepost.services.athletes import AthleteService
from milepost.services.clock import Clock
from milepost.services.planning import CurrentPlan, PlanningService

# Both cores of a small machine: parsing is where import time goes (docs/performance.md).
IMPORT_PROCESSES = 2
# The sports a typed-in session can be; the name is what the log stores as its sport.
MANUAL_KINDS: dict[str, str] = {
    "run": "running",
    "strength": "strength",
    "walk": "walking",
    "hike": "hiking",
    "ride": "cycling",
    "swim": "swimming",
    "cross": "cross_training",
}
# An uploaded file's name is kept as a label of at most this many characters.
LABEL_CHARS = 120

Progress = Callable[[int, int, str], None]  # (files done, files in all, the file just done)


@dataclass(frozen=True)
class ImportedActivity:
    id: int
    path: str
    sport: str
    start: datetime
    distance_m: float | None
    elapsed_s: float | None
    moving_s: float | None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class DuplicateFile:
    path: str
    of: int  # the stored activity it duplicates


@dataclass(frozen=True)
class FailedFile:
    path: str
    reason: str
    offset: int | None = None  # the byte where a FIT file goes wrong


@dataclass
class ImportReport:
    imported: list[ImportedActivity] = field(default_factory=list)
    duplicates: list[DuplicateFile] = field(default_factory=list)
    failed: list[FailedFile] = field(default_factory=list)
    files: int = 0
    bytes_read: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class RaceUpdate:
    """What a race says about fitness, and how to carry it into the plan."""

    activity_id: int
    vdot: float
    previous_vdot: float | None
    paces: TrainingPaces
    suggestion: str | None  # the `milepost plan new …` command that would use it


@dataclass(frozen=True)
class LoggedActivity:
    stored: StoredActivity
    local_date: date
    load: float | None
    load_method: str | None
    samples: int = 0
    race: RaceUpdate | None = None

    @property
    def id(self) -> int:
        return self.stored.id

    @property
    def activity(self) -> Activity:
        return self.stored.activity


@dataclass(frozen=True)
class Fitness:
    days: list[LoadDay]
    heart_rate: HeartRateBounds
    threshold_pace_s_per_km: float | None
    notes: tuple[str, ...]

    @property
    def latest(self) -> LoadDay | None:
        return self.days[-1] if self.days else None


@dataclass(frozen=True)
class WeekView:
    athlete: Athlete
    plan: Plan
    plan_week: Week
    compliance: WeekCompliance
    activities: list[LoggedActivity]
    fitness: LoadDay | None
    today: date

    @property
    def units(self) -> Units:
        return Units(self.plan.units) if self.plan.units in ("km", "mi") else self.athlete.units

    def headline(self) -> str:
        """'Week 6 of 16 — 41 km, 2 strength sessions, 10 weeks to go'."""
        c, units = self.compliance, self.units
        done = f"{c.done_m / units.metres:.0f} {units.value}"
        strength = (
            f"{c.strength_sessions} strength session{'' if c.strength_sessions == 1 else 's'}"
        )
        if c.weeks_to_race == 0:
            tail = "race week"
        else:
            tail = f"{c.weeks_to_race} week{'' if c.weeks_to_race == 1 else 's'} to go"
        return f"Week {c.week} of {c.weeks_in_plan} — {done}, {strength}, {tail}"


def upload_label(name: str | None, number: int = 0) -> str:
    """An uploaded file's name as a label: its last part only, one line of printable
    characters, at most ``LABEL_CHARS`` long (the extension kept). Never used as a path."""
    base = PurePosixPath((name or "").replace("\\", "/")).name
    base = "".join(ch for ch in " ".join(base.split()) if ch.isprintable()).strip()
    if base in (".", ".."):
        base = ""
    if len(base) > LABEL_CHARS:
        _stem, dot, suffix = base.rpartition(".")
        keep = f".{suffix}" if dot and len(suffix) <= 8 else ""
        base = base[: LABEL_CHARS - len(keep) - 1] + "…" + keep
    return base or f"upload-{number + 1}"


def _reason(error: ImportFileError, path: str) -> str:
    """The error without the path it starts with: the report gives the path beside it."""
    return error.message.removeprefix(path).lstrip(" :") or error.message


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class LogbookService:
    def __init__(
        self,
        db: Database,
        athletes: AthleteService,
        planning: PlanningService,
        clock: Clock,
        processes: int = IMPORT_PROCESSES,
    ) -> None:
        self.db = db
        self.athletes = athletes
        self.planning = planning
        self.clock = clock
        self.processes = processes

    # --- importing ---------------------------------------------------------------------------

    def import_paths(
        self, paths: Iterable[str | Path], progress: Progress | None = None
    ) -> ImportReport:
        """Import every activity file under ``paths`` (files, folders, zips) for the current
        athlete; each file is imported whole or not at all, and the batch always goes on."""
        budget = Budget()
        return self._import(
            (member for p in paths for member in iter_activity_files(p, budget)), progress
        )

    def import_uploads(
        self, uploads: Iterable[tuple[str, bytes]], progress: Progress | None = None
    ) -> ImportReport:
        """Import files sent over the web, as ``(name, bytes)``. A name is a label only (shown
        in the report, kept as the original file's name): it never becomes a path here."""
        budget = Budget()
        return self._import(
            (
                member
                for number, (name, data) in enumerate(uploads)
                for member in iter_upload(upload_label(name, number), data, budget)
            ),
            progress,
        )

    def _import(self, members: Iterable[Member], progress: Progress | None) -> ImportReport:
        athlete = self.athletes.current()
        athlete_id = athlete.id or 0
        started = time.perf_counter()
        report = ImportReport()
        with self.db.session() as session:
            known = ActivityRepository(session).known_files(athlete_id)
        originals: deque[OriginalFile | None] = deque()  # one per file sent to be read, in order
        twins: dict[str, list[str]] = {}  # the same bytes twice in this batch: each later path
        first_of: dict[str, str] = {}
        done = 0

        def tick(path: str) -> None:
            nonlocal done
            done += 1
            if progress:
                # Members stream in as archives are unpacked: the total is those found so far.
                progress(done, report.files, path)

        def to_read() -> Iterator[Member]:
            for path, data in members:
                report.files += 1
                if isinstance(data, bytes):
                    report.bytes_read += len(data)
                    digest = _sha256(data)
                    if digest in known:
                        report.duplicates.append(DuplicateFile(path, known[digest]))
                        tick(path)
                        continue
                    if digest in first_of:
                        twins.setdefault(digest, []).append(path)
                        tick(path)
                        continue
                    first_of[digest] = path
                    originals.append(OriginalFile(path, digest, data))
                else:
                    originals.append(None)
                yield path, data

        outcomes = read_activities(to_read(), processes=self.processes, prepare=True)
        for path, outcome in outcomes:
            original = originals.popleft()
            if isinstance(outcome, ImportFileError):
                report.failed.append(FailedFile(path, _reason(outcome, path), outcome.offset))
            elif original is not None:
                self._store_file(athlete_id, path, outcome.results, original, report, known)
            tick(path)
        for digest, paths in twins.items():
            for path in paths:
                if digest in known:
                    report.duplicates.append(DuplicateFile(path, known[digest]))
                else:
                    report.failed.append(
                        FailedFile(path, f"the same file as {first_of[digest]}, which failed")
                    )
        report.seconds = time.perf_counter() - started
        return report

    def _store_file(
        self,
        athlete_id: int,
        path: str,
        results: tuple[ImportResult, ...],
        original: OriginalFile,
        report: ImportReport,
        known: dict[str, int],
    ) -> None:
        """Store the activities of one file in one transaction, under the athlete's import lock:
        the duplicate checks run inside it, so two uploads of one run at once store it once."""
        efforts = [
            r.efforts
            if r.efforts is not None
            else best_efforts(r.activity.samples)
            if r.activity.sport in EFFORT_SPORTS
            else ()
            for r in results
        ]
        stored: list[tuple[StoredActivity, ImportResult]] = []
        duplicates: list[DuplicateFile] = []
        try:
            with self.db.session() as session:
                repo = ActivityRepository(session)
                repo.lock_athlete(athlete_id)
                owner = repo.owner_of_file(athlete_id, original.sha256)
                if owner is not None:  # the same file, stored meanwhile by another upload
                    known[original.sha256] = owner
                    report.duplicates.append(DuplicateFile(path, owner))
                    return
                window = timedelta(seconds=SAME_START_S)
                for result, found in zip(results, efforts, strict=True):
                    activity = result.activity
                    near = repo.between(
                        athlete_id,
                        activity.start - window,
                        activity.start + window + timedelta(microseconds=1),
                    )
                    twin = next((s for s in near if same_activity(activity, s.activity)), None)
                    if twin is not None:
                        duplicates.append(DuplicateFile(path, twin.id))
                        continue
                    stored.append(
                        (
                            repo.add(
                                athlete_id,
                                activity,
                                best_efforts=found,
                                warnings=tuple(result.warnings),
                                # the file is kept once, with the first activity stored from it
                                original=None if stored else original,
                                encoded=result.stored_samples,
                            ),
                            result,
                        )
                    )
        except MilepostError as exc:
            report.failed.append(FailedFile(path, f"could not be stored: {exc.message}"))
            return
        report.duplicates.extend(duplicates)
        if stored:
            known[original.sha256] = stored[0][0].id
        for row, result in stored:
            activity = result.activity
            report.imported.append(
                ImportedActivity(
                    id=row.id,
                    path=path,
                    sport=activity.sport,
                    start=activity.start,
                    distance_m=activity.distance_m,
                    elapsed_s=activity.elapsed_s,
                    moving_s=activity.moving_s,
                    warnings=tuple(result.warnings),
                )
            )

    # --- typing in and reading back ----------------------------------------------------------

    def add_manual(
        self,
        on: date,
        *,
        distance_m: float | None,
        duration_s: float | None,
        kind: str = "run",
        race: bool = False,
        note: str = "",
    ) -> LoggedActivity:
        """A session typed in: a run without a watch, a strength session, a ride."""
        sport = MANUAL_KINDS.get(kind.lower())
        if sport is None:
            raise InputError(
                f"'{kind}' is not a kind of session", hint=f"use one of: {', '.join(MANUAL_KINDS)}"
            )
        if sport == "running" and not distance_m:
            raise InputError("a run needs a distance", hint="for example --distance 8km")
        if race and not (distance_m and duration_s):
            raise InputError("a race needs a distance and a time")
        athlete = self.athletes.current()
        if on > self.clock.today(athlete.timezone):
            raise InputError(f"{on.isoformat()} is in the future: log what you have done")
        # Noon local time: the date is what the runner gave; the hour is not known.
        start = datetime.combine(on, clock_time(12), athlete.zone).astimezone(UTC)
        pace = duration_s / (distance_m / 1000.0) if distance_m and duration_s else None
        activity = Activity(
            sport=sport,
            start=start,
            distance_m=distance_m,
            elapsed_s=duration_s,
            moving_s=duration_s,
            avg_pace_s_per_km=pace,
            grade_adjusted_pace_s_per_km=None,
            elevation_gain_m=None,
            elevation_loss_m=None,
            avg_hr_bpm=None,
            max_hr_bpm=None,
            avg_cadence_spm=None,
            laps=(),
            source_format="manual",
            device=None,
            samples=Samples(time_s=None, distance_m=None),
        )
        with self.db.session() as session:
            stored = ActivityRepository(session).add(athlete.id or 0, activity, note=note)
        update = self.mark_race(stored.id) if race else None
        logged = self.show(stored.id)
        return LoggedActivity(
            logged.stored, logged.local_date, logged.load, logged.load_method, 0, update
        )

    def list_activities(self, since: date | None = None) -> list[LoggedActivity]:
        athlete = self.athletes.current()
        start = datetime.combine(since, clock_time(0), athlete.zone) if since is not None else None
        with self.db.session() as session:
            stored = ActivityRepository(session).between(athlete.id or 0, start)
        loads = self._loads(athlete, self._all(athlete))
        return [self._logged(athlete, s, loads) for s in stored]

    def show(self, activity_id: int) -> LoggedActivity:
        athlete = self.athletes.current()
        with self.db.session() as session:
            repo = ActivityRepository(session)
            stored = repo.get(athlete.id or 0, activity_id)
            if stored is None:
                raise NotFoundError(
                    f"no activity {activity_id} in {athlete.name}'s log",
                    hint="list them with: milepost log list",
                )
            samples = repo.samples(activity_id)
        loads = self._loads(athlete, self._all(athlete))
        logged = self._logged(athlete, stored, loads)
        return LoggedActivity(
            stored, logged.local_date, logged.load, logged.load_method, len(samples or ())
        )

    def samples(self, activity_id: int) -> Samples | None:
        """The stored recording of an activity (``None`` for one typed in)."""
        athlete = self.athletes.current()
        with self.db.session() as session:
            repo = ActivityRepository(session)
            if repo.get(athlete.id or 0, activity_id) is None:
                raise NotFoundError(f"no activity {activity_id} in {athlete.name}'s log")
            return repo.samples(activity_id)

    def original_file(self, activity_id: int) -> OriginalFile | None:
        athlete = self.athletes.current()
        with self.db.session() as session:
            repo = ActivityRepository(session)
            if repo.get(athlete.id or 0, activity_id) is None:
                raise NotFoundError(f"no activity {activity_id} in {athlete.name}'s log")
            return repo.original(activity_id)

    def mark_race(self, activity_id: int, is_race: bool = True) -> RaceUpdate | None:
        """Flag an activity as a race (or not); a race re-derives VDOT and the paces from it."""
        athlete = self.athletes.current()
        previous = self._vdot(athlete)
        with self.db.session() as session:
            repo = ActivityRepository(session)
            found = repo.get(athlete.id or 0, activity_id)
            if found is None:
                raise NotFoundError(f"no activity {activity_id} in {athlete.name}'s log")
            activity = found.activity
            race_s = activity.elapsed_s or activity.moving_s
            if is_race and not (activity.distance_m and race_s):
                raise InputError(f"activity {activity_id} has no distance or time to race on")
            repo.set_race(athlete.id or 0, activity_id, is_race)
        if not is_race:
            return None
        assert activity.distance_m and race_s
        vdot = vdot_from_race(activity.distance_m, race_s)
        return RaceUpdate(
            activity_id, vdot, previous, training_paces(vdot), self._plan_suggestion(vdot)
        )

    def _plan_suggestion(self, vdot: float) -> str | None:
        try:
            current = self.planning.current()
        except NotFoundError:
            return None
        plan = current.plan
        race = distance_key(plan.race.distance_m) or format_distance(plan.race.distance_m).replace(
            " ", ""
        )
        race = {"half_marathon": "half", "marathon": "marathon"}.get(race, race)
        week = plan.week_of(current.today) or plan.weeks[0]
        units = Units(plan.units) if plan.units in ("km", "mi") else Units.KM
        weekly = f"--weekly-{units.value} {week.total_m / units.metres:.0f}"
        return (
            f"milepost plan new --race {race} --race-date {plan.race.date.isoformat()} "
            f"--vdot {vdot:.1f} {weekly}"
        )

    # --- the week and the long view ----------------------------------------------------------

    def week(self, number: int | None = None) -> WeekView:
        """Plan week ``number`` (default: this week) against what was logged in it."""
        current = self.planning.current()
        plan, today, athlete = current.plan, current.today, current.athlete
        if number is None:
            plan_week = plan.week_of(today) or (
                plan.weeks[0] if today < plan.starts else plan.weeks[-1]
            )
        elif 1 <= number <= len(plan.weeks):
            plan_week = plan.weeks[number - 1]
        else:
            raise InputError(
                f"week {number} is not in this plan", hint=f"weeks run 1–{len(plan.weeks)}"
            )
        everything = self._all(athlete)
        loads = self._loads(athlete, everything)
        logged = [self._logged(athlete, s, loads) for s in everything]
        in_week = [a for a in logged if plan_week.starts <= a.local_date <= plan_week.ends]
        done = [done for a in in_week for done in _done(a)]
        compliance = compare_week(plan_week, len(plan.weeks), done, today)
        fitness = self._fitness(athlete, everything, until=min(plan_week.ends, today))
        return WeekView(athlete, plan, plan_week, compliance, in_week, fitness.latest, today)

    def done_by_week(self, current: CurrentPlan) -> list[float | None]:
        """Running done in each plan week that has begun (None for weeks ahead): one read of
        the log for the whole plan, for the volume chart (not a week at a time)."""
        plan, today, athlete = current.plan, current.today, current.athlete
        everything = self._all(athlete)
        loads = self._loads(athlete, everything, plan.vdot)
        logged = [self._logged(athlete, s, loads) for s in everything]
        out: list[float | None] = []
        for plan_week in plan.weeks:
            if plan_week.starts > today:
                out.append(None)
                continue
            in_week = [a for a in logged if plan_week.starts <= a.local_date <= plan_week.ends]
            done = [done for a in in_week for done in _done(a)]
            out.append(compare_week(plan_week, len(plan.weeks), done, today).done_m)
        return out

    def fitness(self, until: date | None = None) -> Fitness:
        """Fitness (CTL), fatigue (ATL) and form (TSB) for each day up to ``until``."""
        athlete = self.athletes.current()
        return self._fitness(
            athlete, self._all(athlete), until or self.clock.today(athlete.timezone)
        )

    def vdot_history(self) -> list[VdotPoint]:
        """VDOT from each race-flagged activity, and the floor the best efforts set."""
        athlete = self.athletes.current()
        everything = self._all(athlete)
        zone = athlete.zone
        races = [
            (s.activity.start.astimezone(zone).date(), s.activity.distance_m, race_s)
            for s in everything
            if s.is_race
            and s.activity.distance_m
            and (race_s := s.activity.elapsed_s or s.activity.moving_s)
        ]
        efforts = [
            (s.activity.start.astimezone(zone).date(), e)
            for s in everything
            for e in s.best_efforts
        ]
        return vdot_history(races, efforts)

    def recap_png(self, week: int | None, path: str | Path, health: bool = False) -> Path:
        """Draw the week's recap card to ``path`` (written atomically)."""
        png = render_recap(self.week(week), health=health)
        return write_atomically(Path(path), png)

    # --- helpers -----------------------------------------------------------------------------

    def _all(self, athlete: Athlete) -> list[StoredActivity]:
        with self.db.session() as session:
            return ActivityRepository(session).between(athlete.id or 0)

    def _vdot(
        self,
        athlete: Athlete,
        everything: list[StoredActivity] | None = None,
        plan_vdot: float | None = None,
    ) -> float | None:
        """The fitness for threshold pace: the latest race in the log, else the plan's, else the
        athlete's latest race result. ``plan_vdot`` spares reading the plan again."""
        found = everything if everything is not None else self._all(athlete)
        races = [s for s in found if s.is_race]
        for stored in reversed(races):
            a = stored.activity
            race_s = a.elapsed_s or a.moving_s
            if a.distance_m and race_s:
                try:
                    return vdot_from_race(a.distance_m, race_s)
                except InputError:
                    continue
        if plan_vdot is not None:
            return plan_vdot
        try:
            return self.planning.current().plan.vdot
        except NotFoundError:
            return athlete.current_vdot()

    def _bounds(self, athlete: Athlete, everything: list[StoredActivity]) -> HeartRateBounds:
        today = self.clock.today(athlete.timezone)
        age = (today - athlete.birth_date).days / 365.25 if athlete.birth_date else None
        recorded = [s.activity.max_hr_bpm for s in everything if s.activity.max_hr_bpm]
        return heart_rate_bounds(
            highest_recorded_hr_bpm=max(recorded) if recorded else None, age_years=age
        )

    def _loads(
        self,
        athlete: Athlete,
        everything: list[StoredActivity],
        plan_vdot: float | None = None,
    ) -> dict[int, tuple[float, str] | None]:
        bounds = self._bounds(athlete, everything)
        vdot = self._vdot(athlete, everything, plan_vdot)
        threshold = training_paces(vdot).threshold if vdot else None
        out: dict[int, tuple[float, str] | None] = {}
        for stored in everything:
            a = stored.activity
            is_foot = a.sport in EFFORT_SPORTS or a.sport in ("walking", "hiking")
            found = session_load(
                duration_s=a.moving_s or a.elapsed_s,
                distance_m=a.distance_m if is_foot else None,
                avg_hr_bpm=a.avg_hr_bpm,
                bounds=bounds,
                sex=athlete.sex,
                threshold_pace_s_per_km=threshold,
            )
            out[stored.id] = (found.load, found.method) if found else None
        return out

    def _fitness(self, athlete: Athlete, everything: list[StoredActivity], until: date) -> Fitness:
        bounds = self._bounds(athlete, everything)
        vdot = self._vdot(athlete, everything)
        loads = self._loads(athlete, everything)
        daily: dict[date, float] = {}
        for stored in everything:
            found = loads.get(stored.id)
            if found:
                day = stored.activity.start.astimezone(athlete.zone).date()
                daily[day] = daily.get(day, 0.0) + found[0]
        notes = [f"TRIMP uses {bounds.source}"]
        if vdot:
            notes.append(f"runs without heart rate use TSS at the T pace of VDOT {vdot:.1f}")
        else:
            notes.append("runs without heart rate have no load: milepost knows no VDOT yet")
        start = min(daily, default=until)
        days = fitness_fatigue(daily, start, until) if start <= until else []
        return Fitness(days, bounds, training_paces(vdot).threshold if vdot else None, tuple(notes))

    def _logged(
        self,
        athlete: Athlete,
        stored: StoredActivity,
        loads: dict[int, tuple[float, str] | None],
    ) -> LoggedActivity:
        found = loads.get(stored.id)
        return LoggedActivity(
            stored,
            stored.activity.start.astimezone(athlete.zone).date(),
            found[0] if found else None,
            found[1] if found else None,
        )


def _done(logged: LoggedActivity) -> list[DoneActivity]:
    """What an activity did for the week: a multisport event counts leg by leg (its run leg as
    running volume, the swim and ride as cross-training; transitions not at all)."""
    a = logged.activity
    if not a.legs:
        return [
            DoneActivity(
                logged.id, logged.local_date, a.sport, a.distance_m, a.moving_s or a.elapsed_s
            )
        ]
    return [
        DoneActivity(logged.id, logged.local_date, leg.sport, leg.distance_m, leg.elapsed_s)
        for leg in a.legs
        if leg.sport != "transition"
    ]


def report_json(report: ImportReport) -> dict[str, Any]:
    """The ``log import --json`` object (one shape for the CLI and, later, the web)."""
    return {
        "imported": [
            {
                "id": a.id,
                "path": a.path,
                "sport": a.sport,
                "start": a.start.isoformat(),
                "distance_m": a.distance_m,
                "elapsed_s": a.elapsed_s,
                "moving_s": a.moving_s,
            }
            for a in report.imported
        ],
        "duplicates": [{"path": d.path, "of": d.of} for d in report.duplicates],
        "failed": [{"path": f.path, "reason": f.reason} for f in report.failed],
    }
