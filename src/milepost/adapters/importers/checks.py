"""What every importer checks before it trusts a recording: each sample channel's range, the
dates, the length, and whether the device's own totals agree with the samples.

Devices and converters write impossible values that look like data: a heart rate of 250 or 1e49
bpm from a strap losing contact, 1e300 m of distance, latitudes of 1e308, every point dated
1901-12-13T20:45:52 (the smallest 32-bit Unix time, which GPSBabel writes for "unknown"), 1970
from a zero time, 2126 from FIT's largest time. A reading outside its channel's range is left out;
a channel with many such readings is dropped whole; either way the user gets a warning that says
which channel and why. Dates outside :data:`EARLIEST_START`–:data:`LATEST_START` are not believed.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from milepost.domain.activity import Activity, RawColumn, Samples, make_samples
from milepost.errors import ImportFileError

# A recording dated outside these is not believed (refused, or its times replaced by the file's
# or session's own); inside them but outside the trusted years it is kept with a warning.
EARLIEST_START = datetime(1990, 1, 1, tzinfo=UTC)
LATEST_START = datetime(2100, 1, 1, tzinfo=UTC)
TRUSTED_FROM = datetime(1995, 1, 1, tzinfo=UTC)
TRUSTED_UNTIL = datetime(2031, 1, 1, tzinfo=UTC)  # the end of 2030
EARLIEST_S = EARLIEST_START.timestamp()
LATEST_S = LATEST_START.timestamp()
# Longer than this is kept with a warning (a multi-day ultra is real; a logger file is not).
LONGEST_S = 2 * 86_400.0
# A pause longer than this between two points separates activities in a GPX collection or logger
# file; in a FIT file (one session) records beyond such a gap from the session are strays.
SEPARATE_AFTER_S = 3 * 3_600.0
# Faster than this over a whole recording is no athlete (nor a car): the distance is wrong.
FASTEST_M_S = 100.0
# More points than this is no single activity (five days at one a second): the file is refused
# before it is read further, so a crafted file cannot exhaust memory.
MAX_POINTS = 500_000
# A channel with more than this share of impossible readings is dropped whole.
DROP_CHANNEL_SHARE = 0.05


@dataclass(frozen=True)
class Channel:
    label: str
    unit: str
    low: float
    high: float


# Ranges wide enough for any athlete and device, narrow enough to catch the broken ones.
CHANNELS: dict[str, Channel] = {
    "hr_bpm": Channel("heart-rate", "bpm", 25.0, 240.0),
    "cadence_spm": Channel("cadence", "per minute", 0.0, 300.0),
    "altitude_m": Channel("altitude", "m", -500.0, 9_000.0),
    "speed_m_s": Channel("speed", "m/s", 0.0, FASTEST_M_S),
    "lat_deg": Channel("position", "°", -90.0, 90.0),
    "lon_deg": Channel("position", "°", -180.0, 180.0),
    "distance_m": Channel("distance", "m", 0.0, 1_000_000.0),
}


def _shown(value: float) -> str:
    return f"{value:.3g}" if abs(value) >= 1e6 else f"{value:,.0f}"


def _check_channel(name: str, values: RawColumn, warnings: list[str]) -> list[float] | None:
    channel = CHANNELS[name]
    try:
        array = np.asarray(values, dtype=np.float64)  # the fast path: no None in it
    except TypeError:
        array = np.asarray([math.nan if v is None else v for v in values], dtype=np.float64)
    with np.errstate(invalid="ignore"):
        bad = (array < channel.low) | (array > channel.high)
    if name == "hr_bpm":
        bad &= (
            array > 0
        )  # 0 bpm is a strap not worn: a gap make_samples leaves out, not a bad reading
    count = int(bad.sum())
    if not count:
        return None  # nothing to change
    present = ~np.isnan(array)
    worst = float(array[bad][np.argmax(np.abs(array[bad]))])
    what = f"{channel.label} readings outside {_shown(channel.low)}–{_shown(channel.high)} "
    what += f"{channel.unit} (up to {_shown(worst)})"
    if count > DROP_CHANNEL_SHARE * int(present.sum()):
        warnings.append(f"{count} {what}: the {channel.label} channel was left out")
        return [math.nan] * len(array)
    warnings.append(f"{count} {what} were left out")
    array[bad] = math.nan
    cleaned: list[float] = array.tolist()
    return cleaned


def checked_samples(
    warnings: list[str],
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
    """:func:`make_samples`, with each channel range-checked first (warnings appended)."""
    columns: dict[str, RawColumn | None] = {
        "distance_m": distance_m,
        "lat_deg": lat_deg,
        "lon_deg": lon_deg,
        "altitude_m": altitude_m,
        "hr_bpm": hr_bpm,
        "cadence_spm": cadence_spm,
        "speed_m_s": speed_m_s,
    }
    for name, values in list(columns.items()):
        if values is not None:
            cleaned = _check_channel(name, values, warnings)
            if cleaned is not None:
                columns[name] = cleaned
    lat, lon = columns["lat_deg"], columns["lon_deg"]
    # A position needs both coordinates: one dropped drops the other.
    if (lat is not None and lon is not None) and (_empty(lat) or _empty(lon)):
        columns["lat_deg"] = columns["lon_deg"] = None
    samples = make_samples(time_s=time_s, **columns)
    times, dist = samples.time_s, samples.distance_m
    if times is not None and dist is not None and distance_m is not None and len(times) > 1:
        span = times[-1] - times[0]
        if dist[-1] > FASTEST_M_S * max(span, 1.0):
            warnings.append(
                f"the distance channel says {dist[-1] / 1000:,.0f} km in {span:,.0f} s, which "
                "no one covers: it was left out"
                + (", and the distance measured from the positions" if lat is not None else "")
            )
            columns["distance_m"] = None
            samples = make_samples(time_s=time_s, **columns)
    return samples


def _empty(values: RawColumn) -> bool:
    if isinstance(values, np.ndarray):
        return not bool(np.isfinite(values).any())
    return all(v is None or v != v for v in values)


def plausible_times(times: Sequence[float | None]) -> list[float | None]:
    """The times, with any outside :data:`EARLIEST_START`–:data:`LATEST_START` as missing."""
    return [t if t is not None and EARLIEST_S <= t < LATEST_S else None for t in times]


def describe_date(seconds: float) -> str:
    try:
        return datetime.fromtimestamp(seconds, UTC).date().isoformat()
    except (OverflowError, OSError, ValueError):
        return "an impossible date"


def runs(times: np.ndarray, gap_s: float = SEPARATE_AFTER_S) -> list[tuple[int, int]]:
    """``[start, stop)`` index ranges of sorted ``times``, split where a pause exceeds ``gap_s``."""
    if len(times) == 0:
        return []
    cuts = (np.nonzero(np.diff(times) > gap_s)[0] + 1).tolist()
    bounds = [0, *cuts, len(times)]
    return list(itertools.pairwise(bounds))


def duration_words(seconds: float) -> str:
    if seconds >= 2 * 86_400:
        return f"{seconds / 86_400:,.0f} days"
    if seconds >= 7_200:
        return f"{seconds / 3_600:.0f} hours"
    return f"{seconds / 60:.0f} minutes"


def final_check(activity: Activity, path: str, warnings: list[str]) -> None:
    """Refuse what cannot be an activity; warn about what is odd (appended to ``warnings``)."""
    start = activity.start
    if not EARLIEST_START <= start < LATEST_START:
        raise ImportFileError(
            f"{path} is dated {describe_date(start.timestamp())}, which cannot be right",
            path=path,
            hint="the device's clock was not set; nothing in the file gives the real date",
        )
    if not TRUSTED_FROM <= start < TRUSTED_UNTIL:
        warnings.append(f"it is dated {start.date().isoformat()}: check the device's clock was set")
    elapsed = activity.elapsed_s
    if elapsed is not None and elapsed > LONGEST_S:
        warnings.append(
            f"it lasts {duration_words(elapsed)}: if it is several activities, split it "
            "before importing"
        )
    points = len(activity.samples)
    if points < 3 and (elapsed or 0.0) < 60 and not activity.laps and not activity.legs:
        raise ImportFileError(
            f"{path} holds only {points} point{'' if points == 1 else 's'}"
            + (f" over {elapsed:.0f} s" if elapsed else "")
            + ": too little to be an activity",
            path=path,
        )


# Average moving speeds (m/s) that tell sports apart when a file does not say which it is: a brisk
# walk is under 7 km/h, few runners train faster than 22 km/h, few cyclists average over 31 km/h.
WALK_BELOW_M_S = 1.9
RIDE_ABOVE_M_S = 6.0
VEHICLE_ABOVE_M_S = 8.6
VEHICLE_PEAK_M_S = 17.0  # 61 km/h held for a twentieth of the moving time


def infer_sport(activity: Activity) -> tuple[str, str] | None:
    """The sport a recording's speed says it was, and the warning that says so; ``None`` when
    the recording has no moving speed to judge by. Never a drive taken as a run."""
    times, dist = activity.samples.time_s, activity.samples.distance_m
    if not (activity.distance_m and activity.moving_s) or times is None or dist is None:
        return None
    average = activity.distance_m / activity.moving_s
    dts = np.diff(np.asarray(times, dtype=np.float64))
    dds = np.diff(np.asarray(dist, dtype=np.float64))
    moving = (dts > 0) & (dts <= 60)
    peak = float(np.percentile(dds[moving] / dts[moving], 95)) if moving.any() else average
    kmh = f"{average * 3.6:.0f} km/h on average"
    if average > VEHICLE_ABOVE_M_S or peak > VEHICLE_PEAK_M_S:
        return (
            "other",
            f"the file does not say which sport, and it moved at {kmh} (up to "
            f"{peak * 3.6:.0f} km/h): too fast to be a run — a drive? Stored as 'other'",
        )
    if average > RIDE_ABOVE_M_S:
        return "cycling", f"the file does not say which sport: {kmh}, taken as cycling"
    if average >= WALK_BELOW_M_S:
        return "running", f"the file does not say which sport: {kmh}, taken as running"
    return "walking", f"the file does not say which sport: {kmh}, taken as walking"


def device_label(text: str | None, limit: int = 100) -> str | None:
    """A device or creator name as a label: one line, at most ``limit`` characters."""
    if not text:
        return None
    cleaned = " ".join(text.split())
    cleaned = "".join(ch for ch in cleaned if ch.isprintable())
    return (cleaned[: limit - 1] + "…" if len(cleaned) > limit else cleaned) or None


def too_many_points(path: str, limit: int) -> ImportFileError:
    return ImportFileError(
        f"{path} holds more than {limit:,} points: no single activity is that long",
        path=path,
        hint="split it into its activities before importing",
    )
