"""One connection to the file host, read into a single preallocated buffer.

Plain `http://` reads with `loop.sock_recv_into` straight into the buffer (connect.py): no bytes
object is made per read, which is where httpx/h11 spend their time on large bodies. `https://`
goes through asyncio's TLS streams and copies each read once; correctness matters there more than
speed.

Every network failure leaves as a `FetchError`, never an OSError (which the engine reads as a
disk failure), with messages that name the host at most.
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass

from hfdash.api.http1 import (
    CHUNKED,
    MAX_HEAD,
    MAX_LINE,
    UNTIL_CLOSE,
    ConnectFailed,
    Dropped,
    FetchTimeout,
    Head,
    ProtocolError,
    chunk_size,
    head_end,
    parse_head,
)
from hfdash.services.downloads.connect import Conn, open_conn

# 1 MiB per read measured as fast as 4 MiB against the simulator, at a quarter of the memory.
READ_SIZE = 1024 * 1024
# A socket that always has data never suspends `sock_recv_into`; handing the loop a turn every
# few MiB keeps the dashboard drawing and lets a cancel land during a fast download.
YIELD_EVERY = 4 * 1024 * 1024
_EMPTY = memoryview(b"")


@dataclass(frozen=True, slots=True)
class Timeouts:
    # None waits for ever. `read` is the longest wait for any progress, not for the whole body.
    connect: float | None = 30.0
    read: float | None = 60.0


class Wire:
    """A connection and its read buffer: the head, then the body in the framing it announced."""

    def __init__(self, conn: Conn, host: str, timeouts: Timeouts, size: int = READ_SIZE) -> None:
        self._conn = conn
        self._host = host
        self._timeouts = timeouts
        self._buf = bytearray(size)
        self._view = memoryview(self._buf)
        # Received but not yet handed out: buf[start:end].
        self._start = 0
        self._end = 0
        self._unyielded = 0

    @classmethod
    async def connect(
        cls, host: str, port: int, tls: ssl.SSLContext | None, timeouts: Timeouts, size: int = READ_SIZE
    ) -> Wire:
        try:
            async with asyncio.timeout(timeouts.connect):
                conn = await open_conn(host, port, tls, size)
        except TimeoutError:
            raise FetchTimeout(f"timed out connecting to the file host {host}") from None
        except OSError as exc:
            # SSL errors are OSErrors too; their verify_message says why a certificate was refused.
            reason = getattr(exc, "verify_message", None) or exc.strerror or type(exc).__name__
            raise ConnectFailed(f"could not connect to the file host {host}: {reason}") from None
        return cls(conn, host, timeouts, size)

    def close(self) -> None:
        self._conn.close()

    async def send(self, data: bytes) -> None:
        try:
            # A request head is a few hundred bytes: sending it counts as part of connecting.
            async with asyncio.timeout(self._timeouts.connect):
                await self._conn.send(data)
        except TimeoutError:
            raise FetchTimeout(f"timed out sending the request to the file host {self._host}") from None
        except OSError:
            raise Dropped(f"the connection to the file host {self._host} dropped") from None

    async def _recv(self, view: memoryview) -> int:
        try:
            async with asyncio.timeout(self._timeouts.read):
                n = await self._conn.recv_into(view)
        except TimeoutError:
            raise FetchTimeout(f"the file host {self._host} stopped sending (timeout)") from None
        except OSError:
            raise Dropped(f"the connection to the file host {self._host} dropped") from None
        self._unyielded += n
        if self._unyielded >= YIELD_EVERY:
            self._unyielded = 0
            await asyncio.sleep(0)
        return n

    async def _fill(self, limit: int) -> bool:
        """Receive more after the unread bytes, keeping them under `limit`; False at the end."""
        limit = min(limit, len(self._buf))
        unread = self._end - self._start
        if unread >= limit:
            raise ProtocolError(f"the file host {self._host} sent an oversized head or line")
        if self._start + limit > len(self._buf):
            # Move the unread bytes to the front so `limit` of them fit.
            self._buf[:unread] = self._buf[self._start : self._end]
            self._start, self._end = 0, unread
        n = await self._recv(self._view[self._end : self._start + limit])
        self._end += n
        return n > 0

    async def read_head(self) -> Head:
        """The next response head; 1xx interim answers (100 Continue, 103) are skipped."""
        while True:
            # Rescanning from the start after each read is quadratic only in a head's 64 KiB.
            while (end := head_end(self._view[: self._end], self._start)) is None:
                if not await self._fill(MAX_HEAD):
                    if self._end == self._start:
                        raise Dropped(f"the file host {self._host} closed the connection without answering")
                    raise ProtocolError(f"the file host {self._host} sent an incomplete response head")
            head = parse_head(bytes(self._view[self._start : end]))
            self._start = end
            if not (100 <= head.status < 200) or head.status == 101:
                return head

    async def read_line(self) -> bytes:
        """One line, its ending included; a line cut off by the end of the connection drops."""
        while (at := self._buf.find(b"\n", self._start, self._end)) < 0:
            if not await self._fill(MAX_LINE):
                raise Dropped(f"the connection to the file host {self._host} dropped")
        line = bytes(self._view[self._start : at + 1])
        self._start = at + 1
        return line

    async def read_some(self, limit: int) -> memoryview:
        """Up to `limit` body bytes, empty at the end of the connection.

        The view points into the shared buffer: it is valid until the next read.
        """
        if self._start < self._end:
            n = min(limit, self._end - self._start)
            view = self._view[self._start : self._start + n]
            self._start += n
            return view
        self._start = self._end = 0
        n = await self._recv(self._view[: min(limit, len(self._buf))])
        return self._view[:n] if n else _EMPTY


class Body:
    """The body of one response, read as views into the wire's buffer."""

    def __init__(self, wire: Wire, frame: int, host: str) -> None:
        self._wire = wire
        self._frame = frame
        self._host = host
        # Bytes left in a Content-Length body or in the current chunk.
        self._left = frame if frame >= 0 else 0
        self._done = frame == 0
        self._first_chunk = True

    async def read(self) -> memoryview:
        """The next bytes of the body, empty once it is complete; valid until the next read."""
        if self._done:
            return _EMPTY
        if self._frame == UNTIL_CLOSE:
            view = await self._wire.read_some(READ_SIZE)
            self._done = not view
            return view
        if self._frame == CHUNKED and self._left == 0 and not await self._next_chunk():
            self._done = True
            return _EMPTY
        view = await self._wire.read_some(self._left)
        if not view:
            raise Dropped(f"the connection to the file host {self._host} dropped before the body ended")
        self._left -= len(view)
        if self._left == 0 and self._frame != CHUNKED:
            self._done = True
        return view

    async def _next_chunk(self) -> bool:
        """Read up to the next chunk's data; False after the last chunk and its trailers."""
        if not self._first_chunk and (await self._wire.read_line()).strip(b"\r\n"):
            raise ProtocolError(f"the file host {self._host} sent a chunk longer than announced")
        self._first_chunk = False
        size = chunk_size(await self._wire.read_line())
        if size == 0:
            # Trailer fields are of no use to a download; read past them to the final blank line.
            while (await self._wire.read_line()).strip(b"\r\n"):
                pass
            return False
        self._left = size
        return True
