"""Proxies from the environment, as httpx reads them: every request hfdash makes goes through one.

The API calls, the OAuth refresh and a file download are each sent to a host only the test
proxy can reach (tests/proxy.py), so a request that went direct would fail outright.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from hfdash.__main__ import _client
from hfdash.api.client import HeyGenClient
from hfdash.api.errors import ConnectError, TransportError
from hfdash.simulator import Simulator
from tests.api.conftest import NO_RETRY, api_key_credential, every_kind_of_request
from tests.conftest import TlsFiles
from tests.proxy import ONLY_THROUGH_PROXY, dead_proxy_url, forward_proxy


async def test_http_requests_go_through_the_proxy_in_absolute_form(
    sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with forward_proxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        base = f"http://{ONLY_THROUGH_PROXY}:{urlsplit(sim.url).port}"
        await every_kind_of_request(sim, base, tmp_path / "downloads")
    relayed = [(method, urlsplit(target).path) for method, target in proxy.passed]
    assert relayed == [(e["method"], e["path"]) for e in sim.state.request_log]
    assert all(target.startswith(base + "/") for _, target in proxy.passed)


async def test_https_goes_through_the_proxy_in_a_connect_tunnel(
    tls_sim: Simulator, tls_files: TlsFiles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with forward_proxy() as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        monkeypatch.setenv("SSL_CERT_FILE", str(tls_files.ca))
        authority = f"{ONLY_THROUGH_PROXY}:{urlsplit(tls_sim.url).port}"
        await every_kind_of_request(tls_sim, f"https://{authority}", tmp_path / "downloads")
    assert proxy.passed and set(proxy.passed) == {("CONNECT", authority)}


@pytest.mark.parametrize("scheme", ["http", "https"])
async def test_no_proxy_naming_the_api_host_goes_direct(
    scheme: str,
    sim: Simulator,
    tls_sim: Simulator,
    tls_files: TlsFiles,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = tls_sim if scheme == "https" else sim
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, dead_proxy_url())
    monkeypatch.setenv("NO_PROXY", "example.com,127.0.0.1")
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_files.ca))
    await every_kind_of_request(server, server.url, tmp_path / "downloads")


async def test_a_proxy_that_is_set_is_used_even_for_loopback(
    sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # httpx does not exempt 127.0.0.1 on its own: without NO_PROXY a dead proxy stops everything.
    monkeypatch.setenv("HTTP_PROXY", dead_proxy_url())
    async with HeyGenClient(api_key_credential(), base_url=sim.url, retry=NO_RETRY) as client:
        with pytest.raises(ConnectError, match=r"cannot connect to 127\.0\.0\.1"):
            await client.renders.list()
    assert sim.state.request_log == []


async def test_the_demo_goes_direct_to_its_simulator_whatever_proxy_is_set(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, dead_proxy_url())
    monkeypatch.setenv("NO_PROXY", "example.com")
    monkeypatch.setenv("no_proxy", "")  # so the variable the start sets is undone after the test
    client = _client(argparse.Namespace(api_url=None), sim)
    assert client is not None
    async with client:
        assert len((await client.renders.list(limit=3)).items) == 3
    assert os.environ["no_proxy"] == os.environ["NO_PROXY"] == "example.com,127.0.0.1"


async def test_a_proxy_variable_httpx_cannot_parse_is_a_typed_error_not_a_crash(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # httpx refuses such a variable when its client is built, so the client is built by the first request.
    monkeypatch.setenv("HTTP_PROXY", "ftp://proxy.invalid:21")
    async with HeyGenClient(api_key_credential(), base_url=sim.url, retry=NO_RETRY) as client:
        with pytest.raises(TransportError, match=r"the connection to 127\.0\.0\.1 failed"):
            await client.renders.list()
        assert client.state.kind == "offline"
    assert sim.state.request_log == []
