"""Every endpoint against the simulator: right path, right auth, parsed into models."""

from __future__ import annotations

import pytest

import hfdash
from hfdash.api.client import HeyGenClient
from hfdash.api.errors import NotFoundError
from hfdash.api.resources import iterate_pages
from hfdash.models import ClipJob, Render, Session, SessionSummary, Video, VideoDeleted
from hfdash.models.renders import LISTED_URL
from hfdash.simulator import Simulator
from tests.api.conftest import MakeClient, RecordingTransport
from tests.conftest import TEST_KEY


async def test_list_and_get_renders(client: HeyGenClient, sim: Simulator) -> None:
    page = await client.renders.list(limit=5)
    assert len(page.items) == 5
    assert all(isinstance(item, Render) for item in page.items)
    assert page.has_more and page.next_token
    one = await client.renders.get(page.items[0].render_id)
    assert one.render_id == page.items[0].render_id
    log = sim.state.request_log
    assert [(e["method"], e["path"]) for e in log] == [
        ("GET", "/v3/hyperframes/renders"),
        ("GET", f"/v3/hyperframes/renders/{one.render_id}"),
    ]
    assert log[0]["query"] == {"limit": "5"}
    assert all(e["auth"] == "api_key" for e in log)


async def test_listed_renders_say_which_urls_they_have_and_get_gives_them(
    client: HeyGenClient, sim: Simulator
) -> None:
    added = sim.state.add_render(status="completed")
    page = await client.renders.list(limit=100)
    listed = next(item for item in page.items if item.id == added["render_id"])
    assert (listed.video_url, listed.thumbnail_url) == (LISTED_URL, LISTED_URL)
    fetched = await client.renders.get(listed.render_id)
    assert fetched.video_url is not None and fetched.video_url.startswith(sim.url)
    assert fetched.thumbnail_url is not None and fetched.thumbnail_url.startswith(sim.url)


async def test_renders_follow_three_pages(client: HeyGenClient, sim: Simulator) -> None:
    pages = [page async for page in iterate_pages(lambda token: client.renders.list(10, token))]
    assert [len(p.items) for p in pages] == [10, 10, 5]
    ids = [item.render_id for p in pages for item in p.items]
    assert len(set(ids)) == 25
    assert client.request_count == 3
    tokens = [e["query"].get("token") for e in sim.state.request_log]
    assert tokens[0] is None and tokens[1] == pages[0].next_token and tokens[2] == pages[1].next_token


async def test_clip_jobs(client: HeyGenClient) -> None:
    pages = [page async for page in iterate_pages(lambda token: client.clip_jobs.list(3, token))]
    assert [len(p.items) for p in pages] == [3, 3, 2]
    job = await client.clip_jobs.get(pages[0].items[0].id)
    assert isinstance(job, ClipJob) and job.id == pages[0].items[0].id


async def test_sessions_and_their_videos(client: HeyGenClient, sim: Simulator) -> None:
    page = await client.sessions.list(limit=2)
    assert all(isinstance(item, SessionSummary) for item in page.items)
    all_sessions = [
        s async for p in iterate_pages(lambda token: client.sessions.list(2, token)) for s in p.items
    ]
    assert len(all_sessions) == 6
    session_id = page.items[0].session_id
    added = sim.state.add_video(session_id, status="completed")
    session = await client.sessions.get(session_id)
    assert isinstance(session, Session) and session.session_id == session_id
    videos_page = await client.sessions.videos(session_id)
    assert added["id"] in [video.id for video in videos_page.items]
    videos = await client.sessions.all_videos(session_id)
    assert [v.id for v in videos] == [v.id for v in videos_page.items]
    video = await client.videos.get(added["id"])
    assert isinstance(video, Video) and video.id == added["id"]
    videos_path = f"/v3/video-agents/{session_id}/videos"
    assert all(e["query"] == {} for e in sim.state.request_log if e["path"] == videos_path)


async def test_deletes_confirm_ids_and_later_gets_404(client: HeyGenClient, sim: Simulator) -> None:
    render = (await client.renders.list(limit=1)).items[0]
    assert await client.renders.delete(render.render_id) == render.render_id
    job = (await client.clip_jobs.list(limit=1)).items[0]
    assert await client.clip_jobs.delete(job.id) == job.id
    session_id = (await client.sessions.list(limit=1)).items[0].session_id
    video_id = sim.state.add_video(session_id)["id"]
    deleted = await client.videos.delete(video_id)
    assert deleted == VideoDeleted(id=video_id, deleted=True)
    for call in (
        client.renders.get(render.render_id),
        client.clip_jobs.get(job.id),
        client.videos.get(video_id),
        client.renders.delete(render.render_id),
    ):
        try:
            await call
        except NotFoundError as exc:
            assert exc.status == 404
        else:
            raise AssertionError("expected a 404")


async def test_404_is_not_found_whatever_the_code(client: HeyGenClient) -> None:
    # Renders say hyperframes_render_not_found, videos say not_found: same class for both.
    codes = set()
    for call in (client.renders.get("hfr_missing"), client.videos.get("missing")):
        try:
            await call
        except NotFoundError as exc:
            codes.add(exc.code)
    assert codes == {"hyperframes_render_not_found", "not_found"}


async def test_ids_are_escaped_per_segment(client: HeyGenClient, sim: Simulator) -> None:
    with pytest.raises(NotFoundError):
        await client.renders.get("a/../b?x=1")
    assert sim.state.request_log[-1]["path"] == "/v3/hyperframes/renders/a%2F..%2Fb%3Fx%3D1"
    with pytest.raises(NotFoundError):
        await client.sessions.videos("s/1")
    assert sim.state.request_log[-1]["path"] == "/v3/video-agents/s%2F1/videos"


async def test_headers_user_agent_and_single_auth(make_client: MakeClient) -> None:
    transport = RecordingTransport()
    client = make_client(transport=transport)
    await client.renders.list(limit=1)
    sent = transport.requests[-1].headers
    assert sent["user-agent"] == f"hfdash/{hfdash.__version__}"
    assert sent["x-api-key"] == TEST_KEY
    assert "authorization" not in sent
