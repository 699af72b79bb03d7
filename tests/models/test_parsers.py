"""The tolerant parsers: unknown fields ignored, unknown statuses kept, drift named by path."""

from __future__ import annotations

from typing import Any

import pytest

from hfdash.models import ClipJobStatus, ClipStatus, ModelError, RenderStatus, SessionStatus, VideoStatus
from hfdash.models.agents import parse_session, parse_session_summary, parse_video, parse_video_deleted
from hfdash.models.clips import parse_clip_job, parse_clip_job_deleted
from hfdash.models.parse import parse_error, unwrap_data
from hfdash.models.renders import parse_render, parse_render_deleted
from hfdash.services.kinds import needs_poll
from tests.pages import parse_page

RENDER: dict[str, Any] = {
    "render_id": "hfr_1",
    "status": "completed",
    "format": "mp4",
    "title": "T",
    "video_url": "https://s3/x.mp4?sig=1",
    "duration": 12.5,
    "fps": 30,
    "created_at": 1_795_000_000,
    "completed_at": None,
}
CLIP_JOB: dict[str, Any] = {
    "id": "job1",
    "status": "running",
    "progress": 40,
    "clips": [{"id": "c1", "status": "completed", "virality_score": 88, "duration_seconds": 31.2}],
}
SESSION: dict[str, Any] = {
    "session_id": "s1",
    "status": "waiting_for_input",
    "created_at": 1_795_000_000,
    "messages": [{"role": "model", "content": "hi", "type": "text", "resource_ids": ["v1"]}],
}
VIDEO: dict[str, Any] = {"id": "v1", "status": "failed", "failure_code": "E1", "output_language": "fr"}


def test_every_kind_parses() -> None:
    render = parse_render(RENDER)
    assert render.status is RenderStatus.COMPLETED and render.duration == 12.5 and not needs_poll(render)
    job = parse_clip_job(CLIP_JOB)
    assert job.status is ClipJobStatus.RUNNING and job.clips[0].status is ClipStatus.COMPLETED
    assert job.clips_done == 1 and needs_poll(job)
    session = parse_session(SESSION)
    assert session.status is SessionStatus.WAITING_FOR_INPUT and session.messages[0].resource_ids == ("v1",)
    video = parse_video(VIDEO)
    assert video.status is VideoStatus.FAILED and video.output_language == "fr" and not needs_poll(video)
    summary = parse_session_summary({"session_id": "s", "created_at": 1, "title": None})
    assert summary.id == "s" and summary.title is None


def test_unknown_fields_are_ignored() -> None:
    drifted = {**RENDER, "brand_new": {"nested": [1]}, "another": None}
    assert parse_render(drifted) == parse_render(RENDER)


@pytest.mark.parametrize(
    ("parser", "body"),
    [(parse_render, RENDER), (parse_clip_job, CLIP_JOB), (parse_session, SESSION), (parse_video, VIDEO)],
)
def test_unknown_status_is_kept_raw(parser: Any, body: dict[str, Any]) -> None:
    parsed = parser({**body, "status": "Quantum-Superposed"})
    assert parsed.status.name == "UNKNOWN" and parsed.status_raw == "Quantum-Superposed"
    assert needs_poll(parsed)


def test_video_error_status_counts_as_terminal() -> None:
    video = parse_video({**VIDEO, "status": "error"})
    assert video.status is VideoStatus.UNKNOWN and not needs_poll(video)  # contract §11.12


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({k: v for k, v in RENDER.items() if k != "render_id"}, "data.render_id"),
        ({**RENDER, "status": 3}, "data.status"),
        ({**RENDER, "fps": "thirty"}, "data.fps"),
        ({**RENDER, "fps": 29.97}, "data.fps"),
        ({**RENDER, "duration": True}, "data.duration"),
        ({**RENDER, "title": ["x"]}, "data.title"),
    ],
)
def test_bad_render_fields_name_the_path(body: dict[str, Any], path: str) -> None:
    with pytest.raises(ModelError) as caught:
        parse_render(body)
    assert caught.value.path == path and str(caught.value).startswith(path)


def test_nested_paths_are_named() -> None:
    with pytest.raises(ModelError, match=r"^data\.clips\[0\]\.status"):
        parse_clip_job({**CLIP_JOB, "clips": [{"id": "c"}]})
    with pytest.raises(ModelError, match=r"^data\.messages\[0\]\.resource_ids\[1\]"):
        parse_session({**SESSION, "messages": [{**SESSION["messages"][0], "resource_ids": ["a", 2]}]})
    with pytest.raises(ModelError, match=r"^data\[1\]\.created_at"):
        parse_page(
            {"data": [{"session_id": "a", "created_at": 1}, {"session_id": "b"}]}, parse_session_summary
        )
    with pytest.raises(ModelError, match=r"^data: expected an object"):
        parse_render("not an object")


def test_numbers_as_strings_are_tolerated() -> None:
    render = parse_render({**RENDER, "duration": "12.5", "fps": "30", "created_at": "1795000000"})
    assert render.duration == 12.5 and render.fps == 30 and render.created_at == 1_795_000_000
    job = parse_clip_job({**CLIP_JOB, "progress": "250"})
    assert job.progress == 100  # clamped to 0..100


def test_hostile_strings_are_kept_verbatim() -> None:
    hostile = "[bold red]x[/]\x1b[31m\u202e<script>alert(1)</script>🎬" + "A" * 5000
    render = parse_render({**RENDER, "title": hostile, "render_id": "../../etc/passwd"})
    assert render.title == hostile and render.render_id == "../../etc/passwd"


def test_page_envelope_defaults_and_flags() -> None:
    empty = parse_page({}, parse_render)
    assert empty.items == () and not empty.has_more and empty.next_token is None
    page = parse_page({"data": [RENDER], "has_more": True, "next_token": "t", "x": 1}, parse_render)
    assert len(page.items) == 1 and page.has_more and page.next_token == "t"
    assert parse_page({"data": [], "has_more": False, "next_token": ""}, parse_render).next_token is None
    with pytest.raises(ModelError, match=r"^\$\.has_more"):
        parse_page({"data": [], "has_more": "yes"}, parse_render)
    with pytest.raises(ModelError, match=r"^data: expected an array"):
        parse_page({"data": {}}, parse_render)


def test_unwrap_and_deletes() -> None:
    assert unwrap_data({"data": {"a": 1}}) == {"a": 1}
    with pytest.raises(ModelError, match=r"^\$\.data"):
        unwrap_data({"render_id": "x"})
    assert parse_render_deleted({"render_id": "hfr_1"}) == "hfr_1"
    assert parse_clip_job_deleted({"id": "j"}) == "j"
    deleted = parse_video_deleted({"id": "v"})
    assert deleted.id == "v" and deleted.deleted
    with pytest.raises(ModelError):
        parse_clip_job_deleted({"render_id": "wrong key"})


def test_error_envelope() -> None:
    err = parse_error({"error": {"code": "invalid_parameter", "message": "m", "param": "limit"}})
    assert (err.code, err.message, err.param, err.doc_url) == ("invalid_parameter", "m", "limit", None)
    with pytest.raises(ModelError, match=r"^\$\.error"):
        parse_error({"message": "not an envelope"})
