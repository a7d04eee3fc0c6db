"""``derive_plan``: the current plan as a function of its inputs (design.md).

generate → restrictions from every episode (illness, mastitis, injury, postpartum, missed,
unavailable) → breaks and the graded return after each → the VDOT lowered by the time off, the
later weeks re-paced → each day's sessions under its rules → missed quality moved with the least
harm → the runner's own edits (pins and moves, safety first) → the race forecast.
Every change carries its reason and its source.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from milepost.domain.adapt.edits import Edit, apply_edits
from milepost.domain.adapt.forecast import forecast_race, week_index
from milepost.domain.adapt.illness import illness_restrictions
from milepost.domain.adapt.injury import injury_restrictions
from milepost.domain.adapt.mastitis import mastitis_restrictions
from milepost.domain.adapt.missed import missed_restrictions
from milepost.domain.adapt.model import Break, Change, DayRules, Forecast, Level, Restriction
from milepost.domain.adapt.postpartum import postpartum_restrictions
from milepost.domain.adapt.return_to_run import (
    TIME_OFF_SOURCE,
    find_breaks,
    return_restrictions,
    time_off_factor,
)
from milepost.domain.adapt.sessions import apply_rules
from milepost.domain.episode import CheckIn, Episode, EpisodeKind
from milepost.domain.plan.generate import expected_vdot, generate_plan
from milepost.domain.plan.model import Day, Plan, Session, SessionKind, Week
from milepost.domain.plan.request import PlanRequest
from milepost.domain.plan.workouts import Context
from milepost.domain.units import Units
from milepost.domain.vdot import training_paces

SHIFT_SOURCE = "issue #4 missed-session rule: least harm, no two hard days in a row [D]"


@dataclass(frozen=True)
class Adaptation:
    plan: Plan
    changes: tuple[Change, ...]
    rules: dict[date, DayRules]
    breaks: tuple[Break, ...]
    vdot_factor: float
    forecast: Forecast | None
    episodes: tuple[Episode, ...] = ()
    check_ins: tuple[CheckIn, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)


def generation_day(request: PlanRequest) -> date:
    """The plan is generated as of the day before it starts, so regeneration is repeatable."""
    assert request.start is not None, "stored requests carry their resolved start"
    return request.start - timedelta(days=1)


def derive_plan(
    request: PlanRequest,
    episodes: list[Episode] | tuple[Episode, ...],
    check_ins: list[CheckIn] | tuple[CheckIn, ...],
    today: date,
    edits: list[Edit] | tuple[Edit, ...] = (),
) -> Adaptation:
    base = generate_plan(request, generation_day(request))
    return adapt_plan(base, request, list(episodes), list(check_ins), today, list(edits))


def _check_ins_for(episode: Episode, check_ins: list[CheckIn]) -> list[CheckIn]:
    return [
        c
        for c in check_ins
        if c.episode_id == episode.id
        or (
            c.episode_id is None
            and c.on >= episode.start
            and (episode.end is None or c.on < episode.end)
        )
    ]


def collect_restrictions(
    plan: Plan, episodes: list[Episode], check_ins: list[CheckIn], today: date
) -> list[Restriction]:
    run_days = [d.date for d in plan.days() if d.runs]
    out: list[Restriction] = []
    for episode in sorted(episodes, key=lambda e: (e.start, e.id or 0)):
        mine = _check_ins_for(episode, check_ins)
        if episode.kind is EpisodeKind.ILLNESS:
            out += illness_restrictions(episode, mine, today)
        elif episode.kind is EpisodeKind.MASTITIS:
            out += mastitis_restrictions(episode, mine, today)
        elif episode.kind is EpisodeKind.INJURY:
            out += injury_restrictions(episode, mine, today)
        elif episode.kind is EpisodeKind.POSTPARTUM:
            out += postpartum_restrictions(episode, mine, today, run_days, plan.race.date)
        else:
            out += missed_restrictions(episode, today)
    return out


def _merge(restrictions: list[Restriction]) -> dict[date, DayRules]:
    by_day: dict[date, list[Restriction]] = defaultdict(list)
    for r in restrictions:
        by_day[r.on].append(r)
    return {d: DayRules(d, tuple(rs)) for d, rs in sorted(by_day.items())}


def adapt_plan(
    plan: Plan,
    request: PlanRequest,
    episodes: list[Episode],
    check_ins: list[CheckIn],
    today: date,
    edits: list[Edit] | None = None,
) -> Adaptation:
    restrictions = collect_restrictions(plan, episodes, check_ins, today)
    breaks = [b for b in find_breaks(_merge(restrictions)) if b.first <= plan.race.date]
    for brk in breaks:
        restrictions += return_restrictions(brk)
    rules = _merge(restrictions)

    source, factor, notes = _repaced(plan, request, breaks)
    units = Units(plan.units)
    changes: list[Change] = []
    pins = {(e.on, e.index) for e in edits or [] if e.kind == "pin"}
    weeks: list[Week] = []
    for week, new_week in zip(plan.weeks, source.weeks, strict=True):
        ctx = Context(
            training_paces(source.expected_vdot[week.number - 1]).rounded(), units, week.target_m
        )
        days = []
        for day in new_week.days:
            day_rules = rules.get(day.date)
            if day_rules is None:
                days.append(day)
                continue
            pinned = frozenset(i for (d, i) in pins if d == day.date)
            adapted, day_changes = apply_rules(day, day_rules, ctx, pinned)
            days.append(adapted)
            changes += day_changes
        weeks.append(replace(new_week, days=tuple(days)))
    adapted_plan = replace(
        source,
        weeks=tuple(weeks),
        race=plan.race,
        notes=plan.notes + tuple(notes),
    )
    adapted_plan, shift_changes = _shift_missed_quality(plan, adapted_plan, rules, today)
    changes += shift_changes
    if edits:
        adapted_plan, edit_changes = apply_edits(adapted_plan, edits, rules)
        changes += edit_changes
    race_rules = rules.get(plan.race.date)
    cleared = race_rules is None or race_rules.level <= Level.REDUCED
    vdot_now = adapted_plan.expected_vdot[week_index(adapted_plan, today)]
    forecast = forecast_race(
        adapted_plan,
        vdot_now,
        race_day_cleared=cleared,
        why_not=race_rules.deciding.reason if race_rules and race_rules.deciding else "",
    )
    return Adaptation(
        plan=adapted_plan,
        changes=tuple(changes),
        rules=rules,
        breaks=tuple(breaks),
        vdot_factor=factor,
        forecast=forecast if (breaks or not cleared or changes) else None,
        episodes=tuple(episodes),
        check_ins=tuple(check_ins),
        notes=tuple(notes),
    )


def _repaced(
    plan: Plan, request: PlanRequest, breaks: list[Break]
) -> tuple[Plan, float, list[str]]:
    """The plan whose weeks after each break run on the VDOT the time off left (science.md §2)."""
    source = plan
    factor = 1.0
    notes: list[str] = []
    for brk in breaks:
        step = time_off_factor(brk.days, cross_training=brk.cross_training)
        # A break over before the plan began is already in the plan's starting VDOT.
        if step >= 1.0 or brk.last >= plan.race.date or brk.last < plan.starts:
            continue
        factor *= step
        week = week_index(plan, brk.first)
        before = plan.expected_vdot[week]
        gain = expected_vdot(0.0, min(week, len(plan.weeks) - 1))
        lowered = replace(request, vdot=round(max(15.0, before * factor - gain), 2))
        repaced = generate_plan(lowered, generation_day(request))
        resume = brk.last + timedelta(days=1)
        source = _splice(source, repaced, resume)
        notes.append(
            f"{brk.days} days without running ({brk.first:%d %b}–{brk.last:%d %b}"
            f"{', with cross-training' if brk.cross_training else ''}): VDOT {before:.1f} → "
            f"{before * factor:.1f} (×{step:.3f}, {TIME_OFF_SOURCE})"
        )
    return source, factor, notes


def _splice(old: Plan, new: Plan, resume: date) -> Plan:
    """Days before ``resume`` from ``old``, from ``resume`` on from ``new`` (and its VDOTs)."""
    weeks = []
    vdots = list(old.expected_vdot)
    for i, (a, b) in enumerate(zip(old.weeks, new.weeks, strict=True)):
        days = tuple(da if da.date < resume else db for da, db in zip(a.days, b.days, strict=True))
        weeks.append(replace(a, days=days))
        if b.ends >= resume:
            vdots[i] = new.expected_vdot[i]
    return replace(old, weeks=tuple(weeks), expected_vdot=tuple(vdots))


def _hard(day: Day | None) -> bool:
    return day is not None and day.is_hard


def _shift_missed_quality(
    original: Plan, plan: Plan, rules: dict[date, DayRules], today: date
) -> tuple[Plan, list[Change]]:
    """A quality session or long run lost to a missed or unavailable day moves to a later easy
    day of the same week when nothing is harmed; otherwise it stays dropped, said so."""
    days = {d.date: d for d in plan.days()}
    changes: list[Change] = []
    for week in original.weeks:
        for day in week.days:
            day_rules = rules.get(day.date)
            if day_rules is None or day_rules.deciding is None:
                continue
            if day_rules.deciding.cause not in ("missed", "unavailable"):
                continue
            lost = [s for s in day.sessions if s.is_quality or s.kind is SessionKind.LONG]
            for session in lost:
                target = _free_easy_day(days, week, day.date, session, rules, today)
                if target is None:
                    changes.append(
                        Change(
                            day.date,
                            session.title,
                            "dropped",
                            "no later day this week takes it without two hard days in a row",
                            SHIFT_SOURCE,
                            day_rules.deciding.cause,
                        )
                    )
                    continue
                old = days[target]
                kept = tuple(s for s in old.sessions if not s.is_run)
                days[target] = Day(target, (session, *kept))
                easy = next((s.title for s in old.sessions if s.is_run), "rest")
                changes.append(
                    Change(
                        target,
                        easy,
                        session.title,
                        f"moved from {day.date:%a %d %b} ({day_rules.deciding.reason})",
                        SHIFT_SOURCE,
                        day_rules.deciding.cause,
                    )
                )
    if not changes:
        return plan, []
    weeks = tuple(replace(w, days=tuple(days[d.date] for d in w.days)) for w in plan.weeks)
    return replace(plan, weeks=weeks), changes


def _free_easy_day(
    days: dict[date, Day],
    week: Week,
    lost_on: date,
    session: Session,
    rules: dict[date, DayRules],
    today: date,
) -> date | None:
    for offset in range(1, 7):
        candidate = lost_on + timedelta(days=offset)
        if candidate > week.ends or candidate not in days:
            return None
        if candidate < today:
            continue
        day = days[candidate]
        candidate_rules = rules.get(candidate)
        if candidate_rules is not None and candidate_rules.level > Level.NORMAL:
            continue
        if not any(s.kind in (SessionKind.EASY, SessionKind.STRIDES) for s in day.sessions):
            continue
        if day.is_hard:
            continue
        before = days.get(candidate - timedelta(days=1))
        after = days.get(candidate + timedelta(days=1))
        if _hard(before) or _hard(after):
            continue
        return candidate
    return None
