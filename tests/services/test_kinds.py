"""What every kind of item answers: its category for each status, its id, date, duration, failure."""

from __future__ import annotations

import pytest

from hfdash.models import (
    AgentMessage,
    Clip,
    ClipJob,
    ClipJobStatus,
    ClipStatus,
    Render,
    RenderStatus,
    Session,
    SessionStatus,
    SessionSummary,
    StatusEnum,
    Video,
    VideoStatus,
)
from hfdash.models.agents import parse_video
from hfdash.models.renders import parse_listed_render
from hfdash.services.kinds import (
    Category,
    category,
    created_at,
    duration,
    failure_message,
    search_text,
)

IN_FLIGHT, WAITING, COMPLETED = Category.IN_FLIGHT, Category.WAITING, Category.COMPLETED
FAILED, CANCELLED, UNKNOWN = Category.FAILED, Category.CANCELLED, Category.UNKNOWN

EXPECTED: dict[StatusEnum, Category] = {
    RenderStatus.QUEUED: IN_FLIGHT,
    RenderStatus.RENDERING: IN_FLIGHT,
    RenderStatus.COMPLETED: COMPLETED,
    RenderStatus.FAILED: FAILED,
    RenderStatus.UNKNOWN: UNKNOWN,
    ClipJobStatus.PENDING: IN_FLIGHT,
    ClipJobStatus.RUNNING: IN_FLIGHT,
    ClipJobStatus.COMPLETED: COMPLETED,
    ClipJobStatus.FAILED: FAILED,
    ClipJobStatus.CANCELLED: CANCELLED,
    ClipJobStatus.UNKNOWN: UNKNOWN,
    ClipStatus.PENDING: IN_FLIGHT,
    ClipStatus.COMPLETED: COMPLETED,
    ClipStatus.FAILED: FAILED,
    ClipStatus.UNKNOWN: UNKNOWN,
    SessionStatus.THINKING: IN_FLIGHT,
    SessionStatus.GENERATING: IN_FLIGHT,
    SessionStatus.WAITING_FOR_INPUT: WAITING,
    SessionStatus.REVIEWING: WAITING,
    SessionStatus.COMPLETED: COMPLETED,
    SessionStatus.FAILED: FAILED,
    SessionStatus.UNKNOWN: UNKNOWN,
    VideoStatus.PENDING: IN_FLIGHT,
    VideoStatus.PROCESSING: IN_FLIGHT,
    VideoStatus.COMPLETED: COMPLETED,
    VideoStatus.FAILED: FAILED,
    VideoStatus.UNKNOWN: UNKNOWN,
}


def _item(status: StatusEnum, raw: str | None = None) -> Render | ClipJob | Clip | Session | Video:
    shown = raw if raw is not None else status.value
    if isinstance(status, RenderStatus):
        return Render(render_id="r", status=status, status_raw=shown, format="mp4")
    if isinstance(status, ClipJobStatus):
        return ClipJob(id="j", status=status, status_raw=shown)
    if isinstance(status, ClipStatus):
        return Clip(id="c", status=status, status_raw=shown)
    if isinstance(status, SessionStatus):
        return Session(session_id="s", status=status, status_raw=shown, created_at=1)
    assert isinstance(status, VideoStatus)
    return Video(id="v", status=status, status_raw=shown)


def test_every_status_enum_member_is_covered() -> None:
    members = {
        m for enum in (RenderStatus, ClipJobStatus, ClipStatus, SessionStatus, VideoStatus) for m in enum
    }
    assert members == set(EXPECTED)


@pytest.mark.parametrize(("status", "expected"), list(EXPECTED.items()), ids=lambda v: str(v))
def test_each_status_has_its_category(status: StatusEnum, expected: Category) -> None:
    assert category(_item(status)) is expected
    # Asked again (the answer is remembered per member), the same.
    assert category(_item(status)) is expected


def test_a_listed_session_is_loading_and_answers_like_any_item() -> None:
    summary = SessionSummary(session_id="s1", created_at=5, title="Launch")
    assert category(summary) is Category.LOADING
    assert (summary.id, summary.status_raw, created_at(summary)) == ("s1", "", 5)
    assert (failure_message(summary), duration(summary)) == ("", 0.0)


def test_an_error_status_fails_a_video_only() -> None:
    video = parse_video({"id": "v1", "status": "error"})
    assert video.status is VideoStatus.UNKNOWN and category(video) is Category.FAILED
    render = parse_listed_render({"render_id": "r1", "status": "error", "format": "mp4", "created_at": 1})
    assert category(render) is Category.UNKNOWN


def test_each_kind_answers_id_date_duration_and_failure() -> None:
    clip = Clip(id="c1", status=ClipStatus.COMPLETED, status_raw="completed", duration_seconds=12.5)
    job = ClipJob(
        id="j1", status=ClipJobStatus.RUNNING, status_raw="running", source_duration=600.0, created_at=9
    )
    session = Session(
        session_id="s1",
        status=SessionStatus.FAILED,
        status_raw="failed",
        created_at=3,
        messages=(
            AgentMessage("model", "Rendering…", "text"),
            AgentMessage("model", "Avatar failed", "error"),
        ),
    )
    assert (clip.id, created_at(clip), duration(clip)) == ("c1", 0, 12.5)
    assert (job.id, created_at(job), duration(job)) == ("j1", 9, 600.0)
    assert (session.id, failure_message(session), duration(session)) == ("s1", "Avatar failed", 0.0)
    assert "avatar failed" in search_text(session)
