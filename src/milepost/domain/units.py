"""Reading and writing the units runners type: times, distances, paces, temperatures, heights.

Inside milepost everything is metres and seconds; these functions are the only door in and out.
Every parser raises :class:`InputError` naming the part it could not read.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from milepost.errors import InputError

METRES_PER_MILE = 1609.344
METRES_PER_FOOT = 0.3048


class Units(StrEnum):
    """The athlete's display units."""

    KM = "km"
    MI = "mi"

    @property
    def metres(self) -> float:
        return 1000.0 if self is Units.KM else METRES_PER_MILE


@dataclass(frozen=True)
class StandardDistance:
    key: str  # stable key used in JSON output
    label: str  # what a runner reads
    metres: float


# The race distances Daniels' tables list, in order (Daniels' Running Formula, Table 5.1).
STANDARD_DISTANCES: tuple[StandardDistance, ...] = (
    StandardDistance("1500m", "1500 m", 1500.0),
    StandardDistance("mile", "Mile", METRES_PER_MILE),
    StandardDistance("3000m", "3000 m", 3000.0),
    StandardDistance("2mile", "2 miles", 2 * METRES_PER_MILE),
    StandardDistance("5k", "5K", 5000.0),
    StandardDistance("10k", "10K", 10000.0),
    StandardDistance("15k", "15K", 15000.0),
    StandardDistance("half_marathon", "Half marathon", 21097.5),
    StandardDistance("marathon", "Marathon", 42195.0),
)
HALF_MARATHON_M = 21097.5
MARATHON_M = 42195.0

_NAMED_DISTANCES: dict[str, float] = {
    "half": HALF_MARATHON_M,
    "halfmarathon": HALF_MARATHON_M,
    "hm": HALF_MARATHON_M,
    "marathon": MARATHON_M,
    "fullmarathon": MARATHON_M,
    "mile": METRES_PER_MILE,
    "2mile": 2 * METRES_PER_MILE,
    "twomile": 2 * METRES_PER_MILE,
}

_DISTANCE_UNITS: dict[str, float] = {
    "m": 1.0,
    "metre": 1.0,
    "metres": 1.0,
    "meter": 1.0,
    "meters": 1.0,
    "k": 1000.0,
    "km": 1000.0,
    "kms": 1000.0,
    "mi": METRES_PER_MILE,
    "mile": METRES_PER_MILE,
    "miles": METRES_PER_MILE,
}

_NUMBER = r"(\d+(?:\.\d+)?|\.\d+)"
_DISTANCE_RE = re.compile(rf"^{_NUMBER}\s*([a-z]+)$")
_CLOCK_RE = re.compile(r"^(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)$")
_SPOKEN_DURATION_RE = re.compile(
    r"^(?:(?P<h>\d+(?:\.\d+)?)\s*h(?:ours?|rs?)?)?\s*"
    r"(?:(?P<m>\d+(?:\.\d+)?)\s*m(?:in(?:utes?|s)?)?)?\s*"
    r"(?:(?P<s>\d+(?:\.\d+)?)\s*s(?:ec(?:onds?|s)?)?)?$"
)


def parse_duration(text: str) -> float:
    """Seconds from ``mm:ss``, ``h:mm:ss`` (fractions allowed) or ``1h30m``/``45min``/``90s``."""
    raw = text.strip().lower()
    clock = _CLOCK_RE.match(raw)
    if clock:
        hours_s, minutes_s, seconds_s = clock.groups()
        seconds = float(seconds_s)
        minutes = int(minutes_s)
        if seconds >= 60 or (hours_s is not None and minutes >= 60):
            raise InputError(
                f"could not read '{text}' as a time: minutes and seconds must be below 60",
                hint="write 1:05:30 for one hour, five minutes and thirty seconds",
            )
        total = (int(hours_s) if hours_s else 0) * 3600 + minutes * 60 + seconds
    else:
        spoken = _SPOKEN_DURATION_RE.match(raw) if raw else None
        if not spoken or not any(spoken.groupdict().values()):
            raise InputError(
                f"could not read '{text}' as a time: expected mm:ss or h:mm:ss",
                hint="for example 19:57, 1:31:35 or 3:10:49.5 (45min and 1h30m work too)",
            )
        parts = spoken.groupdict()
        total = float(parts["h"] or 0) * 3600 + float(parts["m"] or 0) * 60 + float(parts["s"] or 0)
    if total <= 0:
        raise InputError(f"'{text}' is not a time: it must be longer than zero")
    return total


def format_duration(seconds: float, *, decimals: int = 0) -> str:
    """``1197`` → ``19:57``; ``5495`` → ``1:31:35``; rounds to ``decimals`` places of a second."""
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"cannot format {seconds!r} as a duration")
    scale = 10**decimals
    total = round(seconds * scale)
    whole, fraction = divmod(total, scale)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    tail = f".{fraction:0{decimals}d}" if decimals else ""
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}{tail}"
    return f"{minutes}:{secs:02d}{tail}"


def parse_distance(text: str) -> float:
    """Metres from ``5k``, ``10 km``, ``half``, ``half-marathon``, ``mile``, ``1500m``, ``8 mi``."""
    raw = text.strip().lower()
    squashed = re.sub(r"[\s_\-]+", "", raw)
    if squashed in _NAMED_DISTANCES:
        return _NAMED_DISTANCES[squashed]
    match = _DISTANCE_RE.match(re.sub(r"\s+", " ", raw.replace("-", " ")))
    if match and match.group(2) in _DISTANCE_UNITS:
        metres = float(match.group(1)) * _DISTANCE_UNITS[match.group(2)]
        if metres <= 0:
            raise InputError(f"'{text}' is not a distance: it must be longer than zero")
        return metres
    raise InputError(
        f"could not read '{text}' as a distance",
        hint="for example 5k, 10 km, 1500m, mile, 2mi, 12.5km, half or marathon",
    )


def distance_key(metres: float) -> str | None:
    """The standard key (``5k``, ``half_marathon`` ...) for a distance, if it is one."""
    for standard in STANDARD_DISTANCES:
        if abs(standard.metres - metres) < 0.5:
            return standard.key
    return None


def format_distance(metres: float, units: Units = Units.KM, *, decimals: int = 1) -> str:
    key = distance_key(metres)
    if key is not None:
        return next(s.label for s in STANDARD_DISTANCES if s.key == key)
    return f"{metres / units.metres:.{decimals}f} {units.value}"


def format_volume(metres: float, units: Units = Units.KM) -> str:
    """A weekly volume or a run's length in the runner's units (``42 km``, ``6.5 mi``), never a
    race's name: 10 000 m a week is "10 km", not "10K". Whole units from 20 up, tenths below."""
    value = metres / units.metres
    text = f"{value:.0f}" if value >= 20 else f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{text} {units.value}"


def parse_pace(text: str) -> float:
    """Seconds per kilometre from ``4:30/km`` or ``7:15/mi`` (``/mile`` too)."""
    raw = text.strip().lower().replace(" ", "")
    if "/" not in raw:
        raise InputError(
            f"could not read '{text}' as a pace: say per what",
            hint="for example 4:30/km or 7:15/mi",
        )
    time_part, _, unit_part = raw.partition("/")
    per = {"km": 1000.0, "k": 1000.0, "mi": METRES_PER_MILE, "mile": METRES_PER_MILE}.get(unit_part)
    if per is None:
        raise InputError(
            f"could not read '{text}' as a pace: '{unit_part}' is not km or mi",
            hint="for example 4:30/km or 7:15/mi",
        )
    try:
        seconds = parse_duration(time_part)
    except InputError as exc:
        raise InputError(
            f"could not read '{text}' as a pace: expected m:ss/km or m:ss/mi",
            hint="for example 4:30/km or 7:15/mi",
        ) from exc
    return seconds * 1000.0 / per


def format_pace(s_per_km: float, units: Units = Units.KM) -> str:
    """``270`` → ``4:30/km`` (or per mile)."""
    return f"{format_duration(s_per_km * units.metres / 1000.0)}/{units.value}"


def parse_temperature_c(text: str) -> float:
    """Degrees Celsius from ``29``, ``29C``, ``29 °C`` or ``84F``; a bare number is Celsius."""
    raw = text.strip().lower().replace("°", "").replace(" ", "")
    match = re.match(r"^(-?\d+(?:\.\d+)?)([cf]?)$", raw)
    if not match:
        raise InputError(
            f"could not read '{text}' as a temperature",
            hint="for example 29 or 29C (Celsius) or 84F (Fahrenheit)",
        )
    value = float(match.group(1))
    celsius = (value - 32.0) * 5.0 / 9.0 if match.group(2) == "f" else value
    if not -60.0 <= celsius <= 60.0:
        raise InputError(f"{text} is not a temperature a runner meets outdoors")
    return celsius


def c_to_f(celsius: float) -> float:
    return celsius * 9.0 / 5.0 + 32.0


def parse_altitude_m(text: str) -> float:
    """Metres from ``1800m``, ``1800 m``, ``5900ft`` or ``5900 feet``; a bare number is metres."""
    raw = text.strip().lower().replace(" ", "")
    match = re.match(r"^(-?\d+(?:\.\d+)?)(m|metres|meters|ft|feet|foot)?$", raw)
    if not match:
        raise InputError(
            f"could not read '{text}' as an altitude", hint="for example 1800m or 5900ft"
        )
    value = float(match.group(1))
    metres = value * METRES_PER_FOOT if match.group(2) in ("ft", "feet", "foot") else value
    if not -500.0 <= metres <= 9000.0:
        raise InputError(f"{text} is not an altitude on Earth's running routes")
    return metres


def parse_grade(text: str) -> float:
    """A gradient as a fraction from ``6%``, ``-3 %`` or ``0.06``."""
    raw = text.strip().replace(" ", "")
    try:
        value = float(raw[:-1]) / 100.0 if raw.endswith("%") else float(raw)
    except ValueError as exc:
        raise InputError(
            f"could not read '{text}' as a gradient", hint="for example 6% or -3%"
        ) from exc
    if not math.isfinite(value):
        raise InputError(f"could not read '{text}' as a gradient", hint="for example 6% or -3%")
    return value


def parse_date(text: str) -> date:
    """A calendar date from ``YYYY-MM-DD``."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InputError(
            f"could not read '{text}' as a date", hint="write dates as YYYY-MM-DD, e.g. 2027-04-18"
        ) from exc


def parse_weight_kg(text: str) -> float:
    """Kilograms from ``61``, ``61kg`` or ``134lb``; a bare number is kilograms."""
    raw = text.strip().lower().replace(" ", "")
    match = re.match(r"^(\d+(?:\.\d+)?)(kg|lb|lbs)?$", raw)
    if not match:
        raise InputError(f"could not read '{text}' as a weight", hint="for example 61kg or 134lb")
    value = float(match.group(1))
    return value * 0.45359237 if match.group(2) in ("lb", "lbs") else value
