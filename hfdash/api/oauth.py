"""The auth headers for each request, and the OAuth refresh behind them (contract §3).

An access token is refreshed shortly before it expires, or once after a 401. A lock
makes concurrent requests share one refresh: refresh tokens may rotate, and two
parallel refreshes would leave one of them holding a revoked token.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from hfdash import __version__
from hfdash.api.errors import ApiError, ConnectError, OAuthRefreshError, RequestTimeout, ServerError, sanitize
from hfdash.api.log import logger
from hfdash.config.credentials import (
    EXPIRY_SKEW_SECONDS,
    SIGN_IN_AGAIN,
    Credential,
    CredentialsError,
    Secret,
    header_safe,
)
from hfdash.config.oauth import write_oauth_tokens

if TYPE_CHECKING:
    import httpx

USER_AGENT = f"hfdash/{__version__}"


class Authenticator:
    def __init__(
        self,
        credential: Credential,
        http: Callable[[], httpx.AsyncClient],
        *,
        token_url: str,
        client_id: str,
        timeout: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.credential = credential
        self._http = http
        self._token_url = token_url
        self._client_id = client_id
        self._timeout = timeout
        self._clock = clock
        self._lock = asyncio.Lock()
        self.refresh_count = 0

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

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    def needs_refresh(self) -> bool:
        """The access token is about to expire and can be refreshed: the next request refreshes it."""
        return self.can_refresh and self.credential.expires_within(EXPIRY_SKEW_SECONDS, self._now())

    async def ensure_fresh(self) -> None:
        if self.needs_refresh():
            await self.refresh(stale=self.credential.access_token, reason="token about to expire")

    async def refresh(self, stale: Secret | None, reason: str) -> None:
        """Refresh unless another request already replaced the `stale` token while we waited."""
        async with self._lock:
            if self.credential.access_token != stale:
                return
            refresh_token = self.credential.refresh_token
            if refresh_token is None:
                raise OAuthRefreshError(f"the OAuth sign-in cannot be refreshed; {SIGN_IN_AGAIN}")
            logger.debug("refreshing OAuth access token (%s)", reason)
            self.credential = await self._exchange(refresh_token)
            self.refresh_count += 1
            self._persist()

    async def _exchange(self, refresh_token: Secret) -> Credential:
        import httpx

        form = {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token.reveal(),
            "client_id": self._client_id,
        }
        try:
            response = await self._http().post(
                self._token_url,
                data=form,
                headers={"Accept": "application/json", "User-Agent": USER_AGENT},
                timeout=self._timeout,
            )
        except httpx.TimeoutException:
            raise RequestTimeout("the sign-in server did not answer in time") from None
        except httpx.HTTPError as exc:
            raise ConnectError(f"could not reach the sign-in server ({type(exc).__name__})") from None
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
                path=httpx.URL(self._token_url).path,
            )
        return self._apply(_token_body(response))

    def _apply(self, body: dict[str, Any]) -> Credential:
        access = body.get("access_token")
        if not isinstance(access, str) or not access or not header_safe(access):
            raise ApiError("the sign-in server's answer has no usable access_token")
        rotated = body.get("refresh_token")
        refresh = self.credential.refresh_token
        if isinstance(rotated, str) and rotated and header_safe(rotated):
            refresh = Secret(rotated)
        expires_in = body.get("expires_in")
        expires_at: datetime | None = None
        if isinstance(expires_in, int | float) and not isinstance(expires_in, bool):
            expires_at = self._now() + timedelta(seconds=float(expires_in))
        return dataclasses.replace(
            self.credential, access_token=Secret(access), refresh_token=refresh, expires_at=expires_at
        )

    def _persist(self) -> None:
        """Only a file-sourced sign-in is written back; env tokens belong to whoever set them."""
        cred = self.credential
        if cred.file is None or cred.access_token is None:
            return
        try:
            write_oauth_tokens(
                cred.file,
                access_token=cred.access_token.reveal(),
                refresh_token=cred.refresh_token.reveal() if cred.refresh_token else None,
                expires_at=cred.expires_at,
            )
        except (OSError, CredentialsError) as exc:
            # The new token still works for this run; losing the write only costs a sign-in later.
            logger.warning("could not save the refreshed sign-in to %s: %s", cred.file, sanitize(str(exc)))


def _token_body(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        raise ApiError("the sign-in server's answer is not JSON") from None
    if not isinstance(body, dict):
        raise ApiError("the sign-in server's answer is not a JSON object")
    return body
