"""The net under the boundaries' checks (issue 19): a value the database cannot hold becomes an
InputError (422, exit 2) in ``Database.session``, never a DataError or OverflowError (500,
exit 1), and nothing of the unit of work is stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from milepost.adapters.storage.db import Database
from milepost.adapters.storage.repositories import AccountRepository, AthleteRepository
from milepost.adapters.storage.tables import AthleteRow, UserRow
from milepost.domain.athlete import Athlete
from milepost.errors import InputError


@pytest.fixture
def db(database_url: str):
    database = Database(database_url)
    database.migrate()
    yield database
    database.dispose()


@pytest.mark.parametrize("athlete_id", [2**31, 2**63, 10**30])
def test_an_id_past_the_column_is_an_input_error(db: Database, athlete_id: int) -> None:
    try:
        with db.session() as session:
            found = AthleteRepository(session).get(athlete_id)
    except InputError as error:
        assert "too long or too large" in error.message
    else:
        assert found is None  # SQLite holds 2³¹ (it is 64-bit): simply nothing there


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize(
    "display_name", ["N" * 201, "nul\x00inside"], ids=["past VARCHAR(200)", "a NUL"]
)
def test_text_postgresql_cannot_hold_is_an_input_error_and_nothing_is_stored(
    db: Database, display_name: str
) -> None:
    with pytest.raises(InputError), db.session() as session:
        AthleteRepository(session).add(Athlete(name="Maya", timezone="UTC"))
        AccountRepository(session).add_user("maya", "m@example.org", display_name, "h", "coach")
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(AthleteRow)) == 0
        assert session.scalar(select(func.count()).select_from(UserRow)) == 0
