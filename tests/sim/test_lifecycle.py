"""Items live: statuses move with the simulated clock, and presence rules hold at every step."""

from __future__ import annotations

from typing import Any

from hfdash.simulator import Simulator

from .conftest import Http

RENDER_ORDER = ["queued", "rendering", "completed"]
JOB_ORDER = ["pending", "running", "completed"]
SESSION_ORDER = ["thinking", "generating", "completed"]


def check_render(item: dict[str, Any]) -> None:
    done = item["status"] == "completed"
    terminal = item["status"] in ("completed", "failed")
    assert (item["video_url"] is not None) == done
    assert (item["duration"] is not None) == done
    assert (item["completed_at"] is not None) == terminal
    assert (item["failure_message"] is not None) == (item["status"] == "failed")


def check_clip_job(item: dict[str, Any]) -> None:
    assert 0 <= item["progress"] <= 100
    assert (item["failure_message"] is not None) == (item["status"] == "failed")
    assert "output_settings" not in item
    if item["status"] == "pending":
        assert item["clips"] == []
    for clip in item["clips"]:
        done = clip["status"] == "completed"
        for name in ("duration_seconds", "aspect_ratio", "virality_score", "video_url", "thumbnail_url"):
            assert (clip[name] is not None) == done, (name, clip)
        assert clip["failure_message"] is None


def check_video(item: dict[str, Any]) -> None:
    done = item["status"] == "completed"
    failed = item["status"] == "failed"
    assert (item["video_url"] is not None) == done
    assert (item["failure_code"] is not None) == failed
    assert (item["failure_message"] is not None) == failed
    if item["captioned_video_url"] is not None or item["subtitle_url"] is not None:
        assert done


def all_items(api: Http, path: str) -> list[dict[str, Any]]:
    body = api.get(path + "?limit=100").json()
    assert body["has_more"] is False
    items: list[dict[str, Any]] = body["data"]
    return items


def test_presence_rules_hold_while_time_passes(sim: Simulator, api: Http) -> None:
    seen: dict[str, set[str]] = {"render": set(), "job": set(), "session": set(), "video": set()}
    for _ in range(6):
        for render in all_items(api, "/v3/hyperframes/renders"):
            check_render(render)
            seen["render"].add(render["status"])
        for job in all_items(api, "/v3/ai-clipping"):
            check_clip_job(job)
            assert job["progress"] == (100 if job["status"] == "completed" else 0)
            detail = api.get("/v3/ai-clipping/" + job["id"]).json()["data"]
            check_clip_job(detail)
            seen["job"].add(detail["status"])
        for item in all_items(api, "/v3/video-agents"):
            assert set(item) == {"session_id", "created_at", "title"}
            detail = api.get("/v3/video-agents/" + item["session_id"]).json()["data"]
            assert len(detail["messages"]) <= 40
            stamps = [m["created_at"] for m in detail["messages"]]
            assert stamps == sorted(stamps, reverse=True)
            seen["session"].add(detail["status"])
            for video in api.get(f"/v3/video-agents/{item['session_id']}/videos").json()["data"]:
                check_video(video)
                seen["video"].add(video["status"])
        sim.state.advance(120)
    assert {"completed", "failed", "rendering"} <= seen["render"]
    assert {"completed", "running"} <= seen["job"]
    assert "completed" in seen["session"] and "generating" in seen["session"]
    assert {"completed", "processing"} <= seen["video"]


def test_new_render_progresses_to_completion(sim: Simulator, api: Http) -> None:
    render_id = sim.state.add_render()["render_id"]
    statuses = []
    for _ in range(40):
        statuses.append(api.get("/v3/hyperframes/renders/" + render_id).json()["data"]["status"])
        sim.state.advance(15)
    assert statuses[0] == "queued"
    assert statuses[-1] == "completed"
    order = [s for i, s in enumerate(statuses) if i == 0 or statuses[i - 1] != s]
    assert order == RENDER_ORDER


def test_clip_job_gains_clips_with_granular_progress(sim: Simulator, api: Http) -> None:
    job_id = sim.state.add_clip_job()["id"]
    progress: list[int] = []
    clip_counts: list[int] = []
    statuses: list[str] = []
    for _ in range(120):
        detail = api.get("/v3/ai-clipping/" + job_id).json()["data"]
        listed = next(j for j in all_items(api, "/v3/ai-clipping") if j["id"] == job_id)
        assert listed["progress"] == (100 if listed["status"] == "completed" else 0)
        progress.append(detail["progress"])
        clip_counts.append(sum(c["status"] != "pending" for c in detail["clips"]))
        statuses.append(detail["status"])
        if detail["status"] == "completed":
            break
        sim.state.advance(10)
    assert statuses[-1] == "completed" and progress[-1] == 100
    assert progress == sorted(progress) and clip_counts == sorted(clip_counts)
    assert any(0 < p < 100 for p in progress), progress
    assert len(set(clip_counts)) > 2, clip_counts
    assert [s for i, s in enumerate(statuses) if i == 0 or statuses[i - 1] != s] == JOB_ORDER


def test_session_moves_and_gains_a_video(sim: Simulator, api: Http) -> None:
    session_id = sim.state.add_session()["session_id"]
    statuses = []
    for _ in range(100):
        detail = api.get("/v3/video-agents/" + session_id).json()["data"]
        statuses.append(detail["status"])
        if detail["status"] == "generating":
            assert detail["video_id"] is not None and 10 <= detail["progress"] < 100
        if detail["status"] == "completed":
            assert detail["progress"] == 100
            break
        sim.state.advance(20)
    assert [s for i, s in enumerate(statuses) if i == 0 or statuses[i - 1] != s] == SESSION_ORDER
    videos = api.get(f"/v3/video-agents/{session_id}/videos").json()["data"]
    assert videos and videos[-1]["id"] == detail["video_id"]
    assert videos[-1]["status"] == "completed"


def test_set_status_pins_and_overrides(sim: Simulator, api: Http) -> None:
    render = sim.state.add_render(status="rendering", title="[bold]x[/]", render_id="hfr_../../etc")
    assert render["status"] == "rendering" and render["video_url"] is None
    path = "/v3/hyperframes/renders/hfr_..%2F..%2Fetc"
    sim.state.advance(10_000)
    assert api.get(path).json()["data"]["status"] == "rendering"
    sim.state.set_status("render", "hfr_../../etc", "failed", failure_message="Render timed out after 900s")
    data = api.get(path).json()["data"]
    assert data["status"] == "failed" and data["failure_message"] == "Render timed out after 900s"
    assert data["title"] == "[bold]x[/]" and data["completed_at"] is not None
    sim.state.set_status("render", "hfr_../../etc", "completed")
    data = api.get(path).json()["data"]
    check_render(data)
    assert data["video_url"] is not None


def test_seeded_account_is_deterministic(make_sim: Any) -> None:
    bodies = []
    for _ in range(2):
        sim = make_sim()
        api = Http(sim.url, sim.api_key)
        text = b"".join(
            api.get(p).body
            for p in ("/v3/hyperframes/renders?limit=100", "/v3/ai-clipping", "/v3/video-agents")
        )
        bodies.append(text.replace(sim.url.encode(), b"BASE"))
    assert bodies[0] == bodies[1]
    other = make_sim(seed=8)
    assert Http(other.url, other.api_key).get("/v3/hyperframes/renders").body != bodies[0][:100]


def test_ages_spread_from_minutes_to_months(sim: Simulator, api: Http) -> None:
    now = sim.state.now()
    ages = [now - r["created_at"] for r in all_items(api, "/v3/hyperframes/renders")]
    assert min(ages) < 600 and max(ages) > 30 * 86_400
