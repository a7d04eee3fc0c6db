"""The runner's own edits: a session moved to another day, or pinned where it is.

Edits are inputs, so they survive every re-plan (design.md). They win over the plan's own
placement but never over safety: a move onto a day without running, onto or off a day of a
return stage or ladder rung, past a day's cap, or one that puts two hard days together, is not
applied, and the change says why (services refuse such a move before storing it). A pin keeps
a session's load during a rebuild; a safety rule (fever, injury) still removes a pinned
session, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time, timedelta

from milepost.domain.adapt.model import Change, DayRules, Level
from milepost.domain.plan.model import Day, Plan

SOURCE = "the runner's own edit (design.md: edits are inputs)"


@dataclass(frozen=True)
class Edit:
    kind: str  # "move" | "pin"
    on: date
    index: int = 0  # which of the day's sessions
    to: date | None = None
    id: int | None = None
    at: time | None = None  # a pin's start time, for the scheduler


def _blocked(rules: dict[date, DayRules], on: date, quality: bool) -> str | None:
    day_rules = rules.get(on)
    if day_rules is None or day_rules.deciding is None:
        return None
    if day_rules.level >= Level.CROSS_ONLY or (quality and day_rules.level >= Level.EASY_ONLY):
        return day_rules.deciding.reason
    return None


def _in_return(rules: dict[date, DayRules], on: date) -> str | None:
    """A day whose sessions belong to a return stage or a ladder rung: they keep their order,
    so nothing moves onto or off it (design.md: edits never override safety)."""
    day_rules = rules.get(on)
    if day_rules is None:
        return None
    if day_rules.stage:
        return f"{on:%a %d %b} is {day_rules.stage}: a return's stages keep their order and caps"
    return None


def refusal(
    plan: Plan, edit: Edit, rules: dict[date, DayRules], days: dict[date, Day] | None = None
) -> str | None:
    """Why this move can't happen, or None when it can."""
    days = days if days is not None else {d.date: d for d in plan.days()}
    source = days.get(edit.on)
    target = days.get(edit.to) if edit.to else None
    if source is None or target is None or edit.index >= len(source.sessions):
        return "that day or session is not in the plan"
    session = source.sessions[edit.index]
    if not (session.is_run or session.kind.value in ("strength", "cross")):
        return None
    why = _in_return(rules, edit.on) or (_in_return(rules, edit.to) if edit.to else None)
    if why is not None:
        return why
    hard = session.is_quality or session.kind.value == "long"
    if session.kind.value == "strength" and edit.to:
        target_rules = rules.get(edit.to)
        if target_rules is not None and target_rules.no_strength:
            return target_rules.deciding.reason if target_rules.deciding else "no strength then"
        return None
    assert edit.to is not None
    why = _blocked(rules, edit.to, hard) if session.is_run else None
    target_rules = rules.get(edit.to)
    fast = session.kind.value in ("interval", "repetition", "fartlek")
    if why is None and fast and target_rules is not None and target_rules.threshold_only:
        why = "quality comes back as threshold first, before intervals and repetitions"
    if why is None and session.is_run:
        cap = rules[edit.to].max_run_s if edit.to in rules else None
        if cap is not None and session.duration_s > cap + 60:
            why = f"{session.title} is longer than the {cap / 60:.0f} min that day allows"
    if why is None and session.is_run:
        # The target's runs swap into the emptied day: they must be allowed there too.
        for back in (s for s in target.sessions if s.is_run):
            back_hard = back.is_quality or back.kind.value == "long"
            why = _blocked(rules, edit.on, back_hard)
            source_rules = rules.get(edit.on)
            if why is None and source_rules is not None:
                fast_back = back.kind.value in ("interval", "repetition", "fartlek")
                if fast_back and source_rules.threshold_only:
                    why = "quality comes back as threshold first, before intervals"
                cap = source_rules.max_run_s
                if cap is not None and back.duration_s > cap + 60:
                    why = f"{back.title} would be longer than {edit.on:%a %d %b} allows"
            if why is not None:
                why = f"{back.title} would swap onto {edit.on:%a %d %b}: {why}"
                break
    if why is None and hard:
        neighbours = [
            days.get(edit.to - timedelta(days=1)),
            days.get(edit.to + timedelta(days=1)),
        ]
        if any(n is not None and n.date != edit.on and n.is_hard for n in neighbours):
            why = "it would put two hard days in a row"
    return why


def apply_edits(
    plan: Plan, edits: list[Edit], rules: dict[date, DayRules]
) -> tuple[Plan, list[Change]]:
    days = {d.date: d for d in plan.days()}
    changes: list[Change] = []
    for edit in sorted(edits, key=lambda e: (e.id or 0, e.on)):
        if edit.kind != "move" or edit.to is None:
            continue
        source = days.get(edit.on)
        target = days.get(edit.to)
        if source is None or target is None or edit.index >= len(source.sessions):
            continue
        session = source.sessions[edit.index]
        why = refusal(plan, edit, rules, days)
        if why is not None:
            changes.append(
                Change(
                    edit.to,
                    session.title,
                    f"not moved here ({session.title} stays on {edit.on:%a %d %b})",
                    why,
                    SOURCE,
                    "edit",
                )
            )
            continue
        rest_source = tuple(s for i, s in enumerate(source.sessions) if i != edit.index)
        # The target's run (if any) swaps into the emptied day, so the week keeps its runs.
        target_runs = tuple(s for s in target.sessions if s.is_run) if session.is_run else ()
        target_rest = tuple(
            s for s in target.sessions if s not in target_runs and s.kind.value != "rest"
        )
        days[edit.on] = Day(
            edit.on, tuple(s for s in rest_source if s.kind.value != "rest") + target_runs
        )
        days[edit.to] = Day(edit.to, (session, *target_rest))
        changes.append(
            Change(
                edit.to,
                ", ".join(s.title for s in target_runs) or "rest",
                session.title,
                f"moved from {edit.on:%a %d %b} by you",
                SOURCE,
                "edit",
            )
        )
    weeks = tuple(replace(w, days=tuple(days[d.date] for d in w.days)) for w in plan.weeks)
    return replace(plan, weeks=weeks), changes
