"""Garmin Training Center (TCX) activities, read trackpoint by trackpoint.

Each trackpoint's fields are taken from that trackpoint's own subtree, so a point without heart
rate stays without it (python-tcxparser collects each field across the file and then zips the
lists, which shifts fields between points when one is missing).
"""

from __future__ import annotations

import math
from xml.etree.ElementTree import Element

from milepost.adapters.importers.gpx import sport_from_text
from milepost.adapters.importers.result import ImportResult
from milepost.adapters.importers.safe_xml import (
    children,
    first,
    iter_elements,
    local_name,
    number,
    parse_time,
)
from milepost.domain.activity import FOOT_SPORTS, Lap, make_samples, summarise
from milepost.errors import ImportFileError


def _value(found: dict[str, Element], name: str) -> float | None:
    """``<HeartRateBpm><Value>139</Value></HeartRateBpm>``: the number inside ``name``."""
    element = found.get(name)
    if element is None:
        return None
    inner = children(element)
    return number(inner.get("Value"))


def read_tcx(data: bytes, path: str) -> ImportResult:
    times: list[float | None] = []
    lats: list[float | None] = []
    lons: list[float | None] = []
    alts: list[float | None] = []
    dists: list[float | None] = []
    hrs: list[float | None] = []
    cads: list[float | None] = []
    speeds: list[float | None] = []
    laps: list[Lap] = []
    warnings: list[str] = []
    sports: list[str | None] = []
    creator: str | None = None
    for element in iter_elements(data, path):
        name = local_name(element.tag)
        if name == "Trackpoint":
            point = children(element)
            moment = parse_time(point["Time"].text) if "Time" in point else None
            times.append(moment.timestamp() if moment else None)
            lats.append(number(point.get("LatitudeDegrees")))
            lons.append(number(point.get("LongitudeDegrees")))
            alts.append(number(point.get("AltitudeMeters")))
            dists.append(number(point.get("DistanceMeters")))
            hrs.append(_value(point, "HeartRateBpm"))
            cads.append(number(first(point, "RunCadence", "Cadence")))
            speeds.append(number(point.get("Speed")))
            element.clear()
        elif name == "Lap":
            lap = _lap(element, len(laps) + 1, warnings)
            if lap is not None:
                laps.append(lap)
            element.clear()
        elif name == "Activity":
            sports.append(sport_from_text(element.get("Sport")))
        elif name == "Creator" and creator is None:
            creator = next((c.text for c in element if local_name(c.tag) == "Name"), None)
    if not times:
        raise ImportFileError(f"{path} holds no trackpoints: nothing was recorded", path=path)
    if len(sports) > 1:
        warnings.append(f"the file holds {len(sports)} activities: they were read as one")
    sport = sports[0] if sports and sports[0] else "running"
    if not any(t is not None for t in times):
        raise ImportFileError(f"{path} has no times: it cannot be placed in the log", path=path)
    if sport in FOOT_SPORTS:
        # Garmin's TCX run cadence counts one foot (strides per minute); a runner counts steps.
        cads = [None if c is None else 2.0 * c for c in cads]
    samples = make_samples(
        time_s=times,
        distance_m=dists if any(d is not None for d in dists) else None,
        lat_deg=lats,
        lon_deg=lons,
        altitude_m=alts,
        hr_bpm=hrs,
        cadence_spm=cads,
        speed_m_s=speeds,
    )
    activity = summarise(samples, sport=sport, source_format="tcx", laps=laps, device=creator)
    return ImportResult(activity=activity, path=path, warnings=warnings, decoder="xml")


def _lap(element: Element, number_: int, warnings: list[str]) -> Lap | None:
    start = parse_time(element.get("StartTime"))
    own = {local_name(child.tag): child for child in element}
    total_s = number(own.get("TotalTimeSeconds"))
    if start is None or total_s is None:
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
