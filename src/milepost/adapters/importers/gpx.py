"""GPX tracks (1.0 and 1.1, with Garmin's TrackPointExtension for heart rate and cadence).

A namespace-agnostic pass over the points (see ``safe_xml`` for why not gpxpy). Segments are joined
without adding the distance between them: a new segment is a pause in the recording.
A file with only a route or waypoints is a course, not something run, and is refused.
"""

from __future__ import annotations

import math
from datetime import datetime

from milepost.adapters.importers.result import ImportResult
from milepost.adapters.importers.safe_xml import (
    children,
    first,
    iter_elements,
    local_name,
    number,
    parse_time,
)
from milepost.domain.activity import FOOT_SPORTS, haversine_m, make_samples, summarise
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


def sport_from_text(text: str | None) -> str | None:
    if not text:
        return None
    lowered = text.lower()
    return next((sport for word, sport in _SPORT_WORDS if word in lowered), "other")


def read_gpx(data: bytes, path: str) -> ImportResult:
    times: list[float | None] = []
    lats: list[float | None] = []
    lons: list[float | None] = []
    alts: list[float | None] = []
    hrs: list[float | None] = []
    cads: list[float | None] = []
    distances: list[float] = []
    total_m = 0.0
    previous: tuple[float, float] | None = None
    segment_starts = 0
    routes = waypoints = 0
    track_type: str | None = None
    file_time: datetime | None = None
    creator: str | None = None
    for element in iter_elements(data, path):
        name = local_name(element.tag)
        if name == "trkpt":
            lat, lon = element.get("lat"), element.get("lon")
            point = children(element)
            moment = parse_time(point["time"].text) if "time" in point else None
            la = float(lat) if lat is not None else math.nan
            lo = float(lon) if lon is not None else math.nan
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
            element.clear()
        elif name == "trkseg":
            previous = None  # no distance across the break between segments
            segment_starts += 1
        elif name == "rtept":
            routes += 1
        elif name == "wpt":
            waypoints += 1
            element.clear()
        elif name == "type" and track_type is None:
            track_type = element.text
        elif name == "time" and file_time is None:
            file_time = parse_time(element.text)  # metadata time (GPX 1.1) or top-level (1.0)
        elif name == "gpx":
            creator = element.get("creator")
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
    warnings: list[str] = []
    sport = sport_from_text(track_type)
    if sport is None:
        sport = "running"
        warnings.append("the file does not say which sport: taken as running")
    timed = sum(t is not None for t in times)
    # A few stray times on a drawn track do not make it a recording: trust times only when most
    # points carry one (then the odd point without is dropped, its distance kept).
    has_times = timed * 2 > len(times)
    if not has_times:
        if file_time is None:
            raise ImportFileError(
                f"{path} has no times at all: it cannot be placed in the log", path=path
            )
        warnings.append("the track has no times: distance only, dated by the file's own time")
    elif timed < len(times):
        warnings.append(f"{len(times) - timed} points without a time were left out")
    if sport in FOOT_SPORTS and any(c is not None for c in cads):
        # Garmin's TrackPointExtension counts one foot, as FIT does; a runner counts steps.
        cads = [None if c is None else 2.0 * c for c in cads]
    samples = make_samples(
        time_s=times if has_times else None,
        distance_m=distances,
        lat_deg=lats,
        lon_deg=lons,
        altitude_m=alts,
        hr_bpm=hrs,
        cadence_spm=cads,
    )
    activity = summarise(samples, sport=sport, source_format="gpx", device=creator, start=file_time)
    return ImportResult(activity=activity, path=path, warnings=warnings, decoder="xml")
