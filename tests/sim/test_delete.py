"""Delete semantics per kind: bodies, later 404s, lists, and revoked file URLs."""

from __future__ import annotations

from urllib.parse import quote

from hfdash.simulator import Simulator

from .conftest import Http


def test_render_delete(sim: Simulator, api: Http) -> None:
    render = sim.state.add_render(status="completed")
    rid = render["render_id"]
    reply = api.delete("/v3/hyperframes/renders/" + rid)
    assert reply.status == 200 and reply.json() == {"data": {"render_id": rid}}
    gone = api.get("/v3/hyperframes/renders/" + rid)
    assert gone.status == 404 and gone.json()["error"]["code"] == "hyperframes_render_not_found"
    assert api.delete("/v3/hyperframes/renders/" + rid).status == 404
    listed = api.get("/v3/hyperframes/renders?limit=100").json()["data"]
    assert rid not in [r["render_id"] for r in listed]
    # The signed URL stops working after the delete.
    file_reply = api.get(render["video_url"], auth=False)
    assert file_reply.status == 403 and b"AccessDenied" in file_reply.body


def test_clip_job_delete(sim: Simulator, api: Http) -> None:
    job_id = api.get("/v3/ai-clipping").json()["data"][0]["id"]
    reply = api.delete("/v3/ai-clipping/" + job_id)
    assert reply.status == 200 and reply.json() == {"data": {"id": job_id}}
    gone = api.get("/v3/ai-clipping/" + job_id)
    assert gone.status == 404 and gone.json()["error"]["code"] == "not_found"
    assert api.delete("/v3/ai-clipping/" + job_id).status == 404
    assert job_id not in [j["id"] for j in api.get("/v3/ai-clipping?limit=100").json()["data"]]


def test_video_delete(sim: Simulator, api: Http) -> None:
    session_id = api.get("/v3/video-agents").json()["data"][0]["session_id"]
    video = sim.state.add_video(session_id, status="completed")
    reply = api.delete("/v3/videos/" + video["id"])
    assert reply.status == 200 and reply.json() == {"data": {"id": video["id"], "deleted": True}}
    assert api.get("/v3/videos/" + video["id"]).status == 404
    assert api.delete("/v3/videos/" + video["id"]).status == 404
    listed = api.get(f"/v3/video-agents/{session_id}/videos").json()["data"]
    assert video["id"] not in [v["id"] for v in listed]


def test_state_delete_hides_sessions(sim: Simulator, api: Http) -> None:
    session_id = api.get("/v3/video-agents").json()["data"][0]["session_id"]
    sim.state.delete("session", session_id)
    assert api.get("/v3/video-agents/" + session_id).status == 404
    assert api.get(f"/v3/video-agents/{session_id}/videos").status == 404
    assert session_id not in [s["session_id"] for s in api.get("/v3/video-agents").json()["data"]]


def test_hostile_id_delete_matches_exactly(sim: Simulator, api: Http) -> None:
    sim.state.add_render(render_id="hfr_../x", status="completed")
    sim.state.add_render(render_id="x", status="completed")
    assert api.delete("/v3/hyperframes/renders/" + quote("hfr_../x", safe="")).status == 200
    assert api.get("/v3/hyperframes/renders/x").status == 200


def test_unknown_routes_and_methods(api: Http) -> None:
    assert api.get("/v3/nothing").status == 404
    assert api.delete("/v3/hyperframes/renders").status == 405
    assert api.delete("/v3/video-agents/abc").status == 405
    assert api.get("/v3/hyperframes/renders/").status == 400
