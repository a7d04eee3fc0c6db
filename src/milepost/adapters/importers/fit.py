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

fitfast 0.1.0 is wrong or unusable in two sample cases, both sent to fitdecode:

* it refuses ``2013-02-06-12-11-14.fit`` with a CRC mismatch: the file's 14-byte header carries
  a zero header CRC, and fitfast then checks the file CRC over the data only, where the FIT spec
  (and fitdecode) cover header and data — the file is valid;
* it does not expand ``compressed_speed_distance`` (``compressed-speed-distance.fit``): the records
  come back without speed or distance. ``fit_scan`` sees that field in the record definition.

Every file fitfast refuses is read again by fitdecode: either fitdecode reads it (as above) or its
error gives the byte offset where the file goes wrong, which fitfast's errors do not carry.
A truncated file is refused whole, not imported in part: half a run logged as a run is wrong in
the log, in the weekly totals and in duplicate detection, and the user can see the offset.
"""

from __future__ import annotations

import math
import re
import struct
import warnings
from datetime import UTC, datetime
from typing import Any

import fitdecode
import fitfast

from milepost.adapters.importers.fit_scan import FIT_EPOCH_S, scan_summary_messages
from milepost.adapters.importers.result import ImportResult
from milepost.domain.activity import FOOT_SPORTS, Lap, make_samples, summarise
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
_SEMICIRCLE_DEG = 180.0 / 2**31
_OFFSET_RE = re.compile(r"@ (\d+)")
_SYSTEM_TIME_LIMIT = 0x10000000
# Enums and times raw, as fitfast and fit_scan give them: one set of tables serves both paths.
_RAW_FIELDS = frozenset(
    {"type", "manufacturer", "product", "sport", "start_time", "timestamp", "local_timestamp"}
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


def _cadence_spm(cadence: list[float] | None, fraction: list[float] | None, sport: str) -> Any:
    """FIT running cadence counts one foot (strides per minute); a runner counts steps."""
    if cadence is None or sport not in FOOT_SPORTS:
        return cadence
    if fraction is None:
        return [2.0 * c for c in cadence]
    return [
        2.0 * (c + (f if math.isfinite(f) else 0.0)) for c, f in zip(cadence, fraction, strict=True)
    ]


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


def _build(
    path: str,
    columns: dict[str, list[float]],
    sessions: list[dict[str, Any]],
    laps: list[dict[str, Any]],
    file_id: dict[str, Any],
    activities: list[dict[str, Any]],
    decoder: str,
    notes: list[str],
) -> ImportResult:
    file_type = file_id.get("type")
    if file_type is not None and file_type not in (_FILE_TYPE_ACTIVITY, "activity"):
        raise ImportFileError(
            f"{path} is a FIT file of type {file_type}, not an activity", path=path, offset=None
        )
    if not columns.get("timestamp"):
        raise ImportFileError(
            f"{path} holds no record messages: nothing was recorded",
            path=path,
            hint="a FIT settings, course or workout file is not an activity",
        )
    sport = _activity_sport([_sport_name(s.get("sport")) for s in sessions])
    times = columns["timestamp"]
    shift_s = _clock_shift_s(path, min(t for t in times if t == t), activities, notes)
    if shift_s:
        times = [t + shift_s for t in times]

    def column(*names: str) -> list[float] | None:
        return next((columns[n] for n in names if n in columns), None)

    samples = make_samples(
        time_s=times,
        distance_m=column("distance"),
        lat_deg=column("position_lat"),
        lon_deg=column("position_long"),
        altitude_m=column("enhanced_altitude", "altitude"),
        hr_bpm=column("heart_rate"),
        cadence_spm=_cadence_spm(column("cadence"), column("fractional_cadence"), sport),
        speed_m_s=column("enhanced_speed", "speed"),
    )
    activity = summarise(
        samples,
        sport=sport,
        source_format="fit",
        laps=[lap for lap in (_lap(m, shift_s) for m in laps) if lap is not None],
        device=_device(file_id.get("manufacturer"), file_id.get("product")),
    )
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
    """The fast path, or ``None`` when fitfast refuses the file or would get it wrong."""
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
        # A Rust panic inside fitfast surfaces as pyo3's PanicException, a BaseException
        # (found by tests/fuzz: a damaged header divides by zero). Let fitdecode judge the file;
        # anything that is not a panic (Ctrl-C, exit) goes on up.
        if type(exc).__name__ != "PanicException":
            raise
        return None
    try:
        summary = scan_summary_messages(data)
    except (struct.error, IndexError, KeyError):
        return None  # a layout the light pass does not know: let fitdecode read it all
    if summary.compressed_speed_distance and "distance" not in arrays:
        return None
    columns = {name: arrays[name].tolist() for name in _FITFAST_COLUMNS if name in arrays}
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
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with fitdecode.FitReader(data, check_crc=fitdecode.CrcCheck.RAISE) as reader:
                for frame in reader:
                    if not isinstance(frame, fitdecode.FitDataMessage):
                        continue
                    if frame.name == "record":
                        n_records += 1
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
                        sessions.append(_values(frame, ("sport", "start_time")))
                    elif frame.name == "lap":
                        laps.append(_values(frame, _LAP_FIELDS))
                    elif frame.name == "activity":
                        activities.append(_values(frame, ("timestamp", "local_timestamp")))
                    elif frame.name == "file_id" and not file_id:
                        file_id = _values(frame, ("type", "manufacturer", "product"))
        except fitdecode.FitError as exc:
            offset = _offset(exc)
            raise ImportFileError(
                f"{path} cannot be read at byte {offset}: {exc} "
                f"({n_records} records were readable before it)",
                path=path,
                offset=offset,
                hint="cut short by a full disk or a broken sync? copy it from the watch again",
            ) from exc
    columns = {
        name: values for name, values in columns.items() if any(not math.isnan(v) for v in values)
    }
    notes = list(dict.fromkeys(f"decoder: {w.message}" for w in caught))[:3]
    return _build(path, columns, sessions, laps, file_id, activities, "fitdecode", notes)


def read_fit(data: bytes, path: str) -> ImportResult:
    """Read one FIT file (bytes); :class:`ImportFileError` with the byte offset if it is broken."""
    return _read_with_fitfast(data, path) or read_with_fitdecode(data, path)
