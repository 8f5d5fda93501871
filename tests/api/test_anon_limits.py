"""The per-address cap on new anonymous tokens: loopback exempt by default, configurable.

Requests come from chosen client addresses through httpx's ASGI transport (the TestClient
around it runs the app's start-up), the same address the route reads from the connection.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from reelwright.api import create_app
from reelwright.settings import Settings

TOKEN = "/api/auth/anonymous-token"
PUBLIC = "203.0.113.5"


@pytest.fixture
def serve(make_settings: Callable[..., Settings]) -> Iterator[Callable[..., FastAPI]]:
    """Start an app with the given settings (cap 2 a day unless told); stops them all after."""
    clients: list[TestClient] = []

    def start(**overrides: Any) -> FastAPI:
        app = create_app(make_settings(**{"anon_tokens_per_ip": 2, **overrides}))
        clients.append(TestClient(app).__enter__())
        return app

    yield start
    for client in clients:
        client.__exit__(None, None, None)


def tokens(app: FastAPI, address: str, client_ids: list[str]) -> list[httpx.Response]:
    """Ask for one anonymous token per client id, one after another, from ``address``."""
    async def ask() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app, client=(address, 1234))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            return [await c.post(TOKEN, headers={"X-Client-Id": cid}) for cid in client_ids]
    return asyncio.run(ask())


def ids(prefix: str, n: int) -> list[str]:
    return [f"{prefix}-{i}" for i in range(n)]


def assert_granted(responses: list[httpx.Response]) -> None:
    for r in responses:
        body = r.json()
        assert (r.status_code, body["code"]) == (200, 0), body
        assert body["data"]["token"].startswith("rwa_") and body["data"]["credits"] == 100


def assert_address_limited(r: httpx.Response) -> None:
    body = r.json()
    assert (r.status_code, body["code"]) == (429, 429), body
    assert set(body) == {"code", "message", "data"}
    assert body["message"] == "Too many anonymous tokens from this address today"
    retry = int(r.headers["Retry-After"])
    assert 86400 - 60 < retry <= 86400 and body["data"]["retry_after"] == retry


def test_a_public_address_is_capped_and_loopback_is_not(serve: Callable[..., FastAPI]) -> None:
    # Given the default exempt list and a cap of 2 a day
    app = serve()
    # When one public address rotates client ids, Then the third token is refused
    *granted, refused = tokens(app, PUBLIC, ids("pub", 3))
    assert_granted(granted)
    assert_address_limited(refused)
    # But a harness on the machine itself (IPv4, IPv6, IPv4 on a dual-stack socket) is not
    assert_granted(tokens(app, "127.0.0.1", ids("v4", 5)))
    assert_granted(tokens(app, "127.8.9.10", ids("v4net", 3)))
    assert_granted(tokens(app, "::1", ids("v6", 3)))
    assert_granted(tokens(app, "::ffff:127.0.0.1", ids("mapped", 3)))
    # And another public address still has its own allowance
    assert_granted(tokens(app, "198.51.100.7", ids("other", 2)))
    assert_address_limited(tokens(app, PUBLIC, ["pub-late"])[0])


def test_exempt_addresses_keep_the_one_token_per_client_id_rule(
        serve: Callable[..., FastAPI]) -> None:
    app = serve()
    first, again = tokens(app, "127.0.0.1", ["same", "same"])
    assert_granted([first])
    body = again.json()
    assert (again.status_code, body["code"]) == (429, 429)
    assert "one per 7 days" in body["message"]
    assert 0 < int(again.headers["Retry-After"]) <= 7 * 86400


def test_an_empty_exempt_list_caps_loopback_too(serve: Callable[..., FastAPI]) -> None:
    # Behind a reverse proxy every client can look like loopback: the operator empties the list
    app = serve(anon_ip_exempt="")
    *granted, refused = tokens(app, "127.0.0.1", ids("proxied", 3))
    assert_granted(granted)
    assert_address_limited(refused)


def test_a_configured_network_replaces_the_default(serve: Callable[..., FastAPI]) -> None:
    # Given a school network exempt (written with host bits, as people do), and nothing else
    app = serve(anon_ip_exempt=" 203.0.113.1/24 , 2001:db8::/32")
    assert_granted(tokens(app, PUBLIC, ids("school", 4)))
    assert_granted(tokens(app, "2001:db8::42", ids("school6", 3)))
    # Then loopback is no longer exempt
    *granted, refused = tokens(app, "127.0.0.1", ids("local", 3))
    assert_granted(granted)
    assert_address_limited(refused)


def test_zero_means_no_per_address_limit(serve: Callable[..., FastAPI]) -> None:
    app = serve(anon_tokens_per_ip=0, anon_ip_exempt="")
    assert_granted(tokens(app, PUBLIC, ids("free", 6)))


@pytest.mark.parametrize("entry", ["localhost", "127.0.0.1/33", "10.0.0.0/8;192.168.0.0/16"])
def test_an_invalid_exempt_entry_stops_start_up(make_settings: Callable[..., Settings],
                                                entry: str) -> None:
    settings = Settings.from_env({"REELWRIGHT_ANON_IP_EXEMPT": f"127.0.0.0/8,{entry}",
                                  "REELWRIGHT_DATA_DIR": str(make_settings().data_path)})
    with pytest.raises(ValueError) as err:
        create_app(settings)
    message = str(err.value)
    assert "REELWRIGHT_ANON_IP_EXEMPT" in message and repr(entry) in message


def test_a_negative_cap_stops_start_up(make_settings: Callable[..., Settings]) -> None:
    with pytest.raises(ValueError, match="anon_tokens_per_ip must be 0"):
        create_app(make_settings(anon_tokens_per_ip=-1))
