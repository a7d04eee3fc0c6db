"""The day's practical guidance, beside its sessions: ``info``, ``caution``, ``see_clinician``.

Guidance, not diagnosis: every item is worded as advice and names its source; anything that
could be serious routes to a clinician. Sources: docs/science.md §3 (illness, mastitis), §4
(postpartum), and the seed runner's own account (marked "runner's experience").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from milepost.domain.adapt.mastitis import clinician_from, systemic_span
from milepost.domain.adapt.model import DayRules, Level
from milepost.domain.adapt.postpartum import earliest_run_day
from milepost.domain.episode import POSTPARTUM_RED_FLAGS, CheckIn, Episode, EpisodeKind

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


def breastfeeding(episodes: list[Episode]) -> bool:
    return any(
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
) -> list[GuidanceItem]:
    items: list[GuidanceItem] = []
    causes = {r.cause for r in rules.restrictions} if rules else set()
    for episode in episodes:
        mine = [c for c in check_ins if c.episode_id in (episode.id, None)]
        active = episode.is_open_on(on) or episode.kind.value in causes
        if not active or on < episode.start:
            continue
        if episode.kind is EpisodeKind.ILLNESS:
            items += _illness(on, rules, episode)
        elif episode.kind is EpisodeKind.MASTITIS:
            items += _mastitis(on, rules, episode, mine, today)
        elif episode.kind is EpisodeKind.INJURY:
            items += _injury(on, episode)
        elif episode.kind is EpisodeKind.POSTPARTUM:
            items += _postpartum(on, rules, episode)
    if rules is not None:
        items += _return(rules)
    if has_run and breastfeeding(episodes):
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


def _illness(on: date, rules: DayRules | None, episode: Episode) -> list[GuidanceItem]:
    out = []
    if rules is not None and rules.level is Level.NO_TRAINING:
        out.append(
            _item(
                GuidanceLevel.CAUTION,
                "Rest completely while you have a fever (38.0 °C / 100.4 °F or more) or symptoms "
                "below the neck, and for 24 hours after they are gone. Fluids and sleep.",
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
    if on >= episode.start + timedelta(days=3) and episode.end is None:
        out.append(
            _item(
                GuidanceLevel.SEE_CLINICIAN,
                "Ill for three days or more, a fever above 39.5 °C, chest pain or breathlessness: "
                "see a doctor.",
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
    no_news = not [c for c in check_ins if c.on <= on]
    if (
        episode.end is None
        and on >= episode.start + timedelta(days=2)
        and (on in systemic.days or (no_news and on <= today))
    ):
        out.append(
            _item(
                GuidanceLevel.SEE_CLINICIAN,
                "No better after one to two days, a hard lump, or redness that spreads: see a "
                "clinician (an ultrasound can check for an abscess).",
                ABM,
            )
        )
    return out


def _injury(on: date, episode: Episode) -> list[GuidanceItem]:
    out = [
        _item(
            GuidanceLevel.CAUTION,
            "No running until walking is pain-free; cross-train only if it does not hurt.",
            "science.md §2 rebuild [S]; pain-free walking [D]",
        )
    ]
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
) -> dict[date, list[GuidanceItem]]:
    """Guidance for every plan day that has any: ``plan_days`` are (date, has a run)."""
    out = {}
    for on, has_run in plan_days:
        items = day_guidance(on, rules.get(on), episodes, check_ins, today, has_run=has_run)
        if items:
            out[on] = items
    return out
