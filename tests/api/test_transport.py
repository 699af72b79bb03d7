"""The client's HTTP/1.1 transport: framing, keep-alive, failures as httpx errors, TLS on demand."""

from __future__ import annotations

import asyncio
import contextvars
import gc
import gzip
import ssl
import subprocess
import sys
import weakref
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from hfdash.api import ConnectError, HeyGenClient, TransportError
from hfdash.api.transport import IDLE_PER_ORIGIN, Http1Transport
from hfdash.simulator import Simulator
from tests.api.conftest import MakeClient
from tests.services.conftest import chunked, listening, raw_server, response

# What a server sends for one request (its head and body), in separate writes.
Answer = Callable[[bytes, bytes], Sequence[bytes]]


@dataclass
class KeepAliveServer:
    url: str = ""
    connections: int = 0
    # Each request's head and body, in arrival order.
    requests: list[tuple[bytes, bytes]] = field(default_factory=list)


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0


@asynccontextmanager
async def keep_alive_server(
    answer: Answer, *, hang_up: bool = False, tls: ssl.SSLContext | None = None
) -> AsyncIterator[KeepAliveServer]:
    """Answers every request on a connection until the client leaves (or after one, if `hang_up`)."""
    info = KeepAliveServer()
    writers: list[asyncio.StreamWriter] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        info.connections += 1
        writers.append(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                body = await reader.readexactly(_content_length(head))
                info.requests.append((head, body))
                for part in answer(head, body):
                    writer.write(part)
                    await writer.drain()
                    await asyncio.sleep(0.002)
                if hang_up:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async with listening(handle, writers, tls) as url:
        info.url = url
        yield info


def ok(body: bytes = b"{}", *headers: str) -> Answer:
    return lambda _head, _body: [response("200 OK", f"Content-Length: {len(body)}", *headers, body=body)]


@asynccontextmanager
async def http_client(
    tls: ssl.SSLContext | None = None,
) -> AsyncIterator[tuple[httpx.AsyncClient, Http1Transport]]:
    transport = Http1Transport(tls=tls)
    async with httpx.AsyncClient(transport=transport, timeout=httpx.Timeout(2.0, read=0.5)) as client:
        yield client, transport


# -- against the simulator, through the API client ---------------------------------------------------


async def test_requests_to_the_api_share_one_connection(sim: Simulator, client: HeyGenClient) -> None:
    for _ in range(4):
        await client.renders.list(limit=2)
    transport = client._http()._transport
    assert isinstance(transport, Http1Transport)
    assert transport.open_connections == 1
    # Plain HTTP never builds a TLS context, so never loads the CA bundle.
    assert client._tls is None


async def test_https_to_a_plain_server_fails_as_a_connection_error(
    sim: Simulator, make_client: MakeClient
) -> None:
    client = make_client(base_url=sim.url.replace("http://", "https://"))
    with pytest.raises(ConnectError):
        await client.renders.list(limit=1)


def test_the_tls_context_verifies_against_the_ca_bundle() -> None:
    context = Http1Transport()._tls_context()
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] > 0


def _probe(code: str) -> str:
    """What `code` prints in a fresh interpreter: what it imports is its own."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_building_a_client_imports_no_httpx() -> None:
    code = (
        "import sys\n"
        "from hfdash.api import HeyGenClient\n"
        "from hfdash.config.credentials import Credential, Secret\n"
        "HeyGenClient(Credential(kind='api_key', source='test', api_key=Secret('k')))\n"
        "print('httpx' in sys.modules)\n"
    )
    assert _probe(code) == "False"


def test_a_request_imports_neither_httpcore_nor_anyio() -> None:
    # httpx's own transport would import both, and anyio's asyncio backend: about 50 ms of a start.
    code = (
        "import asyncio, sys\n"
        "from hfdash.api import HeyGenClient\n"
        "from hfdash.config.credentials import Credential, Secret\n"
        "from hfdash.simulator import Simulator\n"
        "from hfdash.simulator.config import SimConfig\n"
        "sim = Simulator(SimConfig(api_key='k', renders=3), host='127.0.0.1', port=0)\n"
        "sim.start()\n"
        "async def main():\n"
        "    async with HeyGenClient(Credential(kind='api_key', source='t', api_key=Secret('k')),\n"
        "                            base_url=sim.url) as client:\n"
        "        return len((await client.renders.list(limit=3)).items)\n"
        "print(asyncio.run(main()), sorted(m for m in ('httpcore', 'anyio', 'h11') if m in sys.modules))\n"
        "sim.stop()\n"
    )
    assert _probe(code) == "3 []"


# -- framing -----------------------------------------------------------------------------------------


async def test_a_body_by_length_arrives_whole_across_writes() -> None:
    body = bytes(range(256)) * 300

    def answer(_head: bytes, _body: bytes) -> list[bytes]:
        whole = response("200 OK", f"Content-Length: {len(body)}", body=body)
        return [whole[:10], whole[10:5000], whole[5000:]]

    async with keep_alive_server(answer) as server, http_client() as (client, transport):
        first = await client.get(server.url + "/a")
        second = await client.get(server.url + "/b")
        assert first.content == body and second.content == body
        assert first.status_code == 200 and first.reason_phrase == "OK"
        assert server.connections == 1 and transport.open_connections == 1


async def test_a_chunked_body_with_extensions_and_trailers_is_joined() -> None:
    def answer(_head: bytes, _body: bytes) -> list[bytes]:
        return [response("200 OK", "Transfer-Encoding: chunked"), *chunked(b'{"a":', b" 1", b"}")]

    async with keep_alive_server(answer) as server, http_client() as (client, _):
        for _ in range(2):
            assert (await client.get(server.url)).json() == {"a": 1}
        assert server.connections == 1


async def test_a_body_without_framing_runs_to_the_end_of_the_connection() -> None:
    script = [response("200 OK"), b"first ", b"second"]
    async with raw_server([script]) as server, http_client() as (client, transport):
        assert (await client.get(server.url)).content == b"first second"
        assert transport.open_connections == 0


@pytest.mark.parametrize("status", ["204 No Content", "304 Not Modified"])
async def test_answers_that_have_no_body_keep_the_connection(status: str) -> None:
    async with keep_alive_server(lambda _h, _b: [response(status)]) as server, http_client() as (client, _):
        for _ in range(2):
            assert (await client.get(server.url)).content == b""
        assert server.connections == 1


async def test_a_head_request_reads_no_body_even_with_a_length() -> None:
    async with (
        keep_alive_server(lambda _h, _b: [response("200 OK", "Content-Length: 99")]) as server,
        http_client() as (client, _),
    ):
        assert (await client.head(server.url)).headers["content-length"] == "99"
        assert (await client.head(server.url)).status_code == 200
        assert server.connections == 1


async def test_interim_answers_are_skipped() -> None:
    async with (
        keep_alive_server(lambda _h, _b: [b"HTTP/1.1 100 Continue\r\n\r\n", *ok()(b"", b"")]) as server,
        http_client() as (client, _),
    ):
        assert (await client.get(server.url)).status_code == 200


async def test_a_compressed_body_is_decoded_by_httpx() -> None:
    packed = gzip.compress(b'{"packed": true}')
    async with (
        keep_alive_server(ok(packed, "Content-Encoding: gzip")) as server,
        http_client() as (client, _),
    ):
        assert (await client.get(server.url)).json() == {"packed": True}


async def test_a_request_body_is_sent_with_its_length() -> None:
    async with (
        keep_alive_server(lambda _h, body: ok(body[::-1])(b"", b"")) as server,
        http_client() as (client, _),
    ):
        answer = await client.post(server.url + "/token", data={"grant_type": "refresh_token"})
        assert answer.content == b"grant_type=refresh_token"[::-1]
        head, body = server.requests[0]
        assert head.startswith(b"POST /token HTTP/1.1\r\n")
        assert b"\r\nContent-Length: 24\r\n" in head and body == b"grant_type=refresh_token"


async def test_the_target_keeps_its_query_and_every_header_is_sent() -> None:
    async with keep_alive_server(ok()) as server, http_client() as (client, _):
        await client.get(
            server.url + "/v3/x", params={"limit": "5", "token": "a b"}, headers={"x-api-key": "k"}
        )
        head = server.requests[0][0]
        assert head.startswith(b"GET /v3/x?limit=5&token=a+b HTTP/1.1\r\n")
        assert b"\r\nx-api-key: k\r\n" in head and b"\r\nHost: 127.0.0.1:" in head


async def test_a_header_holding_a_line_break_is_refused_before_sending() -> None:
    async with keep_alive_server(ok()) as server, http_client() as (client, _):
        with pytest.raises(httpx.LocalProtocolError):
            await client.get(server.url, headers={"x-a": "b\r\nx-injected: 1"})
        assert server.requests == []


# -- keep-alive --------------------------------------------------------------------------------------


async def test_a_connection_the_server_closed_while_idle_is_not_reused() -> None:
    async with keep_alive_server(ok(), hang_up=True) as server, http_client() as (client, _):
        await client.get(server.url)
        await asyncio.sleep(0.05)
        assert (await client.get(server.url)).status_code == 200
        assert server.connections == 2


async def test_connection_close_is_honoured_both_ways() -> None:
    async with (
        keep_alive_server(ok(b"{}", "Connection: close")) as server,
        http_client() as (client, transport),
    ):
        await client.get(server.url)
        assert transport.open_connections == 0
    async with keep_alive_server(ok()) as server, http_client() as (client, transport):
        await client.get(server.url, headers={"Connection": "close"})
        assert transport.open_connections == 0


async def test_bytes_after_a_whole_answer_make_the_connection_unfit() -> None:
    overlong = [response("200 OK", "Content-Length: 2", body=b"{}junk")]
    async with (
        keep_alive_server(lambda _h, _b: overlong) as server,
        http_client() as (client, transport),
    ):
        assert (await client.get(server.url)).content == b"{}"
        assert transport.open_connections == 0


async def test_a_body_closed_before_its_end_closes_the_connection() -> None:
    body = b"x" * 300_000
    async with keep_alive_server(ok(body)) as server, http_client() as (client, transport):
        async with client.stream("GET", server.url) as answer:
            async for _piece in answer.aiter_raw():
                break
        assert transport.open_connections == 0
        assert (await client.get(server.url)).content == body
        assert server.connections == 2


async def test_concurrent_requests_each_get_a_connection_and_the_pool_keeps_a_few() -> None:
    async with keep_alive_server(ok()) as server, http_client() as (client, transport):
        answers = await asyncio.gather(*(client.get(server.url) for _ in range(IDLE_PER_ORIGIN + 3)))
        assert all(answer.status_code == 200 for answer in answers)
        assert transport.open_connections <= IDLE_PER_ORIGIN
    assert transport.open_connections == 0


class _Screen:
    """Stands for what a Textual worker's context holds: its screen, widgets and all."""


_SHOWN: contextvars.ContextVar[_Screen] = contextvars.ContextVar("shown")


async def test_a_kept_connection_holds_nothing_of_the_request_that_opened_it() -> None:
    async with keep_alive_server(ok()) as server, http_client() as (client, transport):

        async def ask(screen: _Screen) -> None:
            _SHOWN.set(screen)
            await client.get(server.url)

        screen = _Screen()
        gone = weakref.ref(screen)
        await asyncio.create_task(ask(screen))
        del screen
        # The loop's last callbacks for the finished task run first.
        await asyncio.sleep(0.05)
        gc.collect()
        # Still open and idle, yet neither it nor its timers keep the asking task's context.
        assert transport.open_connections == 1
        assert gone() is None


# -- failures ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("script", "error"),
    [
        ([response("200 OK", "Content-Length: 10", body=b"short")], httpx.RemoteProtocolError),
        ([b"<html>not http</html>\r\n\r\n"], httpx.RemoteProtocolError),
        ([b"HTTP/1.1 200 OK\r\nContent-Len"], httpx.RemoteProtocolError),
        ([], httpx.RemoteProtocolError),
        ([response("200 OK", "Content-Length: 1, 2", body=b"{}")], httpx.RemoteProtocolError),
        (
            [response("200 OK", "Transfer-Encoding: chunked"), b"2\r\n{}}\r\n0\r\n\r\n"],
            httpx.RemoteProtocolError,
        ),
        ([response("200 OK", "Transfer-Encoding: chunked"), b"zz\r\n"], httpx.RemoteProtocolError),
        ([b"HTTP/1.1 200 OK\r\n" + b"X: " + b"a" * 70_000 + b"\r\n\r\n"], httpx.RemoteProtocolError),
    ],
    ids=[
        "short-body",
        "not-http",
        "cut-head",
        "no-answer",
        "two-lengths",
        "long-chunk",
        "bad-chunk",
        "huge-head",
    ],
)
async def test_broken_answers_raise_httpx_errors_and_drop_the_connection(
    script: list[bytes], error: type[Exception]
) -> None:
    async with raw_server([script]) as server, http_client() as (client, transport):
        with pytest.raises(error):
            await client.get(server.url)
        assert transport.open_connections == 0


async def test_a_server_that_stops_sending_is_a_read_timeout() -> None:
    async with (
        raw_server([[response("200 OK", "Content-Length: 10", body=b"12")]], stall=True) as server,
        http_client() as (client, transport),
    ):
        with pytest.raises(httpx.ReadTimeout):
            await client.get(server.url)
        assert transport.open_connections == 0


async def test_nobody_listening_is_a_connect_error() -> None:
    listener = await asyncio.start_server(lambda _r, _w: None, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    listener.close()
    await listener.wait_closed()
    async with http_client() as (client, _):
        with pytest.raises(httpx.ConnectError):
            await client.get(f"http://127.0.0.1:{port}/")


async def test_the_api_client_maps_a_broken_answer_to_its_transport_error(make_client: MakeClient) -> None:
    async with raw_server([[response("200 OK", "Content-Length: 50", body=b'{"data": [')]]) as server:
        client = make_client(base_url=server.url)
        with pytest.raises(TransportError, match="RemoteProtocolError"):
            await client.renders.list(limit=1)
        await client.aclose()


async def test_a_closed_transport_refuses_requests_and_keeps_nothing_open() -> None:
    async with keep_alive_server(ok()) as server, http_client() as (client, transport):
        await client.get(server.url)
        await transport.aclose()
        assert transport.open_connections == 0
        with pytest.raises(httpx.ConnectError):
            await client.get(server.url)


# -- TLS ---------------------------------------------------------------------------------------------


async def test_https_is_spoken_over_tls_and_kept_alive(certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    server_side = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_side.load_cert_chain(cert, key)
    trusting = ssl.create_default_context(cafile=str(cert))
    async with keep_alive_server(ok(b'{"tls": true}'), tls=server_side) as server:
        async with http_client(tls=trusting) as (client, _):
            for _ in range(2):
                assert (await client.get(server.url)).json() == {"tls": True}
            assert server.connections == 1
        # A certificate nobody vouches for is refused, and the error says why.
        async with http_client(tls=ssl.create_default_context()) as (client, _):
            with pytest.raises(httpx.ConnectError, match="certificate"):
                await client.get(server.url)
