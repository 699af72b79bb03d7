"""Deleting many items in the background through the one client, each item once, with a stop.

The client's rate gate paces every request: after a 429 nothing leaves until its Retry-After has
passed, so a bulk delete never adds a storm of its own. An item the server refused with 429 was
not deleted, so it waits its turn again; a 404 after a transport error's retry means the first
try went through ("already gone").
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Sequence

from hfdash.api.client import HeyGenClient
from hfdash.api.errors import ApiError, RateLimitError
from hfdash.services.actions import DeleteOutcome, delete_item
from hfdash.services.kinds import Item

# Requests in flight at once: the client's own limit, so none of them waits for a slot unsent.
SLOTS = 4
# 429s one item may meet before it counts as failed: the client waits out each Retry-After first.
MOST_REFUSALS = 10


class BulkDelete:
    """Deletes exactly the items it is given; `cancel` keeps back every one not yet sent."""

    def __init__(
        self,
        client: HeyGenClient,
        items: Sequence[Item],
        on_step: Callable[[str, DeleteOutcome | None], None] = lambda _id, _outcome: None,
    ) -> None:
        self.client = client
        self.total = len(items)
        # Called once per item that got its answer: the outcome, or None when it failed.
        self.on_step = on_step
        self.deleted: list[str] = []
        self.gone: list[str] = []
        self.failed: dict[str, str] = {}
        # Ids sent and not answered yet.
        self.in_flight: set[str] = set()
        self.cancelled = False
        self._waiting: deque[tuple[Item, int]] = deque((item, 0) for item in items)

    @property
    def done(self) -> int:
        return len(self.deleted) + len(self.gone) + len(self.failed)

    @property
    def not_sent(self) -> int:
        return len(self._waiting)

    def cancel(self) -> None:
        self.cancelled = True

    async def run(self) -> None:
        await asyncio.gather(*(self._work() for _ in range(min(SLOTS, self.total))))

    async def _work(self) -> None:
        while self._waiting and not self.cancelled:
            item, refusals = self._waiting.popleft()
            key = item.id
            self.in_flight.add(key)
            outcome: DeleteOutcome | None = None
            try:
                outcome = await delete_item(self.client, item)
                (self.deleted if outcome is DeleteOutcome.DELETED else self.gone).append(key)
            except ApiError as error:
                if isinstance(error, RateLimitError) and refusals + 1 < MOST_REFUSALS:
                    self._waiting.append((item, refusals + 1))
                    continue
                self.failed[key] = str(error)
            finally:
                self.in_flight.discard(key)
            self.on_step(key, outcome)

    def summary(self) -> str:
        """'deleted 16, already gone 1, failed 1: <reason>', and what a stop kept back."""
        words = [f"deleted {len(self.deleted)}"]
        if self.gone:
            words.append(f"already gone {len(self.gone)}")
        if self.failed:
            words.append(f"failed {len(self.failed)}: {next(iter(self.failed.values()))}")
        if self.not_sent:
            words.append(f"stopped, {self.not_sent} not sent")
        return ", ".join(words)
