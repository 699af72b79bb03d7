"""Video Agent sessions and the videos they produce (contract §5-6)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from hfdash.models.parse import Label, Percent, RawStatus, StatusEnum, items, opt_bool, parser, status_of


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
    role: Label
    content: str
    type: Label
    created_at: int | None = None
    resource_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Session:
    """A Video Agent session as read by its id: status, progress and the video it made."""

    session_id: str
    status: SessionStatus
    status_raw: RawStatus
    created_at: int
    title: str | None = None
    video_id: str | None = None
    progress: Percent = 0
    messages: tuple[AgentMessage, ...] = ()

    @property
    def id(self) -> str:
        return self.session_id

    # A session has no length of its own; its video has.
    duration: ClassVar[None] = None

    @property
    def failure_message(self) -> str | None:
        """A session has no failure field: the API reports why as its message of type error."""
        return next((message.content for message in self.messages if message.type == "error"), None)


@dataclass(frozen=True, slots=True)
class Video:
    id: str
    status: VideoStatus
    status_raw: RawStatus
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
    output_language: Label | None = None
    failure_code: str | None = None
    failure_message: str | None = None
    video_page_url: str | None = None


@dataclass(frozen=True, slots=True)
class VideoDeleted:
    """The answer to a video's delete: `{"id": ..., "deleted": true}`, permanent (contract §8)."""

    id: str
    deleted: bool


parse_session_summary = parser(SessionSummary)
parse_session = parser(Session, status=status_of(SessionStatus), messages=items(parser(AgentMessage)))
parse_video = parser(Video, status=status_of(VideoStatus))
parse_video_deleted = parser(VideoDeleted, deleted=partial(opt_bool, default=True))
