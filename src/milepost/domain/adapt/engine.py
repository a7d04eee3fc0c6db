"""``derive_plan``: the current plan as a function of its inputs (design.md).

generate → restrictions from every episode (illness, mastitis, injury, postpartum, missed,
unavailable) → breaks and the graded return after each → the VDOT lowered by the time off, the
later weeks re-paced → each day's sessions under its rules → missed quality moved with the least
harm → the runner's own edits (pins and moves, safety first) → the race forecast.
Every change carries its reason and its source.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from milepost.domain.adapt.edits import Edit, apply_edits
from milepost.domain.adapt.forecast import forecast_race, week_index
from milepost.domain.adapt.illness import (
    FEVER_SOURCE,
    illness_restrictions,
    rest_until_24h_clear,
)
from milepost.domain.adapt.injury import injury_restrictions
from milepost.domain.adapt.mastitis import mastitis_restrictions
from milepost.domain.adapt.missed import missed_restrictions
from milepost.domain.adapt.model import Break, Change, DayRules, Forecast, Level, Restriction
from milepost.domain.adapt.postpartum import break_start, postpartum_restrictions
from milepost.domain.adapt.progress import Progress, progress_from
from milepost.domain.adapt.return_to_run import (
    TIME_OFF_SOURCE,
    ease_back,
    find_breaks,
    graded_return,
    rebuild,
    time_off_factor,
)
from milepost.domain.adapt.sessions import apply_rules
from milepost.domain.adapt.timeline import condition_days
from milepost.domain.episode import CheckIn, Episode, EpisodeKind
from milepost.domain.plan.generate import (
    VDOT_GAIN_EVERY_WEEKS,
    VDOT_GAIN_MAX,
    expected_vdot,
    generate_plan,
)
from milepost.domain.plan.model import Day, Plan, Session, SessionKind, Week
from milepost.domain.plan.request import PlanRequest
from milepost.domain.plan.workouts import Context
from milepost.domain.units import Units
from milepost.domain.vdot import training_paces

SHIFT_SOURCE = "issue #4 missed-session rule: least harm, no two hard days in a row [D]"
CHECK_IN_SOURCE = "design.md: today asks for a check-in while an episode is open [D]"
POSTNATAL_BUILD_SOURCE = "Daniels' volume rule after the ladder (science.md §1, §4) [S]"
# Bump when a rule changes, so every stored derivation is derived again on its next read.
ENGINE_VERSION = "11.1"
CLEAR_CHECK_INS = 2  # clear check-ins on consecutive days that end an episode by themselves [D]
CHECK_IN_KINDS = (EpisodeKind.ILLNESS, EpisodeKind.MASTITIS, EpisodeKind.INJURY)
# Causes whose days are followed by an ease-back (the episode itself and its graded return).
EASE_AFTER_CAUSES = frozenset({"illness", "mastitis", "injury", "return"})
READY_NORMAL_DAYS = 7  # a week of normal training before a race after a return [D]


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
    logged_m: Mapping[date, float] | None = None,
) -> Adaptation:
    """The plan for ``today`` from every input. ``logged_m`` is the running logged per day (the
    evidence a return advances on; progress.py)."""
    base = generate_plan(request, generation_day(request), strict=False)
    return adapt_plan(
        base, request, list(episodes), list(check_ins), today, list(edits), logged_m or {}
    )


def _check_ins_for(episode: Episode, check_ins: list[CheckIn]) -> list[CheckIn]:
    return [
        c
        for c in check_ins
        if c.episode_id == episode.id
        or (
            c.episode_id is None
            and c.on >= episode.start
            and (episode.end is None or c.on <= episode.end)
        )
    ]


def resolved(episode: Episode, check_ins: list[CheckIn]) -> Episode:
    """An open episode ends by itself after ``CLEAR_CHECK_INS`` clear check-ins on consecutive
    days: its last day is the day before the first of them [D]. A fever reported for an ended
    episode after its end extends it to that day: a fever is a fever, whatever was typed."""
    early = [c.on for c in check_ins if c.on < episode.start and c.episode_id == episode.id]
    if early and episode.kind in CHECK_IN_KINDS:
        episode = replace(episode, start=min(early))  # a report before it began starts it
    if episode.end is not None and episode.kind in CHECK_IN_KINDS:
        late = [c.on for c in check_ins if c.on > episode.end and c.febrile]
        if late:
            return replace(episode, end=max(late))
    if episode.end is not None or not episode.health or episode.kind is EpisodeKind.POSTPARTUM:
        return episode
    by_day: dict[date, bool] = {}
    for c in sorted(check_ins, key=lambda c: (c.on, c.id or 0)):
        if c.on >= episode.start:
            by_day[c.on] = c.clear and by_day.get(c.on, True)
    days = sorted(by_day)
    run: list[date] = []
    for day in days:
        if by_day[day] and (not run or run[-1] == day - timedelta(days=1)):
            run.append(day)
        elif by_day[day]:
            run = [day]
        else:
            run = []
    if len(run) >= CLEAR_CHECK_INS:
        return replace(episode, end=max(episode.start, run[0] - timedelta(days=1)))
    return episode


def check_in_due(
    episodes: list[Episode], check_ins: list[CheckIn], today: date
) -> list[Restriction]:
    """While a health episode is open and today has no check-in, today prescribes nothing its
    answer could forbid: it asks for the check-in first (design.md)."""
    out = []
    for episode in episodes:
        if episode.kind not in CHECK_IN_KINDS or not episode.is_open_on(today):
            continue
        if episode.start == today:
            continue  # logging it today was today's report
        if any(c.on == today for c in _check_ins_for(episode, check_ins)):
            continue
        out.append(
            Restriction(
                today,
                Level.NO_RUNNING,
                f"{episode.kind.value} still open: check in first (temperature, how it feels); "
                "today's session follows from your answer",
                CHECK_IN_SOURCE,
                episode.kind.value,
                replacement="check_in",
                no_strength=True,
                provisional=True,
                check_in_due=True,
            )
        )
    return out


def fever_at_check_ins(
    episode: Episode, check_ins: list[CheckIn], today: date
) -> list[Restriction]:
    """A fever reported at any check-in means no training until 24 h after it, whatever the
    episode it was reported for (science.md §3)."""
    reports = [c for c in check_ins if c.febrile is not None]
    if not episode.febrile_at_start and not any(c.febrile for c in reports):
        return []
    first = episode.start if episode.febrile_at_start else min(c.on for c in reports if c.febrile)
    span = condition_days(first, True, [(c.on, c.febrile) for c in reports], None, today)
    return rest_until_24h_clear(span, what="fever", cause="illness", source=FEVER_SOURCE)


@dataclass(frozen=True)
class _Acute:
    restrictions: list[Restriction]
    postnatal: list[tuple[Episode, date | None]]  # each postpartum return and its first normal day


def collect_restrictions(
    plan: Plan, episodes: list[Episode], check_ins: list[CheckIn], progress: Progress
) -> _Acute:
    today = progress.today
    out: list[Restriction] = []
    postpartum: list[Episode] = []
    for episode in sorted(episodes, key=lambda e: (e.start, e.id or 0)):
        mine = _check_ins_for(episode, check_ins)
        if episode.kind is EpisodeKind.ILLNESS:
            out += illness_restrictions(episode, mine, today)
        elif episode.kind is EpisodeKind.MASTITIS:
            out += mastitis_restrictions(episode, mine, today)
        elif episode.kind is EpisodeKind.INJURY:
            out += injury_restrictions(episode, mine, today)
            out += fever_at_check_ins(episode, mine, today)
        elif episode.kind is EpisodeKind.POSTPARTUM:
            postpartum.append(episode)
            out += fever_at_check_ins(episode, mine, today)
        else:
            out += missed_restrictions(episode, today)
    # The ladder advances on no day another episode forbids running (compose).
    blocked = {r.on for r in out if r.level >= Level.CROSS_ONLY}
    postnatal = []
    for episode in postpartum:
        mine = _check_ins_for(episode, check_ins)
        found, first_normal = postpartum_restrictions(
            episode, mine, progress, plan.race.date, blocked
        )
        out += found
        postnatal.append((episode, first_normal))
    out += check_in_due(episodes, check_ins, today)
    return _Acute(out, postnatal)


def _merge(restrictions: list[Restriction]) -> dict[date, DayRules]:
    by_day: dict[date, list[Restriction]] = defaultdict(list)
    for r in restrictions:
        by_day[r.on].append(r)
    return {d: DayRules(d, tuple(rs)) for d, rs in sorted(by_day.items())}


def _health_spans(restrictions: list[Restriction]) -> list[tuple[date, date, int, bool]]:
    """Runs of consecutive days held back by a health episode or its return: (first, last,
    days of the episode itself without its return stages, provisional). An ease-back follows
    each, scaled by the episode's own length."""
    days: dict[date, tuple[bool, bool]] = {}
    for r in restrictions:
        if r.cause in EASE_AFTER_CAUSES and r.level >= Level.EASY_ONLY and not r.check_in_due:
            own, prov = days.get(r.on, (False, False))
            days[r.on] = (own or r.cause != "return", prov or r.provisional)
    spans: list[tuple[date, date, int, bool]] = []
    for day in sorted(days):
        own, prov = days[day]
        if spans and spans[-1][1] == day - timedelta(days=1):
            first, _, n, was = spans[-1]
            spans[-1] = (first, day, n + own, was or prov)
        else:
            spans.append((day, day, int(own), prov))
    return spans


def _before_m(plan: Plan, progress: Progress, first: date) -> float | None:
    """What she ran in the week before ``first``: her log when she keeps one, else the plan."""
    week_before = (first - timedelta(days=7), first - timedelta(days=1))
    if progress.logged_recently(first):
        return progress.logged_between(*week_before)
    planned = [d for d in plan.days() if week_before[0] <= d.date <= week_before[1]]
    if len(planned) < 7:
        return None
    return sum(d.run_m for d in planned)


def adapt_plan(
    plan: Plan,
    request: PlanRequest,
    episodes: list[Episode],
    check_ins: list[CheckIn],
    today: date,
    edits: list[Edit] | None = None,
    logged_m: Mapping[date, float] | None = None,
) -> Adaptation:
    episodes = [resolved(e, _check_ins_for(e, check_ins)) for e in episodes]
    progress = progress_from(
        check_ins, logged_m or {}, (d.date for d in plan.days() if d.runs), today
    )
    acute = collect_restrictions(plan, episodes, check_ins, progress)
    restrictions = list(acute.restrictions)
    merged = _merge(restrictions)
    blocked = {d for d, r in merged.items() if r.level >= Level.CROSS_ONLY}
    breaks = [
        b for b in find_breaks(merged) if b.first <= plan.race.date and b.causes != ("postpartum",)
    ]
    for brk in breaks:
        first_back = brk.last + timedelta(days=1)
        if brk.febrile:
            stages, first_normal = graded_return(brk, progress, blocked, plan.race.date)
            restrictions += stages
            first_back = first_normal or plan.race.date + timedelta(days=1)
        restrictions += rebuild(brk, first_back)
    for first, last, own_days, provisional in _health_spans(restrictions):
        if last >= plan.race.date:
            continue
        restrictions += ease_back(
            last + timedelta(days=1),
            max(1, own_days),
            _before_m(plan, progress, first),
            provisional=provisional,
        )
    postnatal_breaks = []
    for episode, first_normal in acute.postnatal:
        if first_normal is None or episode.already_running:
            continue
        restrictions += postnatal_build(
            first_normal, plan, request.runs_per_week, provisional=first_normal > today
        )
        postnatal_breaks.append(
            Break(
                break_start(episode),
                first_normal - timedelta(days=1),
                False,
                False,
                ("postpartum",),
            )
        )
    rules = _merge(restrictions)

    source, factor, notes = _repaced(plan, request, breaks + postnatal_breaks)
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
    planned_vdots, _ = honest_vdots(plan, plan, request.vdot or plan.vdot, [], {})
    vdots, lost = honest_vdots(
        plan, adapted_plan, request.vdot or plan.vdot, breaks + postnatal_breaks, rules
    )
    adapted_plan = replace(adapted_plan, expected_vdot=vdots)
    race_rules = rules.get(plan.race.date)
    cleared = race_rules is None or race_rules.level <= Level.REDUCED
    vdot_now = adapted_plan.expected_vdot[week_index(adapted_plan, today)]
    forecast = forecast_race(
        adapted_plan,
        vdot_now,
        race_day_cleared=cleared,
        why_not=race_rules.deciding.reason if race_rules and race_rules.deciding else "",
        readiness=readiness(rules, plan.race.date, bool(breaks or postnatal_breaks)),
        lost_weeks=lost,
        planned_vdot=planned_vdots[-1] if planned_vdots else None,
    )
    return Adaptation(
        plan=adapted_plan,
        changes=tuple(changes),
        rules=rules,
        breaks=tuple(breaks + postnatal_breaks),
        vdot_factor=factor,
        forecast=forecast if (breaks or not cleared or changes or lost) else None,
        episodes=tuple(episodes),
        check_ins=tuple(check_ins),
        notes=tuple(notes),
    )


def postnatal_build(
    first_normal: date, plan: Plan, runs_per_week: int, *, provisional: bool = False
) -> list[Restriction]:
    """After the ladder: hold three weeks at the ladder's volume (three 30-minute runs), then
    add at most a mile per run each three weeks (Daniels' rule, science.md §1), easy for the first
    three weeks and threshold-first for the next three (duration before intensity)."""
    paces = training_paces(plan.vdot)
    base_m = 3 * 30 * 60.0 / (sum(paces.easy) / 2.0) * 1000.0
    out: list[Restriction] = []
    day = first_normal
    block = 0
    peak = max((w.total_m for w in plan.weeks), default=0.0)
    while day <= plan.race.date:
        cap = base_m + (block // 3) * 1609.0 * runs_per_week
        if cap >= peak and block >= 6:
            break
        easy = block < 3
        out += [
            Restriction(
                day + timedelta(days=i),
                Level.EASY_ONLY if easy else Level.REDUCED,
                f"after the walk–run ladder: hold about {cap / 1000:.0f} km a week, rising by "
                "at most a mile per run every three weeks"
                + (", easy only" if easy else ", threshold before intervals"),
                POSTNATAL_BUILD_SOURCE,
                "postpartum-build",
                max_week_m=cap,
                allow_strides=True,
                threshold_only=not easy,
                provisional=provisional,
            )
            for i in range(7)
        ]
        day += timedelta(days=7)
        block += 1
    return out


def honest_vdots(
    base: Plan,
    adapted: Plan,
    start_vdot: float,
    breaks: list[Break],
    rules: dict[date, DayRules],
) -> tuple[tuple[float, ...], float]:
    """The VDOT each week can count on: the planned gain (+1 every six weeks, at most +2)
    accrues only over weeks actually trained, and each break's time-off factor applies from
    its return on [D: science.md §2]. A week counts as lost by the share of its planned run
    days without running, or of its planned quality that was dropped, whichever is larger."""
    out: list[float] = []
    lost = 0.0
    for i, (bw, aw) in enumerate(zip(base.weeks, adapted.weeks, strict=True)):
        factor = 1.0
        for brk in breaks:
            step = time_off_factor(brk.days, cross_training=brk.cross_training)
            if base.starts <= brk.last < aw.ends:
                factor *= step
        trained = max(0.0, i - lost)
        out.append(
            round(
                start_vdot * factor
                + min(VDOT_GAIN_MAX, float(int(trained // VDOT_GAIN_EVERY_WEEKS))),
                2,
            )
        )
        planned_runs = [d for d in bw.days if d.runs]
        off = [
            d
            for d in planned_runs
            if (r := rules.get(d.date)) is not None and r.level >= Level.CROSS_ONLY
        ]
        run_share = len(off) / len(planned_runs) if planned_runs else 0.0
        planned_q = sum(
            1
            for d in bw.days
            for s in d.sessions
            if s.is_quality and s.kind is not SessionKind.RACE
        )
        kept_q = sum(
            1
            for d in aw.days
            for s in d.sessions
            if s.is_quality and s.kind is not SessionKind.RACE
        )
        q_share = max(0.0, (planned_q - kept_q) / planned_q) if planned_q else 0.0
        lost += max(run_share, q_share)
    return tuple(out), round(lost, 1)


def readiness(rules: dict[date, DayRules], race_day: date, had_break: bool) -> str:
    """The race-readiness verdict: cleared, the normal training before it, or why not."""
    race_rules = rules.get(race_day)
    if race_rules is not None and race_rules.level > Level.NORMAL and race_rules.deciding:
        return f"Not ready to race: {race_rules.deciding.reason}."
    held = [
        d
        for d, r in rules.items()
        if d < race_day
        and r.level >= Level.EASY_ONLY
        and r.deciding is not None
        and r.deciding.cause not in ("missed", "unavailable")
    ]
    if not held and not had_break:
        return ""
    if not held:
        return "Ready to race."
    normal = (race_day - max(held)).days - 1
    if normal >= READY_NORMAL_DAYS:
        return f"Ready to race: {normal} days of normal training after the return."
    return (
        f"Race with care: only {normal} day{'s' if normal != 1 else ''} of normal training after "
        f"the return (a week is the aim); run it by feel, the predicted time is optimistic."
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
        week = week_index(plan, max(brk.first, plan.starts))
        before = plan.expected_vdot[week]
        gain = expected_vdot(0.0, min(week, len(plan.weeks) - 1))
        lowered = replace(request, vdot=round(max(15.0, before * factor - gain), 2))
        repaced = generate_plan(lowered, generation_day(request), strict=False)
        resume = brk.last + timedelta(days=1)
        source = _splice(source, repaced, resume)
        counted = "since the birth" if brk.causes == ("postpartum",) else ""
        notes.append(
            f"{brk.days} days without running {counted}({brk.first:%d %b}–{brk.last:%d %b}"
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
                # A missed day keeps what was planned, but not a session that moved on.
                source = days[day.date]
                left = tuple(
                    s
                    for s in source.sessions
                    if not (s.kind is session.kind and s.title == session.title)
                )
                days[day.date] = Day(
                    day.date,
                    left or (Session(SessionKind.REST, "Rest", f"Moved to {target:%a %d %b}."),),
                )
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
