"""Actions on one item by id: fresh presigned URLs and deletes, per resource kind."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hfdash import models
from hfdash.api.client import HeyGenClient
from hfdash.api.errors import NotFoundError
from hfdash.models import Render
from hfdash.services.kinds import Item

if TYPE_CHECKING:
    from hfdash.models import ClipJob


class ClipGone(LookupError):
    """A clip that its job, read again, no longer lists."""


class DeleteOutcome(enum.Enum):
    DELETED = "deleted"
    ALREADY_GONE = "already gone"


@dataclass(frozen=True, slots=True)
class DeletePlan:
    """What the confirmation says before anything is sent (contract §8)."""

    kind_label: str
    effect: str


def delete_plan(item: Item) -> DeletePlan | None:
    """None when the API offers no delete for this kind (sessions, single clips)."""
    if isinstance(item, Render):
        return DeletePlan(
            "render", "The render is soft-deleted: it leaves every list and its signed URL stops working."
        )
    if isinstance(item, models.ClipJob):
        return DeletePlan("AI Clipping job", "The job and all its clips are soft-deleted.")
    if isinstance(item, models.Video):
        return DeletePlan("video", "The video and its files are deleted PERMANENTLY. This cannot be undone.")
    return None


async def delete_item(client: HeyGenClient, item: Item) -> DeleteOutcome:
    """Deletes exactly `item`; a 404 (by status, never by code) means someone deleted it already."""
    try:
        if isinstance(item, Render):
            await client.renders.delete(item.render_id)
        elif isinstance(item, models.ClipJob):
            await client.clip_jobs.delete(item.id)
        elif isinstance(item, models.Video):
            await client.videos.delete(item.id)
        else:
            raise TypeError(f"no delete for {type(item).__name__}")
    except NotFoundError:
        return DeleteOutcome.ALREADY_GONE
    return DeleteOutcome.DELETED


async def refetch(client: HeyGenClient, item: Item, parent: ClipJob | None = None) -> Item:
    """The item read again by id, with fresh presigned URLs."""
    if isinstance(item, Render):
        return await client.renders.get(item.render_id)
    if isinstance(item, models.ClipJob):
        return await client.clip_jobs.get(item.id)
    if isinstance(item, models.Session | models.SessionSummary):
        return await client.sessions.get(item.session_id)
    if isinstance(item, models.Video):
        return await client.videos.get(item.id)
    if parent is None:
        raise TypeError("a clip is re-read through its job")
    job = await client.clip_jobs.get(parent.id)
    for clip in job.clips:
        if clip.id == item.id:
            return clip
    raise ClipGone(f"clip {item.id} is no longer part of job {parent.id}")


async def fresh_video_url(client: HeyGenClient, item: Item, parent: ClipJob | None = None) -> str | None:
    """A just-minted URL of the item's main video file, or None when it has none yet."""
    if isinstance(item, models.Session | models.SessionSummary):
        session = await client.sessions.get(item.session_id)
        if session.video_id is None:
            return None
        return (await client.videos.get(session.video_id)).video_url
    fresh = await refetch(client, item, parent)
    if isinstance(fresh, Render | models.Video | models.Clip):
        return fresh.video_url
    return None
