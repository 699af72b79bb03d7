"""Video Agent sessions and the videos they produce (contract §5-6)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from hfdash.models._parse import (
    StatusEnum,
    as_object,
    opt_bool,
    opt_float,
    opt_int,
    opt_items,
    opt_label,
    opt_str,
    progress,
    req_int,
    req_label,
    req_str,
    status,
)


class SessionStatus(StatusEnum):
    THINKING = "thinking"
    WAITING_FOR_INPUT = "waiting_for_input"
    REVIEWING = "reviewing"
    GENERATING = "generating"
    COMPLETED = "completed"
    FAILED = "failed"
    UNKNOWN = "unknown"


class VideoStatus(StatusEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    UNKNOWN = "unknown"


SESSION_TERMINAL = frozenset({SessionStatus.COMPLETED, SessionStatus.FAILED})
# heygen-cli's downloader treats `error` as failed although the enum lacks it (contract §11.12).
VIDEO_TERMINAL = frozenset({VideoStatus.COMPLETED, VideoStatus.FAILED})


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """A sessions-list item: the list carries no status (contract §5)."""

    # What every item answers, which the list does not say (read the session for them).
    status: ClassVar[None] = None
    status_raw: ClassVar[str] = ""
    failure_message: ClassVar[None] = None
    duration: ClassVar[None] = None

    session_id: str
    created_at: int
    title: str | None = None

    @property
    def id(self) -> str:
        return self.session_id


@dataclass(frozen=True, slots=True)
class AgentMessage:
    """One message of a Video Agent session's conversation."""

    role: str
    content: str
    type: str
    created_at: int | None = None
    resource_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Session:
    """A Video Agent session as read by its id: status, progress and the video it made."""

    session_id: str
    status: SessionStatus
    status_raw: str
    created_at: int
    title: str | None = None
    video_id: str | None = None
    progress: int = 0
    messages: tuple[AgentMessage, ...] = ()

    @property
    def id(self) -> str:
        return self.session_id

    # A session has no length of its own; its video has.
    duration: ClassVar[None] = None

    @property
    def is_terminal(self) -> bool:
        return self.status in SESSION_TERMINAL

    @property
    def failure_message(self) -> str | None:
        """A session has no failure field: the API reports why as its message of type error."""
        return next((message.content for message in self.messages if message.type == "error"), None)


@dataclass(frozen=True, slots=True)
class Video:
    """A video: a session's result, with the URL its file is downloaded from."""

    id: str
    status: VideoStatus
    status_raw: str
    title: str | None = None
    created_at: int | None = None
    completed_at: int | None = None
    video_url: str | None = None
    thumbnail_url: str | None = None
    gif_url: str | None = None
    captioned_video_url: str | None = None
    subtitle_url: str | None = None
    duration: float | None = None
    folder_id: str | None = None
    output_language: str | None = None
    failure_code: str | None = None
    failure_message: str | None = None
    video_page_url: str | None = None

    @property
    def is_terminal(self) -> bool:
        return self.status in VIDEO_TERMINAL or self.status_raw == "error"

    @property
    def is_translation(self) -> bool:
        return self.output_language is not None


def parse_session_summary(value: object, path: str = "data") -> SessionSummary:
    obj = as_object(value, path)
    return SessionSummary(
        session_id=req_str(obj, "session_id", path),
        created_at=req_int(obj, "created_at", path),
        title=opt_str(obj, "title", path),
    )


def parse_message(value: object, path: str) -> AgentMessage:
    obj = as_object(value, path)
    resource_ids = opt_items(
        obj, "resource_ids", path, lambda item, where: req_str({"id": item}, "id", where)
    )
    return AgentMessage(
        role=req_label(obj, "role", path),
        content=req_str(obj, "content", path),
        type=req_label(obj, "type", path),
        created_at=opt_int(obj, "created_at", path),
        resource_ids=resource_ids,
    )


def parse_session(value: object, path: str = "data") -> Session:
    obj = as_object(value, path)
    parsed_status, raw = status(obj, "status", path, SessionStatus)
    messages = opt_items(obj, "messages", path, parse_message)
    return Session(
        session_id=req_str(obj, "session_id", path),
        status=parsed_status,
        status_raw=raw,
        created_at=req_int(obj, "created_at", path),
        title=opt_str(obj, "title", path),
        video_id=opt_str(obj, "video_id", path),
        progress=progress(obj, "progress", path),
        messages=messages,
    )


def parse_video(value: object, path: str = "data") -> Video:
    obj = as_object(value, path)
    parsed_status, raw = status(obj, "status", path, VideoStatus)
    return Video(
        id=req_str(obj, "id", path),
        status=parsed_status,
        status_raw=raw,
        title=opt_str(obj, "title", path),
        created_at=opt_int(obj, "created_at", path),
        completed_at=opt_int(obj, "completed_at", path),
        video_url=opt_str(obj, "video_url", path),
        thumbnail_url=opt_str(obj, "thumbnail_url", path),
        gif_url=opt_str(obj, "gif_url", path),
        captioned_video_url=opt_str(obj, "captioned_video_url", path),
        subtitle_url=opt_str(obj, "subtitle_url", path),
        duration=opt_float(obj, "duration", path),
        folder_id=opt_str(obj, "folder_id", path),
        output_language=opt_label(obj, "output_language", path),
        failure_code=opt_str(obj, "failure_code", path),
        failure_message=opt_str(obj, "failure_message", path),
        video_page_url=opt_str(obj, "video_page_url", path),
    )


@dataclass(frozen=True, slots=True)
class VideoDeleted:
    """The answer to a video's delete."""

    id: str
    deleted: bool


def parse_video_deleted(value: object, path: str = "data") -> VideoDeleted:
    """`{"id": ..., "deleted": true}`: a video delete is permanent (contract §8)."""
    obj = as_object(value, path)
    return VideoDeleted(id=req_str(obj, "id", path), deleted=opt_bool(obj, "deleted", path, True))
