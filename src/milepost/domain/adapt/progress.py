"""What she did and reported, day by day: the evidence a return advances on.

A return stage or a walk–run rung advances on a day she **did** it, not on the calendar
(design.md; Elliott et al., BJSM 2020 — each stage is completed symptom-free before the next):

- a day before today counts when a run is in her log that day, or a check-in says the session
  was done and went fine; nothing reported means the stage was not done;
- today counts once it is done; until then today holds its stage;
- days after today are a projection: each planned run day is taken as done. Those days are
  provisional and move when the real days arrive.
- a check-in with symptoms (fever, feeling worse, pain above 3/10, a red flag) steps a return
  back a stage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from milepost.domain.episode import CheckIn


@dataclass(frozen=True)
class Progress:
    today: date
    done: frozenset[date] = frozenset()
    symptoms: frozenset[date] = frozenset()
    run_days: frozenset[date] = frozenset()
    logged_m: Mapping[date, float] = field(default_factory=dict)

    def completes(self, day: date) -> bool:
        """Whether the stage of ``day`` counts as done (a projection after today)."""
        if day in self.symptoms and day <= self.today:
            return False
        if day < self.today:
            return day in self.done
        return day in self.done or (day > self.today and day in self.run_days)

    def steps_back(self, day: date) -> bool:
        return day <= self.today and day in self.symptoms

    def logged_between(self, first: date, last: date) -> float:
        return sum(m for d, m in self.logged_m.items() if first <= d <= last)

    def logged_recently(self, before: date, days: int = 28) -> bool:
        return any(before - timedelta(days=days) <= d < before for d in self.logged_m)


def progress_from(
    check_ins: Iterable[CheckIn],
    logged_m: Mapping[date, float],
    run_days: Iterable[date],
    today: date,
) -> Progress:
    check_ins = list(check_ins)
    symptoms = frozenset(c.on for c in check_ins if c.symptomatic)
    ticked = {c.on for c in check_ins if c.done and not c.symptomatic}
    ran = {d for d, m in logged_m.items() if m > 0}
    return Progress(
        today=today,
        done=frozenset((ran | ticked) - symptoms),
        symptoms=symptoms,
        run_days=frozenset(run_days),
        logged_m=dict(logged_m),
    )
