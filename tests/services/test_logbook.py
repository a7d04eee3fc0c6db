"""The training log on SQLite and PostgreSQL: importing the real sample files, duplicates,
failures that stay alone, re-imports that change nothing, and the stored samples."""

from __future__ import annotations

import gzip
import math
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from conftest import SHARED_DATA
from milepost.adapters.importers import read_activity
from milepost.adapters.storage import repositories
from milepost.adapters.storage.db import Database
from milepost.adapters.storage.tables import ActivityFileRow, ActivityRow, ActivitySamplesRow
from milepost.domain.athlete import Athlete
from milepost.domain.vdot import vdot_from_race
from milepost.errors import ConflictError
from milepost.services import logbook as logbook_module
from milepost.services.athletes import AthleteService
from milepost.services.clock import Clock
from milepost.services.logbook import LogbookService
from milepost.services.planning import PlanningService

ACTIVITIES = SHARED_DATA / "activities"
FENIX2 = ACTIVITIES / "fit" / "activity-small-fenix2-run.fit"
pytestmark = [
    pytest.mark.skipif(
        not ACTIVITIES.is_dir(), reason=f"sample activity files not found at {ACTIVITIES}"
    ),
    pytest.mark.filterwarnings("ignore:invalid field size:UserWarning"),
]


@pytest.fixture
def logbook(database_url: str) -> LogbookService:
    db = Database(database_url)
    db.migrate()
    clock = Clock(fixed_today=date(2026, 11, 27))
    athletes = AthleteService(db, clock)
    athletes.create(Athlete(name="Maya", timezone="Europe/London"))
    yield LogbookService(db, athletes, PlanningService(db, athletes, clock), clock)
    db.dispose()


def counts(logbook: LogbookService) -> tuple[int, int, int]:
    with logbook.db.session() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(table))
            for table in (ActivityRow, ActivitySamplesRow, ActivityFileRow)
        )


def test_the_sample_files_import_once_each_with_every_failure_named(
    logbook: LogbookService,
) -> None:
    progress: list[tuple[int, int]] = []
    report = logbook.import_paths([ACTIVITIES], progress=lambda d, t, _: progress.append((d, t)))
    assert report.files == 23 and progress[-1] == (23, 23)
    # the damaged FIT files are salvaged: the half run, and the 14-record run (twice: both
    # broken files hold it)
    assert len(report.imported) == 16
    # the Fenix run as FIT, GPX and TCX is one activity; test.tcx is no_hr.tcx with heart rate
    fenix = next(a for a in report.imported if a.path == str(FENIX2))
    dupes = {Path(d.path).name: d.of for d in report.duplicates}
    assert dupes["derived-fenix2-run.gpx"] == dupes["derived-fenix2-run.tcx"] == fenix.id
    assert set(dupes) == {
        "derived-fenix2-run.gpx",
        "derived-fenix2-run.tcx",
        "test.tcx",
        "activity-unexpected-eof.fit",
    }
    half = next(a for a in report.imported if a.path.endswith("fenix2-run-truncated-half.fit"))
    assert half.sport == "running" and any("cut short" in w for w in half.warnings)
    failed = {Path(f.path).name: f for f in report.failed}
    assert set(failed) == {"route.gpx", "unicode_with_bom.gpx", "gpx1.1_with_extensions.gpx"}
    assert counts(logbook) == (16, 16, 16)


def test_importing_again_changes_nothing(logbook: LogbookService) -> None:
    first = logbook.import_paths([ACTIVITIES / "fit", ACTIVITIES / "gpx"])
    before = counts(logbook)
    again = logbook.import_paths([ACTIVITIES / "fit", ACTIVITIES / "gpx"])
    assert again.imported == []
    ids = {a.id for a in first.imported}
    # every file that made an activity is now recognised by its bytes
    assert {d.of for d in again.duplicates} == ids
    assert len(again.failed) == len(first.failed)
    assert counts(logbook) == before


def test_a_zipped_export_imports_its_activities_and_merges_the_same_run(
    logbook: LogbookService, tmp_path: Path
) -> None:
    export = tmp_path / "export.zip"
    with zipfile.ZipFile(export, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("activities/1.fit.gz", gzip.compress(FENIX2.read_bytes()))
        z.write(ACTIVITIES / "gpx" / "derived-fenix2-run.gpx", "activities/2.gpx")
        z.writestr(
            "activities/3.tcx.gz", gzip.compress((ACTIVITIES / "tcx/no_hr.tcx").read_bytes())
        )
        z.writestr("activities/4.fit", FENIX2.read_bytes()[:60])  # nothing readable in it
        z.writestr("activities.csv", "id,name\n1,Morning run\n")
    report = logbook.import_paths([export])
    assert [Path(a.path).name for a in report.imported] == ["1.fit.gz", "3.tcx.gz"]
    assert [(Path(d.path).name, d.of) for d in report.duplicates] == [
        ("2.gpx", report.imported[0].id)
    ]
    assert [Path(f.path).name for f in report.failed] == ["4.fit"]
    # the original bytes are kept as they came, still gzipped, for export
    stored = logbook.original_file(report.imported[0].id)
    assert stored is not None and gzip.decompress(stored.data) == FENIX2.read_bytes()


def test_a_corrupt_file_in_the_middle_fails_alone_and_the_batch_goes_on(
    logbook: LogbookService, tmp_path: Path
) -> None:
    (tmp_path / "1-activity-unexpected-eof.fit").write_bytes(FENIX2.read_bytes()[:60])
    for i, source in ((0, FENIX2), (2, ACTIVITIES / "tcx/no_hr.tcx")):
        (tmp_path / f"{i}-{source.name}").write_bytes(source.read_bytes())
    report = logbook.import_paths([tmp_path])
    assert [Path(a.path).name for a in report.imported] == [
        "0-activity-small-fenix2-run.fit",
        "2-no_hr.tcx",
    ]
    assert [Path(f.path).name for f in report.failed] == ["1-activity-unexpected-eof.fit"]
    assert counts(logbook) == (2, 2, 2)


def test_a_failure_while_storing_leaves_nothing_of_that_activity(
    logbook: LogbookService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = repositories.ActivitySamplesRow

    def fail_for_the_ride(**row: object) -> object:
        if row["count"] > 10_000:  # the Edge 500 ride, after its activity row is written
            raise ConflictError("disk full, say")
        return real(**row)

    monkeypatch.setattr(repositories, "ActivitySamplesRow", fail_for_the_ride)
    names = [
        "activity-small-fenix2-run.fit",
        "garmin-edge-500-activity.fit",
        "garmin-fenix-5-run.fit",
    ]
    report = logbook.import_paths([ACTIVITIES / "fit" / n for n in names])
    assert [Path(f.path).name for f in report.failed] == ["garmin-edge-500-activity.fit"]
    assert "could not be stored" in report.failed[0].reason
    assert len(report.imported) == 2 and counts(logbook) == (2, 2, 2)


def test_stored_samples_read_back_as_recorded(logbook: LogbookService) -> None:
    report = logbook.import_paths([FENIX2])
    original = read_activity(FENIX2).activity.samples
    stored = logbook.samples(report.imported[0].id)
    assert stored is not None and len(stored) == len(original) == 2809
    # repr, not ==: a missing reading is NaN, unequal to itself
    assert repr(stored.lat_deg) == repr(original.lat_deg)  # float64: exact
    assert repr(stored.lon_deg) == repr(original.lon_deg)
    assert stored.time_s == original.time_s  # whole seconds are exact as float32 offsets
    assert repr(stored.hr_bpm) == repr(original.hr_bpm)
    assert original.distance_m is not None and stored.distance_m is not None
    assert (
        max(abs(a - b) for a, b in zip(stored.distance_m, original.distance_m, strict=True)) < 1e-3
    )
    assert original.altitude_m is not None and stored.altitude_m is not None
    for a, b in zip(stored.altitude_m, original.altitude_m, strict=True):
        assert (math.isnan(a) and math.isnan(b)) or abs(a - b) < 1e-4


def test_a_race_typed_in_re_derives_vdot_and_its_paces(logbook: LogbookService) -> None:
    logged = logbook.add_manual(
        date(2026, 11, 22), distance_m=10_000, duration_s=45 * 60, kind="run", race=True
    )
    assert logged.race is not None
    assert logged.race.vdot == pytest.approx(vdot_from_race(10_000, 2700))
    assert logged.race.paces.threshold > 0 and logged.race.suggestion is None  # no plan yet
    strength = logbook.add_manual(
        date(2026, 11, 23), distance_m=None, duration_s=1800, kind="strength"
    )
    listed = logbook.list_activities(since=date(2026, 11, 23))
    assert [a.id for a in listed] == [strength.id]
    assert listed[0].local_date == date(2026, 11, 23)
    # a run without heart rate gets its load from pace: at the race's own T pace, IF > 1
    shown = logbook.show(logged.id)
    assert (
        shown.load_method == "tss" and shown.load is not None and shown.load > 45 * 60 / 3600 * 100
    )


def test_a_triathlon_is_stored_with_its_legs_and_its_run_leg_counts_as_running(
    logbook: LogbookService,
) -> None:
    corpus = Path(__file__).parents[1] / "adapters" / "corpus" / "fit"
    report = logbook.import_paths([corpus / "sample_mulitple_header.fit"])
    logged = logbook.show(report.imported[0].id)
    legs = logged.activity.legs
    assert [leg.sport for leg in legs if leg.sport != "transition"] == [
        "swimming",
        "cycling",
        "running",
    ]
    done = logbook_module._done(logged)
    running = [d for d in done if d.sport == "running"]
    assert [round(d.distance_m or 0) for d in running] == [9806]
    assert {d.sport for d in done} == {"swimming", "cycling", "running"}
