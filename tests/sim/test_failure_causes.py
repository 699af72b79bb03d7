"""Seeded failures: several causes per kind, each worded differently item by item, and a knob for how many."""

from __future__ import annotations

from typing import Any

from hfdash.simulator import SimConfig
from hfdash.simulator.state import SimState

NOW = 1_795_176_000


def listed(state: SimState, kind: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    query = {"limit": "100"}
    while True:
        page = state.list_page(kind, query)
        items += page["data"]
        if not page["has_more"]:
            return items
        query = {"limit": "100", "token": page["next_token"]}


def test_each_kind_fails_for_several_causes_with_variable_parts() -> None:
    state = SimState(SimConfig(seed=3, renders=600, clip_jobs=120, sessions=60, speed=0.0, now=NOW))
    renders = [r["failure_message"] for r in listed(state, "render") if r["status"] == "failed"]
    jobs = [j["failure_message"] for j in listed(state, "clip_job") if j["status"] == "failed"]
    sessions = [state.get("session", s["session_id"])["data"] for s in listed(state, "session")]
    failed = [s for s in sessions if s["status"] == "failed"]
    errors = [m["content"] for s in failed for m in s["messages"] if m["type"] == "error"]
    videos = [state.get("video", s["video_id"])["data"] for s in failed]
    assert len(set(renders)) > 30 and len({m.split(" ")[0] for m in renders}) >= 5
    assert len(set(jobs)) > 5 and len({m[:20] for m in jobs}) >= 3
    assert len(errors) == len(failed) > 3 and len({m[:30] for m in errors}) >= 2
    # A failed session's video says the same, with a code.
    assert [v["failure_message"] for v in videos] == errors
    assert {v["failure_code"] for v in videos} <= {"avatar_timeout", "voice_unavailable", "script_too_long"}


def test_the_share_of_renders_that_fail_is_a_knob_and_leaves_the_rest_as_it_was() -> None:
    usual = listed(SimState(SimConfig(seed=3, renders=300, speed=0.0, now=NOW)), "render")
    never = listed(
        SimState(SimConfig(seed=3, renders=300, speed=0.0, now=NOW, render_failures=0.0)), "render"
    )
    assert any(r["status"] == "failed" for r in usual)
    assert not any(r["status"] == "failed" for r in never)
    assert [(r["render_id"], r["title"]) for r in usual] == [(r["render_id"], r["title"]) for r in never]
