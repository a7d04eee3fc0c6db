"""Illness: the neck check and the fever rule (docs/science.md §3).

- Fever (≥ 38.0 °C) or symptoms below the neck (chest, body aches, stomach): no training until
  24 h after they are gone, without fever-reducing medicine [S: sports-medicine practice]; a
  normal reading under paracetamol or ibuprofen does not count as fever-free.
- Symptoms above the neck only, no fever: easy running allowed, shorter and gentler [S].
The graded return that follows lives in return_to_run.py.
"""

from __future__ import annotations

from datetime import date, timedelta

from milepost.domain.adapt.model import Level, Restriction
from milepost.domain.adapt.timeline import Span, condition_days
from milepost.domain.episode import CheckIn, Episode, Symptoms

FEVER_SOURCE = "science.md §3 Fever [S]: complete rest until 24 h fever-free"
NECK_SOURCE = "science.md §3 Neck check [S]"
ABOVE_NECK_MAX_RUN_S = 45 * 60.0
ABOVE_NECK_LOAD = 0.7


def rest_until_24h_clear(span: Span, *, what: str, cause: str, source: str) -> list[Restriction]:
    """No training while ``what`` holds, nor on the day after it last held (the 24 hours)."""
    if span.first is None or span.last is None:
        return []
    reason = (
        f"{what} since {span.first:%a %d %b}; no running until 24 h after it is gone, without "
        "fever-reducing medicine"
    )
    out = [
        Restriction(d, Level.NO_TRAINING, reason, source, cause, provisional=span.provisional)
        for d in sorted(span.days)
    ]
    # The 24 hours after every day it held that the next day does not hold too.
    for last in sorted(d for d in span.days if d + timedelta(days=1) not in span.days):
        out.append(
            Restriction(
                last + timedelta(days=1),
                Level.NO_TRAINING,
                f"{what} last on {last:%a %d %b}: waiting out 24 h clear of it, without "
                "fever-reducing medicine, before running",
                source,
                cause,
                provisional=span.provisional,
            )
        )
    return out


def fever_span(episode: Episode, check_ins: list[CheckIn], today: date) -> Span:
    return condition_days(
        episode.start,
        episode.febrile_at_start,
        [(c.on, c.febrile) for c in check_ins],
        episode.end,
        today,
    )


def _symptom_reports(check_ins: list[CheckIn], wanted: Symptoms) -> list[tuple[date, bool | None]]:
    return [(c.on, None if c.symptoms is None else c.symptoms is wanted) for c in check_ins]


def illness_restrictions(
    episode: Episode, check_ins: list[CheckIn], today: date
) -> list[Restriction]:
    fever = fever_span(episode, check_ins, today)
    below = condition_days(
        episode.start,
        episode.symptoms is Symptoms.BELOW_NECK,
        _symptom_reports(check_ins, Symptoms.BELOW_NECK),
        episode.end,
        today,
    )
    above = condition_days(
        episode.start,
        episode.symptoms is Symptoms.ABOVE_NECK,
        _symptom_reports(check_ins, Symptoms.ABOVE_NECK),
        episode.end,
        today,
    )
    temp = max(
        [t for t in [episode.fever_c, *(c.temp_c for c in check_ins)] if t is not None],
        default=None,
    )
    fever_what = f"fever (up to {temp:.1f} °C)" if temp and temp >= 38.0 else "fever"
    out = rest_until_24h_clear(fever, what=fever_what, cause="illness", source=FEVER_SOURCE)
    out += rest_until_24h_clear(
        below, what="symptoms below the neck", cause="illness", source=NECK_SOURCE
    )
    blocked = {r.on for r in out}
    out += [
        Restriction(
            d,
            Level.EASY_ONLY,
            "symptoms above the neck only: easy running if you feel up to it, shorter, no "
            "quality; stop if you feel worse",
            NECK_SOURCE,
            "illness",
            max_run_s=ABOVE_NECK_MAX_RUN_S,
            load_factor=ABOVE_NECK_LOAD,
            provisional=above.provisional,
        )
        for d in sorted(above.days)
        if d not in blocked
    ]
    return out


def is_febrile(restrictions: list[Restriction]) -> bool:
    """Whether these restrictions include rest for a fever or whole-body illness."""
    return any(r.level is Level.NO_TRAINING for r in restrictions)
