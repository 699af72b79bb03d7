"""Items of one pane keyed by id, newest first, with the cursor to load more.

Pure data: every change arrives as a Page or an item and comes back as a
StoreChange saying what was added, updated and removed, so the screen can
update rows in place instead of rebuilding the table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Generic, TypeVar

from hfdash.models import Page

T = TypeVar("T")


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

    def merge(self, other: StoreChange) -> None:
        self.added.extend(other.added)
        self.updated.extend(other.updated)
        self.removed.extend(other.removed)


class PaneStore(Generic[T]):
    def __init__(
        self,
        key: Callable[[T], str],
        created: Callable[[T], int],
        pending: Callable[[T], bool] = lambda _item: False,
    ) -> None:
        self._key = key
        self._created = created
        # Which items are still to be polled, kept as they change: a poll cycle with nothing in
        # flight then costs nothing, rather than a read of every item loaded.
        self._is_pending = pending
        self._pending: set[str] = set()
        self.items: dict[str, T] = {}
        self.order: list[str] = []
        self.pages: list[PageRecord] = []
        self.next_token: str | None = None
        self.has_more = False
        self.loaded = False

    def __len__(self) -> int:
        return len(self.items)

    def ordered(self) -> list[T]:
        return [self.items[item_id] for item_id in self.order]

    def apply_head(self, page: Page[T]) -> StoreChange:
        """The first page, re-read: new items go on top; items gone from its range were deleted."""
        change = self._merge(page.items)
        new_ids = tuple(self._key(item) for item in page.items)
        if not self.pages:
            self.pages.append(PageRecord(None, new_ids))
            self.next_token = page.next_token
            self.has_more = page.has_more
        elif not _contradicts_itself(page):
            # An empty page that claims more is broken, not proof that every row was deleted.
            oldest = min((self._created(item) for item in page.items), default=None)
            vanished = set(self.pages[0].ids) - set(new_ids)
            for item_id in vanished:
                item = self.items.get(item_id)
                # Only an item that would still fall inside this page's range can have been deleted;
                # older ones were merely pushed onto the next page by newer arrivals.
                if item is not None and (oldest is None or self._created(item) >= oldest):
                    change.merge(self.remove(item_id))
            self.pages[0] = PageRecord(None, new_ids)
        self.loaded = True
        return change

    def apply_next(self, page: Page[T], token: str) -> StoreChange:
        """A page fetched with `token`; items already present (shifted by new arrivals) are updated."""
        change = self._merge(page.items)
        self.pages.append(PageRecord(token, tuple(self._key(item) for item in page.items)))
        self.next_token = page.next_token
        self.has_more = page.has_more and page.next_token is not None
        return change

    def followed(self, token: str) -> bool:
        """Whether a loaded page was already fetched with this cursor."""
        return any(record.token == token for record in self.pages)

    def apply_refresh(self, page: Page[T], index: int) -> StoreChange:
        """A page re-read for its items in flight: updates in place, never moves the cursor.

        Read from the same cursor, the page covers the same range, so an item it held before
        and no longer does, and that is not older than the page's oldest, was deleted.
        """
        change = self._merge(page.items)
        if 0 <= index < len(self.pages) and not _contradicts_itself(page):
            new_ids = tuple(self._key(i) for i in page.items)
            oldest = min((self._created(item) for item in page.items), default=None)
            for vanished in set(self.pages[index].ids) - set(new_ids):
                item = self.items.get(vanished)
                if item is not None and (oldest is None or self._created(item) >= oldest):
                    change.merge(self.remove(vanished))
            self.pages[index] = PageRecord(self.pages[index].token, new_ids)
        return change

    def apply_gap(self, page: Page[T], token: str, index: int) -> StoreChange:
        """A page between a fresh head and items known from before (a restart from the cache).

        Its record goes at `index` among the pages; where the next unseen page starts does not change.
        """
        change = self._merge(page.items)
        self.pages.insert(index, PageRecord(token, tuple(self._key(item) for item in page.items)))
        return change

    def forget_unseen(self, candidates: Iterable[str], seen: set[str], oldest: int | None) -> StoreChange:
        """Remove candidates a contiguous read from the head did not return although it covered them.

        `oldest` is the oldest time the read reached (None: it reached the end of the list); an
        item at exactly that time may sit just past the last page, so it is kept.
        """
        change = StoreChange()
        for key in candidates:
            item = self.items.get(key)
            if key not in seen and item is not None and (oldest is None or self._created(item) > oldest):
                change.merge(self.remove(key))
        return change

    def restore(
        self, items: Iterable[T], pages: Iterable[PageRecord], next_token: str | None, has_more: bool
    ) -> StoreChange:
        """Items read back from a local cache, newest first.

        `loaded` stays False: the API has not answered yet.
        """
        self.items = {self._key(item): item for item in items}
        self._pending = {key for key, item in self.items.items() if self._is_pending(item)}
        self.order = list(self.items)
        self.pages = list(pages)
        self.next_token = next_token
        self.has_more = has_more and next_token is not None
        return StoreChange(added=list(self.order))

    def upsert(self, item: T) -> StoreChange:
        return self._merge((item,))

    def remove(self, item_id: str) -> StoreChange:
        if item_id not in self.items:
            return StoreChange()
        del self.items[item_id]
        self._pending.discard(item_id)
        self.order.remove(item_id)
        return StoreChange(removed=[item_id])

    def pages_pending(self) -> list[int]:
        """Indexes of loaded pages that hold at least one item still to be polled."""
        pending = self._pending
        if not pending:
            return []
        return [index for index, record in enumerate(self.pages) if not pending.isdisjoint(record.ids)]

    def _merge(self, incoming: Iterable[T]) -> StoreChange:
        change = StoreChange()
        fresh: list[str] = []
        for item in incoming:
            item_id = self._key(item)
            previous = self.items.get(item_id)
            if previous is None:
                if item_id not in fresh:
                    fresh.append(item_id)
                    change.added.append(item_id)
            elif previous != item:
                change.updated.append(item_id)
            self.items[item_id] = item
            if self._is_pending(item):
                self._pending.add(item_id)
            else:
                self._pending.discard(item_id)
        if fresh:
            self._place(fresh)
        return change

    def _place(self, fresh: list[str]) -> None:
        head_created = self._created(self.items[self.order[0]]) if self.order else None
        if head_created is None or all(self._created(self.items[i]) >= head_created for i in fresh):
            self.order[:0] = fresh
            return
        # The next page of history goes after the tail: sorting a hundred thousand ids again for
        # every page would make loading all pages quadratic.
        tail_created = self._created(self.items[self.order[-1]])
        created = [self._created(self.items[i]) for i in fresh]
        if created[0] <= tail_created and all(a >= b for a, b in pairwise(created)):
            self.order.extend(fresh)
            return
        self.order.extend(fresh)
        # Python's sort is stable, so items with equal timestamps keep the server's order.
        self.order.sort(key=lambda item_id: -self._created(self.items[item_id]))


def _contradicts_itself(page: Page[T]) -> bool:
    """`has_more: true` with no items: a broken answer, not a list whose items were all deleted."""
    return not page.items and page.has_more
