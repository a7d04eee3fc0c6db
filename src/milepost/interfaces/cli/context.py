"""Opening milepost for one CLI command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from milepost.bootstrap import Milepost, open_milepost


@contextmanager
def opened() -> Iterator[Milepost]:
    mp = open_milepost()
    try:
        yield mp
    finally:
        mp.close()
