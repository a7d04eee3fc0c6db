"""Proxy headers are believed only when an option names the proxy (issue 19, item 10): `serve`
used to trust X-Forwarded-For from localhost, so a spoofed address stepped around the
per-address sign-in limit."""

from __future__ import annotations

from typing import Any

import pytest
import uvicorn
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from conftest import run_cli


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch, milepost_home) -> list[dict[str, Any]]:
    """What `milepost serve` asks uvicorn for (uvicorn itself is not started)."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append(kwargs))
    for name in ("MILEPOST_TRUST_PROXY", "MILEPOST_BASE_URL"):
        # Set, then removed: monkeypatch then restores the variable (serve sets the base URL).
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    return calls


def test_serve_trusts_no_proxy_headers_unless_told(served) -> None:
    code, _, err = run_cli("serve")
    assert code == 0, err
    assert served[0]["proxy_headers"] is False
    assert "forwarded_allow_ips" not in served[0]


def test_serve_trusts_only_the_proxies_it_is_given(served) -> None:
    code, _, err = run_cli("serve", "--trust-proxy", "10.0.0.2, 10.0.0.3")
    assert code == 0, err
    assert served[0]["proxy_headers"] is True
    assert served[0]["forwarded_allow_ips"] == ["10.0.0.2", "10.0.0.3"]


def test_the_trusted_proxy_can_come_from_the_environment(served, monkeypatch) -> None:
    monkeypatch.setenv("MILEPOST_TRUST_PROXY", "10.0.0.2")
    assert run_cli("serve")[0] == 0
    assert served[0]["forwarded_allow_ips"] == ["10.0.0.2"]


async def _client_seen(trusted: list[str] | None, peer: str, forwarded: str) -> str:
    """The client address an app sees behind uvicorn's proxy middleware as serve sets it up."""
    seen: dict[str, Any] = {}

    async def app(scope, receive, send) -> None:
        seen["client"] = scope["client"][0]

    wrapped = ProxyHeadersMiddleware(app, trusted_hosts=trusted) if trusted else app
    scope = {
        "type": "http",
        "client": (peer, 5000),
        "headers": [(b"x-forwarded-for", forwarded.encode())],
        "scheme": "http",
    }
    await wrapped(scope, None, None)  # type: ignore[arg-type]
    return str(seen["client"])


@pytest.mark.parametrize("peer", ["127.0.0.1", "203.0.113.9"])
def test_a_spoofed_forwarded_for_is_ignored_without_a_trusted_proxy(peer: str) -> None:
    import asyncio

    assert asyncio.run(_client_seen(None, peer, "198.51.100.1")) == peer
    # Named, the proxy's header is believed; from anyone else it is not.
    assert asyncio.run(_client_seen(["10.0.0.2"], "10.0.0.2", "198.51.100.1")) == "198.51.100.1"
    assert asyncio.run(_client_seen(["10.0.0.2"], peer, "198.51.100.1")) == peer
