"""The command line loads only what a command uses, and stops quietly when its reader goes away."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli as run
from milepost.interfaces.cli.app import Root, app

# Heavy libraries no quick command needs: the web stack, the solver, the drawing libraries.
HEAVY = ("fastapi", "uvicorn", "starlette", "ortools", "matplotlib", "reportlab")
# What opens the database: nothing that only computes paces or lists commands should load it.
STORAGE = ("sqlalchemy", "alembic", "milepost.bootstrap")


def _loaded_after(code: str, tmp_path: Path) -> dict[str, object]:
    """Run ``code`` in a fresh interpreter; it sets ``result`` (exit code or None), then this
    reports which of the watched modules were imported."""
    watched = HEAVY + STORAGE
    script = (
        "import json, sys\n"
        f"{code}\n"
        f"watched = {watched!r}\n"
        "loaded = sorted(m for m in watched if m in sys.modules)\n"
        "print(json.dumps({'result': result, 'loaded': loaded}))\n"
    )
    env = {**os.environ, "MILEPOST_HOME": str(tmp_path / "home")}
    env.pop("MILEPOST_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    last_line = done.stdout.strip().splitlines()[-1]
    report: dict[str, object] = json.loads(last_line)
    return report


def _invoke(*args: str) -> str:
    return (
        "from typer.testing import CliRunner\n"
        "from milepost.interfaces.cli.app import app\n"
        f"result = CliRunner().invoke(app, {list(args)!r}).exit_code\n"
    )


def test_importing_the_cli_app_loads_no_web_solver_drawing_or_storage_library(
    tmp_path: Path,
) -> None:
    report = _loaded_after("import milepost.interfaces.cli.app\nresult = None", tmp_path)
    assert report["loaded"] == []


def test_help_lists_every_command_without_importing_any_of_them(tmp_path: Path) -> None:
    report = _loaded_after(_invoke("--help"), tmp_path)
    assert report == {"result": 0, "loaded": []}


def test_paces_computes_without_loading_the_database_or_the_web_app(tmp_path: Path) -> None:
    report = _loaded_after(_invoke("paces", "5k", "20:00", "--json"), tmp_path)
    assert report == {"result": 0, "loaded": []}


def test_listing_athletes_opens_the_database_but_loads_no_solver_pdf_or_web_library(
    tmp_path: Path,
) -> None:
    report = _loaded_after(_invoke("athlete", "list"), tmp_path)
    assert report["result"] == 0
    assert "sqlalchemy" in report["loaded"]  # type: ignore[operator]
    assert not set(HEAVY) & set(report["loaded"])  # type: ignore[arg-type]


def test_reading_a_plan_without_hours_never_loads_the_solver(tmp_path: Path) -> None:
    commands = [
        ["athlete", "new", "Maya", "--tz", "Europe/London"],
        [
            "plan",
            "new",
            "--race",
            "half",
            "--race-date",
            "2027-04-18",
            "--recent",
            "5k=22:30",
            "--weekly-km",
            "40",
            "--runs-per-week",
            "5",
            "--long-run-day",
            "sat",
        ],
        ["plan", "show"],
        ["plan", "today"],
    ]
    code = (
        "import os\n"
        "os.environ['MILEPOST_TODAY'] = '2026-11-30'\n"
        "from typer.testing import CliRunner\n"
        "from milepost.interfaces.cli.app import app\n"
        f"result = [CliRunner().invoke(app, args).exit_code for args in {commands!r}]\n"
    )
    report = _loaded_after(code, tmp_path)
    assert report["result"] == [0, 0, 0, 0]
    assert "ortools" not in report["loaded"]  # type: ignore[operator]


def test_the_watch_list_would_notice_a_heavy_import(tmp_path: Path) -> None:
    # The checks above are only worth something if importing the web app does show up.
    report = _loaded_after("import milepost.interfaces.web.app\nresult = None", tmp_path)
    loaded = report["loaded"]
    assert isinstance(loaded, list)
    assert {"fastapi", "starlette", "milepost.bootstrap"} <= set(loaded)


@pytest.mark.parametrize("entry", Root.lazy_commands, ids=lambda e: e.name)
def test_the_line_help_lists_is_the_commands_own_first_paragraph(entry: object) -> None:
    from milepost.interfaces.cli.lazy import LazyCommand

    assert isinstance(entry, LazyCommand)
    import typer.main

    root = typer.main.get_command(app)
    assert isinstance(root, Root)
    real = root.build(entry)
    own = inspect.cleandoc(real.short_help or real.help or "").split("\n\n")[0].strip()
    assert entry.help == own


def test_help_lists_the_commands_in_their_usual_order() -> None:
    code, out, _ = run("--help")
    assert code == 0
    names = [e.name for e in Root.lazy_commands]
    positions = [out.index(f"│ {name} ") for name in names]
    assert positions == sorted(positions)
    assert "Check the database's integrity." in out


def test_a_group_is_imported_when_its_help_is_asked_for() -> None:
    code, out, _ = run("plan", "--help")
    assert code == 0
    assert "Race plans: create, show" in out and "retarget" in out


def test_a_misspelt_command_still_gets_a_suggestion() -> None:
    code, _, err = run("plna")
    assert code == 2
    assert "No such command 'plna'" in err and "Did you mean 'plan'?" in err


def test_a_command_whose_module_cannot_be_imported_is_one_line_of_error_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("MILEPOST_DEBUG", raising=False)
    import typer
    from typer.testing import CliRunner

    from milepost.interfaces.cli.lazy import LazyCommand, LazyGroup

    class Broken(LazyGroup):
        lazy_commands = (LazyCommand("broken", "milepost.no_such_module:app", "Never there."),)

    broken = typer.Typer(cls=Broken, add_completion=False, pretty_exceptions_enable=False)

    @broken.callback()
    def _root() -> None:
        """A root group with one command that cannot load."""

    listed = CliRunner().invoke(broken, ["--help"])
    assert listed.exit_code == 0 and "Never there." in listed.stdout
    result = CliRunner().invoke(broken, ["broken"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "Error: unexpected ModuleNotFoundError: No module named 'milepost.no_such_module'"
    )
    assert len(lines) == 2 and lines[1].startswith("Hint: this is a bug in milepost")


def _with_closed_stdout(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed entry point with a pipe whose reader has already gone (`| head`)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    env = {**os.environ, "MILEPOST_HOME": str(tmp_path / "home")}
    env.pop("MILEPOST_DEBUG", None)
    try:
        return subprocess.run(
            [sys.executable, "-m", "milepost", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=120,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize(
    "args",
    [("--help",), ("plan", "--help"), ("paces", "5k", "20:00"), ("paces", "5k", "20:00", "--json")],
    ids=" ".join,
)
def test_a_reader_that_goes_away_gets_no_traceback_and_no_error(
    args: tuple[str, ...], tmp_path: Path
) -> None:
    done = _with_closed_stdout(*args, tmp_path=tmp_path)
    assert done.stderr == ""
    assert done.returncode == 1  # as click and Rich exit on a broken pipe: quietly, 1
