"""When to try again and how long to wait: pure functions, no I/O, no clock of their own.

The backoff follows heygen-cli (contract §9): 1 s × 2^n, capped at 30 s, jitter ×0.75-1.25.
A server's Retry-After is used exactly, never jittered or shortened, because the server
knows when its window reopens; one longer than `max_wait` is not slept at all.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

# Idempotent, so repeating one after an ambiguous failure cannot do anything twice.
RETRY_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 3
    base: float = 1.0
    cap: float = 30.0
    jitter: tuple[float, float] = (0.75, 1.25)
    rand: Callable[[], float] = field(default=random.random, compare=False, repr=False)
    max_wait: float = 120.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number `attempt + 1` (attempt counts from 0)."""
        if retry_after is not None:
            return max(0.0, retry_after)
        backoff = min(self.cap, self.base * float(2 ** max(0, attempt)))
        low, high = self.jitter
        return min(self.cap, backoff * (low + (high - low) * self.rand()))

    def should_retry(self, method: str, attempt: int) -> bool:
        return method.upper() in RETRY_METHODS and attempt < self.max_retries


def parse_retry_after(header: str | None, now: float) -> float | None:
    """Seconds from `now` (Unix time) to wait: integer seconds or an HTTP-date; else None."""
    value = (header or "").strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return None if moment.tzinfo is None else max(0.0, moment.timestamp() - now)
