"""What reading one activity file gives back."""

from __future__ import annotations

from dataclasses import dataclass, field

from milepost.domain.activity import Activity


@dataclass(frozen=True)
class ImportResult:
    """An activity read from a file, and the non-fatal problems the user should see."""

    activity: Activity
    path: str
    warnings: list[str] = field(default_factory=list)
    decoder: str = ""  # which reader produced it ("fitfast", "fitdecode", "xml")
