"""Walking what a runner hands over: single files, folders, gzip files and export zips.

Garmin Connect exports nest zips of uploaded files inside the export zip; Strava exports keep
``activities/123.fit.gz``. Both are walked member by member and yield ``(path, bytes)`` for each
activity file, the path naming the member inside its archive (``export.zip/activities/1.fit.gz``).
Sizes are capped so a zip or gzip bomb fails alone instead of filling memory.
"""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from milepost.errors import ImportFileError

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx")
# The largest activity file we expect: a 24-hour FIT at 1 Hz is ~5 MB, a GPX of it ~30 MB.
MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_ZIP_DEPTH = 3


def is_activity_name(name: str) -> bool:
    lowered = name.lower().removesuffix(".gz")
    return lowered.endswith(ACTIVITY_SUFFIXES)


def gunzip(data: bytes, path: str) -> bytes:
    """The content of a gzip file, refusing one that would unpack beyond ``MAX_FILE_BYTES``."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            content = stream.read(MAX_FILE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise ImportFileError(f"{path} is not a readable gzip file: {exc}", path=path) from exc
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(f"{path} unpacks to more than 256 MB: refused", path=path)
    return content


Member = tuple[str, bytes | ImportFileError]


def _walk_zip(data: bytes, path: str, depth: int) -> Iterator[Member]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        yield path, ImportFileError(f"{path} is not a readable zip file: {exc}", path=path)
        return
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            member = f"{path}/{info.filename}"
            name = info.filename.lower()
            is_zip = name.endswith(".zip")
            if info.is_dir() or not (is_zip or is_activity_name(name)):
                continue
            if info.file_size > MAX_FILE_BYTES:
                yield (
                    member,
                    ImportFileError(f"{member} unpacks to over 256 MB: refused", path=member),
                )
                continue
            try:
                content = archive.read(info)
            except (zipfile.BadZipFile, OSError, zlib.error, EOFError) as exc:
                yield member, ImportFileError(f"{member} cannot be unpacked: {exc}", path=member)
                continue
            if is_zip:
                if depth < MAX_ZIP_DEPTH:
                    yield from _walk_zip(content, member, depth + 1)
                continue
            yield member, content


def iter_activity_files(path: str | Path) -> Iterator[Member]:
    """Each activity file under ``path`` (a file, a folder or a zip), as ``(path, bytes)``.

    Members are yielded still gzipped when they were (``read_activity`` unpacks them), so the
    original bytes can be kept for export. A member that cannot be unpacked comes as
    ``(path, ImportFileError)``: it fails alone and the walk goes on.
    """
    root = Path(path)
    if root.is_dir():
        for child in sorted(p for p in root.rglob("*") if p.is_file()):
            if child.suffix.lower() == ".zip" or is_activity_name(child.name):
                yield from iter_activity_files(child)
        return
    try:
        data = root.read_bytes()
    except OSError as exc:
        yield str(root), ImportFileError(f"{root} cannot be read: {exc.strerror}", path=str(root))
        return
    if root.suffix.lower() == ".zip" or data[:4] == b"PK\x03\x04":
        yield from _walk_zip(data, str(root), 1)
    else:
        yield str(root), data
