"""Backoff, retry exhaustion and the client-wide Retry-After gate, timed by the simulator's log."""

from __future__ import annotations

import asyncio
import time

import pytest

from hfdash.api.client import ConnectionState
from hfdash.api.errors import RateLimitError, ServerError
from hfdash.api.retry import RetryPolicy
from hfdash.simulator import Simulator
from tests.api.conftest import MakeClient, StateRecorder


async def test_transient_5xx_is_retried_then_succeeds(make_client: MakeClient, sim: Simulator) -> None:
    states = StateRecorder()
    client = make_client(on_state=states)
    sim.state.faults.add("502", count=2)
    page = await client.renders.list(limit=2)
    assert len(page.items) == 2
    assert client.request_count == 3
    assert states.kinds == ["retrying", "retrying", "ok"]  # each retry announces its own deadline
    assert states.states[0].until is not None


async def test_retry_exhaustion_raises_the_last_error(make_client: MakeClient, sim: Simulator) -> None:
    states = StateRecorder()
    client = make_client(on_state=states, retry=RetryPolicy(max_retries=2, base=0.01, cap=0.02))
    sim.state.faults.add("500", count=10)
    with pytest.raises(ServerError):
        await client.sessions.list()
    assert client.request_count == 3
    assert [e["status"] for e in sim.state.request_log] == [500, 500, 500]
    assert client.state.kind == "offline"
    sim.state.faults.clear()
    await client.sessions.list()
    recovered = client.state
    assert recovered.kind == "ok"


async def test_retry_after_holds_every_request_of_the_client(make_client: MakeClient, sim: Simulator) -> None:
    states = StateRecorder()
    limited = asyncio.Event()

    def on_state(state: ConnectionState) -> None:
        states(state)
        if state.kind == "rate_limited":
            limited.set()

    client = make_client(on_state=on_state)
    sim.state.faults.add("429", count=1, retry_after=1, path_prefix="/v3/hyperframes/renders")
    renders = asyncio.create_task(client.renders.list(limit=2))
    await limited.wait()
    # A different resource, asked for while the gate is shut, must wait too.
    clips = asyncio.create_task(client.clip_jobs.list(limit=2))
    await asyncio.gather(renders, clips)
    log = sim.state.request_log
    limited_at = next(e["t"] for e in log if e["status"] == 429)
    later = [e for e in log if e["t"] > limited_at]
    assert {e["path"] for e in later} == {"/v3/hyperframes/renders", "/v3/ai-clipping"}
    earliest = min(e["t"] for e in later)
    assert earliest >= limited_at + 1.0
    assert earliest - (limited_at + 1.0) < 0.25  # honoured exactly, not padded by backoff
    assert "rate_limited" in states.kinds and states.kinds[-1] == "ok"


async def test_long_retry_after_fails_fast_and_keeps_the_gate_shut(
    make_client: MakeClient, sim: Simulator
) -> None:
    client = make_client(retry=RetryPolicy(base=0.01, max_wait=0.5))
    sim.state.faults.add("429", count=1, retry_after=30)
    started = time.monotonic()
    with pytest.raises(RateLimitError) as caught:
        await client.renders.list()
    assert caught.value.retry_after == 30.0
    assert time.monotonic() - started < 0.5
    assert client.state.kind == "rate_limited"
    assert client.state.until is not None and client.state.until > time.monotonic() + 29
    sent = client.request_count
    with pytest.raises(RateLimitError) as second:
        await client.videos.get("anything")
    assert client.request_count == sent  # refused without reaching the server
    assert second.value.retry_after is not None and second.value.retry_after > 29


async def test_429_retries_are_bounded(make_client: MakeClient, sim: Simulator) -> None:
    client = make_client(retry=RetryPolicy(max_retries=1, base=0.01))
    sim.state.faults.add("429", count=5, retry_after=0)
    with pytest.raises(RateLimitError):
        await client.renders.list()
    assert client.request_count == 2


async def test_concurrency_is_capped(make_client: MakeClient, sim: Simulator) -> None:
    client = make_client(max_concurrency=2)
    sim.state.faults.add("slow", count=6, delay=0.15)
    await asyncio.gather(*(client.renders.list(limit=1) for _ in range(6)))
    starts = sorted(e["t"] for e in sim.state.request_log)
    # With two in flight at a time, six slow requests need three waves.
    assert starts[-1] - starts[0] >= 0.25


async def test_delete_is_retried_on_5xx(make_client: MakeClient, sim: Simulator) -> None:
    client = make_client()
    render_id = (await client.renders.list(limit=1)).items[0].render_id
    sim.state.faults.add("503", count=1, method="DELETE")
    assert await client.renders.delete(render_id) == render_id
    assert [e["status"] for e in sim.state.request_log if e["method"] == "DELETE"] == [503, 200]
