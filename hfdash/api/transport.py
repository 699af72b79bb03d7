"""The API client's transport: HTTP/1.1 over asyncio, connections kept alive per host.

httpx's own transport (httpcore) brings anyio and its asyncio backend: about 50 ms of imports
before the first request can leave, on a start whose whole budget is a few times that. This
one speaks what the API needs: requests with small bodies, responses framed by Content-Length,
chunks or the connection's end (the rules in http1.py, shared with the download client), and
keep-alive. Everything above the wire is still httpx's: headers, auth, timeouts, redirects,
content decoding, and the transports it mounts itself for proxies from the environment.
Certificates are loaded only once a request needs TLS.
"""

from __future__ import annotations

import asyncio
import contextvars
import ssl
from collections.abc import AsyncIterator, Callable
from typing import TypeVar

import httpx

from hfdash.api.http1 import (
    CHUNKED,
    MAX_HEAD,
    MAX_LINE,
    UNTIL_CLOSE,
    Head,
    ProtocolError,
    framing,
    head_end,
    parse_head,
)
from hfdash.api.http1 import chunk_size as parse_chunk_size
from hfdash.api.tls import client_context

T = TypeVar("T")
Origin = tuple[str, str, int]
# Idle connections kept per host: the dashboard has a few requests out at once, rarely more.
IDLE_PER_ORIGIN = 4
# Reading stops while this much is received and unread: API answers are far smaller.
HIGH_WATER = 1024 * 1024
# A body is handed to httpx in pieces of at most this much.
PIECE = 64 * 1024
DEFAULT_PORTS = {"http": 80, "https": 443}
# Seconds before the next of a host's addresses is tried alongside (RFC 8305), as httpx does.
HAPPY_EYEBALLS = 0.25


def _outside_any_context(call: Callable[..., T], *args: object) -> T:
    """Runs `call` in an empty context: what it registers with the event loop keeps that one.

    asyncio's callbacks keep the context they were registered in, and a kept-alive connection
    outlives the request that opened it; a Textual worker's context holds its screen, which would
    stay in memory, widgets and all, for as long as the connection stays open.
    """
    return contextvars.Context().run(call, *args)


def _expire(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError())


class _Link(asyncio.Protocol):
    """One connection's bytes as they arrive, and whether it has ended."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.received = bytearray()
        self.ended = False
        self.error: BaseException | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._paused = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.received += data
        if len(self.received) > HIGH_WATER and self.transport is not None and not self._paused:
            self._paused = True
            self.transport.pause_reading()
        self._wake()

    def eof_received(self) -> bool:
        self.ended = True
        self._wake()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.ended = True
        self.error = exc
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    @property
    def idle_and_open(self) -> bool:
        """Fit to carry another request: open, and nothing arrived unasked while it sat idle."""
        transport = self.transport
        return not self.ended and not self.received and transport is not None and not transport.is_closing()

    def take(self, count: int) -> bytes:
        piece = bytes(self.received[:count])
        del self.received[:count]
        if self._paused and len(self.received) <= HIGH_WATER // 2 and self.transport is not None:
            self._paused = False
            _outside_any_context(self.transport.resume_reading)
        return piece

    async def more(self, within: float | None) -> bool:
        """Waits up to `within` seconds for bytes beyond those received; False once the connection ended.

        Raises TimeoutError when none came in time.
        """
        if self.ended:
            return False
        loop = asyncio.get_running_loop()
        waiter = self._waiter = loop.create_future()
        # Not asyncio.timeout: a cancelled timer stays queued until its time, and would keep the
        # caller's context (a Textual worker's: its screen) that long (see _outside_any_context).
        timer = None if within is None else _outside_any_context(loop.call_later, within, _expire, waiter)
        try:
            await waiter
        finally:
            self._waiter = None
            if timer is not None:
                timer.cancel()
        return bool(self.received) or not self.ended

    def send(self, data: bytes) -> None:
        assert self.transport is not None
        _outside_any_context(self.transport.write, data)

    def close(self) -> None:
        # abort, not close: a close would wait for the TLS goodbye of a connection already done with.
        if self.transport is not None:
            self.transport.abort()


class _Reader:
    """Reads one response from a link, turning every failure into the httpx error that names it."""

    def __init__(self, link: _Link, request: httpx.Request, read_timeout: float | None) -> None:
        self.link = link
        self.request = request
        self.read_timeout = read_timeout

    async def _more(self) -> bool:
        try:
            return await self.link.more(self.read_timeout)
        except TimeoutError:
            raise httpx.ReadTimeout("the server stopped sending", request=self.request) from None

    def _ended_early(self, what: str) -> httpx.TransportError:
        if self.link.error is not None:
            return httpx.ReadError(f"the connection broke {what}", request=self.request)
        return httpx.RemoteProtocolError(f"the server closed the connection {what}", request=self.request)

    async def head(self) -> Head:
        """The next final response head; interim 1xx answers are skipped."""
        while True:
            while (end := head_end(self.link.received)) is None and len(self.link.received) <= MAX_HEAD:
                if not await self._more():
                    raise self._ended_early("before answering")
            if end is None or end > MAX_HEAD:
                raise httpx.RemoteProtocolError("the response head is too large", request=self.request)
            try:
                head = parse_head(self.link.take(end))
            except ProtocolError as error:
                raise httpx.RemoteProtocolError(str(error), request=self.request) from None
            if not 100 <= head.status < 200 or head.status == 101:
                return head

    async def line(self) -> bytes:
        while (at := self.link.received.find(b"\n")) < 0:
            if len(self.link.received) > MAX_LINE:
                raise httpx.RemoteProtocolError("a chunked body line is too long", request=self.request)
            if not await self._more():
                raise self._ended_early("inside a chunked body")
        return self.link.take(at + 1)

    async def exactly(self, count: int) -> AsyncIterator[bytes]:
        while count:
            if not self.link.received and not await self._more():
                raise self._ended_early("before the body ended")
            piece = self.link.take(min(count, PIECE))
            count -= len(piece)
            if piece:
                yield piece

    async def until_end(self) -> AsyncIterator[bytes]:
        while True:
            if self.link.received:
                yield self.link.take(PIECE)
            elif not await self._more():
                return

    async def chunks(self) -> AsyncIterator[bytes]:
        while True:
            try:
                size = parse_chunk_size(await self.line())
            except ProtocolError as error:
                raise httpx.RemoteProtocolError(str(error), request=self.request) from None
            if size == 0:
                # Trailer fields, up to the blank line that ends the message.
                while (await self.line()).strip(b"\r\n"):
                    pass
                return
            async for piece in self.exactly(size):
                yield piece
            if (await self.line()).strip(b"\r\n"):
                raise httpx.RemoteProtocolError("a chunk was longer than announced", request=self.request)


class _Body(httpx.AsyncByteStream):
    """A response body as it arrives; the connection goes back to the pool once it is all read."""

    def __init__(self, pieces: AsyncIterator[bytes], finished: Callable[[bool], None]) -> None:
        self._pieces = pieces
        # Called once, at the body's end or when it is closed before: the next request may reuse
        # the connection at once, so this must not wait for the event loop's next turn.
        self._finished: Callable[[bool], None] | None = finished

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for piece in self._pieces:
                yield piece
        except BaseException:
            self._finish(reusable=False)
            raise
        self._finish(reusable=True)

    def _finish(self, *, reusable: bool) -> None:
        finished, self._finished = self._finished, None
        if finished is not None:
            finished(reusable)

    async def aclose(self) -> None:
        # A body closed before its end leaves the connection mid-message: it cannot carry another.
        self._finish(reusable=False)


def _request_head(request: httpx.Request, body: bytes) -> bytes:
    lines = [b"%s %s HTTP/1.1" % (request.method.encode("ascii"), request.url.raw_path)]
    for name, value in request.headers.raw:
        if any(c in name + value for c in b"\r\n\x00"):
            raise httpx.LocalProtocolError("a header holds a line break", request=request)
        lines.append(name + b": " + value)
    if body and "content-length" not in request.headers and "transfer-encoding" not in request.headers:
        lines.append(b"Content-Length: %d" % len(body))
    return b"\r\n".join(lines) + b"\r\n\r\n"


def _framed_body(request: httpx.Request, body: bytes) -> bytes:
    if body and "chunked" in request.headers.get("transfer-encoding", "").lower():
        return b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    return body


def _keeps_alive(request: httpx.Request, head: Head, frame: int) -> bool:
    answer = (head.get("connection") or "").lower()
    closing = "close" in answer or "close" in request.headers.get("connection", "").lower()
    return head.minor_version == 1 and frame != UNTIL_CLOSE and not closing


class Http1Transport(httpx.AsyncBaseTransport):
    """HTTP/1.1 for the API client: plain or TLS, one idle pool per host."""

    def __init__(self, tls: ssl.SSLContext | Callable[[], ssl.SSLContext] | None = None) -> None:
        # A context, or what builds it at the first HTTPS request: loading the CA bundle takes ~20 ms.
        self._tls = tls
        self._idle: dict[Origin, list[_Link]] = {}
        self._busy: set[_Link] = set()
        self._closed = False

    def _tls_context(self) -> ssl.SSLContext:
        if self._tls is None:
            self._tls = client_context()
        elif not isinstance(self._tls, ssl.SSLContext):
            self._tls = self._tls()
        return self._tls

    @property
    def open_connections(self) -> int:
        return len(self._busy) + sum(len(links) for links in self._idle.values())

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._closed:
            raise httpx.ConnectError("the client is closed", request=request)
        url = request.url
        if url.scheme not in DEFAULT_PORTS:
            raise httpx.UnsupportedProtocol(f"unsupported scheme {url.scheme!r}", request=request)
        origin: Origin = (url.scheme, url.host, url.port or DEFAULT_PORTS[url.scheme])
        timeouts = request.extensions.get("timeout", {})
        body = await request.aread()
        message = _request_head(request, body) + _framed_body(request, body)
        link = self._idle_link(origin) or await self._connect(origin, request, timeouts.get("connect"))
        self._busy.add(link)
        try:
            link.send(message)
            reader = _Reader(link, request, timeouts.get("read"))
            head = await reader.head()
            frame = 0 if request.method == "HEAD" else framing(head)
        except BaseException as error:
            self._drop(link)
            if isinstance(error, ProtocolError):
                raise httpx.RemoteProtocolError(str(error), request=request) from None
            raise
        if frame == CHUNKED:
            pieces = reader.chunks()
        elif frame == UNTIL_CLOSE:
            pieces = reader.until_end()
        else:
            pieces = reader.exactly(frame)
        keep = _keeps_alive(request, head, frame)

        def finished(complete: bool) -> None:
            self._release(origin, link, keep and complete)

        return httpx.Response(
            head.status,
            headers=list(head.headers.items()),
            stream=_Body(pieces, finished),
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": head.reason.encode("latin-1")},
        )

    def _idle_link(self, origin: Origin) -> _Link | None:
        links = self._idle.get(origin, [])
        while links:
            link = links.pop()
            if link.idle_and_open:
                return link
            link.close()
        return None

    async def _connect(self, origin: Origin, request: httpx.Request, within: float | None) -> _Link:
        scheme, host, port = origin
        tls = self._tls_context() if scheme == "https" else None
        loop = asyncio.get_running_loop()

        async def opening() -> _Link:
            # Made inside the task: a task cancelled before it starts leaves no coroutine unawaited.
            _, link = await asyncio.wait_for(
                loop.create_connection(
                    _Link,
                    host,
                    port,
                    ssl=tls,
                    server_hostname=host if tls else None,
                    happy_eyeballs_delay=HAPPY_EYEBALLS,
                ),
                within,
            )
            return link

        try:
            # Opened, and timed, in a task of its own in an empty context: see _outside_any_context.
            link = await asyncio.create_task(opening(), context=contextvars.Context())
        except TimeoutError:
            raise httpx.ConnectTimeout(f"timed out connecting to {host}", request=request) from None
        except OSError as error:
            # Certificate errors are OSErrors too; their verify_message says why one was refused.
            reason = getattr(error, "verify_message", None) or error.strerror or type(error).__name__
            raise httpx.ConnectError(f"cannot connect to {host}: {reason}", request=request) from None
        return link

    def _release(self, origin: Origin, link: _Link, reusable: bool) -> None:
        self._busy.discard(link)
        idle = self._idle.setdefault(origin, [])
        # Bytes left over after a whole response are an answer nobody asked for: not reusable either.
        if reusable and not self._closed and link.idle_and_open and len(idle) < IDLE_PER_ORIGIN:
            idle.append(link)
        else:
            link.close()

    def _drop(self, link: _Link) -> None:
        self._busy.discard(link)
        link.close()

    async def aclose(self) -> None:
        self._closed = True
        for links in self._idle.values():
            for link in links:
                link.close()
        self._idle.clear()
        for link in self._busy:
            link.close()
        self._busy.clear()
