"""The first page asked for from a thread at start, and taken by the first request for it."""

from __future__ import annotations

import asyncio
import logging
import ssl
import time
from pathlib import Path

import pytest

from hfdash.__main__ import ask_first_page_early
from hfdash.api import HeyGenClient
from hfdash.api import client as client_module
from hfdash.api.early import ask
from hfdash.api.http1 import ProtocolError
from hfdash.api.tls import client_context
from hfdash.api.transport import Http1Transport
from hfdash.config.settings import Settings
from hfdash.simulator import Simulator
from tests.api.conftest import MakeClient
from tests.conftest import TEST_KEY
from tests.services.conftest import chunked, raw_server, response

RENDERS = "/v3/hyperframes/renders"


def _asked(sim: Simulator, path: str = RENDERS) -> int:
    return sum(1 for entry in sim.state.request_log if entry["path"] == path)


async def _wait_for_answers(sim: Simulator, count: int, path: str = RENDERS) -> None:
    deadline = time.monotonic() + 5.0
    while _asked(sim, path) < count:
        assert time.monotonic() < deadline, "the early request never reached the simulator"
        await asyncio.sleep(0.02)


async def test_the_first_request_for_the_page_takes_the_early_answer(
    sim: Simulator, client: HeyGenClient
) -> None:
    sim.state.faults.add("slow", rate=1.0, delay=0.4, path_prefix=RENDERS)
    assert client.renders.ask_first_page_early(10)
    await asyncio.sleep(0.5)
    started = time.monotonic()
    page = await client.renders.list(limit=10)
    # Answered while the caller was busy elsewhere: taking it costs no round trip.
    assert time.monotonic() - started < 0.3
    assert len(page.items) == 10 and page.has_more
    assert _asked(sim) == 1
    # Once only: the same request again goes to the API.
    await client.renders.list(limit=10)
    assert _asked(sim) == 2


async def test_a_request_for_another_page_is_not_answered_early(sim: Simulator, client: HeyGenClient) -> None:
    client.renders.ask_first_page_early(10)
    await _wait_for_answers(sim, 1)
    smaller = await client.renders.list(limit=5)
    assert len(smaller.items) == 5 and _asked(sim) == 2
    assert len((await client.renders.list(limit=10)).items) == 10
    assert _asked(sim) == 2


async def test_an_early_error_gets_the_usual_handling(sim: Simulator, client: HeyGenClient) -> None:
    sim.state.faults.add("429", count=1, path_prefix=RENDERS, retry_after=0)
    client.renders.ask_first_page_early(10)
    await _wait_for_answers(sim, 1)
    page = await client.renders.list(limit=10)
    # The early 429 was waited out and the page asked for again, as any 429 is.
    assert len(page.items) == 10 and _asked(sim) == 2


async def test_an_early_request_that_failed_is_sent_again(make_client: MakeClient) -> None:
    body = b'{"data": [], "has_more": false, "next_token": null}'
    # The first connection (the early request's) is closed without an answer.
    answer = response("200 OK", "Content-Type: application/json", f"Content-Length: {len(body)}", body=body)
    scripts = [[b""], [answer]]
    async with raw_server(scripts) as server:
        client = make_client(base_url=server.url)
        client.renders.ask_first_page_early(10)
        page = await client.renders.list(limit=10)
    assert page.items == () and len(server.requests) == 2


async def test_an_old_early_answer_is_not_used(
    sim: Simulator, client: HeyGenClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(client_module, "EARLY_ANSWER_KEEPS", 0.0)
    client.renders.ask_first_page_early(10)
    await _wait_for_answers(sim, 1)
    await client.renders.list(limit=10)
    assert _asked(sim) == 2


@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "http_proxy", "ALL_PROXY"])
async def test_nothing_is_asked_early_through_a_proxy(
    sim: Simulator, client: HeyGenClient, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, "http://127.0.0.1:9")
    assert not client.renders.ask_first_page_early(10)
    await asyncio.sleep(0.2)
    assert _asked(sim) == 0


@pytest.mark.parametrize(
    ("pane", "path"), [("renders", RENDERS), ("clips", "/v3/ai-clipping"), ("agents", "/v3/video-agents")]
)
async def test_the_start_asks_for_the_first_page_of_the_pane_in_view(
    sim: Simulator, client: HeyGenClient, pane: str, path: str
) -> None:
    assert ask_first_page_early(client, Settings(default_pane=pane, page_size=7))
    await _wait_for_answers(sim, 1, path)
    assert [entry["path"] for entry in sim.state.request_log] == [path]
    assert sim.state.request_log[0]["query"] == {"limit": "7"}


async def test_the_key_is_sent_but_never_logged(
    sim: Simulator, client: HeyGenClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client.renders.ask_first_page_early(10)
    await client.renders.list(limit=10)
    # Accepted: the simulator answers only its key.
    assert sim.state.request_log[0]["status"] == 200
    assert TEST_KEY not in caplog.text


# -- the thread's own HTTP ---------------------------------------------------------------------------


async def _fetch(url: str, *, tls: ssl.SSLContext | None = None) -> tuple[int, bytes]:
    answer = await asyncio.wrap_future(ask(url, {}, 5.0, lambda: tls or client_context()))
    return answer.status, answer.body


async def test_bodies_by_length_by_chunks_and_by_connection_end() -> None:
    scripts = [
        [response("200 OK", "Content-Length: 6", body=b"abc"), b"def"],
        [response("100 Continue"), response("200 OK", "Transfer-Encoding: chunked"), *chunked(b"ab", b"cd")],
        [response("200 OK", body=b"until "), b"the end"],
    ]
    async with raw_server(scripts) as server:
        assert await _fetch(server.url) == (200, b"abcdef")
        assert await _fetch(server.url) == (200, b"abcd")
        assert await _fetch(server.url) == (200, b"until the end")
        target, _, head = server.requests[0].partition(b"\r\n")
    assert target == b"GET / HTTP/1.1"
    assert b"Connection: close" in head


async def test_an_answer_cut_short_is_an_error() -> None:
    async with raw_server([[response("200 OK", "Content-Length: 10", body=b"abc")]]) as server:
        with pytest.raises(ProtocolError):
            await _fetch(server.url)


async def test_tls_checks_the_certificate(certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    trusting = ssl.create_default_context(cafile=str(cert))
    async with raw_server([[response("200 OK", "Content-Length: 2", body=b"ok")]], tls=server_tls) as server:
        assert await _fetch(server.url, tls=trusting) == (200, b"ok")
        # The default bundle does not know this certificate: refused.
        with pytest.raises(ssl.SSLCertVerificationError):
            await _fetch(server.url)


async def test_the_early_request_and_later_connections_share_one_tls_context(
    certificate: tuple[Path, Path], make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key = certificate
    # The client's context trusts what SSL_CERT_FILE names, as httpx's does.
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    body = b'{"data": [], "has_more": false, "next_token": null}'
    answer = response("200 OK", "Content-Type: application/json", f"Content-Length: {len(body)}", body=body)
    async with raw_server([[answer]], tls=server_tls) as server:
        client = make_client(base_url=server.url)
        assert client.renders.ask_first_page_early(10)
        await client.renders.list(limit=10)
        built = client._tls
        assert built is not None
        # The next request opens a connection of the transport's own, with that same context.
        await client.renders.list(limit=5)
        assert len(server.requests) == 2
        transport = client._http()._transport
        assert isinstance(transport, Http1Transport) and transport._tls_context() is built
