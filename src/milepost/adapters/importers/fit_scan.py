"""A light pass over a FIT file for the few small messages fitfast would need a decode each for.

``fitfast.records`` decodes the whole file for every message kind asked for (about 4 ms for a
120 kB run), so asking for record, lap, session and file_id costs four decodes. This pass walks the
message headers in Python, skips the record messages by their defined size, and decodes only
file_id, session and lap fields by the FIT profile (Garmin FIT SDK, Profile.xlsx): about a fifth
of one fitfast decode. It also says whether record messages carry ``compressed_speed_distance``,
which fitfast 0.1.0 does not expand into speed and distance (fitdecode does).

Runs only on files fitfast has already accepted (header, sizes and CRC checked), and every field
it reads is checked against fitdecode by the tests on every sample file.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

_NAN = float("nan")
FIT_EPOCH_S = 631_065_600  # 1989-12-31T00:00:00Z, the FIT epoch, in POSIX seconds

FILE_ID, SESSION, LAP, RECORD, ACTIVITY = 0, 18, 19, 20, 34
RECORD_COMPRESSED_SPEED_DISTANCE = 8

# base type (low five bits) -> (struct code, invalid value); FIT SDK "Base Types".
_BASE_TYPES: dict[int, tuple[str, int]] = {
    0x00: ("B", 0xFF),  # enum
    0x01: ("b", 0x7F),  # sint8
    0x02: ("B", 0xFF),  # uint8
    0x03: ("h", 0x7FFF),  # sint16
    0x04: ("H", 0xFFFF),  # uint16
    0x05: ("i", 0x7FFFFFFF),  # sint32
    0x06: ("I", 0xFFFFFFFF),  # uint32
    0x0A: ("B", 0x00),  # uint8z
    0x0B: ("H", 0x0000),  # uint16z
    0x0C: ("I", 0x00000000),  # uint32z
}

# field number -> (name, scale) for the messages we read (FIT profile).
_WANTED: dict[int, dict[int, tuple[str, float]]] = {
    FILE_ID: {0: ("type", 1), 1: ("manufacturer", 1), 2: ("product", 1)},
    SESSION: {
        2: ("start_time", 1),
        5: ("sport", 1),
        7: ("total_elapsed_time", 1000),
        8: ("total_timer_time", 1000),
        9: ("total_distance", 100),
        16: ("avg_heart_rate", 1),
        17: ("max_heart_rate", 1),
    },
    ACTIVITY: {253: ("timestamp", 1), 5: ("local_timestamp", 1)},
    LAP: {
        2: ("start_time", 1),
        7: ("total_elapsed_time", 1000),
        8: ("total_timer_time", 1000),
        9: ("total_distance", 100),
        15: ("avg_heart_rate", 1),
        16: ("max_heart_rate", 1),
    },
}


@dataclass
class FitSummaryMessages:
    file_ids: list[dict[str, float]] = field(default_factory=list)
    sessions: list[dict[str, float]] = field(default_factory=list)
    laps: list[dict[str, float]] = field(default_factory=list)
    activities: list[dict[str, float]] = field(default_factory=list)
    compressed_speed_distance: bool = False
    # When records carry compressed_speed_distance: one value per record message, in file order
    # (NaN for a record without the field), expanded as fitdecode expands it.
    compressed_speed_m_s: list[float] = field(default_factory=list)
    compressed_distance_m: list[float] = field(default_factory=list)
    unknown_base_type: bool = False  # a field of a base type the FIT protocol does not define


@dataclass
class _Definition:
    global_num: int
    size: int
    # (name, offset, struct format, invalid, scale) for the fields we keep
    fields: list[tuple[str, int, struct.Struct, int, float]]
    compressed_at: int | None = None  # offset of a record's compressed_speed_distance bytes


def _read_definition(data: bytes, pos: int, has_dev: bool) -> tuple[_Definition, int, int]:
    """Parse a definition message body at ``pos``; return it, the next position, and flags:
    1 when it is a record definition with compressed speed/distance, 2 when a field has a base
    type the protocol does not define (numbers 0-16)."""
    big_endian = data[pos + 1] == 1
    endian = ">" if big_endian else "<"
    (global_num,) = struct.unpack_from(endian + "H", data, pos + 2)
    n_fields = data[pos + 4]
    pos += 5
    wanted = _WANTED.get(global_num, {})
    fields = []
    offset = 0
    flags = 0
    compressed_at = None
    for _ in range(n_fields):
        num, size, base = data[pos], data[pos + 1], data[pos + 2] & 0x1F
        pos += 3
        if global_num == RECORD and num == RECORD_COMPRESSED_SPEED_DISTANCE:
            flags |= 1
            if size == 3:
                compressed_at = offset
        if base > 0x10:
            flags |= 2
        if num in wanted and base in _BASE_TYPES:
            code, invalid = _BASE_TYPES[base]
            unpacker = struct.Struct(endian + code)
            if unpacker.size == size:
                name, scale = wanted[num]
                fields.append((name, offset, unpacker, invalid, scale))
        offset += size
    if has_dev:
        n_dev = data[pos]
        pos += 1
        offset += sum(data[pos + 3 * k + 1] for k in range(n_dev))
        pos += 3 * n_dev
    return _Definition(global_num, offset, fields, compressed_at), pos, flags


def scan_summary_messages(data: bytes) -> FitSummaryMessages:
    """Decode file_id, session and lap messages of every FIT sequence in ``data``."""
    found = FitSummaryMessages()
    by_kind = {
        FILE_ID: found.file_ids,
        SESSION: found.sessions,
        LAP: found.laps,
        ACTIVITY: found.activities,
    }
    start = 0
    while start + 12 <= len(data):
        header_size = data[start]
        (data_size,) = struct.unpack_from("<I", data, start + 4)
        pos, end = start + header_size, start + header_size + data_size
        definitions: dict[int, _Definition] = {}
        accumulated = last_raw = 0
        while pos < end:
            header = data[pos]
            pos += 1
            if header & 0x80:  # compressed-timestamp header: a data message, local type 0-3
                local = (header >> 5) & 0x03
            elif header & 0x40:  # definition message
                definition, pos, flags = _read_definition(data, pos, bool(header & 0x20))
                definitions[header & 0x0F] = definition
                found.compressed_speed_distance |= bool(flags & 1)
                found.unknown_base_type |= bool(flags & 2)
                continue
            else:
                local = header & 0x0F
            definition = definitions[local]
            if definition.global_num == RECORD:
                speeds, distances = found.compressed_speed_m_s, found.compressed_distance_m
                at = definition.compressed_at
                if at is None:
                    speeds.append(_NAN)
                    distances.append(_NAN)
                else:
                    # FIT profile: speed is bits 0-11 (1/100 m/s), distance bits 12-23 (1/16 m),
                    # accumulated across records as the count rolls over every 256 m.
                    b0, b1, b2 = data[pos + at], data[pos + at + 1], data[pos + at + 2]
                    raw = (b1 >> 4) | (b2 << 4)
                    accumulated += (raw - last_raw) & 0xFFF
                    last_raw = raw
                    speeds.append((b0 | (b1 & 0x0F) << 8) / 100.0)
                    distances.append(accumulated / 16.0)
            if definition.fields:
                message = {}
                for name, offset, unpacker, invalid, scale in definition.fields:
                    (value,) = unpacker.unpack_from(data, pos + offset)
                    if value != invalid:
                        message[name] = value / scale if scale != 1 else float(value)
                by_kind[definition.global_num].append(message)
            pos += definition.size
        start = end + 2  # the file CRC
    return found
