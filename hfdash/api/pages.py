"""Following `next_token` through a list, refusing to loop (contract §5).

Like the hyperframes CLI, a `has_more: true` without a token and a token already
seen are malformed: both end in PaginationError instead of an endless walk. The page
that revealed the problem is still yielded first, since its items are valid.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

from hfdash.api.errors import PaginationError
from hfdash.api.log import short_hash
from hfdash.models import Page

T = TypeVar("T")


async def iterate_pages(
    fetch: Callable[[str | None], Awaitable[Page[T]]], *, what: str = "list"
) -> AsyncIterator[Page[T]]:
    seen: set[str] = set()
    token: str | None = None
    while True:
        page = await fetch(token)
        yield page
        if not page.has_more:
            return
        if not page.next_token:
            raise PaginationError(f"the {what} says there is more, but gave no next_token")
        if page.next_token in seen:
            raise PaginationError(
                f"the {what} repeated a next_token ({short_hash(page.next_token)}); stopped to avoid a loop"
            )
        token = page.next_token
        seen.add(token)
