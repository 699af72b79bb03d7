"""Presigned object URLs that expire on the real clock.

URLs carry the simulated date (so a frozen simulator mints identical URLs) and an HMAC; the
deadline lives server-side, keyed by (key, date), and is refreshed each time the URL is minted.
Real monotonic time decides expiry so a test can set a short TTL and simply sleep.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from urllib.parse import quote

# Deadlines kept before expired ones are first dropped.
_PRUNE_FLOOR = 50_000


class Signer:
    def __init__(self, secret: bytes, ttl: float) -> None:
        self._secret = secret
        self.ttl = ttl
        self._deadlines: dict[tuple[str, str], float] = {}
        self._prune_at = _PRUNE_FLOOR

    def _sign(self, key: str, date: str, expires: str) -> str:
        msg = f"{key}\n{date}\n{expires}".encode()
        return hmac.new(self._secret, msg, hashlib.sha256).hexdigest()

    def mint(self, base_url: str, key: str, sim_now: float) -> str:
        date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(int(sim_now)))
        expires = str(max(1, math.ceil(self.ttl)))
        now = time.monotonic()
        if len(self._deadlines) > self._prune_at:
            self._deadlines = {k: d for k, d in self._deadlines.items() if d > now}
            # Until twice as many are live: with a long TTL few expire, and pruning at a fixed size
            # would then walk every deadline on every mint (seconds per page at 100,000 items).
            self._prune_at = max(_PRUNE_FLOOR, 2 * len(self._deadlines))
        self._deadlines[(key, date)] = now + self.ttl
        sig = self._sign(key, date, expires)
        return (
            f"{base_url}/files/{quote(key, safe='/')}?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            f"&X-Amz-Date={date}&X-Amz-Expires={expires}&X-Amz-SignedHeaders=host&X-Amz-Signature={sig}"
        )

    def verify(self, key: str, query: dict[str, str]) -> str:
        """ "ok", "expired" or "denied" (missing or forged signature)."""
        date = query.get("X-Amz-Date", "")
        expires = query.get("X-Amz-Expires", "")
        sig = query.get("X-Amz-Signature", "")
        if not hmac.compare_digest(sig, self._sign(key, date, expires)):
            return "denied"
        deadline = self._deadlines.get((key, date))
        if deadline is None or time.monotonic() >= deadline:
            return "expired"
        return "ok"
