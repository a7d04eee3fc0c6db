"""Garmin Training Center (TCX) activities, read trackpoint by trackpoint.

Each trackpoint's fields are taken from that trackpoint's own subtree, so a point without heart
rate stays without it (python-tcxparser collects each field across the file and then zips the
lists, which shifts fields between points when one is missing).

A file can hold several ``<Activity>`` elements: each is its own activity. A file of
``<Course>`` elements is a planned route, not something done, and is refused as GPX routes are.
The laps' own start, time and distance are used where they agree with the trackpoints.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from milepost.adapters.importers.checks import (
    FASTEST_M_S,
    MAX_POINTS,
    checked_samples,
    device_label,
    final_check,
    plausible_times,
    too_many_points,
)
from milepost.adapters.importers.gpx import sport_from_text
from milepost.adapters.importers.result import ImportResult, one_result
from milepost.adapters.importers.safe_xml import (
    children,
    first,
    iter_elements,
    local_name,
    number,
    parse_time,
)
from milepost.domain.activity import FOOT_SPORTS, Activity, Lap, summarise, with_totals
from milepost.errors import ImportFileError


def _value(found: dict[str, Element], name: str) -> float | None:
    """``<HeartRateBpm><Value>139</Value></HeartRateBpm>``: the number inside ``name``."""
    element = found.get(name)
    if element is None:
        return None
    inner = children(element)
    return number(inner.get("Value"))


@dataclass
class _Points:
    times: list[float | None] = field(default_factory=list)
    lats: list[float | None] = field(default_factory=list)
    lons: list[float | None] = field(default_factory=list)
    alts: list[float | None] = field(default_factory=list)
    dists: list[float | None] = field(default_factory=list)
    hrs: list[float | None] = field(default_factory=list)
    cads: list[float | None] = field(default_factory=list)
    speeds: list[float | None] = field(default_factory=list)
    laps: list[Lap] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_tcx(data: bytes, path: str) -> ImportResult:
    current = _Points()
    found: list[tuple[str | None, _Points]] = []
    courses = n_points = 0
    creator: str | None = None
    for element in iter_elements(data, path):
        name = local_name(element.tag)
        if name == "Trackpoint":
            point = children(element)
            moment = parse_time(point["Time"].text) if "Time" in point else None
            current.times.append(moment.timestamp() if moment else None)
            current.lats.append(number(point.get("LatitudeDegrees")))
            current.lons.append(number(point.get("LongitudeDegrees")))
            current.alts.append(number(point.get("AltitudeMeters")))
            current.dists.append(number(point.get("DistanceMeters")))
            current.hrs.append(_value(point, "HeartRateBpm"))
            current.cads.append(number(first(point, "RunCadence", "Cadence")))
            current.speeds.append(number(point.get("Speed")))
            element.clear()
            n_points += 1
            if n_points > MAX_POINTS:
                raise too_many_points(path, MAX_POINTS)
        elif name == "Lap":
            lap = _lap(element, len(current.laps) + 1, current.warnings)
            if lap is not None:
                current.laps.append(lap)
            element.clear()
        elif name == "Activity":
            found.append((element.get("Sport"), current))
            current = _Points()
            element.clear()
        elif name == "Course":
            courses += 1
            current = _Points()  # a course's points are a plan, not a recording
            element.clear()
        elif name == "Creator" and creator is None:
            creator = next((c.text for c in element if local_name(c.tag) == "Name"), None)
    if not found and courses:
        raise ImportFileError(
            f"{path} is a course (a planned route), not a recorded activity",
            path=path,
            hint="import the activity you ran on it",
        )
    if not any(points.times for _, points in found):
        raise ImportFileError(f"{path} holds no trackpoints: nothing was recorded", path=path)
    results: list[ImportResult] = []
    errors: list[ImportFileError] = []
    for sport_text, points in found:
        if not points.times:
            continue
        try:
            results.append(_activity(path, sport_text, points, device_label(creator)))
        except ImportFileError as error:
            errors.append(error)
    if not results:
        raise errors[0]
    if len(found) > 1:
        results[0].warnings.append(
            f"the file holds {len(found)} activities: each is imported on its own"
        )
    return one_result(results)


def _activity(
    path: str, sport_text: str | None, points: _Points, device: str | None
) -> ImportResult:
    sport = sport_from_text(sport_text) or "running"
    times = plausible_times(points.times)
    if not any(t is not None for t in times):
        raise ImportFileError(
            f"{path} has no usable times: it cannot be placed in the log", path=path
        )
    cads = points.cads
    if sport in FOOT_SPORTS:
        # Garmin's TCX run cadence counts one foot (strides per minute); a runner counts steps.
        cads = [None if c is None else 2.0 * c for c in cads]
    warnings = points.warnings
    samples = checked_samples(
        warnings,
        time_s=times,
        distance_m=points.dists if any(d is not None for d in points.dists) else None,
        lat_deg=points.lats,
        lon_deg=points.lons,
        altitude_m=points.alts,
        hr_bpm=points.hrs,
        cadence_spm=cads,
        speed_m_s=points.speeds,
    )
    activity = summarise(samples, sport=sport, source_format="tcx", laps=points.laps, device=device)
    activity = _lap_totals(activity, warnings)
    final_check(activity, path, warnings)
    return ImportResult(activity=activity, path=path, warnings=warnings, decoder="xml")


def _lap_totals(activity: Activity, warnings: list[str]) -> Activity:
    """The laps' start, time and distance, where they agree with the trackpoints."""
    laps = activity.laps
    if not laps:
        return activity
    start = laps[0].start
    if abs((start - activity.start).total_seconds()) > 3_600:
        warnings.append(
            f"the laps start at {start:%Y-%m-%d %H:%M} but the trackpoints at "
            f"{activity.start:%Y-%m-%d %H:%M}: the trackpoints' time is used"
        )
        return activity
    span = (laps[-1].start - start).total_seconds() + laps[-1].elapsed_s
    recorded = activity.elapsed_s
    use_span = span > 0 and (recorded is None or recorded / 2 - 60 <= span <= 2 * recorded + 3600)
    distances = [lap.distance_m for lap in laps]
    total = (
        sum(d for d in distances if d is not None)
        if all(d is not None for d in distances)
        else None
    )
    if total is not None and (total <= 0 or total > FASTEST_M_S * max(span, 1.0)):
        total = None
    return with_totals(
        activity, start=start, elapsed_s=span if use_span else None, distance_m=total
    )


def _lap(element: Element, number_: int, warnings: list[str]) -> Lap | None:
    start = parse_time(element.get("StartTime"))
    own = {local_name(child.tag): child for child in element}
    total_s = number(own.get("TotalTimeSeconds"))
    if start is None or total_s is None or not math.isfinite(total_s) or total_s < 0:
        warnings.append(f"lap {number_} has no readable start time or duration: left out")
        return None
    distance = number(own.get("DistanceMeters"))
    avg = _value(own, "AverageHeartRateBpm")
    peak = _value(own, "MaximumHeartRateBpm")
    return Lap(
        start=start,
        elapsed_s=total_s,
        timer_s=total_s,  # TCX keeps only the timer time
        distance_m=distance if distance is None or math.isfinite(distance) else None,
        avg_hr_bpm=avg,
        max_hr_bpm=peak,
    )
