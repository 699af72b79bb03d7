"""Which items a pane shows, in which order: the status filter, the text filter and the sort."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from operator import itemgetter
from typing import Final

from hfdash.services.failures import failure_key
from hfdash.services.kinds import Category, Item, category, created_at, duration, search_text

STATUS_FILTERS = ("all", "in flight", "failed", "completed")
SORTS = ("created", "status", "duration")

# A category is kept as its place in triage order.
_BY_RANK = tuple(Category)
_STATUS_RANK = {found: rank for rank, found in enumerate(_BY_RANK)}
_FILTER_RANKS = {
    "in flight": frozenset(
        _STATUS_RANK[found] for found in (Category.IN_FLIGHT, Category.WAITING, Category.LOADING)
    ),
    "failed": frozenset({_STATUS_RANK[Category.FAILED]}),
    "completed": frozenset({_STATUS_RANK[Category.COMPLETED]}),
}


@dataclass(frozen=True, slots=True)
class ViewSpec:
    """What a pane shows: its status and text filters, its sort and direction, a failure group's key."""

    status_filter: str = "all"
    text: str = ""
    sort: str = "created"
    reverse: bool = False
    group: str = ""

    @property
    def is_default(self) -> bool:
        return self == ViewSpec()

    @property
    def descending(self) -> bool:
        """Whether the rows run largest first (newest, longest; for status, completed first)."""
        return _SORT_KEYS[self.sort][1] != self.reverse


def next_in(options: tuple[str, ...], current: str) -> str:
    return options[(options.index(current) + 1) % len(options)]


# What filtering and sorting ask of an item, worked out once as it arrives rather than per
# keystroke: its id, its search text, its category (as its place in the status sort), when it
# was created, its duration and, failed, its failure group's key.
Facts = tuple[str, str, int, int, float, str]
_RANK: Final = 2
_GROUP: Final = 5
_FAILED_RANK: Final = _STATUS_RANK[Category.FAILED]
# Per sort: which fact it orders by, and whether largest first. Python's sort is stable (with
# reverse too), so ties keep the store's order: newest first.
_SORT_KEYS = {"status": (_RANK, False), "created": (3, True), "duration": (4, True)}
# Searches kept per view: enough to erase a word back to where it began.
_NEEDLES_KEPT = 12


def category_of(facts: Facts) -> Category:
    return _BY_RANK[facts[_RANK]]


def facts_of(item: Item) -> Facts:
    rank = _STATUS_RANK[category(item)]
    group = failure_key(item) if rank == _FAILED_RANK else ""
    return (item.id, search_text(item), rank, created_at(item), duration(item), group)


# Compared as itself: two orders are the same only when they are one.
@dataclass(slots=True, eq=False)
class _Order:
    """One sort's order of the items, as columns a keystroke reads straight through."""

    order_version: int
    version: int
    ids: list[str]
    ranks: list[int]
    texts: list[str]


class PaneView:
    """One pane's items seen through filters and sorts, kept current as the items change. Each sort's
    order is kept until an item is added, removed or changes what it sorts by, so a keystroke of the
    text filter only reads: at a hundred thousand rows, sorting is most of what a filter would cost.
    A needle typed on from an earlier one looks only at what that one found."""

    def __init__(self) -> None:
        self.facts: dict[str, Facts] = {}
        self.counts: Counter[Category] = Counter()
        # Bumped whenever an item changes: search texts, and what else is worked out from the
        # items, are out of date.
        self.version = 0
        # Bumped when an item is added or removed or changes what it sorts by: orders are redone.
        self._order_version = 0
        # Per sort and direction; a reversed one is read backwards from the forward one.
        self._orders: dict[tuple[str, bool], _Order] = {}
        # What each needle typed over one view found, as positions and ids, the latest last.
        self._found_view: tuple[_Order, int, str] | None = None
        self._found: dict[str, tuple[list[int], list[str]]] = {}

    def sync(self, items: Mapping[str, Item]) -> None:
        """Facts for every item, when the items were filled without their changes passing through here."""
        if len(self.facts) != len(items):
            self.facts = {key: facts_of(item) for key, item in items.items()}
            self.counts = Counter(category_of(facts) for facts in self.facts.values())
            self.version += 1
            self._order_version += 1

    def apply(self, items: Mapping[str, Item], keys: Iterable[str]) -> None:
        """`keys` were added, updated or removed in `items`."""
        facts, counts = self.facts, self.counts
        changed = moved = False
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
                # A change of search text or failure alone moves no row.
                moved = moved or old is None or new is None or old[2:5] != new[2:5]
        self.version += changed
        self._order_version += moved

    def failed(self) -> list[str]:
        """The ids of the failed items: what failure groups are made of, found without the items."""
        return [key for key, facts in self.facts.items() if facts[_RANK] == _FAILED_RANK]

    def is_ordered(self, order: Sequence[str], sort: str, reverse: bool = False) -> bool:
        """Whether `sort`'s order is ready, so showing it costs no sorting."""
        kept = self._orders.get((sort, reverse))
        return kept is not None and kept.order_version == self._order_version and len(kept.ids) == len(order)

    def prepare(self, order: Sequence[str], sort: str) -> bool:
        """Sorts by `sort` ahead of a key asking for it; False when it was sorted already."""
        if self.is_ordered(order, sort):
            return False
        self._ordered(order, sort)
        return True

    def _ordered(self, order: Sequence[str], sort: str, reverse: bool = False) -> _Order:
        facts = self.facts
        if not self.is_ordered(order, sort, reverse):
            if reverse:
                # Read backwards, not sorted again: a reversal costs a copy of each column.
                forward = self._ordered(order, sort)
                ids, ranks, texts = forward.ids[::-1], forward.ranks[::-1], forward.texts[::-1]
            else:
                fact, descending = _SORT_KEYS[sort]
                rows = sorted((facts[key] for key in order), key=itemgetter(fact), reverse=descending)
                ids = [row[0] for row in rows]
                ranks = [row[_RANK] for row in rows]
                texts = [row[1] for row in rows]
            self._orders[sort, reverse] = _Order(self._order_version, self.version, ids, ranks, texts)
        columns = self._orders[sort, reverse]
        if columns.version != self.version:
            columns.version, columns.texts = self.version, [facts[key][1] for key in columns.ids]
        return columns

    def ids(self, order: Sequence[str], spec: ViewSpec) -> list[str]:
        """The ids of `order` (the store's, newest first) that `spec` shows, in its order. The list
        may be handed out again for the same view: callers must not change it."""
        if spec.group:
            facts = self.facts
            return [
                key for key in self.ids(order, replace(spec, group="")) if facts[key][_GROUP] == spec.group
            ]
        columns = self._ordered(order, spec.sort, spec.reverse)
        needle = spec.text.strip().casefold()
        wanted = _FILTER_RANKS.get(spec.status_filter)
        if wanted is None and not needle:
            return columns.ids
        held = (columns, columns.version, spec.status_filter)
        if self._found_view != held:
            self._found_view, self._found = held, {}
        found = self._found.get(needle)
        if found is not None:
            # Erased back to a needle typed before: a typo's backspace costs nothing.
            return found[1]
        texts, ranks = columns.texts, columns.ranks
        # Only what a needle it contains found can hold this one: typing on narrows the last result.
        narrower = max((earlier for earlier in self._found if earlier in needle), key=len, default=None)
        if narrower is not None:
            positions = [at for at in self._found[narrower][0] if needle in texts[at]]
        elif wanted is None:
            positions = [at for at, text in enumerate(texts) if needle in text]
        else:
            positions = [at for at, text in enumerate(texts) if ranks[at] in wanted and needle in text]
        ids = columns.ids
        found = self._found[needle] = (positions, [ids[at] for at in positions])
        if len(self._found) > _NEEDLES_KEPT:
            del self._found[next(iter(self._found))]
        return found[1]
