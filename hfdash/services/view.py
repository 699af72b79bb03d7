"""Which items a pane shows, in which order: the status filter, the text filter and the sort."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from hfdash.services.kinds import Category, Item, category, created_at, duration, search_text

T = TypeVar("T", bound=Item)

STATUS_FILTERS = ("all", "in flight", "failed", "completed")
SORTS = ("created", "status", "duration")

_FILTER_CATEGORIES: dict[str, frozenset[Category]] = {
    "in flight": frozenset({Category.IN_FLIGHT, Category.WAITING, Category.LOADING}),
    "failed": frozenset({Category.FAILED}),
    "completed": frozenset({Category.COMPLETED}),
}
# Triage order: what needs attention first.
_STATUS_RANK = {
    Category.FAILED: 0,
    Category.UNKNOWN: 1,
    Category.IN_FLIGHT: 2,
    Category.WAITING: 3,
    Category.LOADING: 4,
    Category.CANCELLED: 5,
    Category.COMPLETED: 6,
}


@dataclass(frozen=True, slots=True)
class ViewSpec:
    status_filter: str = "all"
    text: str = ""
    sort: str = "created"

    @property
    def is_default(self) -> bool:
        return self.status_filter == "all" and not self.text and self.sort == "created"


def next_in(options: tuple[str, ...], current: str) -> str:
    return options[(options.index(current) + 1) % len(options)]


def apply_view(items: Iterable[T], spec: ViewSpec) -> list[T]:
    """Items arrive newest first; every sort is stable, so ties stay newest first."""
    chosen = list(items)
    wanted = _FILTER_CATEGORIES.get(spec.status_filter)
    if wanted is not None:
        chosen = [item for item in chosen if category(item) in wanted]
    needle = spec.text.strip().casefold()
    if needle:
        chosen = [item for item in chosen if needle in search_text(item)]
    if spec.sort == "status":
        chosen.sort(key=lambda item: _STATUS_RANK[category(item)])
    elif spec.sort == "duration":
        chosen.sort(key=lambda item: -duration(item))
    elif spec.sort == "created":
        chosen.sort(key=lambda item: -created_at(item))
    return chosen
