"""AI Clipping jobs and the clips they produce (contract §5-6)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from hfdash.models._parse import (
    StatusEnum,
    as_object,
    opt_float,
    opt_int,
    opt_items,
    opt_label,
    opt_str,
    progress,
    req_str,
    status,
)


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


CLIP_JOB_TERMINAL = frozenset({ClipJobStatus.COMPLETED, ClipJobStatus.FAILED, ClipJobStatus.CANCELLED})


@dataclass(frozen=True, slots=True)
class Clip:
    """One clip an AI Clipping job cut."""

    # The API dates the job, not its clips.
    created_at: ClassVar[None] = None

    id: str
    status: ClipStatus
    status_raw: str
    title: str | None = None
    duration_seconds: float | None = None
    aspect_ratio: str | None = None
    virality_score: int | None = None
    thumbnail_url: str | None = None
    video_url: str | None = None
    failure_message: str | None = None

    @property
    def duration(self) -> float | None:
        return self.duration_seconds


@dataclass(frozen=True, slots=True)
class ClipJob:
    """An AI Clipping job and the clips it has cut so far."""

    id: str
    status: ClipJobStatus
    status_raw: str
    title: str | None = None
    input_language: str | None = None
    source_duration: float | None = None
    clips: tuple[Clip, ...] = ()
    # The list endpoint reports 0 until completion, then 100; only GET is granular (contract §5).
    progress: int = 0
    callback_id: str | None = None
    created_at: int | None = None
    failure_message: str | None = None

    @property
    def is_terminal(self) -> bool:
        return self.status in CLIP_JOB_TERMINAL

    @property
    def duration(self) -> float | None:
        """The length of the video the job cuts clips from."""
        return self.source_duration

    @property
    def clips_done(self) -> int:
        return sum(1 for clip in self.clips if clip.status is ClipStatus.COMPLETED)


def parse_clip(value: object, path: str) -> Clip:
    obj = as_object(value, path)
    parsed_status, raw = status(obj, "status", path, ClipStatus)
    return Clip(
        id=req_str(obj, "id", path),
        status=parsed_status,
        status_raw=raw,
        title=opt_str(obj, "title", path),
        duration_seconds=opt_float(obj, "duration_seconds", path),
        aspect_ratio=opt_label(obj, "aspect_ratio", path),
        virality_score=opt_int(obj, "virality_score", path),
        thumbnail_url=opt_str(obj, "thumbnail_url", path),
        video_url=opt_str(obj, "video_url", path),
        failure_message=opt_str(obj, "failure_message", path),
    )


def parse_clip_job(value: object, path: str = "data") -> ClipJob:
    obj = as_object(value, path)
    parsed_status, raw = status(obj, "status", path, ClipJobStatus)
    clips = opt_items(obj, "clips", path, parse_clip)
    return ClipJob(
        id=req_str(obj, "id", path),
        status=parsed_status,
        status_raw=raw,
        title=opt_str(obj, "title", path),
        input_language=opt_label(obj, "input_language", path),
        source_duration=opt_float(obj, "source_duration", path),
        clips=clips,
        progress=progress(obj, "progress", path),
        callback_id=opt_str(obj, "callback_id", path),
        created_at=opt_int(obj, "created_at", path),
        failure_message=opt_str(obj, "failure_message", path),
    )


def parse_clip_job_deleted(value: object, path: str = "data") -> str:
    """The id a clip job delete confirms: `{"id": ...}` (contract §8)."""
    return req_str(as_object(value, path), "id", path)
