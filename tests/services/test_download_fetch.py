"""The direct GET client against the simulator's file host and against raw servers over loopback."""

from __future__ import annotations

import asyncio
import hashlib
import socket
import ssl
from collections.abc import Sequence
from pathlib import Path

import httpx
import pytest

from hfdash import __version__
from hfdash.api.http1 import (
    CHUNKED,
    ConnectFailed,
    Dropped,
    FetchError,
    FetchTimeout,
    ProtocolError,
)
from hfdash.services.downloads.connect import interleave
from hfdash.services.downloads.engine import file_client
from hfdash.services.downloads.fetch import Reply, needs_proxy, open_direct, open_reply
from hfdash.services.downloads.wire import Body, Timeouts, Wire
from hfdash.simulator import Simulator
from hfdash.simulator.files import expected_bytes
from tests.services.conftest import Served, chunked, raw_server, response, served

QUICK = Timeouts(connect=2.0, read=0.3)


def add_file(sim: Simulator, render_id: str = "hfr_fetch") -> tuple[Served, str]:
    url = str(sim.state.add_render(render_id=render_id, status="completed")["video_url"])
    return served(sim, url), url


async def body_of(reply: Reply) -> bytes:
    out = bytearray()
    while chunk := await reply.read():
        out += chunk
    return bytes(out)


async def get(url: str, offset: int = 0, timeouts: Timeouts = QUICK) -> tuple[int, dict[str, str], bytes]:
    async with open_direct(url, offset=offset, timeouts=timeouts) as reply:
        names = ("content-length", "content-range", "content-type")
        headers = {n: v for n in names if (v := reply.header(n)) is not None}
        return reply.status, headers, await body_of(reply)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- the simulator's file host -------------------------------------------------------------------


async def test_plain_get(sim: Simulator) -> None:
    want, url = add_file(sim)
    status, headers, body = await get(url)
    assert status == 200
    assert headers["content-length"] == str(want.size)
    assert sha256(body) == want.sha256


async def test_range_resume_answers_206_from_the_offset(sim: Simulator) -> None:
    want, url = add_file(sim)
    status, headers, body = await get(url, offset=70_000)
    assert status == 206
    assert headers["content-range"] == f"bytes 70000-{want.size - 1}/{want.size}"
    assert body == expected_bytes(want.key, want.size)[70_000:]


async def test_a_host_ignoring_range_answers_the_whole_file(sim: Simulator) -> None:
    want, url = add_file(sim)
    sim.state.faults.add("no_range", count=1, path_prefix="/files/")
    status, _, body = await get(url, offset=70_000)
    assert status == 200
    assert sha256(body) == want.sha256


async def test_an_expired_url_answers_403_xml(sim: Simulator) -> None:
    _, url = add_file(sim)
    sim.state.faults.add("expire_url", count=1, path_prefix="/files/")
    status, headers, body = await get(url)
    assert status == 403
    assert "xml" in headers["content-type"]
    assert b"Request has expired" in body


async def test_a_dropped_connection_raises_dropped_after_the_bytes_that_came(sim: Simulator) -> None:
    want, url = add_file(sim)
    sim.state.faults.add("drop", count=1, after_bytes=80_000, path_prefix="/files/")
    got = bytearray()
    with pytest.raises(Dropped, match="dropped before the body ended") as caught:
        async with open_direct(url, timeouts=QUICK) as reply:
            while chunk := await reply.read():
                got += chunk
    assert bytes(got) == expected_bytes(want.key, want.size)[:80_000]
    assert "X-Amz" not in str(caught.value) and "?" not in str(caught.value)


async def test_the_request_says_who_asks_and_carries_no_credential(sim: Simulator) -> None:
    script = [response("200 OK", "Content-Length: 2", body=b"ok")]
    async with raw_server([script]) as server:
        await get(f"{server.url}/files/a%20b.mp4?X-Amz-Signature=s%2Fg&x=1", offset=5)
    request = server.requests[0].decode("latin-1")
    lines = request.split("\r\n")
    assert lines[0] == "GET /files/a%20b.mp4?X-Amz-Signature=s%2Fg&x=1 HTTP/1.1"
    port = server.url.rsplit(":", 1)[1]
    for line in (
        f"Host: 127.0.0.1:{port}",
        f"User-Agent: hfdash/{__version__}",
        "Accept-Encoding: identity",
        "Connection: close",
        "Range: bytes=5-",
    ):
        assert line in lines
    assert "authorization" not in request.lower() and "x-api-key" not in request.lower()


# -- framings the simulator does not use ---------------------------------------------------------


async def test_a_chunked_body_is_decoded() -> None:
    pieces = [b"a" * 10, b"b" * 70_000, b"c"]
    script = [response("200 OK", "Transfer-Encoding: chunked"), *chunked(*pieces)]
    async with raw_server([script]) as server:
        status, _, body = await get(server.url + "/f")
    assert (status, body) == (200, b"".join(pieces))


async def test_a_chunked_body_cut_short_is_a_drop() -> None:
    script = [response("200 OK", "Transfer-Encoding: chunked"), b"10\r\n", b"only-seven"]
    async with raw_server([script]) as server:
        with pytest.raises(Dropped):
            await get(server.url + "/f")


async def test_a_chunk_longer_than_announced_is_refused() -> None:
    script = [response("200 OK", "Transfer-Encoding: chunked"), b"3\r\nabcdef\r\n0\r\n\r\n"]
    async with raw_server([script]) as server:
        with pytest.raises(ProtocolError, match="chunk"):
            await get(server.url + "/f")


async def test_a_body_without_length_runs_to_the_close() -> None:
    script = [response("200 OK", "Connection: close"), b"first ", b"second"]
    async with raw_server([script]) as server:
        status, headers, body = await get(server.url + "/f")
    assert (status, body) == (200, b"first second")
    assert "content-length" not in headers


async def test_interim_answers_are_skipped() -> None:
    script = [b"HTTP/1.1 100 Continue\r\n\r\n", response("200 OK", "Content-Length: 2", body=b"ok")]
    async with raw_server([script]) as server:
        assert (await get(server.url + "/f"))[::2] == (200, b"ok")


async def test_a_tiny_buffer_still_reads_heads_lines_and_bodies() -> None:
    # Heads and chunk lines that straddle buffer refills exercise the buffer's compaction.
    head = response("200 OK", "Transfer-Encoding: chunked", "X-Padding: " + "p" * 20)
    script = [head[:7], head[7:], *chunked(b"x" * 100, b"y" * 33)]
    async with raw_server([script]) as server:
        wire = await Wire.connect("127.0.0.1", int(server.url.rsplit(":", 1)[1]), None, QUICK, size=96)
        try:
            await wire.send(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            parsed = await wire.read_head()
            assert parsed.get("x-padding") == "p" * 20
            body = Body(wire, CHUNKED, "127.0.0.1")
            out = bytearray()
            while chunk := await body.read():
                out += chunk
        finally:
            wire.close()
    assert bytes(out) == b"x" * 100 + b"y" * 33


@pytest.mark.parametrize(
    ("script", "error", "match"),
    [
        ([b"SSH-2.0-OpenSSH_9.6\r\n\r\n"], ProtocolError, "malformed status line"),
        ([b"HTTP/1.1 200 OK\r\nthis is not a header\r\n\r\n"], ProtocolError, "malformed header"),
        ([b"HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n"], ProtocolError, "Content-Length"),
        ([b"HTTP/1.1 200 OK\r\nX: y\r\n"], ProtocolError, "incomplete response head"),
        ([b"HTTP/1.1 200 OK\r\n" + b"X-Big: " + b"z" * 70_000 + b"\r\n\r\n"], ProtocolError, "oversized"),
        ([], Dropped, "without answering"),
        ([response("200 OK", "Content-Length: 10", body=b"short")], Dropped, "before the body ended"),
    ],
)
async def test_garbage_and_short_answers_raise_clear_errors(
    script: Sequence[bytes], error: type[FetchError], match: str
) -> None:
    async with raw_server([script]) as server:
        with pytest.raises(error, match=match):
            await get(server.url + "/f?secret=1")


# -- redirects, timeouts, refusals ---------------------------------------------------------------


async def test_redirects_are_followed_to_the_file(sim: Simulator) -> None:
    want, url = add_file(sim)
    path_and_query = url.split("/", 3)[3]
    scripts = [
        [response("302 Found", "Location: /moved", "Content-Length: 0")],
        [response("307 Temporary Redirect", f"Location: {url}", "Content-Length: 0")],
    ]
    async with raw_server(scripts) as server:
        status, _, body = await get(f"{server.url}/{path_and_query}", offset=100)
    assert server.requests[1].startswith(b"GET /moved HTTP/1.1")
    assert status == 206
    assert body == expected_bytes(want.key, want.size)[100:]


async def test_endless_redirects_give_up() -> None:
    loop = [response("301 Moved Permanently", "Location: /again", "Content-Length: 0")]
    async with raw_server([loop]) as server:
        with pytest.raises(FetchError, match="redirected more than 5 times"):
            await get(server.url + "/f")
    assert len(server.requests) == 6


async def test_a_host_that_stalls_mid_body_times_out() -> None:
    script = [response("200 OK", "Content-Length: 100", body=b"partial")]
    async with raw_server([script], stall=True) as server:
        with pytest.raises(FetchTimeout, match="stopped sending"):
            await get(server.url + "/f")


async def test_a_host_that_never_answers_times_out() -> None:
    async with raw_server([[]], stall=True) as server:
        with pytest.raises(FetchTimeout, match="stopped sending"):
            await get(server.url + "/f")


async def test_a_refused_connection_is_a_connect_failure() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ConnectFailed, match=r"could not connect to the file host 127\.0\.0\.1"):
        await get(f"http://127.0.0.1:{port}/f?X-Amz-Signature=secret")


async def test_other_schemes_are_refused() -> None:
    with pytest.raises(FetchError, match="unsupported scheme 'ftp'"):
        await get("ftp://example.com/f")


# -- TLS -----------------------------------------------------------------------------------------


async def test_https_reads_through_tls(certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    server_side = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_side.load_cert_chain(cert, key)
    trusting = ssl.create_default_context(cafile=str(cert))
    data = bytes(range(256)) * 4000
    script = [response("200 OK", f"Content-Length: {len(data)}"), data[:5000], data[5000:]]
    async with raw_server([script], tls=server_side) as server:
        async with open_direct(server.url + "/f", timeouts=QUICK, tls=trusting) as reply:
            assert reply.status == 200
            assert await body_of(reply) == data
        # Without trusting the certificate the connection is refused, and says why.
        with pytest.raises(ConnectFailed, match="certificate"):
            async with open_direct(server.url + "/f", timeouts=QUICK):
                pass


# -- which path a download takes -----------------------------------------------------------------


def test_proxies_from_the_environment_apply_unless_no_proxy_exempts(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    assert not needs_proxy("https://files.example.com/a?sig=1")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    assert needs_proxy("https://files.example.com/a?sig=1")
    assert not needs_proxy("http://files.example.com/a")
    monkeypatch.setenv("NO_PROXY", "example.com")
    assert not needs_proxy("https://files.example.com/a?sig=1")


async def test_a_proxied_host_goes_through_httpx(monkeypatch: pytest.MonkeyPatch) -> None:
    script = [response("200 OK", "Content-Length: 7", body=b"proxied")]
    async with raw_server([script]) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        async with file_client() as http, open_reply(http, "http://files.invalid/f?sig=1", 0) as reply:
            assert (reply.status, await body_of(reply)) == (200, b"proxied")
    # A proxy is asked for the whole URL (absolute form); a direct request names only the path.
    assert proxy.requests[0].startswith(b"GET http://files.invalid/f?sig=1 HTTP/1.1")


async def test_any_other_httpx_client_keeps_its_own_transport() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=httpx.ByteStream(b"mocked"))

    mocked = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    async with mocked as http, open_reply(http, "http://files.invalid/f", 0) as reply:
        assert (reply.status, await body_of(reply)) == (200, b"mocked")


async def test_a_cancel_while_reading_propagates(sim: Simulator) -> None:
    _, url = add_file(sim)

    async def slow_reader() -> None:
        async with open_direct(url, timeouts=QUICK) as reply:
            await reply.read()
            await asyncio.sleep(10)

    task = asyncio.create_task(slow_reader())
    await asyncio.sleep(0.1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


# -- connecting ----------------------------------------------------------------------------------


def test_address_families_alternate_in_resolver_order() -> None:
    v6a = (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::1", 80, 0, 0))
    v6b = (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::2", 80, 0, 0))
    v4a = (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.1", 80))
    assert interleave([v6a, v6b, v4a]) == [v6a, v4a, v6b]


async def test_an_address_that_never_answers_does_not_hold_up_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    script = [response("200 OK", "Content-Length: 2", body=b"ok")]
    async with raw_server([script]) as server:
        port = int(server.url.rsplit(":", 1)[1])
        loop = asyncio.get_running_loop()
        never = loop.create_future()

        async def resolve(*args: object, **kwargs: object) -> list[tuple[object, ...]]:
            stream = (socket.AF_INET, socket.SOCK_STREAM, 6, "")
            return [(*stream, ("192.0.2.1", port)), (*stream, ("127.0.0.1", port))]

        real_connect = loop.sock_connect

        async def connect(sock: socket.socket, address: tuple[str, int]) -> None:
            if address[0] == "192.0.2.1":
                await never  # a black-holed route: SYNs go out, nothing comes back
            await real_connect(sock, address)

        monkeypatch.setattr(loop, "getaddrinfo", resolve)
        monkeypatch.setattr(loop, "sock_connect", connect)
        started = loop.time()
        assert (await get(f"http://files.test:{port}/f", timeouts=Timeouts(connect=5.0, read=1.0)))[
            2
        ] == b"ok"
        assert loop.time() - started < 2.0
