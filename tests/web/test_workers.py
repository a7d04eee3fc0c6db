"""`milepost serve --workers 2` on one PostgreSQL database: what one worker learns, the other
knows (sessions, sign-outs, sign-in limits), because none of it lives in a worker's memory.

The server runs as a real subprocess. Each client holds one keep-alive connection, and the test
finds which worker process owns the server end of it (Linux's /proc), so every request below is
known to have landed on the worker it names.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from milepost.bootstrap import open_milepost
from milepost.config import Settings
from milepost.interfaces.web.auth import SESSION_COOKIE
from milepost.services.accounts import account_delay

from .helpers import PASSWORD

ON_POSTGRES = (
    pytest.mark.postgres,
    pytest.mark.skipif(
        not Path("/proc/net/tcp").exists(), reason="finding a connection's worker needs /proc"
    ),
    pytest.mark.parametrize("database_url", ["postgresql"], indirect=True),
)


def on_postgres(test: Callable[..., None]) -> Callable[..., None]:
    """Workers share one PostgreSQL database (skipped, with the reason, when it is not up)."""
    for mark in ON_POSTGRES:
        test = mark(test)
    return test


HOST = "127.0.0.1"
MILEPOST = [sys.executable, "-m", "milepost"]
START_TIMEOUT_S = 90.0
MAX_CONNECTIONS = 200  # tries to reach a given worker (the kernel picks who accepts)
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _workers(parent: int) -> list[int]:
    """uvicorn's worker processes: the children that serve (not multiprocessing's tracker)."""
    found = []
    for pid in _children(parent):
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        if b"spawn_main" in cmdline:
            found.append(pid)
    return found


@contextmanager
def serving(database_url: str, home: Path, workers: int) -> Iterator[tuple[str, list[int]]]:
    """``milepost serve --workers N`` on a free loopback port: (base URL, worker pids)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MILEPOST_")}
    env |= {"MILEPOST_HOME": str(home), "MILEPOST_DATABASE_URL": database_url}
    process = subprocess.Popen(
        [*MILEPOST, "serve", "--host", HOST, "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while len(_workers(process.pid)) < workers or not _answers(base):
            if process.poll() is not None:
                said = process.stderr.read().decode() if process.stderr else ""
                pytest.fail(f"the server stopped: {said[-800:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"{workers} workers did not answer within {START_TIMEOUT_S:.0f} s")
            time.sleep(0.3)
        yield base, _workers(process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _answers(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=2).text == "ok"
    except httpx.TransportError:
        return False


def _server_pid(response: httpx.Response, workers: list[int]) -> int | None:
    """The worker holding the server end of the connection ``response`` came over."""
    client_port = response.extensions["network_stream"].get_extra_info("client_addr")[1]
    server_port = response.url.port
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = fields[1], fields[2]
        if int(local.split(":")[1], 16) == server_port and (
            int(remote.split(":")[1], 16) == client_port
        ):
            inode = fields[9]
    if inode is None:
        return None
    for pid in workers:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) == f"socket:[{inode}]":
                    return pid
            except OSError:
                continue  # closed while we looked
    return None


class Pinned:
    """Requests that are known to land on one worker: each goes over a keep-alive connection
    just seen to end in that worker (a connection the server closed while idle is replaced by
    new ones until one lands there again), and the answer is checked to come from it."""

    def __init__(self, client: httpx.Client, pid: int, workers: list[int]) -> None:
        self.client, self.pid, self.workers = client, pid, workers

    def _reconnect_to_worker(self) -> None:
        for _ in range(MAX_CONNECTIONS):
            if _server_pid(self.client.get("/healthz"), self.workers) == self.pid:
                return
            old = self.client
            self.client = httpx.Client(
                base_url=old.base_url, cookies=old.cookies, follow_redirects=False, timeout=30
            )
            old.close()
        pytest.fail(f"{MAX_CONNECTIONS} connections never reached worker {self.pid} again")

    def request(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        self._reconnect_to_worker()
        response = self.client.request(method, path, **kwargs)  # type: ignore[arg-type]
        assert _server_pid(response, self.workers) == self.pid, "the connection changed worker"
        return response

    def csrf(self, path: str) -> str:
        found = _CSRF.search(self.request("GET", path).text)
        assert found, f"no form token on {path}"
        return found.group(1)


def one_client_per_worker(base: str, workers: list[int]) -> dict[int, Pinned]:
    """Open connections until each worker holds one (the kernel picks who accepts)."""
    pinned: dict[int, Pinned] = {}
    for _ in range(MAX_CONNECTIONS):
        client = httpx.Client(base_url=base, follow_redirects=False, timeout=30)
        pid = _server_pid(client.get("/healthz"), workers)
        if pid is None or pid in pinned:
            client.close()
            continue
        pinned[pid] = Pinned(client, pid, workers)
        if len(pinned) == len(workers):
            return pinned
    pytest.fail(f"{MAX_CONNECTIONS} connections reached only workers {sorted(pinned)}")


def sign_in(via: Pinned, password: str, csrf_token: str | None = None) -> httpx.Response:
    token = csrf_token or via.csrf("/signin")
    return via.request(
        "POST", "/signin", data={"login": "maya", "password": password, "csrf_token": token}
    )


@pytest.fixture
def two_workers(tmp_path: Path, database_url: str) -> Iterator[tuple[Pinned, Pinned]]:
    mp = open_milepost(Settings(home=tmp_path, database_url=database_url))
    try:
        mp.accounts.sign_up(
            username="maya",
            email="maya@example.org",
            password=PASSWORD,
            display_name="Maya",
            role="athlete",
            timezone="Europe/London",
        )
    finally:
        mp.close()
    with serving(database_url, tmp_path, workers=2) as (base, workers):
        assert len(workers) == 2
        clients = one_client_per_worker(base, workers)
        try:
            first, second = clients.values()
            yield first, second
        finally:
            for pinned in clients.values():
                pinned.client.close()


@on_postgres
def test_a_session_signed_in_on_one_worker_is_good_on_both_and_signing_out_ends_it_on_both(
    two_workers: tuple[Pinned, Pinned],
) -> None:
    first, second = two_workers
    assert first.pid != second.pid
    signed = sign_in(first, PASSWORD)
    assert signed.status_code == 303, signed.text
    cookie = signed.cookies[SESSION_COOKIE]
    for pinned in (first, second):
        pinned.client.cookies.set(SESSION_COOKIE, cookie)
        settings = pinned.request("GET", "/settings")
        assert settings.status_code == 200, f"worker {pinned.pid}: {settings.status_code}"
        assert "Maya" in settings.text

    out = second.request("POST", "/signout", data={"csrf_token": second.csrf("/settings")})
    assert out.status_code == 303
    first.client.cookies.set(SESSION_COOKIE, cookie)  # the first worker still has it to send
    after = first.request("GET", "/settings")
    assert after.status_code == 303 and after.headers["location"].startswith("/signin")


@on_postgres
def test_failed_sign_ins_on_one_worker_slow_the_account_on_the_other(
    two_workers: tuple[Pinned, Pinned],
) -> None:
    first, second = two_workers
    second_token = second.csrf("/signin")  # ready beforehand, to answer within the wait
    # Wrong passwords on the first worker, each after the previous one's wait, until the next
    # wait is long enough (4 s) to cross to the other worker well inside it on a busy machine.
    failures = 0
    while account_delay(failures) < timedelta(seconds=4):
        time.sleep(account_delay(failures).total_seconds() + 0.2)
        refused = sign_in(first, "not the password")
        assert refused.status_code == 401, refused.status_code
        failures += 1
        assert failures < 20, "twenty wrong passwords were never slowed down"
    assert sign_in(first, PASSWORD).status_code == 429  # slowed where it failed…
    # …and at once on the other worker: even the right password waits its turn.
    waited = sign_in(second, PASSWORD, second_token)
    assert waited.status_code == 429
    assert "too many failed sign-ins for this account" in waited.text.lower()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_workers_on_sqlite_are_refused_in_one_line(tmp_path: Path, database_url: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MILEPOST_")}
    env |= {"MILEPOST_HOME": str(tmp_path), "MILEPOST_DATABASE_URL": database_url}
    done = subprocess.run(
        [*MILEPOST, "serve", "--workers", "2", "--port", str(_free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == (
        "Error: --workers needs PostgreSQL: SQLite lets one process write at a time"
    )
    assert "Traceback" not in done.stderr
