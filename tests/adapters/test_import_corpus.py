"""Every file of the import corpus (tests/adapters/corpus, sources in SOURCES.md) against an
independent reader: fitdecode for FIT, gpxpy for GPX, a plain ElementTree pass for TCX.

Each activity's start must agree within 60 s, its distance within 2 % and its elapsed time within
max(60 s, 2 %). No activity may be dated before 1995 or after 2030, or last more than two days,
without a warning; every refusal is one plain sentence.
"""

from __future__ import annotations

import itertools
import math
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

import fitdecode
import gpxpy
import pytest

from milepost.adapters.importers import ImportResult, read_activity
from milepost.errors import ImportFileError

CORPUS = Path(__file__).with_name("corpus")
FILES = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".fit", ".gpx", ".tcx"))
SEPARATE_AFTER_S = 3 * 3600  # what the importer splits collections at (checks.SEPARATE_AFTER_S)

# Files that are not activities, or hold nothing that can be placed in a log: refused, in words.
REFUSED = {
    "Settings.fit": "settings file",
    "MonitoringFile.fit": "monitoring file",
    "WorkoutIndividualSteps.fit": "workout file",
    "route.gpx": "route",
    "trek.gpx": "route",
    "wpt.gpx": "only waypoints",
    "unicode_with_bom.gpx": "only waypoints",
    "empty_trk.gpx": "no points",
    "unique_trkpt.gpx": "only 1 point",
    "empty_ele.gpx": "only 2 points",
    "track-with-less-sec-time.gpx": "only 2 points",
    "gpx1.1_with_all_fields.gpx": "only 1 point",
    "gdal.gpx": "no times",
    "style.gpx": "no times",
    "track-with-small-floats.gpx": "no times",
    "derived-course.tcx": "course",
}


@dataclass(frozen=True)
class Expected:
    start: datetime
    elapsed_s: float | None
    distance_m: float | None
    sport: str | None = None  # None: the file does not say (the importer infers it)


def _fit_sport(names: list[str]) -> str | None:
    sports = [s for s in dict.fromkeys(names) if s != "transition"]
    if not sports:
        return None
    if len(sports) > 1:
        return "multisport"
    return "other" if sports[0] == "generic" else sports[0]


def fit_oracle(path: Path) -> list[Expected]:
    """fitdecode's sessions (or, without them, its records), read up to any damage."""
    sessions: list[dict[str, object]] = []
    stamps: list[float] = []
    distances: list[float] = []
    shift = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with fitdecode.FitReader(str(path), check_crc=fitdecode.CrcCheck.DISABLED) as reader:
                for frame in reader:
                    if not isinstance(frame, fitdecode.FitDataMessage):
                        continue
                    if frame.name == "record" and frame.has_field("timestamp"):
                        value = frame.get_value("timestamp")
                        stamps.append(
                            value.timestamp()
                            if isinstance(value, datetime)
                            else float(value) + 631065600
                        )
                        if frame.get_value("distance", fallback=None) is not None:
                            distances.append(float(frame.get_value("distance")))
                    elif frame.name == "session":
                        sessions.append({f.name: f.value for f in frame.fields})
                    elif frame.name == "activity" and frame.has_field("local_timestamp"):
                        local, utc = (
                            frame.get_raw_value("local_timestamp"),
                            frame.get_raw_value("timestamp"),
                        )
                        if utc is not None and utc < 0x10000000:  # system time: the local clock
                            shift = float(local - utc)
        except fitdecode.FitError:
            pass  # what was read before the damage is what the importer must keep
    # Strays: the records apart from the bulk by more than the split gap are not the activity.
    stamps = [t + shift for t in sorted(stamps) if 631065600 <= t + shift < 4102444800]
    starts = [s["start_time"] for s in sessions if isinstance(s.get("start_time"), datetime)]
    if starts:
        first = min(s.timestamp() for s in starts if isinstance(s, datetime))
        ends = [
            s["start_time"].timestamp() + float(s["total_elapsed_time"])  # type: ignore[attr-defined,arg-type]
            for s in sessions
            if isinstance(s.get("start_time"), datetime) and s.get("total_elapsed_time")
        ]
        totals = [float(s["total_distance"]) for s in sessions if s.get("total_distance")]  # type: ignore[arg-type]
        elapsed = max(ends) - first if ends else None
        distance = sum(totals) if totals else (max(distances) if distances else None)
        sport = _fit_sport([str(s.get("sport")) for s in sessions])
        return [Expected(datetime.fromtimestamp(first, UTC), elapsed, distance, sport)]
    keep = _bulk(stamps)
    return [
        Expected(
            datetime.fromtimestamp(keep[0], UTC),
            keep[-1] - keep[0],
            max(distances) if distances else None,
        )
    ]


def _bulk(stamps: list[float]) -> list[float]:
    parts: list[list[float]] = [[stamps[0]]]
    for t in stamps[1:]:
        if t - parts[-1][-1] > SEPARATE_AFTER_S:
            parts.append([])
        parts[-1].append(t)
    return max(parts, key=len)


STRAVA = {"1": "cycling", "9": "running"}


def gpx_oracle(path: Path) -> list[Expected]:
    """gpxpy's points, split where the recording pauses for hours; distance point to point
    within each segment (gpxpy's own distance)."""
    gpx = gpxpy.parse(path.read_text(encoding="utf-8-sig"))
    points: list[tuple[int, gpxpy.gpx.GPXTrackPoint, str | None]] = []
    for track in gpx.tracks:
        for segment in track.segments:
            for point in segment.points:
                points.append((id(segment), point, track.type))
    timed = [p for p in points if p[1].time is not None and 1990 <= p[1].time.year < 2100]
    if len(timed) * 2 <= len(points) or len({p[1].time for p in timed}) < 2:
        assert gpx.time is not None
        return [Expected(gpx.time.astimezone(UTC), None, _length(points))]
    parts: list[list[tuple[int, gpxpy.gpx.GPXTrackPoint, str | None]]] = [[]]
    last: datetime | None = None
    for entry in points:
        moment = entry[1].time
        usable = moment is not None and 1990 <= moment.year < 2100
        if usable and last is not None and abs((moment - last).total_seconds()) > SEPARATE_AFTER_S:  # type: ignore[operator]
            parts.append([])
        parts[-1].append(entry)
        last = moment if usable else last
    out = []
    for part in parts:
        times = [p[1].time for p in part if p[1].time is not None and 1990 <= p[1].time.year < 2100]
        if len(times) < 3:
            continue  # a fragment the importer leaves out (and says so)
        kind = part[0][2]
        sport = STRAVA.get(kind.strip()) if kind and kind.strip().isdigit() else None
        if kind and not kind.strip().isdigit() and "run" in kind.lower():
            sport = "running"
        out.append(
            Expected(
                min(times).astimezone(UTC),
                (max(times) - min(times)).total_seconds(),
                _length(part),
                sport,
            )
        )
    return out


def _length(points: list[tuple[int, gpxpy.gpx.GPXTrackPoint, str | None]]) -> float:
    total = 0.0
    for (seg_a, a, _), (seg_b, b, _) in itertools.pairwise(points):
        if seg_a == seg_b:
            total += a.distance_2d(b) or 0.0
    return total


def tcx_oracle(path: Path) -> list[Expected]:
    """A plain ElementTree pass: each Activity's trackpoint times and largest distance."""
    ns = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"
    out = []
    for activity in ElementTree.parse(path).getroot().iter(f"{ns}Activity"):
        times = sorted(
            datetime.fromisoformat(t.text.replace("Z", "+00:00"))  # type: ignore[union-attr]
            for t in activity.iter(f"{ns}Time")
        )
        distances = [float(d.text) for d in activity.iter(f"{ns}DistanceMeters") if d.text]
        sport = {"Running": "running", "Biking": "cycling"}.get(activity.get("Sport") or "")
        out.append(
            Expected(
                times[0],
                (times[-1] - times[0]).total_seconds(),
                max(distances, default=None),
                sport,
            )
        )
    return out


def oracle(path: Path) -> list[Expected]:
    return {".fit": fit_oracle, ".gpx": gpx_oracle, ".tcx": tcx_oracle}[path.suffix](path)


def _imported(path: Path) -> ImportResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_activity(path)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_corpus_file_reads_as_an_independent_reader_reads_it(path: Path) -> None:
    if path.name in REFUSED:
        with pytest.raises(ImportFileError) as caught:
            _imported(path)
        assert REFUSED[path.name] in caught.value.message
        return
    results = _imported(path).results
    expected = oracle(path)
    assert len(results) == len(expected)
    for result, want in zip(results, expected, strict=True):
        got = result.activity
        assert abs((got.start - want.start).total_seconds()) <= 60, (got.start, want.start)
        if want.distance_m:
            assert got.distance_m == pytest.approx(want.distance_m, rel=0.02, abs=1.0)
        if want.elapsed_s is not None and got.elapsed_s is not None:
            assert got.elapsed_s == pytest.approx(
                want.elapsed_s, abs=max(60, 0.02 * want.elapsed_s)
            )
        else:
            assert got.elapsed_s is None or want.elapsed_s is None
        if want.sport is not None:
            assert got.sport == want.sport


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_corpus_activity_is_odd_without_a_warning_and_no_refusal_is_gibberish(
    path: Path,
) -> None:
    try:
        results = _imported(path).results
    except ImportFileError as error:
        message = error.message
        assert "\n" not in message and "None" not in message and "Traceback" not in message
        assert " type " not in message  # not "a FIT file of type 2.0"
        return
    for result in results:
        activity = result.activity
        if not 1995 <= activity.start.year <= 2030:
            assert any("dated" in w for w in result.warnings)
        if activity.elapsed_s is not None and activity.elapsed_s > 2 * 86400:
            assert any("lasts" in w for w in result.warnings)
        assert activity.elapsed_s is None or math.isfinite(activity.elapsed_s)


def _one(name: str) -> ImportResult:
    return _imported(next(p for p in FILES if p.name == name))


def test_a_triathlon_is_one_multisport_activity_with_its_legs() -> None:
    triathlon = _one("sample_mulitple_header.fit").activity
    assert triathlon.sport == "multisport"
    assert [leg.sport for leg in triathlon.legs] == [
        "swimming",
        "transition",
        "cycling",
        "transition",
        "running",
    ]
    assert triathlon.distance_m == pytest.approx(52_534, abs=5)


def test_a_multisport_file_whose_record_distance_restarts_each_leg_keeps_every_leg() -> None:
    event = _one("activity-large-fenxi2-multisport.fit").activity
    # the records' largest distance is only the last (cycling) leg's 28.9 km
    assert event.distance_m == pytest.approx(sum(leg.distance_m or 0 for leg in event.legs))
    assert event.distance_m > 60_000  # type: ignore[operator]
    running = sum(leg.distance_m or 0 for leg in event.legs if leg.sport == "running")
    assert running == pytest.approx(14_985.6, abs=1)


def test_two_activities_in_one_tcx_are_two_activities_not_an_eight_day_run() -> None:
    results = _one("derived-two-activities.tcx").results
    assert [r.activity.sport for r in results] == ["running", "cycling"]
    assert all(r.activity.elapsed_s < 3600 for r in results)  # type: ignore[operator]


def test_a_collection_gpx_is_split_into_its_activities() -> None:
    results = _one("multitrackgpx.gpx").results
    assert len(results) == 3
    assert all(r.activity.elapsed_s < 86_400 for r in results)  # type: ignore[operator]
    assert any("3 recordings" in w for w in results[0].warnings)


def test_gpsbabel_1901_dates_give_way_to_the_files_own_time() -> None:
    result = _one("Mojstrovka.gpx")
    assert result.activity.start == datetime(2010, 12, 14, 6, 17, 4, tzinfo=UTC)
    assert result.activity.elapsed_s is None
    assert any("1901-12-13" in w for w in result.warnings)


def test_a_drive_without_a_type_is_never_a_run() -> None:
    result = _one("around-visnjan-with-car.gpx")
    assert result.activity.sport not in ("running", "walking")
    assert any("km/h" in w for w in result.warnings)


def test_the_sport_is_the_tracks_own_type_and_strava_numbers_mean_sports() -> None:
    assert _one("derived-strava-type-9-after-waypoint.gpx").activity.sport == "running"
    assert _one("derived-strava-type-1.gpx").activity.sport == "cycling"


def test_a_pool_swim_takes_its_time_from_the_session() -> None:
    swim = _one("activity_poolswim_with_hr.fit").activity
    assert swim.sport == "swimming"
    assert swim.distance_m == pytest.approx(1700)


def test_a_stray_record_decades_away_does_not_stretch_the_activity() -> None:
    result = _one("strava-android-app-201.10-b1218918.fit")
    assert result.activity.elapsed_s < 7200  # type: ignore[operator]
    assert any("2085" in w for w in result.warnings)
