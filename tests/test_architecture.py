"""The layers stay honest: domain/ imports only the standard library (and milepost's own pure
modules); nothing below interfaces/ imports an interface."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "milepost"
# Where a domain algorithm truly needs a numeric or solver library (docs/architecture.md):
# CP-SAT for scheduling; numpy for the sweeps over every sample of a run (best efforts).
DOMAIN_ALLOWED_THIRD_PARTY = {"ortools", "numpy"}
DOMAIN_ALLOWED_OWN = ("milepost.domain", "milepost.errors")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def test_domain_imports_only_the_standard_library() -> None:
    offenders = []
    for path in sorted((SRC / "domain").rglob("*.py")):
        for name in _imports(path):
            top = name.split(".")[0]
            if top in sys.stdlib_module_names or top == "__future__":
                continue
            if name.startswith(DOMAIN_ALLOWED_OWN) or top in DOMAIN_ALLOWED_THIRD_PARTY:
                continue
            offenders.append(f"{path.relative_to(SRC)} imports {name}")
    assert offenders == []


def test_only_interfaces_import_interfaces() -> None:
    offenders = []
    for layer in ("domain", "services", "adapters"):
        for path in sorted((SRC / layer).rglob("*.py")):
            offenders += [
                f"{path.relative_to(SRC)} imports {n}"
                for n in _imports(path)
                if n.startswith("milepost.interfaces")
            ]
    assert offenders == []


def test_domain_never_reads_the_clock() -> None:
    offenders = []
    for path in sorted((SRC / "domain").rglob("*.py")):
        text = path.read_text()
        for needle in ("date.today(", "datetime.now(", "time.time(", "datetime.utcnow("):
            if needle in text:
                offenders.append(f"{path.relative_to(SRC)} calls {needle}")
    assert offenders == []
