"""Templates and the small formatting filters they use (units only at the interface)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from milepost.domain.units import Units, format_distance, format_duration, format_pace

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))

LEVEL_LABEL = {"see_clinician": "See a clinician", "caution": "Caution", "info": "Info"}


def _units(value: str | Units | None) -> Units:
    if isinstance(value, Units):
        return value
    return Units(value) if value in ("km", "mi") else Units.KM


def distance(metres: float | None, units: str | Units | None = None) -> str:
    if not metres:
        return ""
    return format_distance(metres, _units(units))


def volume(metres: float | None, units: str | Units | None = None) -> str:
    u = _units(units)
    return f"{(metres or 0) / u.metres:.0f} {u.value}"


def pace(pair: tuple[float, float] | list[float] | None, units: str | Units | None = None) -> str:
    """A (fast, slow) pace range, e.g. ``5:10–5:35/km``; one pace when both ends agree."""
    if not pair:
        return ""
    u = _units(units)
    fast, slow = pair
    if round(fast) == round(slow):
        return format_pace(fast, u)
    return f"{format_pace(fast, u).split('/')[0]}–{format_pace(slow, u)}"


def one_pace(s_per_km: float | None, units: str | Units | None = None) -> str:
    return format_pace(s_per_km, _units(units)) if s_per_km else ""


def duration(seconds: float | None) -> str:
    return format_duration(seconds) if seconds else ""


def day_label(on: date | str) -> str:
    when = date.fromisoformat(on) if isinstance(on, str) else on
    return f"{when:%a %d %b}"


TEMPLATES.env.filters.update(
    distance=distance,
    volume=volume,
    pace=pace,
    one_pace=one_pace,
    duration=duration,
    day=day_label,
)
TEMPLATES.env.globals.update(LEVEL_LABEL=LEVEL_LABEL)


def public_url(request: Request, name: str, **params: str) -> str:
    """An absolute link to the route ``name`` for use outside this page (an invite, a calendar
    subscription): on the configured base URL, never on the request's Host header."""
    base: str = request.app.state.base_url
    return base + str(request.app.url_path_for(name, **params))


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a template with who is signed in and the form token."""
    viewer = getattr(request.state, "viewer", None)
    context.setdefault("viewer", viewer)
    context.setdefault("csrf_token", getattr(request.state, "csrf_token", ""))
    context.setdefault("is_htmx", request.headers.get("HX-Request") == "true")
    return TEMPLATES.TemplateResponse(request, name, context, status_code=status_code)
