"""Cursor pagination: defaults, limits, tokens, and stability while items arrive at the head."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest

from hfdash.simulator import Simulator

from .conftest import Http


def ids_of(body: dict[str, Any], field: str) -> list[str]:
    return [item[field] for item in body["data"]]


def test_default_limits(api: Http) -> None:
    assert len(api.get("/v3/hyperframes/renders").json()["data"]) == 10
    assert len(api.get("/v3/ai-clipping").json()["data"]) == 10
    sessions = api.get("/v3/video-agents").json()
    assert len(sessions["data"]) == 8 and sessions["has_more"] is False


def test_newest_first(api: Http) -> None:
    for path in ("/v3/hyperframes/renders", "/v3/ai-clipping", "/v3/video-agents"):
        stamps = [i["created_at"] for i in api.get(path + "?limit=100").json()["data"]]
        assert stamps == sorted(stamps, reverse=True)


@pytest.mark.parametrize("limit", ["0", "101", "-1", "abc", "1.5", "", "%20"])
def test_bad_limit_is_400(api: Http, limit: str) -> None:
    for path in ("/v3/hyperframes/renders", "/v3/ai-clipping", "/v3/video-agents"):
        reply = api.get(f"{path}?limit={limit}")
        assert reply.status == 400
        error = reply.json()["error"]
        assert error["code"] == "invalid_parameter" and error["param"] == "limit"


@pytest.mark.parametrize("token", ["garbage", "eyJrIjoiY2xpcF9qb2IiLCJ0IjoxLCJzIjoxfQ", "e30"])
def test_bad_token_is_400(api: Http, token: str) -> None:
    reply = api.get("/v3/hyperframes/renders?token=" + quote(token))
    assert reply.status == 400
    assert reply.json()["error"]["code"] == "invalid_parameter"


def test_limit_bounds_are_accepted(api: Http) -> None:
    assert len(api.get("/v3/hyperframes/renders?limit=1").json()["data"]) == 1
    body = api.get("/v3/hyperframes/renders?limit=100").json()
    assert len(body["data"]) == 40 and body["has_more"] is False and body["next_token"] is None


@pytest.mark.parametrize(
    ("path", "field", "adder"),
    [
        ("/v3/hyperframes/renders", "render_id", "add_render"),
        ("/v3/ai-clipping", "id", "add_clip_job"),
        ("/v3/video-agents", "session_id", "add_session"),
    ],
)
def test_pages_stay_consistent_when_items_arrive(
    make_sim: Callable[..., Simulator], path: str, field: str, adder: str
) -> None:
    sim = make_sim(sessions=23)
    api = Http(sim.url, sim.api_key)
    expected = ids_of(api.get(path + "?limit=100").json(), field)
    seen: list[str] = []
    token: str | None = None
    while True:
        body = api.get(f"{path}?limit=4" + (f"&token={quote(token)}" if token else "")).json()
        seen += ids_of(body, field)
        # Two new items land at the head between every page load, one of them back-dated to tie.
        getattr(sim.state, adder)()
        getattr(sim.state, adder)(created_at=body["data"][0]["created_at"])
        if not body["has_more"]:
            break
        token = body["next_token"]
    assert seen == expected


def test_deleting_the_cursor_item_does_not_break_the_next_page(sim: Simulator, api: Http) -> None:
    first = api.get("/v3/hyperframes/renders?limit=5").json()
    sim.state.delete("render", first["data"][-1]["render_id"])
    second = api.get("/v3/hyperframes/renders?limit=5&token=" + quote(first["next_token"])).json()
    everything = ids_of(api.get("/v3/hyperframes/renders?limit=100").json(), "render_id")
    assert ids_of(second, "render_id") == everything[4:9]


def test_session_videos_are_one_full_page(sim: Simulator, api: Http) -> None:
    session_id = api.get("/v3/video-agents").json()["data"][0]["session_id"]
    for _ in range(25):
        sim.state.add_video(session_id, status="completed")
    body = api.get(f"/v3/video-agents/{session_id}/videos?limit=1").json()
    assert len(body["data"]) >= 25 and body["has_more"] is False and body["next_token"] is None
