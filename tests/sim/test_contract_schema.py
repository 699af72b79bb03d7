"""Every simulator answer validates against the contract's OpenAPI schemas, hostile or not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from jsonschema import ValidationError

from hfdash.simulator import Simulator

from .conftest import Contract, Http

LISTS = {
    "/v3/hyperframes/renders": ("render_id", "/v3/hyperframes/renders/{render_id}"),
    "/v3/ai-clipping": ("id", "/v3/ai-clipping/{job_id}"),
    "/v3/video-agents": ("session_id", "/v3/video-agents/{session_id}"),
}


def walk(api: Http, contract: Contract, path: str, limit: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    token: str | None = None
    for _ in range(100):
        query = f"?limit={limit}" + (f"&token={quote(token)}" if token else "")
        reply = api.get(path + query)
        assert reply.status == 200, reply.body
        assert reply.headers["content-type"].startswith("application/json")
        body = reply.json()
        contract.validate(path, "get", 200, body)
        items += body["data"]
        if not body["has_more"]:
            assert body["next_token"] is None
            return items
        token = body["next_token"]
        assert isinstance(token, str) and token
    raise AssertionError("pagination did not end")


@pytest.mark.parametrize("hostile", [False, True])
@pytest.mark.parametrize("advance", [0.0, 400.0])
def test_every_endpoint_matches_schema(
    make_sim: Callable[..., Simulator], contract: Contract, hostile: bool, advance: float
) -> None:
    sim = make_sim(hostile=hostile)
    sim.state.advance(advance)
    api = Http(sim.url, sim.api_key)
    for list_path, (id_field, item_path) in LISTS.items():
        items = walk(api, contract, list_path, 7)
        assert items, list_path
        ids = [item[id_field] for item in items]
        assert len(ids) == len(set(ids))
        for item_id in ids:
            reply = api.get(list_path + "/" + quote(item_id, safe=""))
            assert reply.status == 200, (item_id, reply.body)
            contract.validate(item_path, "get", 200, reply.json())
            assert reply.json()["data"][id_field] == item_id
            if list_path == "/v3/video-agents":
                check_session_videos(api, contract, item_id)


def check_session_videos(api: Http, contract: Contract, session_id: str) -> None:
    reply = api.get(f"/v3/video-agents/{quote(session_id, safe='')}/videos")
    assert reply.status == 200
    body = reply.json()
    contract.validate("/v3/video-agents/{session_id}/videos", "get", 200, body)
    assert body["has_more"] is False and body["next_token"] is None
    for video in body["data"]:
        one = api.get("/v3/videos/" + quote(video["id"], safe=""))
        assert one.status == 200
        contract.validate("/v3/videos/{video_id}", "get", 200, one.json())


def test_hostile_items_are_present_and_reachable(make_sim: Callable[..., Simulator]) -> None:
    sim = make_sim(hostile=True)
    api = Http(sim.url, sim.api_key)
    body = api.get("/v3/hyperframes/renders?limit=100").json()
    ids = {item["render_id"] for item in body["data"]}
    assert {"hfr_../../etc/passwd", "hfr_nested/child", ".."} <= ids
    titles = [item["title"] or "" for item in body["data"]]
    assert any("[bold red]" in t for t in titles)
    assert any("\x1b[" in t for t in titles)
    assert any(len(t) >= 10_000 for t in titles)
    reply = api.get("/v3/hyperframes/renders/hfr_..%2F..%2Fetc%2Fpasswd")
    assert reply.status == 200
    assert reply.json()["data"]["render_id"] == "hfr_../../etc/passwd"


def test_error_bodies_match_schema(api: Http, contract: Contract, sim: Simulator) -> None:
    cases: list[tuple[str, str, str, int]] = [
        ("/v3/hyperframes/renders", "get", "/v3/hyperframes/renders?limit=101", 400),
        ("/v3/ai-clipping", "get", "/v3/ai-clipping?limit=abc", 400),
        ("/v3/video-agents", "get", "/v3/video-agents?token=garbage!", 400),
        ("/v3/hyperframes/renders/{render_id}", "get", "/v3/hyperframes/renders/hfr_nope", 404),
        ("/v3/hyperframes/renders/{render_id}", "delete", "/v3/hyperframes/renders/hfr_nope", 404),
        ("/v3/ai-clipping/{job_id}", "get", "/v3/ai-clipping/nope", 404),
        ("/v3/video-agents/{session_id}", "get", "/v3/video-agents/nope", 404),
        ("/v3/video-agents/{session_id}/videos", "get", "/v3/video-agents/nope/videos", 404),
        ("/v3/videos/{video_id}", "get", "/v3/videos/nope", 404),
        ("/v3/videos/{video_id}", "delete", "/v3/videos/nope", 404),
    ]
    for spec_path, method, target, status in cases:
        reply = api.request(method.upper(), target)
        assert reply.status == status, target
        contract.validate(spec_path, method, status, reply.json())
    unauth = api.get("/v3/hyperframes/renders", headers={"x-api-key": "wrong"})
    assert unauth.status == 401
    contract.validate("/v3/hyperframes/renders", "get", 401, unauth.json())
    for kind, status in (("429", 429), ("500", 500), ("403", 403)):
        sim.state.faults.add(kind, count=1)
        reply = api.get("/v3/ai-clipping")
        assert reply.status == status
        contract.validate("/v3/ai-clipping", "get", status, reply.json())


def test_the_validator_is_not_vacuous(contract: Contract) -> None:
    bad = {"data": [{"render_id": "hfr_1", "status": "bogus", "format": "mp4"}], "has_more": False}
    with pytest.raises(ValidationError):
        contract.validate("/v3/hyperframes/renders", "get", 200, bad)
    with pytest.raises(ValidationError):
        contract.validate("/v3/videos/{video_id}", "get", 404, {"error": {"code": "not_found"}})


def test_delete_bodies_match_schema(api: Http, contract: Contract, sim: Simulator) -> None:
    render = sim.state.add_render(status="completed")
    job = sim.state.add_clip_job(status="completed")
    session = sim.state.add_session(status="completed")
    video = sim.state.add_video(session["session_id"], status="completed")
    cases = [
        ("/v3/hyperframes/renders/{render_id}", "/v3/hyperframes/renders/" + render["render_id"]),
        ("/v3/ai-clipping/{job_id}", "/v3/ai-clipping/" + job["id"]),
        ("/v3/videos/{video_id}", "/v3/videos/" + video["id"]),
    ]
    for spec_path, target in cases:
        reply = api.delete(target)
        assert reply.status == 200
        contract.validate(spec_path, "delete", 200, reply.json())
