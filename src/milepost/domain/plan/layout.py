"""Which weekdays carry runs, quality and the long run.

Daniels' spacing rule [S]: never two hard days in a row — a quality day or the long run is
followed by an easy or rest day, including across the weekend into the next week. The search is
exhaustive (at most 2^7 day sets), so the best layout is always found.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from milepost.domain.plan.request import PlanRequest


@dataclass(frozen=True)
class Layout:
    run_days: tuple[int, ...]  # weekdays with a run, 0 = Monday
    quality_days: tuple[int, ...]  # midweek quality days, in priority order
    long_day: int

    @property
    def hard_days(self) -> tuple[int, ...]:
        return tuple(sorted((*self.quality_days, self.long_day)))

    @property
    def easy_days(self) -> tuple[int, ...]:
        hard = set(self.hard_days)
        return tuple(d for d in self.run_days if d not in hard)


def _adjacent(a: int, b: int) -> bool:
    return (a - b) % 7 in (1, 6)


def _min_gap(days: tuple[int, ...]) -> int:
    ordered = sorted(days)
    if len(ordered) < 2:
        return 7
    gaps = [(ordered[(i + 1) % len(ordered)] - ordered[i]) % 7 for i in range(len(ordered))]
    return min(gaps)


def quality_slots(runs_per_week: int) -> int:
    """Midweek quality sessions a week: two from five runs up, one below [S: Daniels' 2Q]."""
    return 2 if runs_per_week >= 5 else 1


def choose_layout(request: PlanRequest) -> Layout:
    long_day = request.long_run_day
    rest = set(request.rest_days)
    free = [d for d in range(7) if d not in rest and d != long_day]
    wanted_q = quality_slots(request.runs_per_week)
    best: tuple[tuple[int, ...], Layout] | None = None
    for others in combinations(free, request.runs_per_week - 1):
        run_days = tuple(sorted((*others, long_day)))
        for q_count in range(wanted_q, -1, -1):
            found = False
            for q_days in combinations(others, q_count):
                hard = (*q_days, long_day)
                if any(_adjacent(a, b) for a, b in combinations(hard, 2)):
                    continue
                off_days = [d for d in range(7) if d not in run_days]
                score = (
                    q_count,
                    _min_gap(hard),
                    -sum(1 for a, b in combinations(off_days, 2) if _adjacent(a, b)),
                    # A day off or an easy day right after the long run.
                    int((long_day + 1) % 7 not in q_days),
                    # Classic placement: quality on Tuesday and Thursday when possible.
                    -sum(min(abs(d - 1), abs(d - 3)) for d in q_days),
                )
                found = True
                layout = Layout(run_days, tuple(sorted(q_days)), long_day)
                if best is None or score > best[0]:
                    best = (score, layout)
            if found:
                break  # fewer quality days than the most that fit is never better
    assert best is not None  # validate_request guarantees enough free days
    return best[1]
