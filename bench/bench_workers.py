"""Scaling out: ``milepost serve --workers 2`` against ``--workers 1`` on one PostgreSQL database,
under the same 50 clients, in the same run.

The athlete, her 24-week plan, session and token come from bench_web's ``seed``; the clients are
bench_web's ``load`` (asyncio httpx, one connection each). For each worker count the server is
started fresh on a free loopback port and each endpoint (``/healthz``, the Today page with the
session cookie, ``/api/plan/today`` with the token) is loaded for a third of ``--seconds``. The
baseline is one worker; the ratios are two workers' requests/s and p99 over one worker's. The
clients share the machine's cores with the workers, so two workers on two cores cannot double
anything: read the ratios as what a second process buys here. Skipped, with the reason, when
PostgreSQL is not reachable. Prints a table and writes bench/results/workers.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from bench_web import (
    HOST,
    MILEPOST,
    START_TIMEOUT_S,
    free_port,
    load,
    postgres_database,
    postgres_problem,
    seed,
)

from milepost.interfaces.web.auth import SESSION_COOKIE

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "workers.json"
WORKER_COUNTS = (1, 2)


@contextmanager
def server(home: Path, database_url: str, workers: int) -> Iterator[str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MILEPOST_")}
    env |= {"MILEPOST_HOME": str(home), "MILEPOST_DATABASE_URL": database_url}
    process = subprocess.Popen(
        [str(MILEPOST), "serve", "--host", HOST, "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,  # uvicorn's access log: a line per request
    )
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped (exit code {process.returncode})")
            try:
                if httpx.get(f"{base}/healthz", timeout=2).text == "ok":
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer within {START_TIMEOUT_S:.0f} s")
            time.sleep(0.2)
        time.sleep(2.0 if workers > 1 else 0.0)  # the first answer may come before all are up
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def measure(url: str, home: Path, clients: int, seconds: float) -> dict[str, Any]:
    cookie, token = seed(home, url)
    targets = {
        "healthz": ("/healthz", {}),
        "today_page": ("/today", {"Cookie": f"{SESSION_COOKIE}={cookie}"}),
        "api_plan_today": ("/api/plan/today", {"Authorization": f"Bearer {token}"}),
    }
    out: dict[str, Any] = {}
    for workers in WORKER_COUNTS:
        with server(home, url, workers) as base:
            out[str(workers)] = {
                name: asyncio.run(load(base, path, headers, clients, seconds / len(targets)))
                for name, (path, headers) in targets.items()
            }
    one, two = out["1"], out["2"]
    out["ratios"] = {
        name: {
            "requests_per_s": two[name]["requests_per_s"] / one[name]["requests_per_s"],
            "p50": two[name]["p50_ms"] / one[name]["p50_ms"],
            "p99": two[name]["p99_ms"] / one[name]["p99_ms"],
        }
        for name in targets
    }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="per worker count")
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args(argv)
    problem = postgres_problem()
    if problem is not None:
        print(f"skipped: PostgreSQL not reachable at {HOST}:5432 ({problem})")
        return 0
    with (
        tempfile.TemporaryDirectory(prefix="milepost-bench-workers-") as tmp,
        postgres_database() as url,
    ):
        rows = measure(url, Path(tmp), args.clients, args.seconds)
    results = {
        "clients": args.clients,
        "seconds_per_worker_count": args.seconds,
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg()[0],
        "postgresql": rows,
    }
    print(
        f"{args.clients} clients, PostgreSQL, {args.seconds / 3:.0f} s per endpoint and worker "
        f"count; load average {results['load_average']:.1f} on {os.cpu_count()} cores"
    )
    for workers in WORKER_COUNTS:
        for name, row in rows[str(workers)].items():
            print(
                f"  {workers} worker(s) {name:15} {row['requests']:6d} req "
                f"{row['requests_per_s']:7.1f}/s  p50 {row['p50_ms']:7.1f} ms  "
                f"p99 {row['p99_ms']:7.1f} ms  errors {row['errors']}"
            )
    for name, ratio in rows["ratios"].items():
        print(
            f"  2 vs 1 worker  {name:15} requests/s {ratio['requests_per_s']:4.2f}x  "
            f"p50 {ratio['p50']:4.2f}x  p99 {ratio['p99']:4.2f}x"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
