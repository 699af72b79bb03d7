"""Items of one pane keyed by id, newest first, with the cursor to load more. Pure data: each change
comes back as a StoreChange saying what was added, updated and removed, so rows update in place."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Generic, TypeVar

from hfdash.models import Page
from hfdash.services.kinds import Item, created_at, needs_poll

T = TypeVar("T", bound=Item)


@dataclass(frozen=True, slots=True)
class PageRecord:
    """The cursor a page was fetched with and the ids it held, so it can be re-read in one request."""

    token: str | None
    ids: tuple[str, ...]


@dataclass(slots=True)
class StoreChange:
    """The ids a step added, updated and removed: what a pane repaints."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def touched(self) -> tuple[str, ...]:
        """Every id the step touched."""
        return (*self.added, *self.updated, *self.removed)

    def merge(self, other: StoreChange) -> None:
        self.added.extend(other.added)
        self.updated.extend(other.updated)
        self.removed.extend(other.removed)


class PaneStore(Generic[T]):
    def __init__(self) -> None:
        # Which items are still to be polled, kept as they change: a poll cycle with nothing in
        # flight then costs nothing, rather than a read of every item loaded.
        self.pending: set[str] = set()
        self.items: dict[str, T] = {}
        self.order: list[str] = []
        self.pages: list[PageRecord] = []
        # The cursors of `pages`, so asking whether one was followed costs no walk over them.
        self._tokens: set[str | None] = set()
        self.next_token: str | None = None
        self.has_more = False
        self.loaded = False

    def __len__(self) -> int:
        return len(self.items)

    def apply_head(self, page: Page[T]) -> StoreChange:
        """The first page, re-read: new items go on top; items gone from its range were deleted."""
        change = (
            self.apply_refresh(page, 0) if self.pages else self.apply_gap(page, None, 0, moves_cursor=True)
        )
        self.loaded = True
        return change

    def apply_next(self, page: Page[T], token: str) -> StoreChange:
        """A page fetched with `token`; items already present (shifted by new arrivals) are updated."""
        return self.apply_gap(page, token, len(self.pages), moves_cursor=True)

    def followed(self, token: str) -> bool:
        """Whether a loaded page was already fetched with this cursor."""
        return token in self._tokens

    def apply_refresh(self, page: Page[T], index: int) -> StoreChange:
        """A page re-read from its cursor: updates in place, never moves the cursor. It covers the
        same range, so an item it no longer holds that is not older than its oldest was deleted
        (older ones were pushed onto the next page by newer arrivals)."""
        change = self._merge(page.items)
        # An empty page that claims more is broken, not proof that every row was deleted.
        if 0 <= index < len(self.pages) and (page.items or not page.has_more):
            new_ids = tuple(item.id for item in page.items)
            oldest = min((created_at(item) for item in page.items), default=None)
            for vanished in set(self.pages[index].ids) - set(new_ids):
                item = self.items.get(vanished)
                if item is not None and (oldest is None or created_at(item) >= oldest):
                    change.merge(self.remove(vanished))
            self.pages[index] = PageRecord(self.pages[index].token, new_ids)
        return change

    def apply_gap(
        self, page: Page[T], token: str | None, index: int, *, moves_cursor: bool = False
    ) -> StoreChange:
        """A page between a fresh head and items known from before (a restart from the cache). Its record
        goes at `index`; only a page read after the last moves where the next unseen one starts."""
        change = self._merge(page.items)
        self.pages.insert(index, PageRecord(token, tuple(item.id for item in page.items)))
        self._tokens.add(token)
        if moves_cursor:
            self.next_token = page.next_token
            self.has_more = page.has_more and page.next_token is not None
        return change

    def forget_unseen(self, candidates: Iterable[str], seen: set[str], oldest: int | None) -> StoreChange:
        """Remove candidates a contiguous read from the head did not return although it covered them:
        up to `oldest` (None: the end of the list), exclusive, as an item at that very time may sit
        just past the last page."""
        change = StoreChange()
        for key in candidates:
            item = self.items.get(key)
            if key not in seen and item is not None and (oldest is None or created_at(item) > oldest):
                change.merge(self.remove(key))
        return change

    def restore(
        self, items: Iterable[T], pages: Iterable[PageRecord], next_token: str | None, has_more: bool
    ) -> StoreChange:
        """Items read back from a local cache, newest first; `loaded` stays False until the API answers."""
        self.items = {item.id: item for item in items}
        self.pending = {key for key, item in self.items.items() if needs_poll(item)}
        self.order = list(self.items)
        self.pages = list(pages)
        self._tokens = {record.token for record in self.pages}
        self.next_token = next_token
        self.has_more = has_more and next_token is not None
        return StoreChange(added=list(self.order))

    def upsert(self, item: T) -> StoreChange:
        return self._merge((item,))

    def remove(self, item_id: str) -> StoreChange:
        if self.items.pop(item_id, None) is None:
            return StoreChange()
        self.pending.discard(item_id)
        self.order.remove(item_id)
        return StoreChange(removed=[item_id])

    def pages_pending(self) -> list[int]:
        """Indexes of loaded pages that hold at least one item still to be polled."""
        pending = self.pending
        if not pending:
            return []
        return [index for index, record in enumerate(self.pages) if not pending.isdisjoint(record.ids)]

    def _merge(self, incoming: Iterable[T]) -> StoreChange:
        change = StoreChange()
        items, pending = self.items, self.pending
        for item in incoming:
            item_id = item.id
            previous = items.get(item_id)
            if previous is None:
                change.added.append(item_id)
            elif previous != item:
                change.updated.append(item_id)
            items[item_id] = item
            if needs_poll(item):
                pending.add(item_id)
            else:
                pending.discard(item_id)
        if change.added:
            self._place(change.added)
        return change

    def _place(self, fresh: list[str]) -> None:
        created = [created_at(self.items[i]) for i in fresh]
        order = self.order
        if not order or min(created) >= created_at(self.items[order[0]]):
            order[:0] = fresh
            return
        order.extend(fresh)
        # The next page of history goes after the tail: sorting a hundred thousand ids again for
        # every page would make loading all pages quadratic.
        in_order = all(a >= b for a, b in pairwise(created))
        if not in_order or created[0] > created_at(self.items[order[-len(fresh) - 1]]):
            # Python's sort is stable, so items with equal timestamps keep the server's order.
            order.sort(key=lambda item_id: -created_at(self.items[item_id]))
