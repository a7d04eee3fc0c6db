"""The day's practical guidance, beside its sessions: ``info``, ``caution``, ``see_clinician``.

Guidance, not diagnosis: every item is worded as advice and names its source; anything that
could be serious routes to a clinician. Sources: docs/science.md §3 (illness, mastitis), §4
(postpartum), and the seed runner's own account (marked "runner's experience").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from milepost.domain.adapt.mastitis import (
    abscess_signs,
    clinician_from,
    no_better_from,
    systemic_span,
)
from milepost.domain.adapt.model import DayRules, Level
from milepost.domain.adapt.postpartum import earliest_run_day
from milepost.domain.episode import (
    HIGH_FEVER_C,
    ILLNESS_RED_FLAGS,
    INJURY_RED_FLAGS,
    POSTPARTUM_RED_FLAGS,
    CheckIn,
    Episode,
    EpisodeKind,
)

ABM = "ABM Clinical Protocol #36 (2022), science.md §3"
GOOM = "Goom, Donnelly & Brockwell 2019, science.md §4"
ELLIOTT = "Elliott et al., BJSM 2020, science.md §3"
NECK = "neck check, science.md §3 [S]"
RUNNER = "the runner's experience (science.md §3) [S]"
GENERAL = "general medical advice [D]: when in doubt, ask a clinician"


class GuidanceLevel(StrEnum):
    INFO = "info"
    CAUTION = "caution"
    SEE_CLINICIAN = "see_clinician"


@dataclass(frozen=True)
class GuidanceItem:
    level: GuidanceLevel
    text: str
    source: str

    def as_dict(self) -> dict[str, str]:
        return {"level": self.level.value, "text": self.text, "source": self.source}


def _item(level: GuidanceLevel, text: str, source: str) -> GuidanceItem:
    return GuidanceItem(level, text, source)


def breastfeeding(episodes: list[Episode], profile: bool = False) -> bool:
    """The profile setting, or an episode that implies it (mastitis; a stored postpartum
    episode from before the setting existed)."""
    return profile or any(
        e.kind is EpisodeKind.MASTITIS or (e.kind is EpisodeKind.POSTPARTUM and e.breastfeeding)
        for e in episodes
    )


def day_guidance(
    on: date,
    rules: DayRules | None,
    episodes: list[Episode],
    check_ins: list[CheckIn],
    today: date,
    *,
    has_run: bool,
    breastfeeding_profile: bool = False,
) -> list[GuidanceItem]:
    items: list[GuidanceItem] = []
    causes = {r.cause for r in rules.restrictions} if rules else set()
    for episode in episodes:
        mine = [c for c in check_ins if c.episode_id in (episode.id, None)]
        active = episode.is_open_on(on) or episode.kind.value in causes
        if not active or on < episode.start:
            continue
        if episode.kind is EpisodeKind.ILLNESS:
            items += _illness(on, rules, episode, mine, today)
        elif episode.kind is EpisodeKind.MASTITIS:
            items += _mastitis(on, rules, episode, mine, today)
        elif episode.kind is EpisodeKind.INJURY:
            items += _injury(on, episode, mine)
        elif episode.kind is EpisodeKind.POSTPARTUM:
            items += _postpartum(on, rules, episode)
    if rules is not None:
        items += _return(rules)
    if has_run and breastfeeding(episodes, breastfeeding_profile):
        items.append(
            _item(
                GuidanceLevel.INFO,
                "Feed or pump right before you run; drink extra fluid and eat a little more; "
                "wear a supportive but not tight sports bra.",
                GOOM,
            )
        )
    return _unique(items)


def _unique(items: list[GuidanceItem]) -> list[GuidanceItem]:
    seen: set[str] = set()
    out = []
    order = {GuidanceLevel.SEE_CLINICIAN: 0, GuidanceLevel.CAUTION: 1, GuidanceLevel.INFO: 2}
    for item in sorted(items, key=lambda i: order[i.level]):
        if item.text not in seen:
            seen.add(item.text)
            out.append(item)
    return out


def _red_flags_on(on: date, episode: Episode, check_ins: list[CheckIn]) -> set[str]:
    flags = set(episode.red_flags) if on >= episode.start else set()
    for c in check_ins:
        if c.on <= on and c.red_flags:
            flags |= set(c.red_flags)
    return flags


def _illness(
    on: date, rules: DayRules | None, episode: Episode, check_ins: list[CheckIn], today: date
) -> list[GuidanceItem]:
    out = []
    if rules is not None and rules.level is Level.NO_TRAINING:
        out.append(
            _item(
                GuidanceLevel.CAUTION,
                "Rest completely while you have a fever (38.0 °C / 100.4 °F or more) or symptoms "
                "below the neck, and for 24 hours after they are gone without fever-reducing "
                "medicine. Fluids and sleep.",
                NECK,
            )
        )
    elif (
        rules is not None
        and rules.level is Level.EASY_ONLY
        and "illness" in {r.cause for r in rules.restrictions}
    ):
        out.append(
            _item(
                GuidanceLevel.INFO,
                "Symptoms above the neck only: an easy, shorter run is fine if you feel up to it. "
                "Stop and rest if you feel worse or a fever appears.",
                NECK,
            )
        )
    # A fever of 39.5 °C or more, chest pain, breathlessness or a racing heart: a clinician
    # that day, from day 1 (science.md §3).
    temps = [episode.fever_c] if episode.fever_c is not None else []
    temps += [c.temp_c for c in check_ins if c.temp_c is not None and c.on <= on]
    flags = _red_flags_on(on, episode, check_ins) & set(ILLNESS_RED_FLAGS)
    if on <= max(today, episode.start) and (any(t >= HIGH_FEVER_C for t in temps) or flags):
        why = ", ".join(ILLNESS_RED_FLAGS[f] for f in sorted(flags)) or "a fever of 39.5 °C or more"
        out.append(
            _item(
                GuidanceLevel.SEE_CLINICIAN,
                f"{why[0].upper() + why[1:]}: see a doctor today.",
                GENERAL,
            )
        )
    if on >= episode.start + timedelta(days=3) and episode.end is None:
        out.append(
            _item(
                GuidanceLevel.SEE_CLINICIAN,
                "Ill for three days or more: see a doctor.",
                GENERAL,
            )
        )
    return out


def _mastitis(
    on: date, rules: DayRules | None, episode: Episode, check_ins: list[CheckIn], today: date
) -> list[GuidanceItem]:
    out = [
        _item(
            GuidanceLevel.INFO,
            "Keep feeding from the affected side (feed rather than over-pump); ice and an "
            "anti-inflammatory can ease it; no deep massage.",
            ABM,
        ),
        _item(
            GuidanceLevel.INFO,
            "Unsure? Call your doctor or a lactation consultant: many hospitals run a free warm "
            "line.",
            RUNNER,
        ),
        _item(
            GuidanceLevel.INFO,
            "Hormones and milk-supply shifts can make effort feel off: adjust rather than force.",
            RUNNER,
        ),
    ]
    if episode.abscess:
        out.append(
            _item(
                GuidanceLevel.SEE_CLINICIAN,
                "A breast abscess needs a clinician's care; no training until they clear you.",
                ABM,
            )
        )
    systemic = systemic_span(episode, check_ins, today)
    if on in systemic.days:
        out.append(
            _item(
                GuidanceLevel.CAUTION,
                "Fever, chills or a fast heart rate: rest, no running today.",
                ABM,
            )
        )
    flag_from = clinician_from(episode, check_ins, today)
    if flag_from is not None and flag_from <= on and (on in systemic.days or episode.abscess):
        out.append(
            _item(
                GuidanceLevel.SEE_CLINICIAN,
                "Systemic signs (fever, chills, a fast heart rate) for more than 24 hours: see a "
                "doctor today; antibiotics may be needed.",
                ABM,
            )
        )
    if (
        rules is not None
        and rules.level is Level.EASY_ONLY
        and "mastitis" in {r.cause for r in rules.restrictions}
    ):
        out.append(
            _item(
                GuidanceLevel.INFO,
                "Easy running only: feed or pump right before the run, wear a supportive but not "
                "tight sports bra, hydrate, and change out of sweaty clothes promptly.",
                RUNNER,
            )
        )
    no_better = no_better_from(episode, check_ins, today)
    if no_better is not None and no_better <= on <= max(today, no_better):
        out.append(
            _item(
                GuidanceLevel.SEE_CLINICIAN,
                "No better after 24–48 hours, a hard lump, or redness that spreads: see a "
                "clinician today (an ultrasound can check for an abscess).",
                ABM,
            )
        )
    abscess = abscess_signs(episode, check_ins)
    if abscess is not None and abscess <= on and not episode.abscess:
        out.append(
            _item(
                GuidanceLevel.SEE_CLINICIAN,
                "A hard lump, pus or spreading redness can be an abscess: see a clinician today.",
                ABM,
            )
        )
    return out


def _injury(on: date, episode: Episode, check_ins: list[CheckIn]) -> list[GuidanceItem]:
    area = episode.area or "injured area"
    out = [
        _item(
            GuidanceLevel.CAUTION,
            "No running until walking is pain-free; cross-train only if it does not hurt. "
            f"Strength work leaves out exercises that load the {area}, and hops and jumps, until "
            "running is pain-free.",
            "science.md §2 rebuild [S]; §5 load management [D]",
        ),
        _item(
            GuidanceLevel.INFO,
            "Rate the pain 0–10 at each check-in: up to 3 that settles by the next morning is "
            "acceptable; more than that means a day off running and back a step.",
            "pain-monitoring model (Silbernagel et al. 2007), science.md §5 [P]",
        ),
    ]
    flags = _red_flags_on(on, episode, check_ins) & set(INJURY_RED_FLAGS)
    bone = flags & {"night-pain", "point-tenderness", "hop-pain"}
    reds = flags & {"missed-periods", "low-energy", "repeat-injury"}
    if bone:
        listed = ", ".join(INJURY_RED_FLAGS[f] for f in sorted(bone))
        out.append(
            _item(
                GuidanceLevel.SEE_CLINICIAN,
                f"Possible bone stress ({listed}): stop running and see a sports-medicine "
                "doctor; an X-ray or MRI may be needed.",
                "bone stress injury signs, science.md §5 [S]",
            )
        )
    if reds:
        listed = ", ".join(INJURY_RED_FLAGS[f] for f in sorted(reds))
        out.append(
            _item(
                GuidanceLevel.SEE_CLINICIAN,
                f"Signs of low energy availability (RED-S: {listed}): see a sports-medicine "
                "doctor and a sports dietitian.",
                "Mountjoy et al., BJSM 2023 (RED-S), science.md §5 [P]",
            )
        )
    if episode.end is None and on >= episode.start + timedelta(days=7):
        out.append(
            _item(
                GuidanceLevel.SEE_CLINICIAN,
                "Still sore after a week, swelling, night pain, or you cannot bear weight: see a "
                "physiotherapist or doctor.",
                GENERAL,
            )
        )
    return out


def _postpartum(on: date, rules: DayRules | None, episode: Episode) -> list[GuidanceItem]:
    out = []
    reasons = " ".join(r.reason for r in rules.restrictions) if rules else ""
    if "red flag" in reasons:
        listed = "; ".join(POSTPARTUM_RED_FLAGS.values())
        out.append(
            _item(
                GuidanceLevel.SEE_CLINICIAN,
                f"A red flag ({listed}) means no running: see a pelvic-health physiotherapist.",
                GOOM,
            )
        )
    if on < earliest_run_day(episode):
        out.append(
            _item(
                GuidanceLevel.INFO,
                "Before 12 weeks: walking, pelvic-floor and strength work build the base for "
                "running. No running yet.",
                GOOM,
            )
        )
    elif "checks" in reasons:
        out.append(
            _item(
                GuidanceLevel.INFO,
                "The return-to-run checks: walk 30 min; single-leg balance 10 s; single-leg squat "
                "×10; jog on the spot 1 min; forward bounds ×10; hop ×10 each leg; running man "
                "×10 — all without pain, heaviness, dragging or leaking.",
                GOOM,
            )
        )
    out.append(
        _item(
            GuidanceLevel.INFO,
            "Every postnatal runner is advised to see a pelvic-health physiotherapist before "
            "and during the return to running.",
            GOOM,
        )
    )
    if episode.delivery == "caesarean":
        out.append(
            _item(
                GuidanceLevel.INFO,
                "After a caesarean: the scar healed and your clinician's all-clear at the "
                "six-week check before the return-to-run checks; build the abdominal wall back "
                "gradually, and stop anything that pulls on the scar.",
                GOOM,
            )
        )
    if episode.breastfeeding:
        out.append(
            _item(
                GuidanceLevel.INFO,
                "Exercise does not change milk quantity or composition; joints may stay looser "
                "until about three months after weaning.",
                GOOM,
            )
        )
    return out


def _return(rules: DayRules) -> list[GuidanceItem]:
    out = []
    for r in rules.restrictions:
        if r.cause != "return":
            continue
        if r.stage:
            out.append(
                _item(
                    GuidanceLevel.INFO,
                    f"Return {r.stage}. If symptoms come back, rest until 24 h symptom-free, then "
                    "step back a stage.",
                    ELLIOTT,
                )
            )
            out.append(
                _item(
                    GuidanceLevel.SEE_CLINICIAN,
                    "Chest pain, a racing or irregular heartbeat, fainting or unusual "
                    "breathlessness while returning: stop and see a clinician.",
                    ELLIOTT,
                )
            )
        else:
            out.append(
                _item(GuidanceLevel.INFO, r.reason[0].upper() + r.reason[1:] + ".", r.source)
            )
    return out


def guidance_by_day(
    plan_days: list[tuple[date, bool]],
    rules: dict[date, DayRules],
    episodes: list[Episode],
    check_ins: list[CheckIn],
    today: date,
    *,
    breastfeeding: bool = False,
) -> dict[date, list[GuidanceItem]]:
    """Guidance for every plan day that has any: ``plan_days`` are (date, has a run)."""
    out = {}
    for on, has_run in plan_days:
        items = day_guidance(
            on,
            rules.get(on),
            episodes,
            check_ins,
            today,
            has_run=has_run,
            breastfeeding_profile=breastfeeding,
        )
        if items:
            out[on] = items
    return out
