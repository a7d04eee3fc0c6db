"""The one exception tree of milepost.

Every error a user can cause is a :class:`MilepostError`; interfaces turn it into what the user
sees in exactly one place each (the CLI boundary, the web app's handler).

    MilepostError                 (500)  base: message + optional hint
    ├── InputError                (422)  text the user typed could not be read or makes no sense
    ├── NotFoundError             (404)  an athlete, plan, activity ... that does not exist
    ├── PermissionDeniedError     (403)  exists, but not yours to see or change
    ├── ConflictError             (409)  clashes with stored data (a duplicate name, a stale edit)
    ├── ImportFileError           (422)  an activity file that cannot be read (path, byte offset)
    ├── InfeasiblePlanError       (422)  a plan request that cannot work (with an alternative)
    └── BusyError                 (503)  the database is busy: nothing was changed, try again
"""

from __future__ import annotations


class MilepostError(Exception):
    """Base of every error milepost raises on purpose."""

    status = 500

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        message = _one_line(message)
        super().__init__(message)
        self.message = message
        self.hint = _one_line(hint) if hint is not None else None

    def __str__(self) -> str:
        return self.message


def _one_line(text: str) -> str:
    """Messages quote what the user typed: control characters are shown escaped, so an error
    is always one readable line."""
    return "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


class InputError(MilepostError):
    """Something the user typed could not be read, or is out of range."""

    status = 422


class NotFoundError(MilepostError):
    status = 404


class PermissionDeniedError(MilepostError):
    status = 403


class ConflictError(MilepostError):
    status = 409


class ImportFileError(MilepostError):
    """An activity file that cannot be read. ``offset`` is the byte offset where reading failed."""

    status = 422

    def __init__(
        self, message: str, *, path: str, offset: int | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.path = path
        self.offset = offset

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only fields survive pickling, so worker processes can send the error back.
        return (_rebuild_import_error, (self.message, self.path, self.offset, self.hint))


class InfeasiblePlanError(MilepostError):
    """A plan request that cannot work. ``alternative`` names what would (e.g. a later date)."""

    status = 422

    def __init__(
        self, message: str, *, alternative: str | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message, hint=hint or alternative)
        self.alternative = alternative


class BusyError(MilepostError):
    """The database stayed locked past its busy timeout; the unit of work was rolled back."""

    status = 503


def _rebuild_import_error(
    message: str, path: str, offset: int | None, hint: str | None
) -> ImportFileError:
    return ImportFileError(message, path=path, offset=offset, hint=hint)
