"""Shared fixtures: an isolated MILEPOST_HOME, and databases on SQLite and (when reachable)
PostgreSQL at 127.0.0.1:5432."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_HOST = os.environ.get("MILEPOST_TEST_PG_HOST", "127.0.0.1")
PG_ADMIN_URL = f"postgresql://postgres@{PG_HOST}:5432/postgres"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def _postgres_problem() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not available here"
        return f"{type(exc).__name__}: {exc}".strip()


_PG_PROBLEM = _postgres_problem()


def pytest_report_header(config: pytest.Config) -> str:
    if _PG_PROBLEM is None:
        return (
            f"PostgreSQL: reachable at {PG_HOST}:5432, storage tests run on SQLite and PostgreSQL"
        )
    return f"PostgreSQL: NOT reachable at {PG_HOST}:5432 ({_PG_PROBLEM}); its tests are SKIPPED"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped at the end."""
    if _PG_PROBLEM is not None:
        pytest.skip(f"PostgreSQL not reachable at {PG_HOST}:5432: {_PG_PROBLEM}")
    import psycopg

    name = f"milepost_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@{PG_HOST}:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: SQLite in a temporary folder, or a clean PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'milepost.db'}"
    url: str = request.getfixturevalue("postgres_url")
    _reset_postgres(url)
    return url


@pytest.fixture
def milepost_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the CLI at an empty home folder (SQLite) for one test."""
    home = tmp_path / "home"
    monkeypatch.setenv("MILEPOST_HOME", str(home))
    monkeypatch.delenv("MILEPOST_DATABASE_URL", raising=False)
    return home


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """Point the CLI at the parametrised database."""
    monkeypatch.setenv("MILEPOST_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MILEPOST_DATABASE_URL", database_url)
    return database_url


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run the milepost CLI in-process: (exit code, stdout, stderr)."""
    from typer.testing import CliRunner

    from milepost.interfaces.cli.app import app

    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def words(text: str) -> str:
    """Output with Rich's line wrapping undone, for matching sentences."""
    return " ".join(text.split())
