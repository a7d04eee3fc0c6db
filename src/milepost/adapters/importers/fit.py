"""FIT files: fitfast for speed, fitdecode wherever fitfast cannot be trusted, and for errors.

Measured on the ten sample FIT files (2.1 MB; ``bench/bench_parse.py``, 2 cores shared with
other jobs, so the numbers move by ±30 % between runs):

* plain fitdecode: 0.22–0.29 MB/s (1.0–1.4 files/s), the baseline;
* ``fitfast.records`` (Rust, columnar NumPy): 17–24 MB/s for record messages alone (~80×), with
  record counts, timestamps and distances identical to fitdecode on every file it accepts; but
  each call decodes the whole file again, so asking it for records, laps, sessions and file_id
  costs four decodes (5.5 MB/s), and its dict-per-message ``parse`` is slower still;
* so: one ``fitfast.records`` call for the samples plus a Python pass (``fit_scan``) that skips
  record messages and decodes only file_id, session, lap and activity (~15 % of a decode);
* whole path, decode plus ``summarise`` (pure Python, now about half the time), over a
  1,000-file workload: 4.1–4.4 MB/s, 19–21 files/s, 14–20× fitdecode on one process; 3.8–4.8 MB/s
  on two (the second core was busy with other work when measured).

fitfast 0.1.0 is wrong or unusable in two sample cases, both mended here:

* it refuses ``2013-02-06-12-11-14.fit`` with a CRC mismatch: the file's 14-byte header carries
  a zero header CRC, and fitfast then checks the file CRC over the data only, where the FIT spec
  (and fitdecode) cover header and data — the file is valid;
* it does not expand ``compressed_speed_distance`` (``compressed-speed-distance.fit``): the records
  come back without speed or distance. ``fit_scan`` expands that field itself, as fitdecode does
  (the tests hold the two to the same distances), so such files stay on the fast path.

Every file fitfast refuses is read again by fitdecode, which reads every record up to any
damage. A damaged file (a watch that died mid-record, a broken chained part, a bad file CRC) is
salvaged: what is readable is stored, with a warning saying where the file broke and what was
lost (issue 15: other readers recover these files; refusing them whole lost real runs). Only a
file with nothing readable is refused.
"""

from __future__ import annotations

import math
import re
import struct
import warnings
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import fitdecode
import fitfast
import numpy as np

from milepost.adapters.importers.checks import (
    EARLIEST_S,
    FASTEST_M_S,
    LATEST_S,
    MAX_POINTS,
    checked_samples,
    describe_date,
    final_check,
    infer_sport,
    runs,
    too_many_points,
)
from milepost.adapters.importers.fit_scan import FIT_EPOCH_S, scan_summary_messages
from milepost.adapters.importers.result import ImportResult
from milepost.domain.activity import FOOT_SPORTS, Activity, Lap, Leg, summarise, with_totals
from milepost.errors import ImportFileError

# FIT profile "sport" enum, the values a runner's files hold.
SPORT_NAMES: dict[int, str] = {
    0: "other",
    1: "running",
    2: "cycling",
    3: "transition",
    4: "fitness_equipment",
    5: "swimming",
    10: "training",
    11: "walking",
    12: "cross_country_skiing",
    15: "rowing",
    17: "hiking",
    18: "multisport",
}
# FIT profile "manufacturer" enum, the makers runners mostly wear.
MANUFACTURERS: dict[int, str] = {
    1: "Garmin",
    23: "Suunto",
    32: "Wahoo",
    123: "Polar",
    255: "development",
    265: "Strava",
    294: "Coros",
}
_FILE_TYPE_ACTIVITY = 4
# FIT profile "file" enum: what a FIT file that is not an activity is, in words.
_FILE_TYPES: dict[int, str] = {
    1: "device",
    2: "settings",
    3: "sport settings",
    5: "workout",
    6: "course",
    7: "schedules",
    9: "weight",
    10: "totals",
    11: "goals",
    14: "blood pressure",
    15: "monitoring",
    20: "activity summary",
    28: "daily monitoring",
    32: "monitoring",
    34: "segment",
}
_SEMICIRCLE_DEG = 180.0 / 2**31
_OFFSET_RE = re.compile(r"@ (\d+)")
_SYSTEM_TIME_LIMIT = 0x10000000
# Enums and times raw, as fitfast and fit_scan give them: one set of tables serves both paths.
_RAW_FIELDS = frozenset(
    {"type", "manufacturer", "product", "sport", "start_time", "timestamp", "local_timestamp"}
)
_SESSION_FIELDS = (
    "sport",
    "start_time",
    "total_elapsed_time",
    "total_timer_time",
    "total_distance",
)
_LAP_FIELDS = (
    "start_time",
    "total_elapsed_time",
    "total_timer_time",
    "total_distance",
    "avg_heart_rate",
    "max_heart_rate",
)


def _sport_name(value: Any) -> str:
    if isinstance(value, str):
        return "other" if value == "generic" else value
    if isinstance(value, int | float) and math.isfinite(value):
        return SPORT_NAMES.get(int(value), "other")
    return "other"


def _activity_sport(session_sports: list[str]) -> str:
    sports = [s for s in dict.fromkeys(session_sports) if s != "transition"]
    if len(sports) > 1:
        return "multisport"
    return sports[0] if sports else "other"


def _device(manufacturer: Any, product: Any) -> str | None:
    if manufacturer is None:
        return None
    name = MANUFACTURERS.get(int(manufacturer), f"manufacturer {int(manufacturer)}")
    return name if product is None else f"{name} (product {int(product)})"


def _lap(message: dict[str, Any], shift_s: float) -> Lap | None:
    start = message.get("start_time")  # raw FIT seconds
    elapsed = message.get("total_elapsed_time")
    if start is None or elapsed is None:
        return None
    return Lap(
        start=datetime.fromtimestamp(start + FIT_EPOCH_S + shift_s, UTC),
        elapsed_s=float(elapsed),
        timer_s=message.get("total_timer_time"),
        distance_m=message.get("total_distance"),
        avg_hr_bpm=message.get("avg_heart_rate"),
        max_hr_bpm=message.get("max_heart_rate"),
    )


def _cadence_spm(cadence: Any, fraction: Any, sport: str) -> Any:
    """FIT running cadence counts one foot (strides per minute); a runner counts steps."""
    if cadence is None or sport not in FOOT_SPORTS:
        return cadence
    strides = np.asarray(cadence, dtype=np.float64)
    if fraction is None:
        return 2.0 * strides
    part = np.asarray(fraction, dtype=np.float64)
    return 2.0 * (strides + np.where(np.isfinite(part), part, 0.0))


def _clock_shift_s(
    path: str, first_s: float, activities: list[dict[str, Any]], notes: list[str]
) -> float:
    """Seconds to add when the watch counted time from power-on instead of the FIT epoch.

    FIT times below 0x10000000 are "system time" (FIT SDK, date_time type). The activity
    message's local_timestamp then says what the watch's clock read at its timestamp.
    """
    if first_s >= FIT_EPOCH_S + _SYSTEM_TIME_LIMIT:
        return 0.0
    for message in activities:
        if "timestamp" in message and "local_timestamp" in message:
            notes.append(
                "the watch recorded time since it was switched on; the start comes from its "
                "local clock, whose time zone the file does not give (taken as UTC)"
            )
            return float(message["local_timestamp"] - message["timestamp"])
    raise ImportFileError(
        f"{path} has no date: the watch recorded only the time since it was switched on",
        path=path,
        offset=None,
    )


def _keep_rows(columns: dict[str, Any], keep: np.ndarray) -> dict[str, Any]:
    return {
        name: np.asarray(values, dtype=np.float64)[keep].tolist()
        for name, values in columns.items()
    }


def _drop_strays(
    columns: dict[str, Any], session_start_s: float | None, notes: list[str]
) -> dict[str, Any]:
    """Keep the records of the session; those dated impossibly or beyond a long pause from it
    are strays (a FIT ride with 14 records from two years later would otherwise last 791 days)."""
    times = np.asarray(columns["timestamp"], dtype=np.float64)
    plausible = (times >= EARLIEST_S) & (times < LATEST_S)
    order = np.argsort(np.where(plausible, times, np.inf), kind="stable")[: int(plausible.sum())]
    spans = runs(times[order])
    if len(spans) <= 1 and plausible.all():
        return columns
    if not spans:
        return columns  # nothing plausible: the final check refuses it with its date
    if session_start_s is not None:
        chosen = min(
            spans,
            key=lambda s: (
                0.0
                if times[order[s[0]]] - 600 <= session_start_s <= times[order[s[1] - 1]]
                else abs(times[order[s[0]]] - session_start_s)
            ),
        )
    else:
        chosen = max(spans, key=lambda s: s[1] - s[0])
    keep = np.zeros(len(times), dtype=bool)
    keep[order[chosen[0] : chosen[1]]] = True
    dropped = times[~keep]
    dates = sorted({describe_date(t) for t in dropped if t == t})
    notes.append(
        f"{len(dropped)} record{' was' if len(dropped) == 1 else 's were'} dated apart from "
        f"the activity ({', '.join(dates[:3])}{'…' if len(dates) > 3 else ''}): left out"
    )
    return _keep_rows(columns, keep)


def _legs(sessions: list[dict[str, Any]], shift_s: float) -> list[Leg]:
    legs = []
    for message in sessions:
        start = message.get("start_time")
        if start is None:
            continue
        legs.append(
            Leg(
                sport=_sport_name(message.get("sport")),
                start=datetime.fromtimestamp(start + FIT_EPOCH_S + shift_s, UTC),
                elapsed_s=message.get("total_elapsed_time"),
                distance_m=message.get("total_distance"),
            )
        )
    return legs


def _session_totals(activity: Activity, legs: list[Leg], notes: list[str]) -> Activity:
    """The sessions' own start, time and distance where they agree with the records: pool swims
    whose records start late or carry no distance, rides whose records stop short, multisport
    files whose record distance restarts each leg."""
    timed = [leg for leg in legs if leg.elapsed_s is not None and leg.elapsed_s >= 0]
    if not timed:
        return activity
    start = min(leg.start for leg in timed)
    end = max(leg.start.timestamp() + (leg.elapsed_s or 0.0) for leg in timed)
    span = end - start.timestamp()
    recorded = activity.elapsed_s
    use_start = abs((start - activity.start).total_seconds()) <= 3_600
    if not use_start and len(activity.samples):
        notes.append(
            f"the file's session starts at {start:%Y-%m-%d %H:%M} but its records at "
            f"{activity.start:%Y-%m-%d %H:%M}: the records' time is used"
        )
        return activity
    use_span = span > 0 and (recorded is None or recorded / 2 - 60 <= span <= 2 * recorded + 3600)
    distances = [leg.distance_m for leg in legs if leg.distance_m is not None]
    total = sum(distances) if distances else None
    if total is not None and span > 0 and total > FASTEST_M_S * span:
        total = None
    return with_totals(
        activity,
        start=start,
        elapsed_s=span if use_span else None,
        distance_m=total if total else None,
    )


def _build(
    path: str,
    columns: dict[str, Any],
    sessions: list[dict[str, Any]],
    laps: list[dict[str, Any]],
    file_id: dict[str, Any],
    activities: list[dict[str, Any]],
    decoder: str,
    notes: list[str],
) -> ImportResult:
    file_type = file_id.get("type")
    if file_type is not None and file_type not in (_FILE_TYPE_ACTIVITY, "activity"):
        kind = _FILE_TYPES.get(int(file_type), "") if isinstance(file_type, int | float) else ""
        raise ImportFileError(
            f"{path} is a FIT {kind or 'non-activity'} file, not a recorded activity",
            path=path,
            hint="import the activity files (in the watch's Activity folder)",
        )
    sport = _activity_sport([_sport_name(s.get("sport")) for s in sessions])
    session_starts = [s["start_time"] for s in sessions if s.get("start_time") is not None]
    if len(columns.get("timestamp", ())) == 0:
        if not session_starts:
            raise ImportFileError(
                f"{path} holds no records: nothing was recorded",
                path=path,
                hint="a FIT settings, course or workout file is not an activity",
            )
        columns = {}  # a pool swim may carry lengths and a session but no timed records
    times = np.asarray(columns.get("timestamp", ()), dtype=np.float64)
    finite = times[~np.isnan(times)]
    shift_s = _clock_shift_s(path, float(finite.min()), activities, notes) if finite.size else 0.0
    if shift_s:
        times = times + shift_s
        columns = {**columns, "timestamp": times}
    if len(times):
        first_session = min(session_starts) + FIT_EPOCH_S + shift_s if session_starts else None
        columns = _drop_strays(columns, first_session, notes)

    def column(*names: str) -> list[float] | None:
        return next((columns[n] for n in names if n in columns), None)

    samples = checked_samples(
        notes,
        time_s=column("timestamp"),
        distance_m=column("distance"),
        lat_deg=column("position_lat"),
        lon_deg=column("position_long"),
        altitude_m=column("enhanced_altitude", "altitude"),
        hr_bpm=column("heart_rate"),
        cadence_spm=_cadence_spm(column("cadence"), column("fractional_cadence"), sport),
        speed_m_s=column("enhanced_speed", "speed"),
    )
    legs = _legs(sessions, shift_s)
    start = None
    if samples.time_s is None:
        if not legs:
            raise ImportFileError(
                f"{path} has no usable times: it cannot be placed in the log", path=path
            )
        start = min(leg.start for leg in legs)
    activity = summarise(
        samples,
        sport=sport,
        source_format="fit",
        laps=[lap for lap in (_lap(m, shift_s) for m in laps) if lap is not None],
        device=_device(file_id.get("manufacturer"), file_id.get("product")),
        start=start,
        legs=legs if len(legs) > 1 else (),
    )
    activity = _session_totals(activity, legs, notes)
    if not sessions and sport == "other":  # the session (and its sport) was lost with the end
        inferred = infer_sport(activity)
        if inferred is not None:
            activity = replace(activity, sport=inferred[0])
            notes.append(inferred[1].replace("the file does not say", "the file no longer says"))
    final_check(activity, path, notes)
    return ImportResult(activity=activity, path=path, warnings=notes, decoder=decoder)


_FITFAST_COLUMNS = (
    "timestamp",
    "distance",
    "position_lat",
    "position_long",
    "enhanced_altitude",
    "altitude",
    "heart_rate",
    "cadence",
    "fractional_cadence",
    "enhanced_speed",
    "speed",
)


_CRC_TABLE = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)  # fmt: skip


def fit_crc(data: bytes | bytearray | memoryview) -> int:
    """The FIT CRC-16 (FIT protocol, "CRC" section), four bits at a time."""
    crc = 0
    for byte in data:
        for nibble in (byte & 0x0F, byte >> 4):
            tmp = _CRC_TABLE[crc & 0x0F]
            crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[nibble]
    return crc


def _for_fitfast(data: bytes) -> bytes | None:
    """fitfast 0.1.0 checks the file CRC over the data alone when the header's own CRC is 0,
    though the FIT protocol has it cover header and data. For such a file whose CRC is right by
    the protocol (checked here, so damage is still caught), hand fitfast the CRC it expects."""
    header = data[0] if data else 0
    if header != 14 or len(data) < 16 or data[12:14] != b"\x00\x00":
        return None
    size = struct.unpack_from("<I", data, 4)[0]
    end = header + size
    if len(data) < end + 2 or struct.unpack_from("<H", data, end)[0] != fit_crc(data[:end]):
        return None
    patched = bytearray(data)
    struct.pack_into("<H", patched, end, fit_crc(memoryview(data)[header:end]))
    return bytes(patched)


def _read_with_fitfast(data: bytes, path: str) -> ImportResult | None:
    """The fast path, or ``None`` when fitfast refuses the file or would get it wrong.

    The light pass goes first: it needs the summary messages anyway, and it spots the field
    definitions with an unknown base type on which fitfast 0.1.0 panics (a remainder by zero in
    rustyfit's decoder, found by tests/fuzz), so those never reach fitfast and no Rust panic text
    reaches the terminal.
    """
    try:
        summary = scan_summary_messages(data)
    except (struct.error, IndexError, KeyError, ValueError):
        return None  # a layout the light pass does not know: let fitdecode read it all
    if summary.unknown_base_type:
        return None
    try:
        try:
            arrays = fitfast.records(data)
        except fitfast.FitDecodeError as first:
            retry = _for_fitfast(data) if "checksum" in str(first) else None
            if retry is None:
                raise
            arrays = fitfast.records(retry)
    except fitfast.FitDecodeError:
        return None
    except BaseException as exc:
        # A Rust panic inside fitfast surfaces as pyo3's PanicException, a BaseException.
        # Let fitdecode judge the file; anything that is not a panic (Ctrl-C, exit) goes on up.
        if type(exc).__name__ != "PanicException":
            raise
        return None
    if "timestamp" in arrays and len(arrays["timestamp"]) > MAX_POINTS:
        raise too_many_points(path, MAX_POINTS)
    columns: dict[str, Any] = {name: arrays[name] for name in _FITFAST_COLUMNS if name in arrays}
    if summary.compressed_speed_distance and "distance" not in arrays:
        # fitfast 0.1.0 leaves compressed speed/distance unexpanded; the light pass expands it.
        if len(summary.compressed_distance_m) != len(columns.get("timestamp", ())):
            return None
        columns["distance"] = summary.compressed_distance_m
        columns["speed"] = summary.compressed_speed_m_s
    file_id = summary.file_ids[0] if summary.file_ids else {}
    return _build(
        path,
        columns,
        summary.sessions,
        summary.laps,
        file_id,
        summary.activities,
        "fitfast",
        [],
    )


def _offset(exc: Exception) -> int | None:
    offset = getattr(exc, "offset", None)
    if isinstance(offset, int):
        return offset
    match = _OFFSET_RE.search(str(exc))
    return int(match.group(1)) if match else None


def _timestamp_s(value: Any) -> float:
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, int | float):  # a raw FIT time (compressed timestamps come back raw)
        return float(value) + FIT_EPOCH_S
    return math.nan


def _values(message: Any, names: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in names:
        if message.has_field(name):
            raw = name in _RAW_FIELDS
            out[name] = message.get_field(name).raw_value if raw else message.get_value(name)
    return out


def read_with_fitdecode(data: bytes, path: str) -> ImportResult:
    """The careful path: fitdecode reads every message; its errors carry a byte offset."""
    columns: dict[str, list[float]] = {name: [] for name in _FITFAST_COLUMNS}
    sessions: list[dict[str, Any]] = []
    laps: list[dict[str, Any]] = []
    file_id: dict[str, Any] = {}
    activities: list[dict[str, Any]] = []
    n_records = 0
    salvage: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with fitdecode.FitReader(data, check_crc=fitdecode.CrcCheck.RAISE) as reader:
                for frame in reader:
                    if not isinstance(frame, fitdecode.FitDataMessage):
                        continue
                    if frame.name == "record":
                        n_records += 1
                        if n_records > MAX_POINTS:
                            raise too_many_points(path, MAX_POINTS)
                        for name, values in columns.items():
                            value = (
                                frame.get_value(name, fallback=None)
                                if frame.has_field(name)
                                else None
                            )
                            if name == "timestamp":
                                value = _timestamp_s(value)
                            elif name in ("position_lat", "position_long") and value is not None:
                                value = value * _SEMICIRCLE_DEG
                            values.append(math.nan if value is None else float(value))
                    elif frame.name == "session":
                        sessions.append(_values(frame, _SESSION_FIELDS))
                    elif frame.name == "lap":
                        laps.append(_values(frame, _LAP_FIELDS))
                    elif frame.name == "activity":
                        activities.append(_values(frame, ("timestamp", "local_timestamp")))
                    elif frame.name == "file_id" and not file_id:
                        file_id = _values(frame, ("type", "manufacturer", "product"))
        except fitdecode.FitError as exc:
            damage = _damage(exc, data, path, n_records)
            if not n_records:
                raise ImportFileError(
                    f"{path} is damaged and holds nothing readable: {damage}",
                    path=path,
                    offset=_offset(exc),
                    hint="cut short by a full disk or a broken sync? copy it from the watch again",
                ) from exc
            salvage = [damage]
        columns = {
            name: values
            for name, values in columns.items()
            if any(not math.isnan(v) for v in values)
        }
    notes = salvage + list(dict.fromkeys(f"decoder: {w.message}" for w in caught))[:3]
    return _build(path, columns, sessions, laps, file_id, activities, "fitdecode", notes)


def _damage(exc: Exception, data: bytes, path: str, n_records: int) -> str:
    """What is wrong with a damaged file and what of it was kept, in words."""
    offset = _offset(exc)
    if isinstance(exc, fitdecode.FitCRCError):
        return (
            "its checksum does not match, so part of it may be damaged; all "
            f"{n_records} records were read and kept"
        )
    first_end = (data[0] + struct.unpack_from("<I", data, 4)[0] + 2) if len(data) >= 12 else 0
    if offset is not None and first_end and offset >= first_end and len(data) > first_end:
        return (
            f"a second part chained after the activity is damaged at byte {offset:,}; "
            f"the activity before it ({n_records} records) was read whole"
        )
    if offset is None or offset >= len(data) - 2:
        return (
            f"it is cut short (the device stopped writing part-way): the {n_records} records "
            "in it were kept; whatever came after them, and the watch's own summary, is lost"
        )
    lost = 100 * (len(data) - offset) / len(data)
    return (
        f"it is damaged at byte {offset:,} of {len(data):,}: the {n_records} records before "
        f"that were kept, the rest ({lost:.0f} % of the file) is lost"
    )


def read_fit(data: bytes, path: str) -> ImportResult:
    """Read one FIT file (bytes); :class:`ImportFileError` with the byte offset if it is broken."""
    return _read_with_fitfast(data, path) or read_with_fitdecode(data, path)
