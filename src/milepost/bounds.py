"""The limits every boundary checks before a value goes further (CLI, forms, the API, services).

A value past one of these is the user's mistake and an :class:`InputError` naming it; it never
reaches the database, where SQLite and PostgreSQL disagree about what is too long or too big
(PostgreSQL refuses a 201-character ``VARCHAR(200)``, a NUL in text and an id of 2³¹; SQLite
stores the first two and overflows on 2⁶³).

Like ``errors.py`` this module is pure (standard library only), so services and interfaces
share one definition of "too long".
"""

from __future__ import annotations

from datetime import date
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from milepost.errors import InputError

# Every id column is a 32-bit INTEGER on PostgreSQL.
MAX_ID = 2**31 - 1
NAME_LENGTH = 200  # athlete, display and race names (String(200))
LABEL_LENGTH = 100  # a token's name (String(100))
LOGIN_LENGTH = 254  # an email address at its longest (RFC 5321); usernames are shorter
PASSWORD_LENGTH = 1024  # argon2 hashes anything, but a megabyte of password is an attack
TIMEZONE_LENGTH = 64  # String(64); the longest IANA name is 32 characters
# No race or run is longer (the longest foot races are a few hundred kilometres).
MAX_DISTANCE_M = 1_000_000.0
# Plans and races: far enough for any real goal, near enough that date arithmetic never leaves
# the calendar (date.max is 9999-12-31).
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)


def check_id(value: int, what: str = "id") -> int:
    """An id as the database can hold it: 1 to 2³¹−1."""
    if not 1 <= value <= MAX_ID:
        raise InputError(f"{_short(str(value))} is not a {what}", hint="ids are whole numbers")
    return value


def parse_id(text: str, what: str = "id") -> int:
    """An id typed as text (the CLI's arguments)."""
    cleaned = text.strip()
    if not cleaned.isascii() or not cleaned.isdigit() or len(cleaned) > 10:
        raise InputError(f"'{_short(text)}' is not a {what}", hint="ids are whole numbers")
    return check_id(int(cleaned), what)


def check_text(
    value: str, what: str, *, max_length: int, allow_empty: bool = True, multiline: bool = False
) -> str:
    """Text a user typed, stripped: at most ``max_length`` characters and no control characters
    (a newline only where ``multiline``). NUL, escape sequences and stray newlines break
    calendars, logs and PostgreSQL; they are refused, not silently dropped."""
    value = value.strip()
    if not value and not allow_empty:
        raise InputError(f"{what} cannot be empty")
    if len(value) > max_length:
        raise InputError(f"{what} is longer than {max_length} characters ({len(value)})")
    allowed = {"\n", "\r", "\t"} if multiline else set()
    for ch in value:
        if ch in allowed:
            continue
        if not ch.isprintable() and ch != " ":
            raise InputError(
                f"{what} contains a control character ({ch.encode('unicode_escape').decode()})",
                hint="type it again without it" + ("" if multiline else ", on one line"),
            )
    return value


@cache
def _iana_names() -> frozenset[str]:
    # "Area/Location" names and UTC: the abbreviations and POSIX-style names that the tz
    # database also ships (EST, CET, EST5EDT, Japan) are ambiguous or have no DST rules.
    return frozenset(
        name
        for name in available_timezones()
        if name == "UTC" or ("/" in name and not name.startswith(("posix/", "right/")))
    )


def check_timezone(name: str) -> str:
    """An IANA time zone name such as ``Europe/London`` (or ``UTC``)."""
    cleaned = name.strip()
    if len(cleaned) > TIMEZONE_LENGTH or cleaned not in _iana_names():
        raise InputError(
            f"'{_short(name)}' is not a time zone",
            hint="use an IANA name such as Europe/London or America/New_York",
        )
    try:
        ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # pragma: no cover - tzdata gap
        raise InputError(f"'{cleaned}' is not a time zone") from exc
    return cleaned


def check_date(
    value: date, what: str, *, earliest: date = EARLIEST_DATE, latest: date = LATEST_DATE
) -> date:
    """A date inside the range milepost plans in."""
    if not earliest <= value <= latest:
        raise InputError(
            f"{what} {value.isoformat()} is out of range",
            hint=f"use a date from {earliest.isoformat()} to {latest.isoformat()}",
        )
    return value


def check_distance_m(value: float, what: str) -> float:
    """A distance a runner could run: more than zero and at most 1,000 km."""
    if not 0 < value <= MAX_DISTANCE_M:
        raise InputError(
            f"{what} of {value / 1000:,.0f} km is out of range", hint="at most 1,000 km"
        )
    return value


def _short(text: str, limit: int = 40) -> str:
    """What the user typed, cut for quoting in a one-line message."""
    return text if len(text) <= limit else text[:limit] + "…"
