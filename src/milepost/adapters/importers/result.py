"""What reading one activity file gives back."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from milepost.domain.activity import Activity
from milepost.domain.efforts import BestEffort


@dataclass(frozen=True)
class ImportResult:
    """An activity read from a file, and the non-fatal problems the user should see.

    A file can hold several activities (a TCX with two, a GPX logger file of a month): the first
    is ``activity``, the rest come in ``others``, each with its own warnings.
    """

    activity: Activity
    path: str
    warnings: list[str] = field(default_factory=list)
    decoder: str = ""  # which reader produced it ("fitfast", "fitdecode", "xml")
    others: tuple[ImportResult, ...] = ()
    # Set when the reader also did the storage's CPU work (``read_activities(prepare=True)``):
    # the activity then comes without its samples, which are here as (count, stored blob).
    efforts: tuple[BestEffort, ...] | None = None
    stored_samples: tuple[int, bytes] | None = None

    @property
    def results(self) -> tuple[ImportResult, ...]:
        """Every activity in the file, in order, each as its own result."""
        return (replace(self, others=()), *self.others) if self.others else (self,)


def one_result(results: list[ImportResult]) -> ImportResult:
    """Several results from one file as one (the first, the rest in ``others``)."""
    return replace(results[0], others=tuple(results[1:])) if len(results) > 1 else results[0]
