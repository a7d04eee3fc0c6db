"""The web app under FastAPI's TestClient, on each database of the `database_url` fixture."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from milepost.bootstrap import Milepost, open_milepost
from milepost.config import Settings
from milepost.interfaces.web import create_app

from .helpers import TODAY


@pytest.fixture
def mp(database_url: str, tmp_path: Path) -> Iterator[Milepost]:
    opened = open_milepost(Settings(home=tmp_path, database_url=database_url, today=TODAY))
    # Still argon2id, at the smallest cost, so the suite signs in hundreds of times quickly.
    opened.accounts.hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    yield opened
    opened.close()


@pytest.fixture
def app(mp: Milepost):
    return create_app(mp)
