"""When did a condition hold? From an episode's first report and its check-ins.

Between reports the last word holds. An episode's ``end`` is the last day it holds (included).
While an episode is open and its last word was "yes", the condition is taken to hold through
``today``; what follows is the earliest safe return, marked provisional, and it moves as the
days pass and check-ins arrive (the read model re-derives for every new day).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Span:
    days: frozenset[date]
    provisional: bool  # still holding at today, on an open episode

    @property
    def first(self) -> date | None:
        return min(self.days) if self.days else None

    @property
    def last(self) -> date | None:
        return max(self.days) if self.days else None


def condition_days(
    start: date,
    initial: bool,
    reports: Iterable[tuple[date, bool | None]],
    end: date | None,
    today: date,
) -> Span:
    words = sorted((d, v) for d, v in reports if v is not None and d >= start)
    horizon = end if end is not None else max(today, start)
    if words and words[-1][0] > horizon and end is None:
        horizon = words[-1][0]
    held: set[date] = set()
    state, index = initial, 0
    day = start
    while day <= horizon:
        # A day holds when the condition was reported on it at all (a fever in the morning is
        # a febrile day, whatever the evening's reading), or when the last word says it does.
        said_yes = initial and day == start
        while index < len(words) and words[index][0] <= day:
            state = words[index][1] is True
            said_yes = said_yes or (state and words[index][0] == day)
            index += 1
        if state or said_yes:
            held.add(day)
        day += timedelta(days=1)
    provisional = end is None and state and horizon >= today
    return Span(frozenset(held), provisional)


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]
