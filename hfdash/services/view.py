"""Which items a pane shows, in which order: the status filter, the text filter and the sort."""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Final, TypeVar

from hfdash.models import Render, RenderStatus
from hfdash.services.kinds import Category, Item, category, created_at, duration, item_id, search_text

T = TypeVar("T", bound=Item)

STATUS_FILTERS = ("all", "in flight", "failed", "completed")
SORTS = ("created", "status", "duration")

# Triage order: what needs attention first. A category is kept as its place here.
_BY_RANK = (
    Category.FAILED,
    Category.UNKNOWN,
    Category.IN_FLIGHT,
    Category.WAITING,
    Category.LOADING,
    Category.CANCELLED,
    Category.COMPLETED,
)
_STATUS_RANK = {found: rank for rank, found in enumerate(_BY_RANK)}
_FILTER_RANKS: dict[str, frozenset[int]] = {
    name: frozenset(_STATUS_RANK[found] for found in wanted)
    for name, wanted in (
        ("in flight", (Category.IN_FLIGHT, Category.WAITING, Category.LOADING)),
        ("failed", (Category.FAILED,)),
        ("completed", (Category.COMPLETED,)),
    )
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


# What filtering and sorting ask of an item, worked out once per item rather than per keystroke:
# its id, its search text, its category (as its place in the status sort), when it was created
# and its duration. A plain tuple of strings and numbers, which the garbage collector stops
# tracking, so a hundred thousand of them add nothing to its full collections' pauses (a named
# tuple, or a category object inside, would keep every one of them tracked).
Facts = tuple[str, str, int, int, float]
_RANK: Final = 2
# Needles whose results are kept per view: enough to erase a word back to where it began.
_RESULTS_KEPT = 12


def category_of(facts: Facts) -> Category:
    return _BY_RANK[facts[_RANK]]


def facts_of(item: Item) -> Facts:
    if type(item) is Render:
        # Renders are the kind counted in hundreds of thousands: the same facts as below, without
        # the generic accessors' type tests, which cost as much again as the facts themselves.
        key = item.render_id
        search = f"{key}\n{item.title or ''}\n{item.failure_message or ''}".casefold()
        rank = _RENDER_RANK.get(item.status)
        if rank is None:
            rank = _RENDER_RANK[item.status] = _STATUS_RANK[category(item)]
        return (key, search, rank, item.created_at or 0, item.duration or 0.0)
    return (item_id(item), search_text(item), _STATUS_RANK[category(item)], created_at(item), duration(item))


# A render's category follows from its status alone.
_RENDER_RANK: dict[RenderStatus, int] = {}


# What each sort orders by, largest first or not. Python's sort is stable (with reverse too), so
# ties keep the store's order: newest first.
_SORT_KEYS: dict[str, tuple[itemgetter[Any], bool]] = {
    "status": (itemgetter(_RANK), False),
    "duration": (itemgetter(4), True),
    "created": (itemgetter(3), True),
}


def _sorted(rows: list[Facts], sort: str) -> list[Facts]:
    """`rows` (newest first) in the order of `sort`. The keys are read straight off the tuples:
    at a hundred thousand rows a key function doing lookups costs several times the sort."""
    key, descending = _SORT_KEYS[sort]
    return sorted(rows, key=key, reverse=descending)


class PaneView:
    """One pane's items seen through filters and sorts, kept current as the items change.

    Facts are worked out as items arrive, a few at a time, so no keystroke pays for every item
    at once. The order of each sort is kept until an item is added, removed or changes what it
    sorts by; a text filter that extends the previous one narrows the previous result.
    """

    def __init__(self) -> None:
        self.facts: dict[str, Facts] = {}
        self.counts: Counter[Category] = Counter()
        # Bumped whenever any item's facts change; results computed at an older version are redone.
        self._version = 0
        # Bumped when an item is added or removed or changes what it sorts by: orders are redone.
        self._order_version = 0
        # Per sort: the order version and version it was made at, and its items' facts in its order.
        self._orders: dict[str, tuple[int, int, list[Facts]]] = {}
        # Per needle ("" for none), what it showed in the view below, most recent last: a longer
        # needle narrows the result of one it contains, and erasing back finds its result here.
        self._results: OrderedDict[str, tuple[list[Facts], list[str]]] = OrderedDict()
        self._results_view: tuple[int, str, str] | None = None

    def sync(self, items: Mapping[str, Item]) -> None:
        """Facts for every item, when the items were filled without their changes passing through here."""
        if len(self.facts) == len(items):
            return
        self.facts = {key: facts_of(item) for key, item in items.items()}
        self.counts = Counter(_BY_RANK[facts[_RANK]] for facts in self.facts.values())
        self._version += 1
        self._order_version += 1

    def apply(self, items: Mapping[str, Item], keys: Iterable[str]) -> None:
        """`keys` were added, updated or removed in `items`."""
        facts, counts = self.facts, self.counts
        changed = reordered = False
        for key in keys:
            old = facts.pop(key, None)
            item = items.get(key)
            new = None if item is None else facts_of(item)
            if old is not None:
                counts[_BY_RANK[old[_RANK]]] -= 1
            if new is not None:
                facts[key] = new
                counts[_BY_RANK[new[_RANK]]] += 1
            if old != new:
                changed = True
                # Only the id and search text changed: every sort's order still holds.
                reordered = reordered or old is None or new is None or old[2:] != new[2:]
        if changed:
            self._version += 1
        if reordered:
            self._order_version += 1

    def is_ordered(self, order: Sequence[str], sort: str) -> bool:
        """Whether `sort`'s order is ready, so showing it costs no sorting."""
        cached = self._orders.get(sort)
        return cached is not None and cached[0] == self._order_version and len(cached[2]) == len(order)

    def prepare(self, order: Sequence[str], sort: str) -> None:
        """Works out `sort`'s order ahead of a keystroke asking for it, e.g. while the user reads."""
        self._rows_for(order, sort)

    def _rows_for(self, order: Sequence[str], sort: str) -> list[Facts]:
        facts = self.facts
        cached = self._orders.get(sort)
        if self.is_ordered(order, sort):
            assert cached is not None
            if cached[1] == self._version:
                return cached[2]
            # The order holds; some items' facts (their search text) were replaced.
            rows = [facts[row[0]] for row in cached[2]]
        else:
            rows = _sorted([facts[key] for key in order], sort)
        self._orders[sort] = (self._order_version, self._version, rows)
        return rows

    def ids(self, order: Sequence[str], spec: ViewSpec) -> list[str]:
        """The ids of `order` (the store's, newest first) that `spec` shows, in its order.

        The list may be handed out again for the same view: callers must not change it.
        """
        needle = spec.text.strip().casefold()
        view = (self._version, spec.status_filter, spec.sort)
        if view != self._results_view:
            self._results.clear()
            self._results_view = view
        found = self._results.get(needle)
        if found is not None:
            # Typed before: backspace after a typo, or the same needle again.
            self._results.move_to_end(needle)
            return found[1]
        # A needle containing an earlier one can only match what the earlier one matched.
        narrower = [text for text in self._results if text in needle]
        if narrower:
            rows = self._results[max(narrower, key=len)][0]
        else:
            rows = self._rows_for(order, spec.sort)
            wanted = _FILTER_RANKS.get(spec.status_filter)
            if wanted is not None:
                rows = [row for row in rows if row[_RANK] in wanted]
        if needle:
            # Unpacked rather than read by name: this loop runs over every item on a keystroke.
            rows = [row for row in rows if needle in row[1]]
        ids = [row[0] for row in rows]
        self._results[needle] = (rows, ids)
        if len(self._results) > _RESULTS_KEPT:
            self._results.popitem(last=False)
        return ids


def view_ids(items: Sequence[Item], spec: ViewSpec) -> list[str]:
    """The ids of the items `spec` shows, in its order. Items arrive newest first; sorts are stable."""
    view = PaneView()
    by_id = {item_id(item): item for item in items}
    view.sync(by_id)
    return view.ids(list(by_id), spec)


def apply_view(items: Iterable[T], spec: ViewSpec) -> list[T]:
    """The items `spec` shows, in its order."""
    listed = list(items)
    by_id = {item_id(item): item for item in listed}
    return [by_id[key] for key in view_ids(listed, spec)]
