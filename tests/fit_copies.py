"""Distinct copies of a real FIT file: every date_time moved by a whole number of days and the
CRCs recomputed, so each copy is a new activity to the importer (no sha256 or start-time
duplicate). Used by the crash-safety test and by bench/bench_import.py.
"""

from __future__ import annotations

import struct
from itertools import cycle, islice
from pathlib import Path

DAY_S = 86_400  # 2,700 × 32 s: compressed-timestamp headers (5 bits of 32 s) stay right

# date_time fields by (global message number, field number); 253 is "timestamp" in every message.
_TIME_FIELDS = {(0, 4), (18, 2), (19, 2), (34, 5)}
_CRC_TABLE: list[int] = []
for _byte in range(256):
    _crc = _byte
    for _ in range(8):
        _crc = (_crc >> 1) ^ 0xA001 if _crc & 1 else _crc >> 1
    _CRC_TABLE.append(_crc)


def fit_crc(data: bytes | bytearray) -> int:
    """The FIT CRC (CRC-16, polynomial 0xA001 reflected, FIT protocol document)."""
    crc = 0
    table = _CRC_TABLE
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


def shift_fit_times(data: bytes, shift_s: int) -> bytes:
    """The same file with every date_time moved by ``shift_s`` (a multiple of 32) and new CRCs."""
    out = bytearray(data)
    start = 0
    while start + 12 <= len(out):
        header_size = out[start]
        (data_size,) = struct.unpack_from("<I", out, start + 4)
        pos, end = start + header_size, start + header_size + data_size
        layouts: dict[int, tuple[str, int, list[tuple[int, int]]]] = {}
        while pos < end:
            header = out[pos]
            pos += 1
            if header & 0x80:
                local = (header >> 5) & 0x03
            elif header & 0x40:
                endian = ">" if out[pos + 1] == 1 else "<"
                (global_num,) = struct.unpack_from(endian + "H", out, pos + 2)
                n_fields = out[pos + 4]
                pos += 5
                offset, times = 0, []
                for _ in range(n_fields):
                    num, size = out[pos], out[pos + 1]
                    if size == 4 and (num == 253 or (global_num, num) in _TIME_FIELDS):
                        times.append((offset, num))
                    offset += size
                    pos += 3
                if header & 0x20:  # developer fields
                    n_dev = out[pos]
                    offset += sum(out[pos + 1 + 3 * k + 1] for k in range(n_dev))
                    pos += 1 + 3 * n_dev
                layouts[header & 0x0F] = (endian, offset, times)
                continue
            else:
                local = header & 0x0F
            endian, size, times = layouts[local]
            for offset, _num in times:
                (value,) = struct.unpack_from(endian + "I", out, pos + offset)
                if value != 0xFFFFFFFF:
                    struct.pack_into(endian + "I", out, pos + offset, value + shift_s)
            pos += size
        struct.pack_into("<H", out, end, fit_crc(out[start:end]))
        start = end + 2
    return bytes(out)


def write_fit_copies(sources: list[Path], folder: Path, n_files: int) -> list[Path]:
    """``n_files`` distinct FIT files in ``folder``, cycling ``sources``: copy ``c`` of each is
    moved ``c`` days later."""
    paths = []
    for i, source in enumerate(islice(cycle(sources), n_files)):
        copy = i // len(sources)
        data = source.read_bytes()
        target = folder / f"{i:04d}-{source.name}"
        target.write_bytes(shift_fit_times(data, copy * DAY_S) if copy else data)
        paths.append(target)
    return paths
