"""The importers on the real sample files in ../shared/data/activities, with fitdecode and gpxpy
as independent oracles, and on broken, hostile and archived variants built here."""

from __future__ import annotations

import gzip
import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import fitdecode
import gpxpy
import pytest

from conftest import SHARED_DATA
from milepost.adapters.importers import iter_activity_files, read_activities, read_activity
from milepost.adapters.importers.fit import read_with_fitdecode
from milepost.domain.activity import same_activity
from milepost.errors import ImportFileError

ACTIVITIES = SHARED_DATA / "activities"
pytestmark = [
    pytest.mark.skipif(
        not ACTIVITIES.is_dir(), reason=f"sample activity files not found at {ACTIVITIES}"
    ),
    # fitdecode, as the oracle, warns about the Coros file's odd field sizes; that is the point
    pytest.mark.filterwarnings("ignore:invalid field size:UserWarning"),
]
FIT_FILES = sorted(ACTIVITIES.glob("fit/*.fit")) if ACTIVITIES.is_dir() else []
FENIX2 = ACTIVITIES / "fit" / "activity-small-fenix2-run.fit"
FIT_EPOCH_S = 631_065_600


def fitdecode_records(path: Path) -> list[dict[str, object]]:
    """Record and lap messages straight from fitdecode, the oracle."""
    out = []
    with fitdecode.FitReader(str(path)) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name in ("record", "lap"):
                fields: dict[str, object] = {}
                for field in frame.fields:  # a name can come twice (a component expanded)
                    if fields.get(field.name) is None:
                        fields[field.name] = field.value
                fields["_kind"] = frame.name
                out.append(fields)
    return out


def posix(value: object) -> float:
    return value.timestamp() if isinstance(value, datetime) else float(value) + FIT_EPOCH_S  # type: ignore[arg-type]


@pytest.mark.parametrize("path", FIT_FILES, ids=lambda p: p.name)
def test_every_sample_fit_file_reads_like_fitdecode_reads_it(path: Path) -> None:
    result = read_activity(path)
    messages = fitdecode_records(path)
    records = [m for m in messages if m["_kind"] == "record" and m.get("timestamp") is not None]
    laps = [m for m in messages if m["_kind"] == "lap"]
    samples = result.activity.samples
    assert samples.time_s is not None
    assert len(samples) == len(records)
    shift = samples.time_s[0] - min(posix(r["timestamp"]) for r in records)
    assert [t - shift for t in samples.time_s] == sorted(posix(r["timestamp"]) for r in records)
    distances = [r["distance"] for r in records if r.get("distance") is not None]
    assert samples.distance_m is not None
    assert samples.distance_m[-1] == pytest.approx(max(distances))  # type: ignore[type-var]
    assert len(result.activity.laps) == len(laps)
    for lap, oracle in zip(result.activity.laps, laps, strict=True):
        assert lap.distance_m == pytest.approx(oracle.get("total_distance"))
        assert lap.elapsed_s == pytest.approx(oracle["total_elapsed_time"])


@pytest.mark.parametrize("path", FIT_FILES, ids=lambda p: p.name)
def test_the_fast_path_and_fitdecode_give_the_same_activity(path: Path) -> None:
    fast = read_activity(path).activity
    careful = read_with_fitdecode(path.read_bytes(), str(path)).activity
    assert fast.sport == careful.sport
    assert fast.device == careful.device
    assert fast.laps == careful.laps
    assert fast.samples.time_s == careful.samples.time_s
    assert fast.samples.distance_m == pytest.approx(careful.samples.distance_m)
    assert fast.avg_hr_bpm == pytest.approx(careful.avg_hr_bpm)


def test_fitfast_reads_every_sample_file_with_the_light_pass_filling_its_gaps() -> None:
    decoders = {p.name: read_activity(p).decoder for p in FIT_FILES}
    # compressed speed/distance, which fitfast 0.1.0 drops, is expanded by the light pass (the
    # test above holds its distances to fitdecode's); the zero-header-CRC file it refused is
    # read once its CRC is checked by the protocol and handed over the way fitfast expects
    assert set(decoders.values()) == {"fitfast"}


def test_a_zero_header_crc_file_keeps_its_crc_check() -> None:
    data = bytearray((ACTIVITIES / "fit" / "2013-02-06-12-11-14.fit").read_bytes())
    assert read_activity(bytes(data), "ok.fit").decoder == "fitfast"
    data[100] ^= 0xFF  # damage inside the data: the protocol CRC no longer matches
    try:
        assert read_activity(bytes(data), "damaged.fit").decoder == "fitdecode"
    except ImportFileError as error:
        assert error.path == "damaged.fit"


def test_the_fenix2_run_is_the_readmes_9_km_in_47_minutes() -> None:
    activity = read_activity(FENIX2).activity
    assert activity.sport == "running"
    assert round(activity.distance_m / 1000, 1) == 9.0  # type: ignore[operator]
    assert round(activity.elapsed_s / 60) == 47  # type: ignore[operator]
    assert activity.start == datetime(2015, 8, 15, 14, 45, 8, tzinfo=UTC)
    assert activity.moving_s is not None and 0.97 * 2833 < activity.moving_s <= 2833
    assert 150 < (activity.avg_hr_bpm or 0) < 160
    assert 155 < (activity.avg_cadence_spm or 0) < 175  # steps, not strides, per minute
    assert activity.device == "Garmin (product 1967)"
    assert len(activity.laps) == 4


@pytest.mark.parametrize(
    ("name", "records", "words"),
    [
        ("activity-unexpected-eof.fit", 14, "cut short"),
        ("activity-settings-corruptheader.fit", 14, "second part chained after the activity"),
        ("fenix2-run-truncated-half.fit", 1412, "cut short"),
    ],
)
def test_a_damaged_fit_file_keeps_what_is_readable_and_says_what_was_lost(
    name: str, records: int, words: str
) -> None:
    result = read_activity(ACTIVITIES / "broken" / name)
    assert len(result.activity.samples) == records
    assert any(words in w and f"{records} records" in w for w in result.warnings)


def test_half_a_run_cut_short_is_stored_as_the_half_that_was_recorded() -> None:
    result = read_activity(ACTIVITIES / "broken" / "fenix2-run-truncated-half.fit")
    # the session with the sport went with the end: the speed says it was a run
    assert result.activity.sport == "running"
    assert result.activity.distance_m == pytest.approx(5091, abs=5)
    assert any("lost" in w for w in result.warnings)


def test_a_fit_file_cut_anywhere_is_refused_in_words_or_kept_with_a_warning() -> None:
    data = FENIX2.read_bytes()
    for cut in (5, 13, 14, 100, 1000, 50_000, len(data) - 1):
        try:
            result = read_activity(data[:cut], "cut.fit")
        except ImportFileError as error:
            assert "None" not in error.message and "cut.fit" in error.message
        else:
            assert any("cut short" in w or "damaged" in w for w in result.warnings)


def test_the_same_run_as_fit_gpx_and_tcx_is_one_activity() -> None:
    fit = read_activity(FENIX2).activity
    gpx = read_activity(ACTIVITIES / "gpx" / "derived-fenix2-run.gpx").activity
    tcx = read_activity(ACTIVITIES / "tcx" / "derived-fenix2-run.tcx").activity
    assert same_activity(fit, gpx) and same_activity(fit, tcx) and same_activity(gpx, tcx)
    other = read_activity(ACTIVITIES / "tcx" / "test.tcx").activity
    assert not same_activity(fit, other)
    # one summary for all formats: the same moving time and heart rate from the same points
    assert gpx.moving_s == pytest.approx(fit.moving_s, abs=5)
    assert tcx.avg_hr_bpm == pytest.approx(fit.avg_hr_bpm, abs=0.5)
    assert gpx.avg_cadence_spm == pytest.approx(fit.avg_cadence_spm, abs=1)


def test_gpx_distance_agrees_with_gpxpy() -> None:
    for name in ("cerknicko-jezero.gpx", "derived-fenix2-run.gpx", "track-with-empty-segment.gpx"):
        data = (ACTIVITIES / "gpx" / name).read_bytes()
        expected = gpxpy.parse(data.decode("utf-8-sig")).length_2d()
        # gpxpy's haversine uses the equatorial radius, 0.11 % larger than the mean one
        assert read_activity(data, name).activity.distance_m == pytest.approx(expected, rel=0.002)


def test_gpx_heart_rate_and_cadence_come_from_the_garmin_extension() -> None:
    samples = read_activity(ACTIVITIES / "gpx" / "derived-fenix2-run.gpx").activity.samples
    assert samples.hr_bpm is not None and samples.hr_bpm[:2] == (69.0, 69.0)
    assert samples.cadence_spm is not None and samples.cadence_spm[0] == 112.0


def test_a_gpx_track_without_times_keeps_its_distance_and_says_so() -> None:
    result = read_activity(ACTIVITIES / "gpx" / "cerknicko-without-times.gpx")
    assert result.activity.elapsed_s is None
    assert result.activity.start == datetime(2010, 8, 6, 10, 36, 35, tzinfo=UTC)
    assert result.activity.distance_m == pytest.approx(4575, abs=5)
    assert any("no times" in w for w in result.warnings)


def test_an_empty_gpx_segment_is_skipped() -> None:
    activity = read_activity(ACTIVITIES / "gpx" / "track-with-empty-segment.gpx").activity
    assert len(activity.samples) == 9


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("route.gpx", "a route"),
        ("unicode_with_bom.gpx", "only waypoints"),  # the BOM itself reads fine
        ("gpx1.1_with_extensions.gpx", "only waypoints"),
    ],
)
def test_a_gpx_file_with_nothing_recorded_is_refused_with_the_reason(
    name: str, reason: str
) -> None:
    with pytest.raises(ImportFileError, match=reason):
        read_activity(ACTIVITIES / "gpx" / name)


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<gpx><trk><name>&d;</name><trkseg><trkpt lat="1" lon="1"><time>2024-01-01T00:00:00Z</time>
</trkpt></trkseg></trk></gpx>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<gpx><trk><name>&secret;</name><trkseg><trkpt lat="1" lon="1">
<time>2024-01-01T00:00:00Z</time></trkpt></trkseg></trk></gpx>"""


@pytest.mark.parametrize("data", [BOMB, EXTERNAL], ids=["entity-bomb", "external-entity"])
def test_xml_that_declares_entities_is_refused(data: bytes) -> None:
    with pytest.raises(ImportFileError, match="refused"):
        read_activity(data, "hostile.gpx")
    with pytest.raises(ImportFileError, match="refused"):
        read_activity(data.replace(b"gpx", b"TrainingCenterDatabase"), "hostile.tcx")


def test_malformed_xml_fails_with_line_and_column() -> None:
    data = (ACTIVITIES / "gpx" / "derived-fenix2-run.gpx").read_bytes()[:5000]
    with pytest.raises(ImportFileError, match=r"line \d+, column \d+"):
        read_activity(data, "cut.gpx")


def test_a_run_across_a_daylight_saving_change_keeps_its_utc_times() -> None:
    # Europe/Oslo springs forward at 01:00 UTC on 2024-03-31: 01:50+01:00 then 03:10+02:00
    # are 20 minutes apart, not 80.
    stamps = ["2024-03-31T01:50:00+01:00", "2024-03-31T01:59:59+01:00", "2024-03-31T03:10:00+02:00"]
    points = "".join(
        f'<trkpt lat="59.9" lon="{10.70 + 0.01 * i}"><time>{t}</time></trkpt>'
        for i, t in enumerate(stamps)
    )
    gpx = (
        f'<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>{points}</trkseg></trk></gpx>'
    )
    activity = read_activity(gpx.encode(), "dst.gpx").activity
    assert activity.start == datetime(2024, 3, 31, 0, 50, tzinfo=UTC)
    assert activity.elapsed_s == 20 * 60


def test_a_tcx_without_heart_rate_has_unknown_heart_rate() -> None:
    plain = read_activity(ACTIVITIES / "tcx" / "no_hr.tcx").activity
    with_hr = read_activity(ACTIVITIES / "tcx" / "test.tcx").activity
    assert plain.avg_hr_bpm is None and plain.samples.hr_bpm is None
    assert with_hr.avg_hr_bpm is not None and with_hr.max_hr_bpm is not None
    assert plain.distance_m == with_hr.distance_m
    assert with_hr.laps[0].avg_hr_bpm == 139
    assert sum(lap.distance_m or 0 for lap in with_hr.laps) == pytest.approx(
        with_hr.distance_m, rel=0.02
    )


def test_a_file_that_is_no_activity_format_is_refused() -> None:
    with pytest.raises(ImportFileError, match="not a FIT, GPX or TCX"):
        read_activity(b"hello, world", "notes.txt")


def test_a_gzipped_fit_file_reads_like_the_original() -> None:
    plain = read_activity(FENIX2).activity
    packed = read_activity(gzip.compress(FENIX2.read_bytes()), "run.fit.gz").activity
    assert repr(packed) == repr(plain)  # repr, not ==: each missing reading is its own NaN


def _export_zip(tmp_path: Path) -> Path:
    """A Strava-style export with a Garmin-style zip inside it, and one broken member."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.write(ACTIVITIES / "fit" / "garmin-fenix-5-run.fit", "UploadedFiles/fenix5.fit")
    export = tmp_path / "export.zip"
    with zipfile.ZipFile(export, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("activities/1.fit.gz", gzip.compress(FENIX2.read_bytes()))
        z.write(ACTIVITIES / "gpx" / "derived-fenix2-run.gpx", "activities/2.gpx")
        z.writestr("activities/3.tcx.gz", gzip.compress((ACTIVITIES / "tcx/test.tcx").read_bytes()))
        z.writestr("activities/4.fit", FENIX2.read_bytes()[:60])  # nothing readable in it
        z.writestr("activities.csv", "id,name\n1,Morning run\n")
        z.writestr("DI_CONNECT/uploads.zip", inner.getvalue())
    return export


def test_a_zipped_export_imports_every_activity_and_fails_the_broken_one_alone(
    tmp_path: Path,
) -> None:
    members = list(iter_activity_files(_export_zip(tmp_path)))
    names = [path.removeprefix(str(tmp_path) + "/") for path, _ in members]
    assert names == [
        "export.zip/DI_CONNECT/uploads.zip/UploadedFiles/fenix5.fit",
        "export.zip/activities/1.fit.gz",
        "export.zip/activities/2.gpx",
        "export.zip/activities/3.tcx.gz",
        "export.zip/activities/4.fit",
    ]
    outcomes = dict(read_activities(members))
    failed = {p for p, o in outcomes.items() if isinstance(o, ImportFileError)}
    assert failed == {str(tmp_path / "export.zip/activities/4.fit")}
    sports = {o.activity.sport for o in outcomes.values() if not isinstance(o, ImportFileError)}
    assert sports == {"running"}


def test_reading_on_two_processes_gives_what_one_gives(tmp_path: Path) -> None:
    members = list(iter_activity_files(_export_zip(tmp_path)))
    one = list(read_activities(members, processes=1))
    two = list(read_activities(members, processes=2))
    assert [p for p, _ in one] == [p for p, _ in two]
    for (_, a), (_, b) in zip(one, two, strict=True):
        if isinstance(a, ImportFileError):
            assert isinstance(b, ImportFileError) and (a.offset, a.message) == (b.offset, b.message)
        else:
            # repr, not ==: a NaN reading is unequal to itself once pickled across processes
            assert not isinstance(b, ImportFileError) and repr(a.activity) == repr(b.activity)


def test_a_folder_is_walked_for_activity_files(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "run.gpx").write_bytes(
        (ACTIVITIES / "gpx/derived-fenix2-run.gpx").read_bytes()
    )
    (tmp_path / "readme.txt").write_text("not an activity")
    assert [Path(p).name for p, _ in iter_activity_files(tmp_path)] == ["run.gpx"]


def test_a_corrupt_zip_member_fails_alone(tmp_path: Path) -> None:
    export = tmp_path / "bad.zip"
    with zipfile.ZipFile(export, "w") as z:
        z.writestr("a.fit.gz", b"\x1f\x8b not really gzip")
        z.write(FENIX2, "b.fit")
    outcomes = list(read_activities(iter_activity_files(export)))
    assert isinstance(outcomes[0][1], ImportFileError)
    assert not isinstance(outcomes[1][1], ImportFileError)


def test_a_file_that_trips_an_assert_inside_fitdecode_fails_alone() -> None:
    # Found by atheris (make fuzz): a malformed chunk size hits a bare assert in fitdecode.
    data = (
        Path(__file__).with_name("fixtures") / "fitdecode-bare-assert-on-chunk-size.fit"
    ).read_bytes()
    with pytest.raises(ImportFileError, match="damaged"):
        read_activity(data, "assert.fit")


def test_a_file_fitfast_would_panic_on_goes_to_fitdecode_without_panic_text(
    capfd: pytest.CaptureFixture[str],
) -> None:
    # The Fenix 2 run with one field definition given a base type the FIT protocol does not
    # define (and its CRC made right): fitfast 0.1.0 panics on it (a remainder by zero) and
    # prints the panic; fitdecode reads it.
    damaged = Path(__file__).with_name("fixtures") / "fitfast-panics-on-unknown-base-type.fit"
    result = read_activity(damaged)
    assert result.decoder == "fitdecode"
    assert len(result.activity.samples) == 2809
    assert "panicked" not in capfd.readouterr().err


def test_a_decoder_error_reaches_the_user_as_a_plain_sentence() -> None:
    data = bytearray(FENIX2.read_bytes())
    data[15] = 0xFF  # the first definition's reserved byte: still a FIT file, broken inside
    with pytest.raises(ImportFileError) as caught:
        read_activity(bytes(data[:40]), "broken.fit")
    message = caught.value.message
    assert "broken.fit" in message and "None" not in message and "Error" not in message


def test_a_pool_swim_without_timed_records_is_a_swim_with_its_sessions_distance_and_time() -> None:
    from milepost.adapters.importers.fit import _build

    start_fit_s = 1_000_000_000.0  # FIT seconds: 2021-09-08
    result = _build(
        "pool.fit",
        {},  # length messages only: no record carries a timestamp
        [
            {
                "sport": 5.0,
                "start_time": start_fit_s,
                "total_elapsed_time": 1_850.0,
                "total_distance": 1_500.0,
            }
        ],
        [],
        {"type": 4.0},
        [],
        "fitfast",
        [],
    )
    swim = result.activity
    assert swim.sport == "swimming"
    assert swim.start == datetime.fromtimestamp(start_fit_s + FIT_EPOCH_S, UTC)
    assert (swim.distance_m, swim.elapsed_s) == (1_500.0, 1_850.0)


def test_a_gpx_of_1970_zero_times_is_dated_by_its_own_file_time_with_a_warning() -> None:
    points = "".join(
        f'<trkpt lat="{46 + i * 1e-4:.4f}" lon="14.0"><time>1970-01-01T00:00:00Z</time></trkpt>'
        for i in range(20)
    )
    data = (
        '<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><metadata>'
        "<time>2024-03-02T08:00:00Z</time></metadata>"
        f"<trk><type>running</type><trkseg>{points}</trkseg></trk></gpx>"
    ).encode()
    result = read_activity(data, "zero-times.gpx")
    assert result.activity.start == datetime(2024, 3, 2, 8, tzinfo=UTC)
    assert result.activity.elapsed_s is None
    assert any("1970-01-01" in w and "cannot be right" in w for w in result.warnings)
