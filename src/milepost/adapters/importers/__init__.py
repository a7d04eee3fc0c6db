"""Activity importers: FIT, GPX and TCX files, gzip files, folders and export zips.

    read_activity(path_or_bytes, name)  -> ImportResult   one file; ImportFileError if unreadable
    iter_activity_files(path)           -> (path, bytes | ImportFileError) for each file inside
    read_activities(members, processes) -> (path, ImportResult | ImportFileError), in order

Every failure is an :class:`~milepost.errors.ImportFileError` (with the byte offset for FIT);
non-fatal problems are ``ImportResult.warnings``.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from milepost.adapters.importers.archive import gunzip, iter_activity_files
from milepost.adapters.importers.fit import read_fit
from milepost.adapters.importers.gpx import read_gpx
from milepost.adapters.importers.result import ImportResult
from milepost.adapters.importers.tcx import read_tcx
from milepost.errors import ImportFileError

__all__ = [
    "ImportResult",
    "iter_activity_files",
    "read_activities",
    "read_activity",
]

_GZIP_MAGIC = b"\x1f\x8b"


def _format(data: bytes, name: str) -> str | None:
    """What the content says it is; the file name only when the content is not telling."""
    if len(data) >= 12 and data[8:12] == b".FIT":
        return "fit"
    head = data[:4096].lower()
    if b"<gpx" in head:
        return "gpx"
    if b"<trainingcenterdatabase" in head:
        return "tcx"
    suffix = name.lower().removesuffix(".gz").rpartition(".")[2]
    return suffix if suffix in ("fit", "gpx", "tcx") else None


def read_activity(source: str | Path | bytes, name: str | None = None) -> ImportResult:
    """Read one activity file, given as a path or as bytes (``name`` then labels it)."""
    if isinstance(source, bytes):
        path, data = name or "<bytes>", source
    else:
        path = name or str(source)
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise ImportFileError(f"{path} cannot be read: {exc.strerror}", path=path) from exc
    if data[:2] == _GZIP_MAGIC:
        data = gunzip(data, path)
    kind = _format(data, path)
    readers = {"fit": read_fit, "gpx": read_gpx, "tcx": read_tcx}
    if kind in readers:
        try:
            return readers[kind](data, path)
        except ImportFileError:
            raise
        except (
            struct.error,
            LookupError,
            ValueError,
            TypeError,
            ArithmeticError,
            UnicodeError,
            AssertionError,
        ) as exc:
            # The decoders' own errors on damaged files, found by tests/fuzz and atheris: a bad
            # length, an unknown encoding named in the XML declaration, an absurd number, an
            # array where a FIT field should hold one value, fitdecode's bare assert on a
            # malformed chunk size.
            raise ImportFileError(
                f"{path} is damaged and cannot be read ({type(exc).__name__}"
                + (f": {exc})" if str(exc) else ")"),
                path=path,
            ) from exc
    raise ImportFileError(
        f"{path} is not a FIT, GPX or TCX file",
        path=path,
        hint="milepost reads .fit, .gpx and .tcx files, gzipped or not, and export zips",
    )


# An ImportFileError takes keyword arguments, which pickling across processes does not carry:
# the workers send back its parts instead.
_Outcome = ImportResult | tuple[str, str, int | None, str | None]


def _read_member(member: tuple[str, bytes]) -> _Outcome:
    path, data = member
    try:
        return read_activity(data, path)
    except ImportFileError as exc:
        return (exc.message, exc.path, exc.offset, exc.hint)


def read_activities(
    members: Iterable[tuple[str, bytes | ImportFileError]], processes: int = 1
) -> Iterator[tuple[str, ImportResult | ImportFileError]]:
    """Read many files, in order, each failing alone; ``processes`` > 1 uses that many cores.

    Results stream: each is yielded as soon as it and those before it are read, so a caller can
    store them and report progress while the workers go on.
    """
    pending = [(path, data) for path, data in members]
    readable = [(path, data) for path, data in pending if isinstance(data, bytes)]
    if processes > 1 and len(readable) > 1:
        with ProcessPoolExecutor(max_workers=processes) as pool:
            # A small chunk keeps results flowing back steadily; 4 still amortises the pickling.
            yield from _in_order(pending, pool.map(_read_member, readable, chunksize=4))
    else:
        yield from _in_order(pending, map(_read_member, readable))


def _in_order(
    pending: list[tuple[str, bytes | ImportFileError]], outcomes: Iterator[_Outcome]
) -> Iterator[tuple[str, ImportResult | ImportFileError]]:
    for path, data in pending:
        if isinstance(data, ImportFileError):
            yield path, data
            continue
        outcome = next(outcomes)
        if isinstance(outcome, ImportResult):
            yield path, outcome
        else:
            message, error_path, offset, hint = outcome
            yield path, ImportFileError(message, path=error_path, offset=offset, hint=hint)
