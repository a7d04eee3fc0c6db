"""Imports that nothing can break (issue 19): bounded unpacking, one bad file failing alone,
concurrent uploads of one run stored once, long names, impossible readings, and reader processes
that die with their parent. On SQLite and PostgreSQL where storage is involved."""

from __future__ import annotations

import gzip
import io
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import tracemalloc
import zipfile
from datetime import date
from pathlib import Path

import pytest

from conftest import SHARED_DATA
from milepost.adapters import importers
from milepost.adapters.importers import archive, iter_activity_files, iter_upload, read_activity
from milepost.adapters.storage.db import Database
from milepost.domain.athlete import Athlete
from milepost.errors import ImportFileError
from milepost.services.athletes import AthleteService
from milepost.services.clock import Clock
from milepost.services.logbook import ImportReport, LogbookService, upload_label
from milepost.services.planning import PlanningService

ACTIVITIES = SHARED_DATA / "activities"
FENIX2 = ACTIVITIES / "fit" / "activity-small-fenix2-run.fit"
pytestmark = pytest.mark.skipif(not ACTIVITIES.is_dir(), reason="sample files not found")


def _logbook(database_url: str, processes: int = 1) -> LogbookService:
    db = Database(database_url)
    db.migrate()
    clock = Clock(fixed_today=date(2026, 11, 27))
    athletes = AthleteService(db, clock)
    if not athletes.all():
        athletes.create(Athlete(name="Maya", timezone="Europe/London"))
    return LogbookService(db, athletes, PlanningService(db, athletes, clock), clock, processes)


@pytest.fixture
def logbook(database_url: str) -> LogbookService:
    return _logbook(database_url)


def gpx(points: str, creator: str = "test", kind: str = "running") -> bytes:
    return (
        f'<?xml version="1.0"?><gpx version="1.1" creator="{creator}" '
        'xmlns="http://www.topografix.com/GPX/1/1"><trk>'
        f"<type>{kind}</type><trkseg>{points}</trkseg></trk></gpx>"
    ).encode()


def run_points(n: int = 600, hr: str = "150", lat0: float = 46.0, year: int = 2024) -> str:
    """``n`` points a second apart, 3 m apart: a 3 m/s run."""
    out = []
    for i in range(n):
        lat = lat0 + i * 3 / 111_195
        out.append(
            f'<trkpt lat="{lat:.7f}" lon="14.0"><time>{year}-05-01T07:{i // 60:02d}:{i % 60:02d}Z'
            f"</time><extensions><hr>{hr}</hr></extensions></trkpt>"
        )
    return "".join(out)


# --- bounded unpacking -----------------------------------------------------------------------


def test_a_zip_bomb_is_unpacked_one_member_at_a_time_and_each_oversized_member_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(archive, "MAX_FILE_BYTES", 4 * 1024 * 1024)
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(12):  # 3 MB each: under the member cap, 36 MB in all
            z.writestr(f"activities/{i:02d}.gpx", b"\0" * (3 * 1024 * 1024))
        z.writestr("activities/huge.gpx", b"\0" * (5 * 1024 * 1024))
    tracemalloc.start()
    results = []
    for path, data in iter_activity_files(bomb):  # each member dropped before the next
        results.append((path, data if isinstance(data, ImportFileError) else len(data)))
        del data
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 16 * 1024 * 1024  # a few members' worth, never all 41 MB
    refused = [p for p, d in results if isinstance(d, ImportFileError)]
    assert refused == [f"{bomb}/activities/huge.gpx"]
    assert sum(1 for _, d in results if d == 3 * 1024 * 1024) == 12


def test_an_upload_stops_unpacking_at_its_total_budget_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 10 * 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(40):
            z.writestr(f"{i:02d}.fit", b"\0" * (1024 * 1024))
    members = list(iter_upload("export.zip", buffer.getvalue()))
    assert len(members) == 11  # ten within the budget, then one refusal, then nothing
    last = members[-1][1]
    assert isinstance(last, ImportFileError) and last.hint == "import it in parts"


def test_a_gzip_bomb_is_refused_in_words_without_unpacking_it_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(archive, "MAX_FILE_BYTES", 2 * 1024 * 1024)
    bomb = gzip.compress(b"<gpx>" + b" " * (8 * 1024 * 1024))
    with pytest.raises(ImportFileError, match="unpacks to more than 2 MB"):
        read_activity(bomb, "bomb.gpx.gz")


def test_macos_resource_forks_in_a_zip_are_skipped_without_a_word() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("run.fit", FENIX2.read_bytes())
        z.writestr("__MACOSX/._run.fit", b"\0\5\26\7 Mac OS X resource fork")
        z.writestr("._other.gpx", b"\0\5\26\7")
    assert [p for p, _ in iter_upload("run.zip", buffer.getvalue())] == ["run.zip/run.fit"]


def test_a_file_with_too_many_points_is_refused_before_it_fills_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from milepost.adapters.importers import gpx as gpx_module

    monkeypatch.setattr(gpx_module, "MAX_POINTS", 100)
    with pytest.raises(ImportFileError, match="more than 100 points"):
        read_activity(gpx(run_points(200)), "long.gpx")


# --- one bad file never aborts the batch -----------------------------------------------------


def test_files_with_impossible_years_or_distances_fail_alone_and_the_batch_goes_on(
    logbook: LogbookService,
) -> None:
    year_9999 = gpx(run_points(50, year=9999))
    year_0001 = gpx(run_points(50).replace("2024-05-01", "0001-01-01"))
    tcx = (ACTIVITIES / "tcx" / "no_hr.tcx").read_bytes()
    huge = tcx.replace(b"<DistanceMeters>1609.", b"<DistanceMeters>1e300</DistanceMeters><X>", 1)
    uploads = [
        ("9999.gpx", year_9999),
        ("0001.gpx", year_0001),
        ("1e300.tcx", huge),
        ("fenix.fit", FENIX2.read_bytes()),
    ]
    report = logbook.import_uploads(uploads)
    assert [a.path for a in report.imported][-1] == "fenix.fit"
    failed = {f.path: f.reason for f in report.failed}
    assert "dated" in failed["9999.gpx"] or "no times" in failed["9999.gpx"]
    assert "0001.gpx" in failed
    assert report.files == 4 and len(report.imported) + len(report.failed) == 4


def test_a_reader_bug_on_one_file_fails_that_file_and_reads_the_next(
    logbook: LogbookService, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importers.read_activity

    def flaky(source: object, name: str | None = None) -> object:
        if name == "bad.gpx":
            raise IndexError("list index out of range")
        return real(source, name)  # type: ignore[arg-type]

    monkeypatch.setattr(importers, "read_activity", flaky)
    report = logbook.import_uploads([("bad.gpx", b"<gpx/>"), ("fenix.fit", FENIX2.read_bytes())])
    assert [a.path for a in report.imported] == ["fenix.fit"]
    assert report.failed[0].path == "bad.gpx"
    assert "IndexError" in report.failed[0].reason and "\n" not in report.failed[0].reason


# --- concurrent uploads ----------------------------------------------------------------------


def test_the_same_run_uploaded_six_ways_at_once_is_stored_once(database_url: str) -> None:
    fit = FENIX2.read_bytes()
    variants = [
        ("a.fit", fit),
        ("b.fit.gz", gzip.compress(fit)),
        ("c.gpx", (ACTIVITIES / "gpx" / "derived-fenix2-run.gpx").read_bytes()),
        ("d.tcx", (ACTIVITIES / "tcx" / "derived-fenix2-run.tcx").read_bytes()),
        ("e.gpx.gz", gzip.compress((ACTIVITIES / "gpx" / "derived-fenix2-run.gpx").read_bytes())),
        ("f.tcx.gz", gzip.compress((ACTIVITIES / "tcx" / "derived-fenix2-run.tcx").read_bytes())),
    ]
    services = [_logbook(database_url) for _ in variants]

    def upload(
        service: LogbookService,
        item: tuple[str, bytes],
        barrier: threading.Barrier,
        reports: list[ImportReport],
    ) -> None:
        barrier.wait()
        reports.append(service.import_uploads([item]))

    for _round in range(2):
        barrier = threading.Barrier(len(variants))
        reports: list[ImportReport] = []
        threads = [
            threading.Thread(target=upload, args=(s, v, barrier, reports))
            for s, v in zip(services, variants, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not [f for r in reports for f in r.failed]
        assert len(services[0].list_activities()) == 1
    for service in services:
        service.db.dispose()


# --- names and labels ------------------------------------------------------------------------


def test_an_upload_name_of_300_bytes_is_a_label_not_a_path(logbook: LogbookService) -> None:
    name = "../../" + "ü" * 150 + ".fit"  # 300+ bytes in UTF-8, with a path in front
    report = logbook.import_uploads([(name, FENIX2.read_bytes())])
    label = report.imported[0].path
    assert "/" not in label and ".." not in label and label.endswith(".fit")
    assert len(label) <= 120
    original = logbook.original_file(report.imported[0].id)
    assert original is not None and original.name == label
    assert upload_label("\x00\n", 4) == "upload-5"


def test_a_gpx_creator_of_300_characters_is_stored_on_every_database(
    logbook: LogbookService,
) -> None:
    data = gpx(run_points(), creator="GPS Logger " + "x" * 300)
    report = logbook.import_uploads([("long-creator.gpx", data)])
    assert not report.failed
    stored = logbook.show(report.imported[0].id).activity
    assert stored.device is not None and 0 < len(stored.device) <= 200


# --- impossible readings ---------------------------------------------------------------------


def test_a_250_bpm_channel_is_dropped_with_a_warning_and_never_becomes_the_max() -> None:
    result = read_activity(gpx(run_points(hr="250")), "strap.gpx")
    assert result.activity.max_hr_bpm is None
    assert any("heart-rate channel was left out" in w for w in result.warnings)
    spike = run_points(hr="150").replace("<hr>150</hr>", "<hr>1e49</hr>", 1)
    result = read_activity(gpx(spike), "spike.gpx")
    assert result.activity.max_hr_bpm == 150
    assert any("1e+49" in w for w in result.warnings)


def test_impossible_positions_and_distances_are_left_out_with_a_warning() -> None:
    far = run_points().replace('lat="46.0000000"', 'lat="1e308"', 1)
    result = read_activity(gpx(far), "far.gpx")
    assert result.activity.distance_m == pytest.approx(1797, rel=0.01)
    assert any("position readings" in w for w in result.warnings)
    tcx = (ACTIVITIES / "tcx" / "no_hr.tcx").read_text()
    cut = tcx.index("</Track>")
    fast = tcx[:cut].replace(
        "<DistanceMeters>0.0</DistanceMeters>", "<DistanceMeters>39600000</DistanceMeters>", 1
    )
    result = read_activity((fast + tcx[cut:]).encode(), "fast.tcx")
    assert result.activity.distance_m < 10_000  # type: ignore[operator]
    assert any("distance" in w for w in result.warnings)


# --- reader processes die with their parent --------------------------------------------------

_PARENT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from milepost.adapters.importers import read_activities, shared_pool
    data = Path(sys.argv[1]).read_bytes()
    list(read_activities([("a.fit", data), ("b.fit", data)], processes=2))
    pool = shared_pool(2)
    print(" ".join(str(pid) for pid in pool._processes), flush=True)
    time.sleep(60)
    """
)


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")  # a zombie has exited; only its exit status waits


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_no_reader_process_outlives_a_parent_killed_with_sigkill() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", _PARENT, str(FENIX2)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert parent.stdout is not None
    workers = [int(pid) for pid in parent.stdout.readline().split()]
    assert len(workers) == 2 and not any(_gone(pid) for pid in workers)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(_gone(pid) for pid in workers):
        time.sleep(0.1)
    assert all(_gone(pid) for pid in workers)
