"""Frozen data for every resource the dashboard shows. Standard library only.

The clip and agent models are imported when one of their names is first used: a start that
shows renders paints its rows without building them (about 8 ms of dataclasses and enums).
"""

import importlib
from typing import TYPE_CHECKING, Any

from hfdash.models._parse import ModelError, StatusEnum
from hfdash.models.page import Page, StandardAPIError, parse_error, parse_page, unwrap_data
from hfdash.models.renders import (
    LISTED_URL,
    Render,
    RenderStatus,
    parse_listed_render,
    parse_render,
    parse_render_deleted,
)

if TYPE_CHECKING:
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

_LAZY = {
    **dict.fromkeys(
        (
            "AgentMessage",
            "Session",
            "SessionStatus",
            "SessionSummary",
            "Video",
            "VideoDeleted",
            "VideoStatus",
            "parse_session",
            "parse_session_summary",
            "parse_video",
            "parse_video_deleted",
        ),
        "hfdash.models.agents",
    ),
    **dict.fromkeys(
        ("Clip", "ClipJob", "ClipJobStatus", "ClipStatus", "parse_clip_job", "parse_clip_job_deleted"),
        "hfdash.models.clips",
    ),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


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
