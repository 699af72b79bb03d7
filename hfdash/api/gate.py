"""One rate-limit gate per client: after a 429, nothing leaves until Retry-After has passed.

The limit is the account's, not one endpoint's (contract §9: 429 also signals
concurrency quotas), so a 429 on renders must hold back the sessions request too.
"""

from __future__ import annotations

import asyncio
import time


class RateGate:
    def __init__(self) -> None:
        self.closed_until = 0.0

    def close_for(self, seconds: float) -> float:
        """Keep the gate shut `seconds` from now; a later deadline already set is kept."""
        self.closed_until = max(self.closed_until, time.monotonic() + seconds)
        return self.closed_until

    def remaining(self) -> float:
        return max(0.0, self.closed_until - time.monotonic())

    async def wait(self) -> None:
        # Loop: the deadline may move while we sleep, and a sleep may end a hair early.
        while (left := self.closed_until - time.monotonic()) > 0:  # noqa: ASYNC110 - a deadline, not an event
            await asyncio.sleep(left)
