"""Today, in the athlete's time zone. The domain never reads the clock; services ask this."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Clock:
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    fixed_today: date | None = None

    def today(self, timezone: str = "UTC") -> date:
        if self.fixed_today is not None:
            return self.fixed_today
        return self.now().astimezone(ZoneInfo(timezone)).date()
