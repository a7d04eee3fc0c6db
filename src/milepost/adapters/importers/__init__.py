"""Activity importers: FIT, GPX and TCX files, gzip files, folders and export zips.

    read_activity(path_or_bytes, name)  -> ImportResult   one file; ImportFileError if unreadable
    iter_activity_files(path)           -> (path, bytes | ImportFileError) for each file inside
    iter_upload(name, bytes)            -> the same for one uploaded file (its name a label only)
    read_activities(members, processes) -> (path, ImportResult | ImportFileError), in order,
                                           on the one shared pool of reader processes

Every failure is an :class:`~milepost.errors.ImportFileError` (with the byte offset for FIT);
non-fatal problems are ``ImportResult.warnings``.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import struct
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path

from milepost.adapters.importers.archive import gunzip, iter_activity_files, iter_upload
from milepost.adapters.importers.fit import read_fit
from milepost.adapters.importers.gpx import read_gpx
from milepost.adapters.importers.result import ImportResult, one_result
from milepost.adapters.importers.tcx import read_tcx
from milepost.domain.activity import Samples
from milepost.domain.efforts import EFFORT_SPORTS, best_efforts
from milepost.errors import ImportFileError

__all__ = [
    "ImportResult",
    "iter_activity_files",
    "iter_upload",
    "read_activities",
    "read_activity",
    "shared_pool",
    "shutdown_pool",
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
            # The decoder's own words mean nothing to a runner ("float() argument must be…"):
            # the message says what is wrong in hers, the hint what to do.
            raise ImportFileError(
                f"{path} is damaged and cannot be read: parts of this {str(kind).upper()} file "
                "are not laid out as the format requires",
                path=path,
                hint="export it again from the watch or the app it came from",
            ) from exc
    raise ImportFileError(
        f"{path} is not a FIT, GPX or TCX file",
        path=path,
        hint="milepost reads .fit, .gpx and .tcx files, gzipped or not, and export zips",
    )


# An ImportFileError takes keyword arguments, which pickling across processes does not carry:
# the workers send back its parts instead.
_Outcome = ImportResult | tuple[str, str, int | None, str | None]


_NO_SAMPLES = Samples(time_s=None, distance_m=None)


def prepare_for_storage(result: ImportResult) -> ImportResult:
    """Do the storage's CPU work where the file was read: best efforts and the samples blob.
    The activities come back without their samples, so little crosses between processes and
    the process that stores them only writes (issue 15: the two-process split)."""
    # imported here: only the reader processes need the storage encoding
    from milepost.adapters.storage.repositories import encode_samples

    prepared = []
    for one in result.results:
        samples = one.activity.samples
        efforts = best_efforts(samples) if one.activity.sport in EFFORT_SPORTS else ()
        prepared.append(
            replace(
                one,
                activity=replace(one.activity, samples=_NO_SAMPLES),
                efforts=tuple(efforts),
                stored_samples=(len(samples), encode_samples(samples)) if len(samples) else None,
            )
        )
    return one_result(prepared)


def _read_member(member: tuple[str, bytes, bool]) -> _Outcome:
    path, data, prepare = member
    try:
        result = read_activity(data, path)
        return prepare_for_storage(result) if prepare else result
    except ImportFileError as exc:
        return (exc.message, exc.path, exc.offset, exc.hint)
    except (MemoryError, RecursionError):
        return (f"{path} is too large or too deeply nested to read", path, None, None)
    except Exception as exc:  # noqa: BLE001 - one file's bug must not abort the batch
        # Anything else is a bug in milepost on an unusual file: that file fails in plain words,
        # and the files after it are still read (issue 19: a year-9999 time aborted the batch).
        return (
            f"{path} could not be read: milepost does not understand something in it "
            f"({type(exc).__name__})",
            path,
            None,
            "please report it with the file attached",
        )


# --- one pool of reader processes, shared by every import in this process --------------------

_POOL: ProcessPoolExecutor | None = None
_POOL_LOCK = threading.Lock()
_WATCH_EVERY_S = 0.5


def _watch_parent(parent_pid: int) -> None:
    """In each worker: exit as soon as the process that started the pool is gone, even when it
    was killed with SIGKILL and could not say goodbye (issue 19: 14 orphans of 200 MB each)."""
    first_ppid = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(_WATCH_EVERY_S)
            if os.getppid() != first_ppid or not _alive(parent_pid):
                os._exit(0)

    threading.Thread(target=watch, name="milepost-parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def shared_pool(processes: int) -> ProcessPoolExecutor:
    """The one reader pool of this process (started on first use, with ``processes`` workers).

    Every import — each CLI run, each web upload, however many at once — queues its files here,
    so twenty uploads at once still use ``processes`` workers, not forty. Workers die with the
    process that started them.
    """
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            # Forking copies the process as it is: instant, and safe while only one thread
            # runs (the CLI). A threaded process (the web server) forks from a fork server
            # instead, started once with the readers already imported.
            method = "fork" if threading.active_count() == 1 else "forkserver"
            context = multiprocessing.get_context(method)
            if method == "forkserver":
                context.set_forkserver_preload(["milepost.adapters.importers"])
            _POOL = ProcessPoolExecutor(
                max_workers=processes,
                mp_context=context,
                initializer=_watch_parent,
                initargs=(os.getpid(),),
            )
        return _POOL


def shutdown_pool() -> None:
    """Stop the shared reader pool and wait for its workers (a benchmark counting their CPU, a
    test); the next import starts a new one."""
    global _POOL
    with _POOL_LOCK:
        pool, _POOL = _POOL, None
    if pool is not None:
        pool.shutdown(wait=True)


def _drop_pool(broken: ProcessPoolExecutor) -> None:
    global _POOL
    with _POOL_LOCK:
        if _POOL is broken:
            _POOL = None
    broken.shutdown(wait=False, cancel_futures=True)


def _outcome(path: str, outcome: _Outcome) -> ImportResult | ImportFileError:
    if isinstance(outcome, ImportResult):
        return outcome
    message, error_path, offset, hint = outcome
    return ImportFileError(message, path=error_path, offset=offset, hint=hint)


def read_activities(
    members: Iterable[tuple[str, bytes | ImportFileError]],
    processes: int = 1,
    prepare: bool = False,
) -> Iterator[tuple[str, ImportResult | ImportFileError]]:
    """Read many files, in order, each failing alone; ``processes`` > 1 uses the shared pool
    (a lone file is read in this process: starting the pool would cost more than it saves).

    Both ends stream: members are taken from ``members`` only as workers are ready for them (a
    few in flight per worker, so an export of thousands of files is never all in memory), and
    each result is yielded as soon as it and those before it are read. ``prepare`` does the
    storage's CPU work there too (:func:`prepare_for_storage`).
    """
    members = iter(members)
    first = list(itertools.islice(members, 2))
    if processes <= 1 or len(first) < 2:  # one file is read here: no pool to start for it
        for path, data in itertools.chain(first, members):
            yield (
                path,
                data
                if isinstance(data, ImportFileError)
                else _outcome(path, _read_member((path, data, prepare))),
            )
        return
    members = itertools.chain(first, members)
    pool = shared_pool(processes)
    window: deque[tuple[str, ImportFileError | Future[_Outcome]]] = deque()
    in_flight = 4 * processes
    for path, data in members:
        if isinstance(data, ImportFileError):
            window.append((path, data))
        else:
            try:
                window.append((path, pool.submit(_read_member, (path, data, prepare))))
            except BrokenProcessPool:
                _drop_pool(pool)
                pool = shared_pool(processes)
                window.append((path, pool.submit(_read_member, (path, data, prepare))))
        while len(window) > in_flight:
            yield _settle(window.popleft(), pool)
    while window:
        yield _settle(window.popleft(), pool)


def _settle(
    entry: tuple[str, ImportFileError | Future[_Outcome]], pool: ProcessPoolExecutor
) -> tuple[str, ImportResult | ImportFileError]:
    path, pending = entry
    if isinstance(pending, ImportFileError):
        return path, pending
    try:
        return path, _outcome(path, pending.result())
    except BrokenProcessPool:
        # A worker died under this file (out of memory, killed): it fails alone, and the next
        # import starts a fresh pool.
        _drop_pool(pool)
        return path, ImportFileError(
            f"{path} could not be read: the reader stopped while reading it", path=path
        )
