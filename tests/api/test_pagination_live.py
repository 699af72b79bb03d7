"""Malformed pagination from the simulator ends in PaginationError, never a loop."""

from __future__ import annotations

import pytest

from hfdash.api.client import HeyGenClient
from hfdash.api.errors import PaginationError
from hfdash.api.resources import iterate_pages
from hfdash.simulator import Simulator


async def test_repeated_token_from_the_server(client: HeyGenClient, sim: Simulator) -> None:
    sim.state.faults.add("repeat_token", count=5, path_prefix="/v3/hyperframes/renders")
    with pytest.raises(PaginationError):
        async for _ in iterate_pages(lambda token: client.renders.list(5, token)):
            pass
    assert client.request_count <= 3


async def test_has_more_with_empty_page(client: HeyGenClient, sim: Simulator) -> None:
    sim.state.faults.add("has_more_empty", count=50, path_prefix="/v3/ai-clipping")
    with pytest.raises(PaginationError):
        async for _ in iterate_pages(lambda token: client.clip_jobs.list(5, token)):
            pass
    assert client.request_count <= 3


async def test_session_videos_follow_a_token_if_one_comes(client: HeyGenClient, sim: Simulator) -> None:
    session_id = (await client.sessions.list(limit=1)).items[0].session_id
    sim.state.add_video(session_id)
    path = f"/v3/video-agents/{session_id}/videos"
    # Every answer says "more" with the same token: followed once (as `token`), then refused.
    sim.state.faults.add("has_more_empty", count=5, path_prefix=path)
    with pytest.raises(PaginationError):
        await client.sessions.all_videos(session_id)
    queries = [e["query"] for e in sim.state.request_log if e["path"] == path]
    assert len(queries) == 2 and queries[0] == {} and set(queries[1]) == {"token"}
