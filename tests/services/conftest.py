"""Fixtures for download tests: an API client and a file-host client on the shared simulator.

Also a tiny raw TCP server for answers the simulator never gives: chunked, unframed, garbage, stalls.
"""

from __future__ import annotations

import asyncio
import hashlib
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from hfdash.api.client import HeyGenClient
from hfdash.api.files import FileClient
from hfdash.api.retry import RetryPolicy
from hfdash.config.credentials import Credential, Secret
from hfdash.services.downloads.plan import extension_from_url, file_name
from hfdash.simulator import Simulator
from hfdash.simulator.files import expected_sha256, size_for
from tests.conftest import TEST_KEY


@dataclass(frozen=True)
class Served:
    """One file the simulator serves, and what its bytes must hash to."""

    key: str
    size: int

    @property
    def sha256(self) -> str:
        return expected_sha256(self.key, self.size)


def served(sim: Simulator, url: str) -> Served:
    key = unquote(urlsplit(url).path[len("/files/") :])
    return Served(key, size_for(key, sim.state.cfg.file_size))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_statuses(sim: Simulator) -> list[int]:
    return [int(e["status"]) for e in sim.state.request_log if str(e["path"]).startswith("/files/")]


# Small synchronous file helpers: async tests must not touch the filesystem directly (ASYNC240).
def put(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def read(path: Path) -> bytes:
    return path.read_bytes()


def exists(path: Path) -> bool:
    return path.exists()


def mtime(path: Path) -> int:
    return path.stat().st_mtime_ns


def listing(directory: Path) -> list[str]:
    """Every file under directory, relative, sorted."""
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file())


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    """HFDASH_DOWNLOAD_DIR as the shared isolated_env fixture sets it."""
    return tmp_path / "downloads"


@pytest.fixture
async def client(sim: Simulator) -> AsyncIterator[HeyGenClient]:
    credential = Credential(kind="api_key", source="test", api_key=Secret(TEST_KEY))
    async with HeyGenClient(credential, base_url=sim.url, retry=RetryPolicy(max_retries=0)) as api:
        yield api


@pytest.fixture
def http() -> Iterator[FileClient]:
    with FileClient() as files:
        yield files


def size(path: Path) -> int:
    return path.stat().st_size


def render_file(sim: Simulator, render_id: str) -> tuple[Served, str]:
    """Add a completed render; what it serves and the file name a download gives it."""
    url = str(sim.state.add_render(render_id=render_id, status="completed")["video_url"])
    return served(sim, url), file_name(render_id, extension_from_url(url) or "mp4")


# -- a raw server for answers the simulator never gives --------------------------------------------

# One connection's script: what to send, in separate writes, then whether to hang up or stall.
Script = Sequence[bytes]


@dataclass
class RawServer:
    url: str
    # Each connection's request head, in arrival order.
    requests: list[bytes] = field(default_factory=list)


async def _read_request(reader: asyncio.StreamReader) -> bytes:
    try:
        return await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        return b""


@asynccontextmanager
async def raw_server(
    scripts: Sequence[Script] | Callable[[int, bytes], Script],
    *,
    stall: bool = False,
    tls: ssl.SSLContext | None = None,
) -> AsyncIterator[RawServer]:
    """Serve connection n with scripts[n] (or scripts(n, request)); stall instead of closing if asked.

    The last script repeats for any further connections.
    """
    stop = asyncio.Event()
    writers: list[asyncio.StreamWriter] = []
    server_info = RawServer("")

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.append(writer)
        n = len(server_info.requests)
        request = await _read_request(reader)
        server_info.requests.append(request)
        script = scripts(n, request) if callable(scripts) else scripts[min(n, len(scripts) - 1)]
        try:
            for part in script:
                writer.write(part)
                await writer.drain()
                # Let each part leave as its own segment, so the client's reads split between them.
                await asyncio.sleep(0.005)
            if stall:
                await stop.wait()
        except ConnectionError:
            pass
        finally:
            writer.close()

    async with listening(handle, writers, tls) as url:
        server_info.url = url
        try:
            yield server_info
        finally:
            stop.set()
    # Let the handlers see the stop and finish before the loop goes away.
    await asyncio.sleep(0.01)


Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def listening(
    handle: Handler, writers: list[asyncio.StreamWriter], tls: ssl.SSLContext | None = None
) -> AsyncIterator[str]:
    """A loopback server calling `handle` per connection; its URL. Closes `writers` at the end."""
    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=tls)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    finally:
        server.close()
        for writer in writers:
            writer.close()
        await server.wait_closed()


def response(status: str, *headers: str, body: bytes = b"") -> bytes:
    lines = [f"HTTP/1.1 {status}", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def chunked(*pieces: bytes) -> list[bytes]:
    """A chunked body, each chunk a separate write, with an extension and a trailer for good measure."""
    out = [f"{len(piece):x};note=1\r\n".encode() + piece + b"\r\n" for piece in pieces]
    return [*out, b"0\r\nX-Trailer: yes\r\n\r\n"]
