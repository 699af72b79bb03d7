"""HyperFrames cloud renders (contract §6: queued → rendering → completed | failed)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hfdash.models.parse import Label, RawStatus, StatusEnum, confirmed_id, opt_str, parser, status_of


class RenderStatus(StatusEnum):
    QUEUED = "queued"
    RENDERING = "rendering"
    COMPLETED = "completed"
    FAILED = "failed"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Render:
    render_id: str
    status: RenderStatus
    status_raw: RawStatus
    format: Label
    title: str | None = None
    callback_id: str | None = None
    video_url: str | None = None
    thumbnail_url: str | None = None
    duration: float | None = None
    fps: int | None = None
    quality: Label | None = None
    resolution: Label | None = None
    aspect_ratio: Label | None = None
    composition: Label | None = None
    created_at: int | None = None
    completed_at: int | None = None
    failure_message: str | None = None

    @property
    def id(self) -> str:
        return self.render_id


# What a listed render holds in place of each presigned URL it was listed with: see parse_listed_render.
LISTED_URL = "(listed; GET the render for a fresh URL)"


def _listed_url(obj: Mapping[str, Any], key: str, path: str) -> str | None:
    value = opt_str(obj, key, path)
    return LISTED_URL if value else value


# A render as GET returns it, with its presigned URLs.
parse_render = parser(Render, status=status_of(RenderStatus))
# A render as a list page carries it: whether it has URLs, not the URLs themselves. A presigned
# URL expires within minutes, so copy and download GET the render for a fresh one and never read a
# listed one. Kept, a listed render's two URLs would outweigh everything else it holds, times every
# render loaded; the detail view still shows which ones are present.
parse_listed_render = parser(
    Render, status=status_of(RenderStatus), video_url=_listed_url, thumbnail_url=_listed_url
)
# A render delete answers `{"render_id": ...}` (contract §8).
parse_render_deleted = confirmed_id("render_id")
