"""The server going away and coming back, and servers that do not speak HTTP at all.

The app points at a proxy (or a raw socket server) in the test's own event loop, so the
network can fail in ways the simulator cannot: refused connections, connections cut mid-way,
garbage where an HTTP response should be.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from hfdash.simulator import Simulator
from tests.reliability.common import RENDERS, SwitchableProxy, connection_ok, count, sim_port, status_text
from tests.reliability.test_fault_matrix import SIZE, app_at
from tests.ui.harness import TEST_SETTINGS, info_text, loaded, main_screen, notifications, wait_until


async def test_the_server_going_away_and_coming_back(sim: Simulator) -> None:
    sim.state.add_render(title="in flight", status="rendering")
    proxy = SwitchableProxy(sim_port(sim))
    await proxy.on()
    app = app_at(proxy.url)
    try:
        async with app.run_test(size=SIZE) as pilot:
            renders = await loaded(pilot)
            await loaded(pilot, "agents")
            rows = list(renders.visible_ids)
            await proxy.off()
            # Offline, with when the next try is; the rows stay on screen meanwhile.
            await wait_until(pilot, lambda: renders.error is not None, within=10.0)
            seen: list[str] = []

            def counting_down() -> bool:
                seen.append(status_text(app))
                return re.search(r"offline \d+s", seen[-1]) is not None

            try:
                await wait_until(pilot, counting_down, within=10.0)
            except AssertionError:
                raise AssertionError(f"no countdown in {sorted(set(s[:60] for s in seen))}") from None
            assert "cannot connect to 127.0.0.1" in info_text(renders)
            assert renders.visible_ids == rows
            await pilot.pause(2.0)
            before = len(sim.state.request_log)
            await proxy.on()
            # Back without a restart: the next scheduled try succeeds and every trace of the outage goes.
            await wait_until(pilot, lambda: connection_ok(app) and renders.error is None, within=12.0)
            assert count(sim, RENDERS, before) >= 1
            assert main_screen(app).polling
            # Each pane tries again on its own back-off schedule; all of them come back.
            panes = [c.pane for c in main_screen(app).controllers.values()]
            await wait_until(pilot, lambda: all(p.error is None for p in panes), within=12.0)
    finally:
        await proxy.off()


async def test_offline_at_start_loads_by_itself_once_the_server_is_up(sim: Simulator) -> None:
    proxy = SwitchableProxy(sim_port(sim))
    await proxy.on()
    port = proxy.port
    await proxy.off()
    app = app_at(f"http://127.0.0.1:{port}")
    try:
        async with app.run_test(size=SIZE) as pilot:
            renders = main_screen(app).controllers["renders"].pane
            await wait_until(pilot, lambda: renders.error is not None)
            assert not renders.store.loaded
            # No "all 0 loaded": nothing was read, which is not an empty account.
            await wait_until(pilot, lambda: info_text(renders).startswith("nothing loaded · cannot connect"))
            await wait_until(pilot, lambda: "offline" in status_text(app))
            await proxy.on()
            await loaded(pilot, "renders")
            await loaded(pilot, "clips")
            await loaded(pilot, "agents")
            assert len(renders.visible_ids) == 10
            await wait_until(pilot, lambda: connection_ok(app) and renders.error is None)
    finally:
        await proxy.off()


@asynccontextmanager
async def raw_server(answer: bytes) -> AsyncIterator[str]:
    """A server that reads a request, writes `answer` whatever was asked, and hangs up."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(answer)
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    finally:
        server.close()
        await server.wait_closed()


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (b"SSH-2.0-OpenSSH_9.6\r\n", "RemoteProtocolError"),
        (b"", "RemoteProtocolError"),
        (b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"data": [', ""),
        # A body that says it is gzip and is not: httpx raises while reading it.
        (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
            b"Content-Length: 9\r\n\r\nnot gzip!",
            "DecodingError",
        ),
    ],
    ids=["ssh-banner", "hang-up", "short-body", "bad-gzip"],
)
async def test_a_server_that_does_not_speak_http_is_a_connection_failure(
    answer: bytes, expected: str
) -> None:
    async with raw_server(answer) as url:
        app = app_at(url, timeout=2.0)
        async with app.run_test(size=SIZE) as pilot:
            renders = main_screen(app).controllers["renders"].pane
            await wait_until(pilot, lambda: renders.error is not None)
            text = info_text(renders)
            assert expected in text
            assert "the connection to 127.0.0.1 failed" in text, text
            assert not renders.store.loaded
            await wait_until(pilot, lambda: "offline" in status_text(app))
            assert app.is_running


async def test_load_all_before_any_page_arrived_loads_the_first_then_every_page(sim: Simulator) -> None:
    proxy = SwitchableProxy(sim_port(sim))
    await proxy.on()
    await proxy.off()
    app = app_at(proxy.url, poll_interval=3600.0, head_interval=3600.0)
    try:
        async with app.run_test(size=SIZE) as pilot:
            renders = main_screen(app).controllers["renders"].pane
            await wait_until(pilot, lambda: info_text(renders).startswith("nothing loaded · cannot connect"))
            await proxy.on()
            await pilot.press("M")
            # Not "all 0 loaded": the first page is read, then every page after it.
            store = renders.store
            await wait_until(pilot, lambda: store.loaded and not store.has_more and not renders.all_loading)
            # More than the first page: `M` went on to every page after it.
            assert len(store) > TEST_SETTINGS.page_size
            assert not [told for told in notifications(app) if "all 0 loaded" in told]
            assert info_text(renders).startswith(f"all {len(renders.store)} loaded")
    finally:
        await proxy.off()
