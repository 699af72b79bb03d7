"""What the reliability tests share: reading the status line and the request log, and a TCP proxy
that can be switched off and on to make the server go away and come back."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from hfdash.simulator import Simulator
from hfdash.ui.app import HfdashApp
from hfdash.ui.screens.main import StatusLine
from tests.ui.harness import main_screen


def status_text(app: HfdashApp) -> str:
    return str(main_screen(app).query_one(StatusLine).render())


def connection_ok(app: HfdashApp) -> bool:
    """The status line starts with the state: a reason given for another state may say "ok" too."""
    return status_text(app).startswith("ok ")


def api_log(sim: Simulator, since: int = 0) -> list[dict[str, Any]]:
    """The simulator's request log from entry `since` on, API requests only (no file downloads)."""
    return [entry for entry in sim.state.request_log[since:] if str(entry["path"]).startswith("/v3/")]


def count(sim: Simulator, path: str, since: int = 0) -> int:
    return sum(1 for entry in api_log(sim, since) if entry["path"] == path)


RENDERS = "/v3/hyperframes/renders"


class SwitchableProxy:
    """A loopback TCP proxy in front of the simulator, on a fixed port, that can go away.

    `off()` closes the listening socket and cuts every open connection, as a server that
    died would; `on()` listens on the same port again. The app points at the proxy.
    """

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.port = 0
        self._server: asyncio.Server | None = None
        self._links: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._listening = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def on(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port, reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]
        self._listening = True

    async def off(self) -> None:
        self._listening = False
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._links):
            writer.transport.abort()
        self._links.clear()
        # Wait for the pipes to notice, so none outlives the test's event loop.
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=5.0)

    async def _serve(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            client_writer.transport.abort()
            return
        if not self._listening:
            # Accepted just as the proxy went away: a link kept now would outlive the outage.
            client_writer.transport.abort()
            upstream_writer.transport.abort()
            return
        self._links.update((client_writer, upstream_writer))
        await asyncio.gather(
            self._pipe(client_reader, upstream_writer), self._pipe(upstream_reader, client_writer)
        )

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while chunk := await reader.read(65536):
                writer.write(chunk)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            self._links.discard(writer)
            with contextlib.suppress(ConnectionError, OSError, RuntimeError):
                writer.close()


def sim_port(sim: Simulator) -> int:
    return int(sim.url.rsplit(":", 1)[1])
