"""Which items a pane shows, in which order: the status filter, the text filter and the sort."""

from __future__ import annotations

import re
from array import array
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from typing import Any, Final, TypeAlias, TypeVar

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
    """What a pane shows: its status filter, its text filter and its sort."""

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


# Row positions in an order, or None for all of them. An array rather than a list: the garbage
# collector has nothing to walk in it, however many rows it holds.
Positions: TypeAlias = "array[int] | None"
# In the joined search texts, each row's text is followed by _ROW_END, its position and _NUMBER_END.
_ROW_END = "\x00"
_NUMBER_END = "\x01"
# Rows whose texts are read to judge whether a needle is rare enough to look for in the joined texts.
_SAMPLED_ROWS = 2048


class _SearchTexts:
    """An order's search texts: each row's own string, and all of them joined in one.

    A keystroke tests a needle against every row. Testing each row's string costs the same
    whether it holds the needle or not, and reads strings spread over memory as the pages
    arrived (at a hundred thousand rows, 15 to 25 ms). In the joined string the regular
    expression engine jumps from one occurrence to the next in C, so a needle few rows hold is
    found in a fraction of that: a first letter narrowing all the rows, in particular.
    """

    __slots__ = ("parts", "texts")

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        # ASCII texts joined apart from the others: one emoji makes a string four bytes a
        # character, and the engine would read four times the memory for every row.
        narrow: list[str] = []
        wide: list[str] = []
        for position, text in enumerate(texts):
            (narrow if text.isascii() else wide).append(f"{text}{_ROW_END}{position}{_NUMBER_END}")
        parts = tuple("".join(rows) for rows in (narrow, wide) if rows)
        # A text holding a marker would blur rows together: such orders test each row's string.
        clean = sum(part.count(_ROW_END) for part in parts) == len(texts)
        clean = clean and sum(part.count(_NUMBER_END) for part in parts) == len(texts)
        self.parts: tuple[str, ...] | None = parts if clean else None

    def matching(self, positions: Positions, needle: str, keep: Callable[[int], bool] | None) -> Positions:
        """The positions among `positions` (None for all) whose text holds `needle`.

        `keep` tells which positions `positions` was chosen by, when it was (a status filter):
        rows found in the joined texts are tested against it instead.
        """
        texts = self.texts
        # Reading the joined texts costs about as much as testing a quarter of the rows one by one.
        many = positions is None or len(positions) * 4 > len(texts)
        if many and self._rare(needle):
            found = self._holding(needle)
            return found if keep is None else array("l", filter(keep, found))
        if positions is not None:
            return array("l", [position for position in positions if needle in texts[position]])
        held = [position for position, text in enumerate(texts) if needle in text]
        return None if len(held) == len(texts) else array("l", held)

    def _rare(self, needle: str) -> bool:
        """Whether few rows hold `needle`, under a quarter of the first ones: then the joined texts
        are worth reading."""
        rows = len(self.texts)
        if self.parts is None or _ROW_END in needle or _NUMBER_END in needle or rows < _SAMPLED_ROWS * 4:
            return False
        # The same share of each part: about _SAMPLED_ROWS rows in all.
        sampled = sum(part.count(needle, 0, len(part) * _SAMPLED_ROWS // rows) for part in self.parts)
        return sampled * 4 < _SAMPLED_ROWS

    def _holding(self, needle: str) -> array[int]:
        assert self.parts is not None
        # The match runs on to its row's end: a row is found once however often it holds the needle.
        pattern = re.compile(f"{re.escape(needle)}[^{_ROW_END}]*{_ROW_END}([0-9]+){_NUMBER_END}")
        found = [array("l", map(int, pattern.findall(part))) for part in self.parts]
        if len(found) == 1:
            return found[0]
        return array("l", sorted(chain.from_iterable(found)))


class _Order:
    """One sort's order of the items, held as columns: the ids, each row's status rank and, once
    worked out, the search texts."""

    __slots__ = ("ids", "order_version", "ranks", "texts", "version")

    def __init__(self, order_version: int, version: int, ids: list[str], ranks: bytes) -> None:
        self.order_version = order_version
        self.version = version
        self.ids = ids
        self.ranks = ranks
        self.texts: _SearchTexts | None = None


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
        self._orders: dict[str, _Order] = {}
        # Per needle ("" for none), what it showed in the view below, most recent last: a longer
        # needle narrows the result of one it contains, and erasing back finds its result here.
        self._results: OrderedDict[str, tuple[Positions, list[str]]] = OrderedDict()
        self._results_view: tuple[_Order, int, str] | None = None

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
        if cached is None:
            return False
        return cached.order_version == self._order_version and len(cached.ids) == len(order)

    def is_searchable(self, order: Sequence[str], sort: str) -> bool:
        """Whether `sort`'s order and search texts are ready, so a text filter over it only reads."""
        return self.is_ordered(order, sort) and self._orders[sort].texts is not None

    def prepare(self, order: Sequence[str], sort: str, *, texts: bool = True) -> bool:
        """Does the next step of readying `sort` for a keystroke (its order, then with `texts` its
        search texts), e.g. while the user reads; False when there was nothing left to do."""
        if not self.is_ordered(order, sort):
            self._order_for(order, sort)
            return True
        columns = self._order_for(order, sort)
        if texts and columns.texts is None:
            self._texts(columns)
            return True
        return False

    def _order_for(self, order: Sequence[str], sort: str) -> _Order:
        facts = self.facts
        cached = self._orders.get(sort)
        if self.is_ordered(order, sort):
            assert cached is not None
            if cached.version != self._version:
                # The order holds; some items' search texts were replaced.
                cached.version, cached.texts = self._version, None
            return cached
        rows = _sorted([facts[key] for key in order], sort)
        ranks = bytes(row[_RANK] for row in rows)
        columns = _Order(self._order_version, self._version, [row[0] for row in rows], ranks)
        self._orders[sort] = columns
        return columns

    def _texts(self, columns: _Order) -> _SearchTexts:
        if columns.texts is None:
            # One order's texts at a time: joined, a hundred thousand rows' take tens of megabytes.
            for other in self._orders.values():
                other.texts = None
            facts = self.facts
            columns.texts = _SearchTexts([facts[key][1] for key in columns.ids])
        return columns.texts

    def ids(self, order: Sequence[str], spec: ViewSpec) -> list[str]:
        """The ids of `order` (the store's, newest first) that `spec` shows, in its order.

        The list may be handed out again for the same view: callers must not change it.
        """
        needle = spec.text.strip().casefold()
        columns = self._order_for(order, spec.sort)
        view = (columns, columns.version, spec.status_filter)
        held = self._results_view
        if held is None or held[0] is not columns or held[1:] != view[1:]:
            self._results.clear()
            self._results_view = view
        found = self._results.get(needle)
        if found is not None:
            # Typed before: backspace after a typo, or the same needle again.
            self._results.move_to_end(needle)
            return found[1]
        # A needle containing an earlier one can only match what the earlier one matched.
        narrower = [text for text in self._results if text in needle]
        positions: Positions = None
        wanted = _FILTER_RANKS.get(spec.status_filter)
        ranks = columns.ranks
        keep = None if wanted is None else (lambda position: ranks[position] in wanted)
        if narrower:
            positions = self._results[max(narrower, key=len)][0]
        elif keep is not None:
            positions = array("l", filter(keep, range(len(ranks))))
        if needle:
            positions = self._texts(columns).matching(positions, needle, keep)
        all_ids = columns.ids
        ids = all_ids if positions is None else [all_ids[at] for at in positions]
        self._results[needle] = (positions, ids)
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
