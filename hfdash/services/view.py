"""Which items a pane shows, in which order: the status filter, the text filter and the sort."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

from hfdash.services.kinds import Category, Item, category, created_at, duration, item_id, search_text

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


class Facts(NamedTuple):
    """What filtering and sorting ask of an item, worked out once per item rather than per keystroke."""

    id: str
    search: str
    category: Category
    created: int
    duration: float


class FactsCache:
    """Facts per item object. Items are frozen, so an item's facts never change; an update is a new object.

    Keyed by object identity, holding the object so an identity is never reused while cached.
    """

    def __init__(self) -> None:
        self._entries: dict[int, tuple[Item, Facts]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def of(self, item: Item) -> Facts:
        entry = self._entries.get(id(item))
        if entry is not None and entry[0] is item:
            return entry[1]
        return self._add(item)

    def of_all(self, items: Sequence[Item]) -> list[Facts]:
        # The loop is inlined because it runs over every item on every keystroke.
        get = self._entries.get
        found: list[Facts] = []
        append = found.append
        for item in items:
            entry = get(id(item))
            append(entry[1] if entry is not None and entry[0] is item else self._add(item))
        if len(self._entries) > 2 * len(items) + 64:
            # Replaced items would otherwise stay cached, and alive, for the life of the pane. The
            # slack is small: on a pane of a few sessions, a thousand stale ones (forty messages
            # each) held about 10 MB in the soak.
            self._entries = {id(item): (item, facts) for item, facts in zip(items, found, strict=True)}
        return found

    def _add(self, item: Item) -> Facts:
        facts = Facts(item_id(item), search_text(item), category(item), created_at(item), duration(item))
        self._entries[id(item)] = (item, facts)
        return facts


def view_ids(items: Sequence[Item], spec: ViewSpec, cache: FactsCache | None = None) -> list[str]:
    """The ids of the items `spec` shows, in its order. Items arrive newest first; sorts are stable."""
    chosen = (cache if cache is not None else FactsCache()).of_all(items)
    wanted = _FILTER_CATEGORIES.get(spec.status_filter)
    if wanted is not None:
        chosen = [facts for facts in chosen if facts.category in wanted]
    needle = spec.text.strip().casefold()
    if needle:
        chosen = [facts for facts in chosen if needle in facts.search]
    if spec.sort == "status":
        rank = _STATUS_RANK
        chosen.sort(key=lambda facts: rank[facts.category])
    elif spec.sort == "duration":
        chosen.sort(key=lambda facts: -facts.duration)
    elif spec.sort == "created":
        chosen.sort(key=lambda facts: -facts.created)
    return [facts.id for facts in chosen]


def apply_view(items: Iterable[T], spec: ViewSpec, cache: FactsCache | None = None) -> list[T]:
    """The items `spec` shows, in its order."""
    listed = list(items)
    by_id = {item_id(item): item for item in listed}
    return [by_id[key] for key in view_ids(listed, spec, cache)]
