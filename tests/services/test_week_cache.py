"""The per-process week cache (services/timing.py, issue #14): least recently used weeks go
first, and threads sharing it (the web app's pool) never corrupt it."""

from __future__ import annotations

import sys
import threading
from datetime import date

from milepost.domain.schedule import WeekOutcome, WeekStats
from milepost.services.timing import WeekCache


def outcome(n: int) -> WeekOutcome:
    stats = WeekStats(date(2027, 1, 4), "optimal", 0.0, n)
    return WeekOutcome((), (), (), stats, frozenset(), frozenset())


def test_the_least_recently_used_week_is_forgotten_first_and_hits_are_counted() -> None:
    cache = WeekCache(size=2)
    cache["a"], cache["b"] = outcome(1), outcome(2)
    assert cache.get("a") == outcome(1)  # "a" is now the most recent
    cache["c"] = outcome(3)
    assert set(cache) == {"a", "c"} and cache.get("b") is None
    assert (cache.hits, cache.misses) == (1, 1)


def test_threads_sharing_the_cache_leave_it_whole() -> None:
    cache = WeekCache(size=50)
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for n in range(2000):
                cache[(offset + n) % 120] = outcome(n)
                cache.get((offset * 7 + n) % 120)
                list(cache)
        except BaseException as exc:  # noqa: BLE001 - any error fails the test below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as CPython allows
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == [] and len(cache) == 50
