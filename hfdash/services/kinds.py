"""What the dashboard needs to know about each resource kind, in one place.

Every pane, filter, sort and poller asks these questions of an item; answering
them here keeps the per-kind differences out of the generic code.
"""

from __future__ import annotations

import enum

from hfdash.models import (
    Clip,
    ClipJob,
    ClipJobStatus,
    ClipStatus,
    Render,
    RenderStatus,
    Session,
    SessionStatus,
    SessionSummary,
    Video,
    VideoStatus,
)

Item = Render | ClipJob | Session | SessionSummary | Video | Clip


class Category(enum.Enum):
    """The state groups a user triages by; each has its own colour and symbol."""

    IN_FLIGHT = "in flight"
    WAITING = "waiting"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"
    # A session seen only in the list, whose status is not fetched yet (contract §5).
    LOADING = "loading"


_IN_FLIGHT = {
    RenderStatus.QUEUED,
    RenderStatus.RENDERING,
    ClipJobStatus.PENDING,
    ClipJobStatus.RUNNING,
    ClipStatus.PENDING,
    SessionStatus.THINKING,
    SessionStatus.GENERATING,
    VideoStatus.PENDING,
    VideoStatus.PROCESSING,
}
_WAITING = {SessionStatus.WAITING_FOR_INPUT, SessionStatus.REVIEWING}
_COMPLETED = {
    RenderStatus.COMPLETED,
    ClipJobStatus.COMPLETED,
    ClipStatus.COMPLETED,
    SessionStatus.COMPLETED,
    VideoStatus.COMPLETED,
}
_FAILED = {
    RenderStatus.FAILED,
    ClipJobStatus.FAILED,
    ClipStatus.FAILED,
    SessionStatus.FAILED,
    VideoStatus.FAILED,
}


def item_id(item: Item) -> str:
    if isinstance(item, Render):
        return item.render_id
    if isinstance(item, Session | SessionSummary):
        return item.session_id
    return item.id


def category(item: Item) -> Category:
    if isinstance(item, SessionSummary):
        return Category.LOADING
    status = item.status
    if status in _IN_FLIGHT:
        return Category.IN_FLIGHT
    if status in _WAITING:
        return Category.WAITING
    if status in _COMPLETED:
        return Category.COMPLETED
    if status in _FAILED:
        return Category.FAILED
    if status is ClipJobStatus.CANCELLED:
        return Category.CANCELLED
    # heygen-cli treats a video status `error` as failed although the enum lacks it (contract §11.12).
    if isinstance(item, Video) and item.status_raw == "error":
        return Category.FAILED
    return Category.UNKNOWN


def is_terminal(item: Item) -> bool:
    return category(item) in (Category.COMPLETED, Category.FAILED, Category.CANCELLED)


def needs_poll(item: Item) -> bool:
    """In flight, waiting on the user, never fetched, or in a state this client does not know yet."""
    return not is_terminal(item)


def status_raw(item: Item) -> str:
    return "" if isinstance(item, SessionSummary) else item.status_raw


def created_at(item: Item) -> int:
    value = None if isinstance(item, Clip) else item.created_at
    return value if value is not None else 0


def title(item: Item) -> str:
    return item.title or ""


def failure_message(item: Item) -> str:
    if isinstance(item, SessionSummary):
        return ""
    if isinstance(item, Session):
        # A session has no failure field; the API reports why as its newest message of type error.
        return next((m.content for m in item.messages if m.type == "error"), "")
    return item.failure_message or ""


def duration(item: Item) -> float:
    if isinstance(item, Render | Video):
        return item.duration or 0.0
    if isinstance(item, ClipJob):
        return item.source_duration or 0.0
    if isinstance(item, Clip):
        return item.duration_seconds or 0.0
    return 0.0


def search_text(item: Item) -> str:
    """What `/` matches against: id, title and failure message, case-folded once."""
    return f"{item_id(item)}\n{title(item)}\n{failure_message(item)}".casefold()
