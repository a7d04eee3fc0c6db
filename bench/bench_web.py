"""The web app under 50 concurrent clients on loopback: latency and errors for a signed-in page
(Today) and an API call (``/api/plan/today`` with a bearer token), against ``/healthz`` on the
same server — the overhead ratio is what the app's own work adds to the server's.

For each database (SQLite in a temporary folder; PostgreSQL at 127.0.0.1:5432 in a throw-away
database, skipped with the reason when it is not reachable) an athlete with a 24-week plan, a
session and a token is made through the services, then ``milepost serve`` runs in a subprocess
on a free port of 127.0.0.1 and 50 asyncio clients (httpx, one connection each) hit one endpoint
at a time for a third of ``--seconds`` (60 s by default per database). Every loop stops by count
and by time, and the server is stopped at the end whatever happens. The clients share the two
cores with the server, so absolute rates are low; the ratios are measured under the same load.
Prints a table and writes bench/results/web.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from milepost.bootstrap import open_milepost
from milepost.config import Settings
from milepost.domain.plan.request import PlanRequest
from milepost.interfaces.web.auth import SESSION_COOKIE

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "web.json"
MILEPOST = Path(sys.executable).with_name("milepost")
HOST = "127.0.0.1"  # loopback only, always
PG_ADMIN_URL = f"postgresql://postgres@{HOST}:5432/postgres"
MAX_REQUESTS_PER_CLIENT = 100_000  # a ceiling besides the clock
REQUEST_TIMEOUT_S = 30.0
START_TIMEOUT_S = 60.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def seed(home: Path, database_url: str) -> tuple[str, str]:
    """An athlete with a 24-week plan in progress: (session cookie, API token)."""
    mp = open_milepost(Settings(home=home, database_url=database_url))
    try:
        signed = mp.accounts.sign_up(
            username="bench",
            email="bench@example.org",
            password="a long enough password",
            display_name="Bench Runner",
            role="athlete",
            timezone="Europe/London",
        )
        athlete = mp.accounts.athlete_of(signed.user)
        assert athlete is not None
        today = mp.clock.today()
        monday = today - timedelta(days=today.weekday() + 14)
        mp.for_athlete(athlete).planning.create(
            PlanRequest(
                race_distance_m=42195.0,
                race_date=monday + timedelta(weeks=24, days=-1),
                vdot=0.0,
                weekly_m=50_000.0,
                start=monday,
                long_run_day=6,
                race_name="Bench Marathon",
            ),
            vdot=50.0,
        )
        _, token = mp.accounts.create_api_token(
            signed.user, "bench", password="a long enough password"
        )
        return signed.token, token
    finally:
        mp.close()


@contextmanager
def server(home: Path, database_url: str) -> Iterator[str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MILEPOST_")}
    env |= {"MILEPOST_HOME": str(home), "MILEPOST_DATABASE_URL": database_url}
    process = subprocess.Popen(
        [str(MILEPOST), "serve", "--host", HOST, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,  # uvicorn's access log: a line per request
        stderr=subprocess.PIPE,
    )
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                said = process.stderr.read().decode() if process.stderr else ""
                raise RuntimeError(f"the server stopped: {said[-800:]}")
            try:
                if httpx.get(f"{base}/healthz", timeout=2).text == "ok":
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer within {START_TIMEOUT_S:.0f} s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


async def load(
    base: str, path: str, headers: dict[str, str], clients: int, seconds: float
) -> dict[str, Any]:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    deadline = time.monotonic() + seconds

    async def client() -> None:
        async with httpx.AsyncClient(
            base_url=base, headers=headers, timeout=REQUEST_TIMEOUT_S
        ) as http:
            for _ in range(MAX_REQUESTS_PER_CLIENT):
                if time.monotonic() >= deadline:
                    return
                start = time.perf_counter()
                try:
                    response = await http.get(path)
                    ok = response.status_code == 200
                    problem = str(response.status_code)
                except httpx.HTTPError as exc:
                    ok, problem = False, type(exc).__name__
                latencies.append(time.perf_counter() - start)
                if not ok:
                    errors[problem] = errors.get(problem, 0) + 1

    started = time.monotonic()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.monotonic() - started
    return {
        "requests": len(latencies),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "requests_per_s": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "seconds": elapsed,
    }


def measure(database_url: str, home: Path, clients: int, seconds: float) -> dict[str, Any]:
    cookie, token = seed(home, database_url)
    page = {"Cookie": f"{SESSION_COOKIE}={cookie}"}
    targets = {
        "healthz": ("/healthz", {}),
        "today_page": ("/today", page),
        "week_page": ("/week", page),
        "plan_page": ("/plan", page),
        "api_plan_today": ("/api/plan/today", {"Authorization": f"Bearer {token}"}),
    }
    out: dict[str, Any] = {}
    with server(home, database_url) as base:
        for name, (path, headers) in targets.items():
            out[name] = asyncio.run(load(base, path, headers, clients, seconds / len(targets)))
    for name in targets:
        if name == "healthz":
            continue
        out[name]["overhead_p50"] = out[name]["p50_ms"] / out["healthz"]["p50_ms"]
        out[name]["overhead_p99"] = out[name]["p99_ms"] / out["healthz"]["p99_ms"]
    return out


def postgres_problem() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not available here"
        return f"{type(exc).__name__}: {exc}".strip()


@contextmanager
def postgres_database() -> Iterator[str]:
    import psycopg

    name = f"milepost_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@{HOST}:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def report(database: str, rows: dict[str, Any]) -> None:
    for name, row in rows.items():
        overhead = (
            f"  overhead {row['overhead_p50']:4.1f}x (p50) {row['overhead_p99']:4.1f}x (p99)"
            if "overhead_p50" in row
            else ""
        )
        print(
            f"  {database:10} {name:15} {row['requests']:6d} req {row['requests_per_s']:7.1f}/s  "
            f"p50 {row['p50_ms']:7.1f} ms  p99 {row['p99_ms']:7.1f} ms  "
            f"errors {row['errors']}{overhead}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="per database (default 60)")
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args(argv)
    results: dict[str, Any] = {
        "clients": args.clients,
        "seconds_per_database": args.seconds,
        "cpus": os.cpu_count(),
    }
    print(
        f"{args.clients} clients on {HOST}, {args.seconds / 5:.0f} s per endpoint "
        "(clients and server share the machine's cores)"
    )
    with tempfile.TemporaryDirectory(prefix="milepost-bench-web-") as tmp:
        home = Path(tmp) / "sqlite"
        results["sqlite"] = measure(
            f"sqlite:///{home / 'milepost.db'}", home, args.clients, args.seconds
        )
        report("sqlite", results["sqlite"])
        problem = postgres_problem()
        if problem is not None:
            print(f"  postgresql skipped: not reachable at {HOST}:5432 ({problem})")
            results["postgresql"] = {"skipped": problem}
        else:
            with postgres_database() as url:
                results["postgresql"] = measure(url, Path(tmp) / "pg", args.clients, args.seconds)
            report("postgresql", results["postgresql"])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    target = RESULTS if args.clients != 1 else RESULTS.with_name("web-one-client.json")
    target.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
