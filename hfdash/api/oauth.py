"""The auth headers for each request, and the OAuth refresh behind them (contract §3).

An access token is refreshed shortly before it expires, or once after a 401. A lock
makes concurrent requests share one refresh: refresh tokens may rotate, and two
parallel refreshes would leave one of them holding a revoked token. The refresh goes
through the API's own httpx client: its User-Agent, timeout, proxy and CA settings apply.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import httpx

from hfdash.api.errors import ApiError, OAuthRefreshError, ServerError, transport_error
from hfdash.api.log import logger
from hfdash.models.credential import EXPIRY_SKEW_SECONDS, SIGN_IN_AGAIN, Credential, Secret, header_safe

# Told of every refreshed credential, to keep it where it came from (config's save_refreshed).
RefreshListener = Callable[[Credential], None]


@dataclass
class Authenticator:
    credential: Credential
    http: Callable[[], httpx.AsyncClient]
    token_url: str
    client_id: str
    timeout: float
    on_refresh: RefreshListener | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def can_refresh(self) -> bool:
        return self.credential.kind == "oauth" and self.credential.refresh_token is not None

    def headers(self) -> dict[str, str]:
        """Exactly one auth header: heygen-cli never sends both, and neither should we."""
        cred = self.credential
        if cred.kind == "api_key" and cred.api_key is not None:
            return {"x-api-key": cred.api_key.reveal()}
        if cred.access_token is not None:
            return {"Authorization": f"Bearer {cred.access_token.reveal()}"}
        return {}

    async def ensure_fresh(self) -> None:
        if self.can_refresh and self.credential.expires_within(EXPIRY_SKEW_SECONDS):
            await self.refresh(stale=self.credential.access_token, reason="token about to expire")

    async def refresh(self, stale: Secret | None, reason: str) -> None:
        """Refresh unless another request already replaced the `stale` token while we waited."""
        async with self.lock:
            if self.credential.access_token != stale:
                return
            refresh_token = self.credential.refresh_token
            if refresh_token is None:
                raise OAuthRefreshError(f"the OAuth sign-in cannot be refreshed; {SIGN_IN_AGAIN}")
            logger.debug("refreshing OAuth access token (%s)", reason)
            self.credential = await self._exchange(refresh_token)
            if self.on_refresh is not None:
                self.on_refresh(self.credential)

    async def _exchange(self, refresh_token: Secret) -> Credential:
        form = {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token.reveal(),
            "client_id": self.client_id,
        }
        try:
            response = await self.http().post(self.token_url, data=form)
        except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
            host = urlsplit(self.token_url).hostname
            raise transport_error(exc, f"the sign-in server {host}", self.timeout) from None
        if 400 <= response.status_code < 500:
            raise OAuthRefreshError(
                f"the sign-in server refused to refresh the OAuth token (HTTP {response.status_code}); "
                f"{SIGN_IN_AGAIN}"
            )
        if response.status_code != 200:
            raise ServerError(
                status=response.status_code,
                message="the sign-in server failed; try again later",
                method="POST",
                path=urlsplit(self.token_url).path,
            )
        try:
            body = response.json()
        except ValueError:
            raise ApiError("the sign-in server's answer is not JSON") from None
        if not isinstance(body, dict):
            raise ApiError("the sign-in server's answer is not a JSON object")
        access, rotated = _usable(body.get("access_token")), _usable(body.get("refresh_token"))
        if access is None:
            raise ApiError("the sign-in server's answer has no usable access_token")
        expires_in = body.get("expires_in")
        expires_at: datetime | None = None
        if isinstance(expires_in, int | float) and not isinstance(expires_in, bool):
            expires_at = datetime.now(UTC) + timedelta(seconds=float(expires_in))
        refresh = self.credential.refresh_token if rotated is None else Secret(rotated)
        return replace(
            self.credential, access_token=Secret(access), refresh_token=refresh, expires_at=expires_at
        )


def _usable(token: object) -> str | None:
    return token if isinstance(token, str) and token and header_safe(token) else None
