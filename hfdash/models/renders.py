"""HyperFrames cloud renders (contract §6: queued → rendering → completed | failed)."""

from __future__ import annotations

from dataclasses import dataclass

from hfdash.models._parse import (
    StatusEnum,
    as_object,
    opt_float,
    opt_int,
    opt_str,
    req_str,
    status,
)


class RenderStatus(StatusEnum):
    QUEUED = "queued"
    RENDERING = "rendering"
    COMPLETED = "completed"
    FAILED = "failed"
    UNKNOWN = "unknown"


RENDER_TERMINAL = frozenset({RenderStatus.COMPLETED, RenderStatus.FAILED})


@dataclass(frozen=True, slots=True)
class Render:
    render_id: str
    status: RenderStatus
    status_raw: str
    format: str
    title: str | None = None
    callback_id: str | None = None
    video_url: str | None = None
    thumbnail_url: str | None = None
    duration: float | None = None
    fps: int | None = None
    quality: str | None = None
    resolution: str | None = None
    aspect_ratio: str | None = None
    composition: str | None = None
    created_at: int | None = None
    completed_at: int | None = None
    failure_message: str | None = None

    @property
    def id(self) -> str:
        return self.render_id

    @property
    def is_terminal(self) -> bool:
        return self.status in RENDER_TERMINAL


def parse_render(value: object, path: str = "data") -> Render:
    obj = as_object(value, path)
    parsed_status, raw = status(obj, "status", path, RenderStatus)
    return Render(
        render_id=req_str(obj, "render_id", path),
        status=parsed_status,
        status_raw=raw,
        format=req_str(obj, "format", path),
        title=opt_str(obj, "title", path),
        callback_id=opt_str(obj, "callback_id", path),
        video_url=opt_str(obj, "video_url", path),
        thumbnail_url=opt_str(obj, "thumbnail_url", path),
        duration=opt_float(obj, "duration", path),
        fps=opt_int(obj, "fps", path),
        quality=opt_str(obj, "quality", path),
        resolution=opt_str(obj, "resolution", path),
        aspect_ratio=opt_str(obj, "aspect_ratio", path),
        composition=opt_str(obj, "composition", path),
        created_at=opt_int(obj, "created_at", path),
        completed_at=opt_int(obj, "completed_at", path),
        failure_message=opt_str(obj, "failure_message", path),
    )


def parse_render_deleted(value: object, path: str = "data") -> str:
    """The id a render delete confirms: `{"render_id": ...}` (contract §8)."""
    return req_str(as_object(value, path), "render_id", path)
