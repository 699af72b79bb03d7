"""What the dashboard needs to know about each resource kind, asked by every pane, filter, sort and poller."""

from __future__ import annotations

import enum
from typing import TypeAlias

from hfdash.models import Clip, ClipJob, Render, Session, SessionSummary, StatusEnum, Video

Item: TypeAlias = Render | ClipJob | Session | SessionSummary | Video | Clip


class Category(enum.Enum):
    """The state groups a user triages by, each with its own colour and symbol, declared in triage
    order (what needs attention first), which the status sort follows."""

    FAILED = "failed"
    UNKNOWN = "unknown"
    IN_FLIGHT = "in flight"
    WAITING = "waiting"
    # A session seen only in the list, whose status is not fetched yet (contract §5).
    LOADING = "loading"
    CANCELLED = "cancelled"
    COMPLETED = "completed"

    # Members are singletons: hashed by identity, in C, rather than by name in Python, as every
    # item loaded is counted and ranked by its category.
    __hash__ = object.__hash__


# Every kind's statuses by the API's name for them: no name means one thing for one kind and
# another for another (RenderStatus, ClipJobStatus, ClipStatus, SessionStatus, VideoStatus).
_BY_NAME = {
    **dict.fromkeys(
        ("queued", "rendering", "pending", "running", "thinking", "generating", "processing"),
        Category.IN_FLIGHT,
    ),
    **dict.fromkeys(("waiting_for_input", "reviewing"), Category.WAITING),
    "completed": Category.COMPLETED,
    "failed": Category.FAILED,
    "cancelled": Category.CANCELLED,
}
_TERMINAL = frozenset({Category.COMPLETED, Category.FAILED, Category.CANCELLED})
# The same by enum member, filled as members are met: a member is hashed once per lookup, its
# name read once per member.
_BY_STATUS: dict[StatusEnum, Category] = {}


def category(item: Item) -> Category:
    status = item.status
    if status is None:
        return Category.LOADING
    found = _BY_STATUS.get(status)
    if found is None:
        found = _BY_STATUS[status] = _BY_NAME.get(status.value, Category.UNKNOWN)
    # heygen-cli treats a video status `error` as failed although the enum lacks it (contract §11.12).
    if found is Category.UNKNOWN and item.status_raw == "error" and isinstance(item, Video):
        return Category.FAILED
    return found


def needs_poll(item: Item) -> bool:
    """In flight, waiting on the user, never fetched, or in a state this client does not know yet."""
    return category(item) not in _TERMINAL


def created_at(item: Item) -> int:
    return item.created_at or 0


def failure_message(item: Item) -> str:
    return item.failure_message or ""


def duration(item: Item) -> float:
    return item.duration or 0.0


def search_text(item: Item) -> str:
    """What `/` matches against: id, title and failure message, case-folded once."""
    return f"{item.id}\n{item.title or ''}\n{item.failure_message or ''}".casefold()
