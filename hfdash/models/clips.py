"""AI Clipping jobs and the clips they produce (contract §5-6)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from hfdash.models.parse import Label, Percent, RawStatus, StatusEnum, confirmed_id, items, parser, status_of


class ClipJobStatus(StatusEnum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"


class ClipStatus(StatusEnum):
    PENDING = "pending"
    COMPLETED = "completed"
    FAILED = "failed"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Clip:
    # The API dates the job, not its clips.
    created_at: ClassVar[None] = None

    id: str
    status: ClipStatus
    status_raw: RawStatus
    title: str | None = None
    duration_seconds: float | None = None
    aspect_ratio: Label | None = None
    virality_score: int | None = None
    thumbnail_url: str | None = None
    video_url: str | None = None
    failure_message: str | None = None

    @property
    def duration(self) -> float | None:
        return self.duration_seconds


@dataclass(frozen=True, slots=True)
class ClipJob:
    id: str
    status: ClipJobStatus
    status_raw: RawStatus
    title: str | None = None
    input_language: Label | None = None
    source_duration: float | None = None
    clips: tuple[Clip, ...] = ()
    # The list endpoint reports 0 until completion, then 100; only GET is granular (contract §5).
    progress: Percent = 0
    callback_id: str | None = None
    created_at: int | None = None
    failure_message: str | None = None

    @property
    def duration(self) -> float | None:
        """The length of the video the job cuts clips from."""
        return self.source_duration

    @property
    def clips_done(self) -> int:
        return sum(1 for clip in self.clips if clip.status is ClipStatus.COMPLETED)


_parse_clip = parser(Clip, status=status_of(ClipStatus))
parse_clip_job = parser(ClipJob, status=status_of(ClipJobStatus), clips=items(_parse_clip))
# A clip job delete answers `{"id": ...}` (contract §8).
parse_clip_job_deleted = confirmed_id("id")
