"""Actions on one item by id: fresh presigned URLs and deletes, per resource kind."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from hfdash.api.client import HeyGenClient
from hfdash.api.errors import NotFoundError
from hfdash.models import Clip, ClipJob, Render, Session, SessionSummary, Video
from hfdash.services.kinds import Item


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


_PLANS = {
    Render: DeletePlan(
        "render", "The render is soft-deleted: it leaves every list and its signed URL stops working."
    ),
    ClipJob: DeletePlan("AI Clipping job", "The job and all its clips are soft-deleted."),
    Video: DeletePlan("video", "The video and its files are deleted PERMANENTLY. This cannot be undone."),
}


def delete_plan(item: Item) -> DeletePlan | None:
    """None when the API offers no delete for this kind (sessions, single clips)."""
    return _PLANS.get(type(item))


async def delete_item(client: HeyGenClient, item: Item) -> DeleteOutcome:
    """Deletes exactly `item`; a 404 (by status, never by code) means someone deleted it already."""
    deletes: dict[type, Callable[[str], Awaitable[object]]] = {
        Render: client.renders.delete,
        ClipJob: client.clip_jobs.delete,
        Video: client.videos.delete,
    }
    try:
        await deletes[type(item)](item.id)
    except NotFoundError:
        return DeleteOutcome.ALREADY_GONE
    return DeleteOutcome.DELETED


async def refetch(client: HeyGenClient, item: Item, parent: ClipJob | None = None) -> Item:
    """The item read again by id, with fresh presigned URLs; a clip is re-read through its job."""
    gets: dict[type, Callable[[str], Awaitable[Item]]] = {
        Render: client.renders.get,
        ClipJob: client.clip_jobs.get,
        Session: client.sessions.get,
        SessionSummary: client.sessions.get,
        Video: client.videos.get,
    }
    if not isinstance(item, Clip):
        return await gets[type(item)](item.id)
    if parent is None:
        raise TypeError("a clip is re-read through its job")
    found = next((clip for clip in (await client.clip_jobs.get(parent.id)).clips if clip.id == item.id), None)
    if found is None:
        raise ClipGone(f"clip {item.id} is no longer part of job {parent.id}")
    return found


async def fresh_video_url(client: HeyGenClient, item: Item, parent: ClipJob | None = None) -> str | None:
    """A just-minted URL of the item's main video file, or None when it has none yet."""
    if isinstance(item, Session | SessionSummary):
        session = await client.sessions.get(item.id)
        return None if session.video_id is None else (await client.videos.get(session.video_id)).video_url
    fresh = await refetch(client, item, parent)
    return fresh.video_url if isinstance(fresh, Render | Video | Clip) else None
