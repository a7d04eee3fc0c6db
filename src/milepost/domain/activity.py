"""An activity as it was recorded — its samples and laps — and the summary a runner reads.

Pure and standard-library only: the importers (``adapters/importers``) turn FIT, GPX and TCX files
into :class:`Samples` and :class:`Lap` values; :func:`summarise` turns those into an
:class:`Activity`. Every format goes through the same summary, so one run recorded as FIT and
exported as GPX gets the same moving time and elevation gain, and :func:`same_activity` can tell
they are one run.

Units: metres, seconds, POSIX seconds (UTC) for instants, beats and steps per minute.
A column is ``None`` when the file has no such channel (a run without a heart-rate strap); a NaN
inside a column is one missing reading (the strap slipped for a second).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import numpy as np

from milepost.domain.environment import MAX_ABS_GRADE, grade_factor

Column = tuple[float, ...]
# What an importer hands over: a list (None for a missing reading) or a decoder's float array.
RawColumn = Sequence[float | None] | np.ndarray

# Slower than this over an interval counts as standing still. A slow walk is about 1 m/s; GPS jitter
# while standing reads up to ~0.3 m/s, and watch distance (already smoothed) less.
MOVING_SPEED_M_S = 0.5
# An interval longer than this is a recorder pause (timer stopped, signal lost), never moving time,
# whatever distance the positions jumped. Smart recording leaves gaps of up to ~10 s while running.
MAX_MOVING_GAP_S = 60.0
# Elevation: a running median over this many samples removes short spikes (the Fenix 2 sample file
# opens with three readings 87 m too high), then a dead band of this many metres keeps GPS and
# barometer noise from adding up into climbs (the hysteresis counting used by most watch software).
ELEVATION_MEDIAN_SAMPLES = 9
ELEVATION_DEAD_BAND_M = 2.0
# Grade-adjusted pace looks at the slope over stretches of at least this length: over one 1 Hz
# sample (3 m) a 0.5 m altitude wobble would read as a 17 % gradient.
GRADE_STRETCH_M = 25.0
# Two recordings are one activity when they start within a minute and agree on distance to 2 %.
SAME_START_S = 60.0
SAME_DISTANCE_FRACTION = 0.02
# Mean Earth radius (IUGG, Moritz 2000, "Geodetic Reference System 1980"), for the haversine.
EARTH_RADIUS_M = 6_371_008.8

FOOT_SPORTS = frozenset({"running", "walking", "hiking"})


@dataclass(frozen=True)
class Samples:
    """The recording, one column per channel, all of equal length, ordered by time.

    ``time_s`` is POSIX seconds in UTC (``None`` for a track drawn without times);
    ``distance_m`` is cumulative and never decreases. ``cadence_spm`` is steps per minute on foot
    and revolutions or strokes per minute otherwise.
    """

    time_s: Column | None
    distance_m: Column | None
    lat_deg: Column | None = None
    lon_deg: Column | None = None
    altitude_m: Column | None = None
    hr_bpm: Column | None = None
    cadence_spm: Column | None = None
    speed_m_s: Column | None = None

    def __post_init__(self) -> None:
        lengths = {len(column) for column in self._columns() if column is not None}
        if len(lengths) > 1:
            raise ValueError(f"sample columns differ in length: {sorted(lengths)}")

    def _columns(self) -> tuple[Column | None, ...]:
        return (
            self.time_s,
            self.distance_m,
            self.lat_deg,
            self.lon_deg,
            self.altitude_m,
            self.hr_bpm,
            self.cadence_spm,
            self.speed_m_s,
        )

    def __len__(self) -> int:
        return next((len(c) for c in self._columns() if c is not None), 0)


@dataclass(frozen=True)
class Lap:
    """A lap as the device closed it (FIT, TCX); GPX has none."""

    start: datetime
    elapsed_s: float
    timer_s: float | None
    distance_m: float | None
    avg_hr_bpm: float | None = None
    max_hr_bpm: float | None = None


@dataclass(frozen=True)
class Leg:
    """One sport of a multisport event (a triathlon's swim, bike and run), as the device closed
    it (a FIT session). Transitions are legs too (sport "transition")."""

    sport: str
    start: datetime
    elapsed_s: float | None
    distance_m: float | None


@dataclass(frozen=True)
class Activity:
    """One recorded activity and its summary. ``None`` means unknown, never zero.

    A multisport event has sport "multisport" and its ``legs``; its distance and time are the
    whole event's. :func:`sport_distances_m` says how much of it was run.
    """

    sport: str  # "running", "cycling", "swimming", "walking", "hiking", "multisport", "other" ...
    start: datetime  # timezone-aware, UTC
    distance_m: float | None
    elapsed_s: float | None  # first to last sample, pauses included
    moving_s: float | None  # pauses and standing still left out
    avg_pace_s_per_km: float | None  # over moving time
    grade_adjusted_pace_s_per_km: float | None
    elevation_gain_m: float | None
    elevation_loss_m: float | None
    avg_hr_bpm: float | None
    max_hr_bpm: float | None
    avg_cadence_spm: float | None
    laps: tuple[Lap, ...]
    source_format: str  # "fit" | "gpx" | "tcx"
    device: str | None
    samples: Samples
    legs: tuple[Leg, ...] = ()


def _finite(values: Sequence[float | None]) -> list[float]:
    return [v for v in values if v is not None and math.isfinite(v)]


def _floats(values: Sequence[float | None] | np.ndarray) -> list[float]:
    if isinstance(values, np.ndarray):  # a decoder's column: converted in C
        converted: list[float] = values.astype(np.float64, copy=False).tolist()
        return converted
    try:
        return list(map(float, values))  # type: ignore[arg-type]  # the fast path: no None
    except TypeError:
        return [math.nan if v is None else float(v) for v in values]


def _column(values: list[float] | None) -> Column | None:
    """A column with NaN for missing readings, or ``None`` when not one reading is there."""
    if values is None:
        return None
    return tuple(values) if any(map(math.isfinite, values)) else None


def haversine_m(lat1_deg: float, lon1_deg: float, lat2_deg: float, lon2_deg: float) -> float:
    """Great-circle distance on a sphere of the mean Earth radius (the haversine formula)."""
    phi1, phi2 = math.radians(lat1_deg), math.radians(lat2_deg)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2_deg - lon1_deg)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _distance_from_positions(lat: Column, lon: Column) -> Column:
    total = 0.0
    out: list[float] = []
    last: tuple[float, float] | None = None
    for la, lo in zip(lat, lon, strict=True):
        if math.isfinite(la) and math.isfinite(lo):
            if last is not None:
                total += haversine_m(last[0], last[1], la, lo)
            last = (la, lo)
        out.append(total)
    return tuple(out)


def _cumulative(distance: Column, time_s: Column | None) -> Column:
    """Bridge gaps between readings linearly (in time when known), hold the first reading
    before it, and never go backwards. A pool swim reports distance only at each length."""
    values = np.asarray(distance, dtype=np.float64)
    if not np.isnan(values).any():
        running: list[float] = np.maximum.accumulate(values).tolist()
        return tuple(running)
    index = [i for i, d in enumerate(distance) if math.isfinite(d)]
    axis = time_s if time_s is not None else tuple(float(i) for i in range(len(distance)))
    out = list(distance)
    for i in range(index[0]):
        out[i] = distance[index[0]]
    for a, b in itertools.pairwise(index):
        span = axis[b] - axis[a]
        for k in range(a + 1, b):
            share = (axis[k] - axis[a]) / span if span > 0 else 0.0
            out[k] = distance[a] + (distance[b] - distance[a]) * share
    for i in range(index[-1] + 1, len(out)):
        out[i] = distance[index[-1]]
    high = -math.inf
    for i, d in enumerate(out):
        high = max(high, d)
        out[i] = high
    return tuple(out)


def make_samples(
    *,
    time_s: RawColumn | None,
    distance_m: RawColumn | None = None,
    lat_deg: RawColumn | None = None,
    lon_deg: RawColumn | None = None,
    altitude_m: RawColumn | None = None,
    hr_bpm: RawColumn | None = None,
    cadence_spm: RawColumn | None = None,
    speed_m_s: RawColumn | None = None,
) -> Samples:
    """Clean raw columns into :class:`Samples`.

    Rows without a time are dropped (when the file has times at all), rows are put in time order,
    distance is made cumulative, and computed from positions when the file has none.
    """
    raw = [time_s, distance_m, lat_deg, lon_deg, altitude_m, hr_bpm, cadence_spm, speed_m_s]
    columns = [None if c is None else _floats(c) for c in raw]
    times = columns[0]
    if times is not None and any(map(math.isfinite, times)):
        stamps = np.asarray(times, dtype=np.float64)
        in_order = not np.isnan(stamps).any() and bool(np.all(stamps[1:] >= stamps[:-1]))
        if not in_order:
            # Rows without a time go; the rest in time order, ties kept in file order.
            present = np.nonzero(np.isfinite(stamps))[0]
            order = present[np.argsort(stamps[present], kind="stable")]
            columns = [
                None if c is None else np.asarray(c, dtype=np.float64)[order].tolist()
                for c in columns
            ]
    else:
        columns[0] = None
    if columns[5] is not None:  # 0 bpm is a strap not worn, not a heart at rest
        beats = np.asarray(columns[5], dtype=np.float64)
        with np.errstate(invalid="ignore"):
            columns[5] = np.where(beats > 0, beats, math.nan).tolist()
    time_col, dist, lat, lon, alt, hr, cad, speed = (_column(c) for c in columns)
    if dist is not None:
        dist = _cumulative(dist, time_col)
    elif lat is not None and lon is not None:
        dist = _distance_from_positions(lat, lon)
    return Samples(time_col, dist, lat, lon, alt, hr, cad, speed)


def _moving_flags(samples: Samples) -> list[bool] | None:
    """For each interval between samples: was the athlete moving?"""
    times, dist = samples.time_s, samples.distance_m
    if times is None or dist is None:
        return None
    t = np.asarray(times, dtype=np.float64)
    d = np.asarray(dist, dtype=np.float64)
    dts, dds = np.diff(t), np.diff(d)
    moving = (dts > 0) & (dts <= MAX_MOVING_GAP_S) & (dds >= MOVING_SPEED_M_S * dts)
    flags: list[bool] = moving.tolist()
    return flags


def _smoothed_altitude(altitude: Column) -> list[float]:
    """A running median, one value per sample (spikes out, climbs kept); gaps carry forward."""
    if not any(map(math.isfinite, altitude)):
        return []
    present = np.asarray(_forward_filled(altitude), dtype=np.float64)
    half = ELEVATION_MEDIAN_SAMPLES // 2
    size = min(ELEVATION_MEDIAN_SAMPLES, len(present))
    # A full window, shifted inward at the ends, so a spike in the first samples is outvoted:
    # the middle of each sorted window (the upper middle for an even window of a short track).
    windows = np.lib.stride_tricks.sliding_window_view(present, size)
    middles = np.sort(windows, axis=1)[:, size // 2]
    head = np.full(min(half + 1, len(present)), middles[0])
    body = middles[1:]
    tail = np.full(len(present) - len(head) - len(body), middles[-1])
    out: list[float] = np.concatenate([head, body, tail]).tolist()
    return out


def elevation_change_m(
    altitude_m: Column, smoothed: list[float] | None = None
) -> tuple[float, float]:
    """Total climb and descent (metres, both positive) after the median and the dead band."""
    if smoothed is None:
        smoothed = _smoothed_altitude(altitude_m)
    if not smoothed:
        return 0.0, 0.0
    gain = loss = 0.0
    level = smoothed[0]
    for a in smoothed[1:]:
        if a - level >= ELEVATION_DEAD_BAND_M:
            gain += a - level
            level = a
        elif level - a >= ELEVATION_DEAD_BAND_M:
            loss += level - a
            level = a
    return gain, loss


def grade_adjusted_pace_s_per_km(
    samples: Samples,
    flags: list[bool] | None = None,
    smoothed_altitude: list[float] | None = None,
) -> float | None:
    """The flat-ground pace that would have cost the same energy (Minetti et al. 2002).

    Each stretch of at least ``GRADE_STRETCH_M`` of moving counts as ``distance × Cr(i) / Cr(0)``
    flat metres (docs/science.md §5); the pace is moving time over flat-equivalent distance.
    """
    flags = _moving_flags(samples) if flags is None else flags
    times, dist, alt = samples.time_s, samples.distance_m, samples.altitude_m
    if flags is None or times is None or dist is None or alt is None:
        return None
    filled = _smoothed_altitude(alt) if smoothed_altitude is None else smoothed_altitude
    if not filled:
        return None
    flat_m = time_s = 0.0
    stretch_m = stretch_s = stretch_climb_m = 0.0
    for i, moving in enumerate(flags):
        if not moving:
            continue
        stretch_m += dist[i + 1] - dist[i]
        stretch_s += times[i + 1] - times[i]
        stretch_climb_m += filled[i + 1] - filled[i]
        if stretch_m >= GRADE_STRETCH_M:
            grade = max(-MAX_ABS_GRADE, min(MAX_ABS_GRADE, stretch_climb_m / stretch_m))
            flat_m += stretch_m * grade_factor(grade)
            time_s += stretch_s
            stretch_m = stretch_s = stretch_climb_m = 0.0
    flat_m += stretch_m  # a last short stretch counts as flat
    time_s += stretch_s
    return time_s / flat_m * 1000.0 if flat_m > 0 else None


def _forward_filled(column: Column) -> list[float]:
    if not any(map(math.isnan, column)):
        return list(column)
    first = next(v for v in column if math.isfinite(v))
    out, last = [], first
    for v in column:
        last = v if math.isfinite(v) else last
        out.append(last)
    return out


def _time_weighted_mean(
    values: Column | np.ndarray, samples: Samples, flags: list[bool] | None
) -> float | None:
    """Mean over time (smart recording samples unevenly); over moving time when known."""
    times = samples.time_s
    if times is not None and len(times) > 1:
        dts = np.diff(np.asarray(times, dtype=np.float64))
        counted = (
            np.asarray(flags, dtype=bool)
            if flags is not None
            else (dts > 0) & (dts <= MAX_MOVING_GAP_S)
        )
        # Each interval takes the reading at its start; NaN is a reading missing then.
        readings = np.asarray(values[: len(dts)], dtype=np.float64)
        use = counted[: len(readings)] & ~np.isnan(readings)
        weight = float(dts[: len(readings)][use].sum())
        if weight > 0:
            return float((readings[use] * dts[: len(readings)][use]).sum()) / weight
    present = _finite(list(values))
    return sum(present) / len(present) if present else None


def summarise(
    samples: Samples,
    *,
    sport: str,
    source_format: str,
    laps: Sequence[Lap] = (),
    device: str | None = None,
    start: datetime | None = None,
    legs: Sequence[Leg] = (),
) -> Activity:
    """Summarise a recording. ``start`` is needed only when the samples carry no times."""
    times, dist = samples.time_s, samples.distance_m
    if times is not None:
        start = datetime.fromtimestamp(times[0], UTC)
    if start is None or start.tzinfo is None:
        raise ValueError("an activity needs a timezone-aware start: give samples with times")
    flags = _moving_flags(samples)
    elapsed_s = times[-1] - times[0] if times is not None else None
    moving_s: float | None = None
    if flags is not None and times is not None:
        moving_s = float(
            np.diff(np.asarray(times, dtype=np.float64))[np.asarray(flags, bool)].sum()
        )
    distance_m = dist[-1] if dist is not None else None
    pace = None
    if distance_m and moving_s:
        pace = moving_s / (distance_m / 1000.0)
    gain = loss = None
    smoothed = None
    if samples.altitude_m is not None:
        smoothed = _smoothed_altitude(samples.altitude_m)
        gain, loss = elevation_change_m(samples.altitude_m, smoothed)
    avg_hr = max_hr = None
    if samples.hr_bpm is not None:
        avg_hr = _time_weighted_mean(samples.hr_bpm, samples, None)
        max_hr = max(_finite(samples.hr_bpm))
    cadence = None
    if samples.cadence_spm is not None:
        # Zeros are the watch saying "not stepping": they are pauses, not a cadence.
        raw = np.asarray(samples.cadence_spm, dtype=np.float64)
        stepping = np.where(raw > 0, raw, np.nan)
        cadence = _time_weighted_mean(stepping, samples, flags)
    return Activity(
        sport=sport,
        start=start.astimezone(UTC),
        distance_m=distance_m,
        elapsed_s=elapsed_s,
        moving_s=moving_s,
        avg_pace_s_per_km=pace,
        grade_adjusted_pace_s_per_km=grade_adjusted_pace_s_per_km(samples, flags, smoothed),
        elevation_gain_m=gain,
        elevation_loss_m=loss,
        avg_hr_bpm=avg_hr,
        max_hr_bpm=max_hr,
        avg_cadence_spm=cadence,
        laps=tuple(laps),
        source_format=source_format,
        device=device,
        samples=samples,
        legs=tuple(legs),
    )


def same_activity(a: Activity, b: Activity) -> bool:
    """One activity from two sources: starts within a minute, distances within 2 %."""
    if abs((a.start - b.start).total_seconds()) > SAME_START_S:
        return False
    if a.distance_m is None or b.distance_m is None:
        return a.distance_m is None and b.distance_m is None
    longer = max(a.distance_m, b.distance_m)
    return longer == 0 or abs(a.distance_m - b.distance_m) <= SAME_DISTANCE_FRACTION * longer


def with_totals(
    activity: Activity,
    *,
    start: datetime | None = None,
    elapsed_s: float | None = None,
    distance_m: float | None = None,
) -> Activity:
    """The activity with the device's own totals (FIT session, TCX laps) in place of those the
    samples add up to; the pace follows the distance."""
    distance = activity.distance_m if distance_m is None else distance_m
    pace = activity.avg_pace_s_per_km
    if distance_m is not None:
        pace = activity.moving_s / (distance / 1000.0) if distance and activity.moving_s else None
    return replace(
        activity,
        start=activity.start if start is None else start.astimezone(UTC),
        elapsed_s=activity.elapsed_s if elapsed_s is None else elapsed_s,
        distance_m=distance,
        avg_pace_s_per_km=pace,
    )


def sport_distances_m(activity: Activity) -> dict[str, float]:
    """Distance per sport: a multisport event's legs each count in their own sport (the run leg
    is running volume, the rest cross-training); transitions count nowhere."""
    if not activity.legs:
        return {activity.sport: activity.distance_m or 0.0}
    out: dict[str, float] = {}
    for leg in activity.legs:
        if leg.sport != "transition":
            out[leg.sport] = out.get(leg.sport, 0.0) + (leg.distance_m or 0.0)
    return out
