"""HyperFrames cloud renders (contract §6: queued → rendering → completed | failed)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from hfdash.models._parse import (
    StatusEnum,
    as_object,
    opt_float,
    opt_int,
    opt_label,
    opt_str,
    req_label,
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
    """A HyperFrames cloud render."""

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


# What a listed render holds in place of each presigned URL it was listed with: see parse_listed_render.
LISTED_URL = "(listed; GET the render for a fresh URL)"


def parse_render(value: object, path: str = "data") -> Render:
    """A render as GET returns it, with its presigned URLs."""
    return _parse_render(value, path, opt_str)


def parse_listed_render(value: object, path: str = "data") -> Render:
    """A render as a list page carries it: whether it has URLs, not the URLs themselves.

    A presigned URL expires within minutes, so copy and download GET the render for a fresh one
    and never read a listed one. Kept, a listed render's two URLs would outweigh everything else
    it holds, times every render loaded; the detail view still shows which ones are present.
    """
    return _parse_render(value, path, _listed_url)


_UrlReader = Callable[[Mapping[str, Any], str, str], str | None]


def _listed_url(obj: Mapping[str, Any], key: str, path: str) -> str | None:
    value = opt_str(obj, key, path)
    return LISTED_URL if value else value


def _parse_render(value: object, path: str, url: _UrlReader) -> Render:
    obj = as_object(value, path)
    parsed_status, raw = status(obj, "status", path, RenderStatus)
    return Render(
        render_id=req_str(obj, "render_id", path),
        status=parsed_status,
        status_raw=raw,
        format=req_label(obj, "format", path),
        title=opt_str(obj, "title", path),
        callback_id=opt_str(obj, "callback_id", path),
        video_url=url(obj, "video_url", path),
        thumbnail_url=url(obj, "thumbnail_url", path),
        duration=opt_float(obj, "duration", path),
        fps=opt_int(obj, "fps", path),
        quality=opt_label(obj, "quality", path),
        resolution=opt_label(obj, "resolution", path),
        aspect_ratio=opt_label(obj, "aspect_ratio", path),
        composition=opt_label(obj, "composition", path),
        created_at=opt_int(obj, "created_at", path),
        completed_at=opt_int(obj, "completed_at", path),
        failure_message=opt_str(obj, "failure_message", path),
    )


def parse_render_deleted(value: object, path: str = "data") -> str:
    """The id a render delete confirms: `{"render_id": ...}` (contract §8)."""
    return req_str(as_object(value, path), "render_id", path)
