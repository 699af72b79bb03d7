"""Opening the file host's connection: a plain non-blocking socket, or asyncio's TLS streams.

Plain sockets are read with `loop.sock_recv_into`, straight into the caller's buffer. Addresses
are tried as RFC 8305 ("happy eyeballs") asks, as httpx's own backend does: the next address
starts 250 ms after the previous one unless that one has failed already, alternating IPv6 and
IPv4, so a host whose IPv6 route is a black hole still connects at once over IPv4.
"""

from __future__ import annotations

import asyncio
import itertools
import socket
import ssl
from collections.abc import Sequence
from typing import Any, Protocol

HAPPY_EYEBALLS_DELAY = 0.25
_AddrInfo = tuple[socket.AddressFamily, socket.SocketKind, int, str, tuple[Any, ...]]


class Conn(Protocol):
    async def recv_into(self, view: memoryview) -> int: ...

    async def send(self, data: bytes) -> None: ...

    def close(self) -> None: ...


class _Plain:
    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._loop = asyncio.get_running_loop()

    async def recv_into(self, view: memoryview) -> int:
        return await self._loop.sock_recv_into(self._sock, view)

    async def send(self, data: bytes) -> None:
        await self._loop.sock_sendall(self._sock, data)

    def close(self) -> None:
        self._sock.close()


class _Tls:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    async def recv_into(self, view: memoryview) -> int:
        data = await self._reader.read(len(view))
        view[: len(data)] = data
        return len(data)

    async def send(self, data: bytes) -> None:
        self._writer.write(data)
        await self._writer.drain()

    def close(self) -> None:
        # abort, not close: a close waits for the TLS goodbye, and this connection is finished.
        self._writer.transport.abort()


def interleave(infos: Sequence[_AddrInfo]) -> list[_AddrInfo]:
    """Alternate address families, keeping the resolver's order within each."""
    families: dict[int, list[_AddrInfo]] = {}
    for info in infos:
        families.setdefault(info[0], []).append(info)
    rounds = itertools.zip_longest(*families.values())
    return [info for info in itertools.chain.from_iterable(rounds) if info is not None]


async def _connect_one(info: _AddrInfo) -> socket.socket:
    family, kind, proto, _, address = info
    sock = socket.socket(family, kind, proto)
    try:
        sock.setblocking(False)
        await asyncio.get_running_loop().sock_connect(sock, address)
    except BaseException:
        sock.close()
        raise
    return sock


async def _connect_plain(host: str, port: int, delay: float) -> socket.socket:
    infos = interleave(await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM))
    waiting = list(infos)
    pending: set[asyncio.Task[socket.socket]] = set()
    errors: list[BaseException] = []
    winner: socket.socket | None = None
    try:
        while winner is None and (waiting or pending):
            if waiting:
                pending.add(asyncio.create_task(_connect_one(waiting.pop(0))))
            # Start the next address after `delay`, or as soon as an attempt fails.
            done, pending = await asyncio.wait(
                pending, timeout=delay if waiting else None, return_when=asyncio.FIRST_COMPLETED
            )
            for task in done:
                if (error := task.exception()) is not None:
                    errors.append(error)
                elif winner is None:
                    winner = task.result()
                else:
                    task.result().close()
    finally:
        for task in pending:
            task.cancel()
        # An attempt may have connected just as another won: close what the losers opened.
        for result in await asyncio.gather(*pending, return_exceptions=True):
            if isinstance(result, socket.socket):
                result.close()
    if winner is None:
        first = errors[0] if errors else OSError("the host name has no address")
        raise first if isinstance(first, OSError) else OSError(str(first))
    return winner


async def open_conn(
    host: str, port: int, tls: ssl.SSLContext | None, limit: int, delay: float = HAPPY_EYEBALLS_DELAY
) -> Conn:
    """A connection to host:port; raises OSError (ssl.SSLError included) when none can be made."""
    if tls is None:
        return _Plain(await _connect_plain(host, port, delay))
    reader, writer = await asyncio.open_connection(
        host, port, ssl=tls, server_hostname=host, limit=limit, happy_eyeballs_delay=delay
    )
    return _Tls(reader, writer)
