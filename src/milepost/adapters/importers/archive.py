"""Walking what a runner hands over: single files, folders, gzip files and export zips.

Garmin Connect exports nest zips of uploaded files inside the export zip; Strava exports keep
``activities/123.fit.gz``. Both are walked member by member and yield ``(path, bytes)`` for each
activity file, the path naming the member inside its archive (``export.zip/activities/1.fit.gz``).

Everything is bounded, so a zip or gzip bomb fails alone instead of filling memory: members are
unpacked one at a time as the caller asks for them (never all at once), each to at most
``MAX_FILE_BYTES``, an upload to at most ``MAX_TOTAL_BYTES`` and ``MAX_MEMBERS`` files in all.
macOS's ``__MACOSX/`` folder and ``._`` resource forks are skipped without a word.
"""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from milepost.errors import ImportFileError

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx")
# The largest activity file we expect: a 24-hour FIT at 1 Hz is ~5 MB, a GPX of it ~30 MB.
MAX_FILE_BYTES = 64 * 1024 * 1024
# One upload or one `log import`: years of a Garmin export unpack to a few GB at most.
MAX_TOTAL_BYTES = 4 * 1024 * 1024 * 1024
MAX_MEMBERS = 50_000
MAX_ZIP_DEPTH = 3
_CHUNK = 1024 * 1024


def is_activity_name(name: str) -> bool:
    lowered = name.lower().removesuffix(".gz")
    return lowered.endswith(ACTIVITY_SUFFIXES)


def is_noise(name: str) -> bool:
    """macOS's resource forks and metadata folder, which Finder adds to every zip it makes."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return any(part == "__MACOSX" or part.startswith("._") for part in parts)


def _read_capped(stream: IO[bytes] | gzip.GzipFile, limit: int) -> bytes | None:
    """Up to ``limit`` bytes of ``stream``, or ``None`` when it holds more (read in chunks, so
    a bomb is stopped after ``limit`` bytes, whatever its header claims)."""
    out = bytearray()
    while len(out) <= limit:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return bytes(out)
        out += chunk
    return None


def _megabytes(limit: int) -> str:
    return f"{limit // (1024 * 1024):,} MB"


def gunzip(data: bytes, path: str) -> bytes:
    """The content of a gzip file, refusing one that would unpack beyond ``MAX_FILE_BYTES``."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            content = _read_capped(stream, MAX_FILE_BYTES)
    except (OSError, EOFError, zlib.error) as exc:
        raise ImportFileError(f"{path} is not a readable gzip file: {exc}", path=path) from exc
    if content is None:
        raise ImportFileError(
            f"{path} unpacks to more than {_megabytes(MAX_FILE_BYTES)}: refused "
            "(no activity file is that large)",
            path=path,
        )
    return content


Member = tuple[str, bytes | ImportFileError]


@dataclass
class Budget:
    """What one upload may still unpack."""

    bytes_left: int = field(default_factory=lambda: MAX_TOTAL_BYTES)
    members_left: int = field(default_factory=lambda: MAX_MEMBERS)
    exhausted: bool = False

    def take(self, path: str, size: int) -> ImportFileError | None:
        if self.members_left <= 0 or size > self.bytes_left:
            self.exhausted = True
            return ImportFileError(
                f"{path} and what follows it were not unpacked: one import takes at most "
                f"{MAX_MEMBERS:,} files and {_megabytes(MAX_TOTAL_BYTES)}",
                path=path,
                hint="import it in parts",
            )
        self.members_left -= 1
        self.bytes_left -= size
        return None


def _walk_zip(data: bytes, path: str, depth: int, budget: Budget) -> Iterator[Member]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        yield path, ImportFileError(f"{path} is not a readable zip file: {exc}", path=path)
        return
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            member = f"{path}/{info.filename}"
            name = info.filename.lower()
            is_zip = name.endswith(".zip")
            if info.is_dir() or is_noise(info.filename) or not (is_zip or is_activity_name(name)):
                continue
            if budget.exhausted:
                return
            if info.file_size > MAX_FILE_BYTES:
                yield (
                    member,
                    ImportFileError(
                        f"{member} unpacks to over {_megabytes(MAX_FILE_BYTES)}: refused",
                        path=member,
                    ),
                )
                continue
            try:
                with archive.open(info) as stream:
                    content = _read_capped(stream, MAX_FILE_BYTES)
            except (zipfile.BadZipFile, OSError, zlib.error, EOFError, NotImplementedError) as exc:
                yield member, ImportFileError(f"{member} cannot be unpacked: {exc}", path=member)
                continue
            if content is None:
                yield member, ImportFileError(f"{member} unpacks to too much: refused", path=member)
                continue
            refused = budget.take(member, len(content))
            if refused is not None:
                yield member, refused
                return
            if is_zip:
                if depth < MAX_ZIP_DEPTH:
                    yield from _walk_zip(content, member, depth + 1, budget)
                continue
            yield member, content


def iter_upload(name: str, data: bytes, budget: Budget | None = None) -> Iterator[Member]:
    """The activity files in one uploaded file, labelled by ``name`` (a label only: it never
    becomes a path on this machine)."""
    budget = budget or Budget()
    if data[:4] == b"PK\x03\x04" or name.lower().endswith(".zip"):
        yield from _walk_zip(data, name, 1, budget)
        return
    if is_noise(name):
        return
    refused = budget.take(name, len(data))
    yield name, refused if refused is not None else data


def iter_activity_files(path: str | Path, budget: Budget | None = None) -> Iterator[Member]:
    """Each activity file under ``path`` (a file, a folder or a zip), as ``(path, bytes)``.

    Members are yielded still gzipped when they were (``read_activity`` unpacks them), so the
    original bytes can be kept for export. A member that cannot be unpacked comes as
    ``(path, ImportFileError)``: it fails alone and the walk goes on.
    """
    budget = budget or Budget()
    root = Path(path)
    if root.is_dir():
        for child in sorted(p for p in root.rglob("*") if p.is_file()):
            if is_noise(str(child.relative_to(root))):
                continue
            if child.suffix.lower() == ".zip" or is_activity_name(child.name):
                yield from iter_activity_files(child, budget)
                if budget.exhausted:
                    return
        return
    try:
        size = root.stat().st_size
        if size > MAX_FILE_BYTES and root.suffix.lower() != ".zip":
            yield (
                str(root),
                ImportFileError(
                    f"{root} is larger than {_megabytes(MAX_FILE_BYTES)}: no activity file is",
                    path=str(root),
                ),
            )
            return
        data = root.read_bytes()
    except OSError as exc:
        yield str(root), ImportFileError(f"{root} cannot be read: {exc.strerror}", path=str(root))
        return
    if root.suffix.lower() == ".zip" or data[:4] == b"PK\x03\x04":
        yield from _walk_zip(data, str(root), 1, budget)
    else:
        refused = budget.take(str(root), len(data))
        yield str(root), refused if refused is not None else data
