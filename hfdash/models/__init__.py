"""Frozen data for every resource the dashboard shows. Standard library only."""

from hfdash.models._parse import ModelError, StatusEnum
from hfdash.models.agents import (
    AgentMessage,
    Session,
    SessionStatus,
    SessionSummary,
    Video,
    VideoDeleted,
    VideoStatus,
    parse_session,
    parse_session_summary,
    parse_video,
    parse_video_deleted,
)
from hfdash.models.clips import (
    Clip,
    ClipJob,
    ClipJobStatus,
    ClipStatus,
    parse_clip_job,
    parse_clip_job_deleted,
)
from hfdash.models.page import Page, StandardAPIError, parse_error, parse_page, unwrap_data
from hfdash.models.renders import (
    LISTED_URL,
    Render,
    RenderStatus,
    parse_listed_render,
    parse_render,
    parse_render_deleted,
)

__all__ = [
    "LISTED_URL",
    "AgentMessage",
    "Clip",
    "ClipJob",
    "ClipJobStatus",
    "ClipStatus",
    "ModelError",
    "Page",
    "Render",
    "RenderStatus",
    "Session",
    "SessionStatus",
    "SessionSummary",
    "StandardAPIError",
    "StatusEnum",
    "Video",
    "VideoDeleted",
    "VideoStatus",
    "parse_clip_job",
    "parse_clip_job_deleted",
    "parse_error",
    "parse_listed_render",
    "parse_page",
    "parse_render",
    "parse_render_deleted",
    "parse_session",
    "parse_session_summary",
    "parse_video",
    "parse_video_deleted",
    "unwrap_data",
]
