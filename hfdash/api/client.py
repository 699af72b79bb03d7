"""The one HTTP client: auth, timeouts, retries, the rate-limit gate and error mapping.

Every call goes through `_request`; the resources only name a path and a parser. It is one
`httpx.AsyncClient` on httpx's own transport, which reads `HTTP(S)_PROXY`, `ALL_PROXY`,
`NO_PROXY`, `SSL_CERT_FILE` and `SSL_CERT_DIR` from the environment. It is built by the first
request, so a proxy variable httpx cannot parse is reported like any connection failure.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeVar
from urllib.parse import urlsplit

import httpx

from hfdash import __version__
from hfdash.api.errors import (
    AuthenticationError,
    BrokenJsonError,
    CertificateError,
    HttpStatusError,
    OAuthRefreshError,
    RateLimitError,
    TransportError,
    parse_body,
    status_error,
    transport_error,
)
from hfdash.api.log import log_attempt, logger
from hfdash.api.oauth import Authenticator, RefreshListener
from hfdash.api.resources import ClipJobsResource, Params, RendersResource, SessionsResource, VideosResource
from hfdash.api.retry import RetryPolicy, parse_retry_after
from hfdash.models.credential import DEFAULT_BASE_URL, DEFAULT_CLIENT_ID, DEFAULT_TOKEN_URL, Credential

T = TypeVar("T")
StateKind = Literal["ok", "retrying", "rate_limited", "offline", "auth_failed"]


@dataclass(frozen=True)
class ConnectionState:
    """How the last request went, as the status line tells it."""

    kind: StateKind
    message: str = ""
    until: float | None = None  # a time.monotonic() deadline


class HeyGenClient:
    def __init__(
        self,
        credential: Credential,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 20.0,
        retry: RetryPolicy | None = None,
        max_concurrency: int = 4,
        on_state: Callable[[ConnectionState], None] | None = None,
        on_refresh: RefreshListener | None = None,
        oauth_token_url: str = DEFAULT_TOKEN_URL,
        oauth_client_id: str = DEFAULT_CLIENT_ID,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """`transport` is for tests that watch the wire: without one, httpx honours the proxy and CA vars."""
        self.base_url = base_url.rstrip("/")
        self.request_count = 0
        self._retry = retry or RetryPolicy()
        self._timeout = timeout
        self._max_concurrency = max_concurrency
        self._semaphore = asyncio.Semaphore(max_concurrency)
        # After a 429 nothing leaves until this time.monotonic() deadline: the limit is the
        # account's (contract §9: 429 also signals concurrency quotas), not one endpoint's.
        self._closed_until = 0.0
        self.on_state = on_state
        self.state = ConnectionState("ok")
        # The last final 401: when it came back, and the error, so requests queued before it fail alike.
        self._refused: tuple[float, HttpStatusError] | None = None
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._auth = Authenticator(
            credential, self._http, oauth_token_url, oauth_client_id, timeout, on_refresh
        )
        self.renders = RendersResource(self)
        self.clip_jobs = ClipJobsResource(self)
        self.sessions = SessionsResource(self)
        self.videos = VideosResource(self)

    def __repr__(self) -> str:
        return f"HeyGenClient(base_url={self.base_url!r}, credential={self.credential.source!r})"

    @property
    def credential(self) -> Credential:
        """The credential in use now: after a refresh it holds the new tokens."""
        return self._auth.credential

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                base_url=self.base_url,
                transport=self._transport,
                timeout=httpx.Timeout(self._timeout),
                limits=httpx.Limits(
                    max_connections=self._max_concurrency * 2,
                    max_keepalive_connections=self._max_concurrency,
                    # Polls come every few seconds; httpx's default 5 s idle expiry would open a new
                    # TLS connection for nearly every one of them.
                    keepalive_expiry=30.0,
                ),
                headers={"User-Agent": f"hfdash/{__version__}", "Accept": "application/json"},
                # A redirect to another host would carry x-api-key along (httpx only strips Authorization).
                follow_redirects=False,
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def __aenter__(self) -> HeyGenClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def _set_state(self, kind: StateKind, message: str = "", until: float | None = None) -> None:
        if kind == "ok" and self.state.kind == "rate_limited" and self._closed_until > time.monotonic():
            # A request that was already in flight when the 429 came back does not lift the limit.
            return
        state = ConnectionState(kind, message, until)
        if state == self.state:
            return
        self.state = state
        if self.on_state is not None:
            try:
                self.on_state(state)
            except Exception:
                logger.exception("connection-state callback failed")

    async def _request(
        self,
        method: str,
        path: str,
        parse: Callable[[object], T],
        *,
        params: Params | None = None,
        sent: asyncio.Event | None = None,
    ) -> T:
        attempt = 0
        replayed_401 = False
        queued_at = time.monotonic()
        try:
            while True:
                try:
                    response, sent_with = await self._send(method, path, params, attempt, queued_at, sent)
                except TransportError as exc:
                    # Another try cannot make an untrusted certificate trusted.
                    if isinstance(exc, CertificateError) or not self._retry.should_retry(method, attempt):
                        self._set_state("offline", exc.message)
                        raise
                    await self._back_off(attempt, exc.message)
                    attempt += 1
                    continue
                status = response.status_code
                if 200 <= status < 300:
                    self._refused = None
                    try:
                        result = parse_body(response, method, path, parse)
                    except BrokenJsonError:
                        # A body cut short on its way (a proxy, a reset the length did not reveal)
                        # is likely whole next time. Only a read is repeated: a DELETE has happened.
                        if method != "GET" or not self._retry.should_retry(method, attempt):
                            raise
                        await self._back_off(attempt, "the answer was not valid JSON")
                        attempt += 1
                        continue
                    self._set_state("ok")
                    return result
                error = status_error(response, method, path)
                if status == 401 and self._auth.can_refresh and not replayed_401:
                    replayed_401 = True
                    await self._auth.refresh(stale=sent_with.access_token, reason="the API answered 401")
                    continue
                if status == 401:
                    self._refused = (time.monotonic(), error)
                    self._set_state("auth_failed", error.message)
                    raise error
                retry_after = parse_retry_after(response.headers.get("Retry-After"), time.time())
                if isinstance(error, RateLimitError):
                    error.retry_after = retry_after
                    wait = self._retry.delay(attempt, retry_after)
                    until = self._closed_until = max(self._closed_until, time.monotonic() + wait)
                    self._set_state("rate_limited", f"rate limited; waiting {wait:.1f} s", until)
                    too_long = retry_after is not None and retry_after > self._retry.max_wait
                    if too_long or not self._retry.should_retry(method, attempt):
                        raise error
                elif status >= 500:
                    if not self._retry.should_retry(method, attempt):
                        self._set_state("offline", f"the server keeps failing (HTTP {status})")
                        raise error
                    await self._back_off(attempt, f"server error (HTTP {status})", retry_after)
                else:
                    self._set_state("ok")  # a 4xx still proves the service is reachable and the key accepted
                    raise error
                attempt += 1
        except OAuthRefreshError as exc:  # a refresh, before sending or after a 401, was refused
            self._set_state("auth_failed", exc.message)
            raise

    async def _send(
        self,
        method: str,
        path: str,
        params: Params | None,
        attempt: int,
        queued_at: float,
        sent: asyncio.Event | None = None,
    ) -> tuple[httpx.Response, Credential]:
        await self._pass_gate(method, path)
        async with self._semaphore:
            await self._auth.ensure_fresh()
            if self._refused is not None and queued_at <= self._refused[0]:
                # Queued before the credential was refused, this would carry it again: a poll of
                # many items would send every queued GET into the same 401. Requests made after
                # the refusal (the user resuming) are sent, since the credential may have been fixed.
                refused = self._refused[1]
                raise AuthenticationError(
                    status=401, message=refused.message, code=refused.code, method=method, path=path
                )
            # Again: a 429 may have closed the gate while we queued for a slot.
            await self._pass_gate(method, path)
            headers = self._auth.headers()
            sent_with = self._auth.credential
            self.request_count += 1

            async def trace(step: str, info: dict[str, object]) -> None:
                # httpcore's `trace` extension names each step of an exchange as it completes.
                if sent is not None and step.endswith("send_request_body.complete"):
                    sent.set()

            started = time.monotonic()
            try:
                response = await self._http().request(
                    method, path, params=params, headers=headers, extensions={"trace": trace} if sent else {}
                )
            except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError, ValueError) as exc:
                # ValueError: a header httpx cannot encode, or a proxy variable it cannot parse.
                host = urlsplit(self.base_url).hostname or self.base_url
                error = transport_error(exc, host, self._timeout)
                log_attempt(method, path, params, type(error).__name__, started, attempt + 1)
                raise error from None
            log_attempt(method, path, params, str(response.status_code), started, attempt + 1)
            return response, sent_with

    async def _pass_gate(self, method: str, path: str) -> None:
        """Wait out a 429's Retry-After, or fail fast when it is longer than the policy allows."""
        left = self._closed_until - time.monotonic()
        if left > self._retry.max_wait:
            raise RateLimitError(
                status=429,
                code="rate_limit_exceeded",
                message="rate limited: waiting for the server's Retry-After before sending anything",
                method=method,
                path=path,
                retry_after=left,
            )
        # Loop: the deadline may move while we sleep, and a sleep may end a hair early.
        while (left := self._closed_until - time.monotonic()) > 0:  # noqa: ASYNC110 - a deadline, not an event
            await asyncio.sleep(left)

    async def _back_off(self, attempt: int, reason: str, at_least: float | None = None) -> None:
        delay = self._retry.delay(attempt)
        if at_least is not None and at_least <= self._retry.max_wait:
            # A 503's Retry-After is a hint for this request only, unlike a 429's account-wide limit.
            delay = max(delay, at_least)
        self._set_state("retrying", f"{reason}; retrying in {delay:.1f} s", time.monotonic() + delay)
        await asyncio.sleep(delay)
