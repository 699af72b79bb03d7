"""Each fault kind, alone and mixed by rate, and how rules match and run out."""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Callable
from urllib.parse import quote

import pytest

from hfdash.simulator import Simulator

from .conftest import Http

RENDERS = "/v3/hyperframes/renders"


def test_429_carries_retry_after(sim: Simulator, api: Http) -> None:
    sim.state.faults.add("429", count=1, retry_after=7)
    reply = api.get(RENDERS)
    assert reply.status == 429 and reply.headers["retry-after"] == "7"
    assert reply.json()["error"]["code"] == "rate_limit_exceeded"
    assert api.get(RENDERS).status == 200


def test_status_faults(sim: Simulator, api: Http) -> None:
    sim.state.faults.add("500", count=1)
    reply = api.get(RENDERS)
    assert reply.status == 500 and reply.json()["error"]["code"] == "internal_error"
    sim.state.faults.add("502", count=1)
    reply = api.get(RENDERS)
    assert reply.status == 502 and reply.headers["content-type"].startswith("text/html")
    assert b"Bad Gateway" in reply.body
    sim.state.faults.add("503", count=1)
    reply = api.get(RENDERS)
    assert reply.status == 503 and reply.body == b""
    sim.state.faults.add("401", count=1)
    assert api.get(RENDERS).json()["error"]["code"] == "authentication_failed"
    sim.state.faults.add("403", count=1)
    assert api.get(RENDERS).status == 403
    render_id = api.get(RENDERS).json()["data"][0]["render_id"]
    sim.state.faults.add("404", count=1)
    reply = api.get(f"{RENDERS}/{render_id}")
    assert reply.status == 404 and reply.json()["error"]["code"] == "hyperframes_render_not_found"
    assert api.get(f"{RENDERS}/{render_id}").status == 200


def test_slow(sim: Simulator, api: Http) -> None:
    sim.state.faults.add("slow", count=1, delay=0.4)
    started = time.monotonic()
    assert api.get(RENDERS).status == 200
    assert time.monotonic() - started >= 0.4


def test_slow_leaves_other_requests_alone(sim: Simulator, api: Http) -> None:
    sim.state.faults.add("slow", count=1, delay=1.0, path_prefix="/v3/ai-clipping")
    conn = http.client.HTTPConnection(api.host, api.port, timeout=5)
    conn.request("GET", "/v3/ai-clipping", headers={"x-api-key": sim.api_key})
    started = time.monotonic()
    assert api.get(RENDERS).status == 200
    assert time.monotonic() - started < 0.8
    assert conn.getresponse().status == 200
    conn.close()


def test_body_faults(sim: Simulator, api: Http) -> None:
    sim.state.faults.add("malformed", count=1)
    reply = api.get(RENDERS)
    assert reply.status == 200 and reply.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        reply.json()
    sim.state.faults.add("truncated", count=1)
    reply = api.get(RENDERS)
    assert int(reply.headers["content-length"]) == len(reply.body)
    with pytest.raises(json.JSONDecodeError):
        reply.json()
    assert reply.body.startswith(b'{"data": [')
    sim.state.faults.add("wrong_content_type", count=1)
    reply = api.get(RENDERS)
    assert reply.headers["content-type"].startswith("text/html") and reply.json()["data"]


def test_drift(sim: Simulator, api: Http) -> None:
    sim.state.faults.add("drift", count=1)
    body = api.get(RENDERS).json()
    item = body["data"][0]
    assert item["status"] == "archived_v2"
    assert "thumbnail_url" not in item and "callback_id" not in item
    assert isinstance(item["created_at"], str) and "x_experimental" in item
    assert api.get(RENDERS).json()["data"][0]["status"] != "archived_v2"


def test_hostile_fault(sim: Simulator, api: Http) -> None:
    sim.state.faults.add("hostile", count=1, path_prefix="/v3/ai-clipping/")
    job_id = api.get("/v3/ai-clipping").json()["data"][0]["id"]
    data = api.get("/v3/ai-clipping/" + job_id).json()["data"]
    assert data["id"] == job_id
    texts = [data["title"], *(c["title"] for c in data["clips"] if c["title"])]
    assert any("[" in t or "\x1b" in t or "\x00" in t for t in texts)


def test_list_faults(sim: Simulator, api: Http) -> None:
    sim.state.faults.add("has_more_empty", count=1)
    body = api.get(RENDERS).json()
    assert body["data"] == [] and body["has_more"] is True and body["next_token"]
    first = api.get(RENDERS).json()
    sim.state.faults.add("repeat_token", count=1)
    again = api.get(RENDERS + "?token=" + quote(first["next_token"])).json()
    assert again["next_token"] == first["next_token"] and again["has_more"] is True
    # List-only faults skip item requests and wait for the next list.
    sim.state.faults.add("has_more_empty", count=1)
    assert api.get(f"{RENDERS}/{first['data'][0]['render_id']}").status == 200
    assert api.get(RENDERS).json()["data"] == []


def test_matching_by_method_and_prefix(sim: Simulator, api: Http) -> None:
    sim.state.faults.add("500", count=2, method="DELETE")
    sim.state.faults.add("429", count=1, path_prefix="/v3/video-agents")
    assert api.get(RENDERS).status == 200
    render_id = api.get(RENDERS).json()["data"][0]["render_id"]
    assert api.delete(f"{RENDERS}/{render_id}").status == 500
    assert api.get("/v3/video-agents").status == 429
    assert api.delete(f"{RENDERS}/{render_id}").status == 500
    assert api.delete(f"{RENDERS}/{render_id}").status == 200
    sim.state.faults.add("500", rate=1.0)
    assert api.get(RENDERS).status == 500
    sim.state.faults.clear()
    assert api.get(RENDERS).status == 200


def test_unknown_fault_kind_is_refused(sim: Simulator) -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        sim.state.faults.add("teapot")


def test_rate_is_seeded_and_roughly_honoured(make_sim: Callable[..., Simulator]) -> None:
    outcomes = []
    for _ in range(2):
        sim = make_sim()
        api = Http(sim.url, sim.api_key)
        sim.state.faults.add("500", rate=0.3)
        outcomes.append([api.get(RENDERS + "?limit=1").status for _ in range(60)])
    assert outcomes[0] == outcomes[1]
    assert 5 <= outcomes[0].count(500) <= 35


def test_fault_rate_mix(make_sim: Callable[..., Simulator]) -> None:
    sim = make_sim(fault_rate=0.5)
    api = Http(sim.url, sim.api_key)
    statuses = [api.get(RENDERS + "?limit=1", timeout=5).status for _ in range(60)]
    faults = [e["fault"] for e in sim.state.request_log if e["fault"]]
    assert 200 in statuses and len(faults) >= 10
    assert set(faults) <= {"429", "500", "502", "503", "slow", "truncated"}
    assert len(set(faults)) >= 3
    for reply_status, entry in zip(statuses, sim.state.request_log, strict=True):
        if entry["fault"] == "429":
            assert reply_status == 429


def test_every_nth_matching_request_is_refused(sim: Simulator, api: Http) -> None:
    sim.state.faults.add("429", every=5, method="GET", retry_after=0)
    statuses = [api.get(RENDERS).status for _ in range(12)]
    assert statuses == [200, 200, 200, 200, 429] * 2 + [200, 200]
    with pytest.raises(ValueError, match="every"):
        sim.state.faults.add("429", every=0)


def test_lost_reply_carries_the_request_out_and_answers_nothing(sim: Simulator, api: Http) -> None:
    render_id = api.get(RENDERS).json()["data"][0]["render_id"]
    sim.state.faults.add("lost_reply", count=1, method="DELETE")
    with pytest.raises(http.client.RemoteDisconnected):
        api.delete(f"{RENDERS}/{render_id}")
    assert api.get(f"{RENDERS}/{render_id}").status == 404
    assert api.delete(f"{RENDERS}/{render_id}").status == 404
