"""GPX tracks (1.0 and 1.1, with Garmin's TrackPointExtension for heart rate and cadence).

A namespace-agnostic pass over the points (see ``safe_xml`` for why not gpxpy). Segments are joined
without adding the distance between them: a new segment is a pause in the recording.
A file with only a route or waypoints is a course, not something run, and is refused.

What GPX files get wrong, and what is done about it (``checks`` holds the limits):

* The sport is the track's own ``<type>`` — not the first ``<type>`` in the file, which may be a
  waypoint's or a link's. Strava writes numbers there (1 ride, 9 run…). A track without a type
  is judged by its speed, so a drive is never taken for a run.
* Logger and collection files hold days to months of tracks: they are split into activities
  wherever the recording pauses for more than ``checks.SEPARATE_AFTER_S``.
* Times that cannot be right (GPSBabel's 1901-12-13, a zero time read as 1970) are not used: the
  track is dated by the file's own time, without a duration, or refused when there is none.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import replace
from datetime import datetime
from xml.etree.ElementTree import Element

import numpy as np

from milepost.adapters.importers.checks import (
    EARLIEST_S,
    LATEST_S,
    MAX_POINTS,
    SEPARATE_AFTER_S,
    checked_samples,
    describe_date,
    device_label,
    final_check,
    infer_sport,
    too_many_points,
)
from milepost.adapters.importers.result import ImportResult, one_result
from milepost.adapters.importers.safe_xml import (
    children,
    first,
    iter_elements,
    local_name,
    number,
    parse_time,
)
from milepost.domain.activity import FOOT_SPORTS, Activity, haversine_m, summarise
from milepost.errors import ImportFileError

_SPORT_WORDS = (
    ("run", "running"),
    ("jog", "running"),
    ("walk", "walking"),
    ("hik", "hiking"),
    ("ride", "cycling"),
    ("cycl", "cycling"),
    ("bik", "cycling"),
    ("swim", "swimming"),
)
# Strava's GPX exports write its activity type as a number (its upload API's type ids).
STRAVA_TYPES: dict[str, str] = {
    "1": "cycling",  # Ride
    "4": "hiking",  # Hike
    "9": "running",  # Run
    "10": "walking",  # Walk
    "16": "swimming",  # Swim
    "17": "cycling",  # VirtualRide
    "23": "rowing",  # Rowing
}


def sport_from_text(text: str | None) -> str | None:
    """A sport from a file's words for it (``None`` when the file says nothing)."""
    if not text or not text.strip():
        return None
    cleaned = text.strip()
    if cleaned.isdigit():
        return STRAVA_TYPES.get(cleaned, "other")
    lowered = cleaned.lower()
    return next((sport for word, sport in _SPORT_WORDS if word in lowered), "other")


def _own_child_text(element: Element, name: str) -> str | None:
    return next((c.text for c in element if local_name(c.tag) == name), None)


def read_gpx(data: bytes, path: str) -> ImportResult:
    times: list[float | None] = []
    lats: list[float | None] = []
    lons: list[float | None] = []
    alts: list[float | None] = []
    hrs: list[float | None] = []
    cads: list[float | None] = []
    distances: list[float] = []
    tracks: list[int] = []  # the track each point belongs to
    track_types: list[str | None] = []
    total_m = 0.0
    previous: tuple[float, float] | None = None
    routes = waypoints = 0
    file_time: datetime | None = None
    creator: str | None = None
    for element in iter_elements(data, path):
        name = local_name(element.tag)
        if name == "trkpt":
            lat, lon = element.get("lat"), element.get("lon")
            point = children(element)
            moment = parse_time(point["time"].text) if "time" in point else None
            la = _coordinate(lat)
            lo = _coordinate(lon)
            if previous is not None and math.isfinite(la) and math.isfinite(lo):
                total_m += haversine_m(previous[0], previous[1], la, lo)
            if math.isfinite(la) and math.isfinite(lo):
                previous = (la, lo)
            times.append(moment.timestamp() if moment else None)
            lats.append(la)
            lons.append(lo)
            alts.append(number(point.get("ele")))
            hrs.append(number(first(point, "hr", "heartrate")))
            cads.append(number(first(point, "cad", "cadence")))
            distances.append(total_m)
            tracks.append(len(track_types))
            element.clear()
            if len(distances) > MAX_POINTS:
                raise too_many_points(path, MAX_POINTS)
        elif name == "trkseg":
            previous = None  # no distance across the break between segments
        elif name == "trk":
            track_types.append(_own_child_text(element, "type"))
            previous = None
            element.clear()
        elif name == "rtept":
            routes += 1
        elif name == "wpt":
            waypoints += 1
            element.clear()
        elif name == "metadata":  # GPX 1.1: <metadata><time>
            file_time = file_time or parse_time(_own_child_text(element, "time"))
        elif name == "gpx":
            creator = element.get("creator")
            file_time = file_time or parse_time(_own_child_text(element, "time"))  # GPX 1.0
    if not distances:
        what = (
            "a route (a planned course)"
            if routes
            else "only waypoints"
            if waypoints
            else "no points"
        )
        raise ImportFileError(
            f"{path} holds {what}, not a recorded track", path=path, hint="import the run itself"
        )
    track_types.append(None)  # points after the last closed track (a file cut short)
    warnings: list[str] = []
    plausible = [t if t is not None and EARLIEST_S <= t < LATEST_S else None for t in times]
    timed = sum(t is not None for t in plausible)
    stamped = sum(t is not None for t in times)
    distinct = len({t for t in plausible if t is not None})
    # A few stray times on a drawn track do not make it a recording: trust times only when most
    # points carry one (then the odd point without is dropped, its distance kept).
    has_times = timed * 2 > len(times) and (distinct > 1 or len(times) < 3)
    if not has_times:
        if stamped * 2 > len(times):
            bad = next(t for t in times if t is not None)
            why = (
                f"every point is dated {describe_date(bad)}"
                if timed < stamped
                else "every point has the same time"
            )
            warnings.append(
                f"{why}, which cannot be right (GPSBabel writes 1901-12-13 for a time it does "
                "not know): the track was read without its times"
            )
        if file_time is None or not EARLIEST_S <= file_time.timestamp() < LATEST_S:
            raise ImportFileError(
                f"{path} has no times it can be placed by in the log",
                path=path,
                hint="export the activity again from the watch's or app's own site",
            )
        warnings.append("the track has no times: distance only, dated by the file's own time")
    elif timed < len(times):
        left_out = len(times) - timed
        warnings.append(
            f"{left_out} point{' was' if left_out == 1 else 's were'} without a usable time: "
            "left out"
        )
    parts = _parts(plausible) if has_times else [(0, len(times))]
    if len(parts) > 1:
        warnings.append(
            f"the file holds {len(parts)} recordings separated by long pauses: each is imported "
            "as its own activity"
        )
    results: list[ImportResult] = []
    errors: list[ImportFileError] = []
    for start, stop in parts:
        try:
            results.append(
                _part(
                    path,
                    slice(start, stop),
                    plausible if has_times else None,
                    distances,
                    lats,
                    lons,
                    alts,
                    hrs,
                    cads,
                    track_types[tracks[start]],
                    device_label(creator),
                    file_time,
                    list(warnings) if not results else [],
                )
            )
        except ImportFileError as error:
            errors.append(error)
    if not results:
        raise errors[0]
    if errors:
        results[0].warnings.append(
            f"{len(errors)} short piece{'' if len(errors) == 1 else 's'} between the recordings "
            "(a point or two, or no time between them) were left out"
        )
    return one_result(results)


def _coordinate(text: str | None) -> float:
    try:
        return float(text) if text is not None else math.nan
    except ValueError:
        return math.nan


def _parts(times: list[float | None]) -> list[tuple[int, int]]:
    """``[start, stop)`` ranges of the points, split where the recording pauses for longer than
    ``SEPARATE_AFTER_S`` (or jumps back by as much): one per activity in a collection."""
    index = [i for i, t in enumerate(times) if t is not None]
    stamps = np.asarray([times[i] for i in index], dtype=np.float64)
    cuts = [index[k + 1] for k in np.nonzero(np.abs(np.diff(stamps)) > SEPARATE_AFTER_S)[0]]
    bounds = [0, *cuts, len(times)]
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]


def _part(
    path: str,
    rows: slice,
    times: list[float | None] | None,
    distances: list[float],
    lats: list[float | None],
    lons: list[float | None],
    alts: list[float | None],
    hrs: list[float | None],
    cads: list[float | None],
    track_type: str | None,
    creator: str | None,
    file_time: datetime | None,
    warnings: list[str],
) -> ImportResult:
    sport = sport_from_text(track_type)
    base = distances[rows][0] if distances[rows] else 0.0

    def build(sport: str | None, notes: list[str]) -> Activity:
        cadence = cads[rows]
        if sport in FOOT_SPORTS and any(c is not None for c in cadence):
            # Garmin's TrackPointExtension counts one foot, as FIT does; a runner counts steps.
            cadence = [None if c is None else 2.0 * c for c in cadence]
        samples = checked_samples(
            notes,
            time_s=times[rows] if times is not None else None,
            distance_m=[d - base for d in distances[rows]],
            lat_deg=lats[rows],
            lon_deg=lons[rows],
            altitude_m=alts[rows],
            hr_bpm=hrs[rows],
            cadence_spm=cadence,
        )
        return summarise(
            samples, sport=sport or "other", source_format="gpx", device=creator, start=file_time
        )

    notes = list(warnings)
    activity = build(sport, notes)
    if sport is None:
        inferred = infer_sport(activity)
        if inferred is None:
            notes.append("the file says neither the sport nor the speed: stored as 'other'")
        else:
            if inferred[0] in FOOT_SPORTS and activity.avg_cadence_spm is not None:
                notes = list(warnings)
                activity = build(inferred[0], notes)
            activity = replace(activity, sport=inferred[0])
            notes.append(inferred[1])
    final_check(activity, path, notes)
    return ImportResult(activity=activity, path=path, warnings=notes, decoder="xml")
