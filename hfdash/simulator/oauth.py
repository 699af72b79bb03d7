"""OAuth refresh as HeyGen's CLIs use it: rotating refresh tokens, expiring bearer tokens.

An access token is expired once its lifetime has passed on either the real clock or the simulated
one, so a test can expire it by sleeping or by advancing the simulation.
"""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime
from typing import Any


class OAuthStore:
    def __init__(self) -> None:
        self._access: dict[str, tuple[float, float]] = {}
        self._refresh: set[str] = set()

    def issue(self, expires_in: int, sim_now: float) -> dict[str, Any]:
        access = "sim_at_" + secrets.token_urlsafe(24)
        refresh = "sim_rt_" + secrets.token_urlsafe(24)
        self._access[access] = (time.monotonic() + expires_in, sim_now + expires_in)
        self._refresh.add(refresh)
        expires_at = datetime.fromtimestamp(sim_now + expires_in, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return {
            "access_token": access,
            "refresh_token": refresh,
            "expires_in": expires_in,
            "expires_at": expires_at,
            "scope": "openid profile email api",
            "token_type": "Bearer",
        }

    def refresh(self, form: dict[str, str], expires_in: int, sim_now: float) -> tuple[int, dict[str, Any]]:
        if form.get("grant_type") != "refresh_token":
            return 400, {
                "error": "unsupported_grant_type",
                "error_description": "Only grant_type=refresh_token is supported.",
            }
        token = form.get("refresh_token", "")
        if not token:
            return 400, {"error": "invalid_request", "error_description": "refresh_token is required."}
        if token not in self._refresh:
            return 400, {
                "error": "invalid_grant",
                "error_description": "The refresh token is invalid, expired, revoked or already used.",
            }
        self._refresh.discard(token)
        issued = self.issue(expires_in, sim_now)
        del issued["expires_at"]
        return 200, issued

    def valid(self, token: str, sim_now: float) -> bool:
        deadlines = self._access.get(token)
        if deadlines is None:
            return False
        real_deadline, sim_deadline = deadlines
        return time.monotonic() < real_deadline and sim_now < sim_deadline

    def revoke_refresh(self) -> None:
        self._refresh.clear()
