"""The one HTTP client: auth, timeouts, retries, the rate-limit gate and error mapping.

Every call goes through `_request`; the resources only name a path and a parser.
httpx is imported, and its client built, by the first request: a dashboard that
starts from its cache paints before it needs either.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Literal, TypeVar
from urllib.parse import urlencode

from hfdash.api import responses
from hfdash.api.errors import (
    ApiError,
    AuthenticationError,
    ConnectError,
    OAuthRefreshError,
    RateLimitError,
    RequestTimeout,
    TransportError,
)
from hfdash.api.gate import RateGate
from hfdash.api.log import log_attempt, logger
from hfdash.api.oauth import USER_AGENT, Authenticator
from hfdash.api.resources import ClipJobsResource, RendersResource, SessionsResource, VideosResource
from hfdash.api.retry import RetryPolicy, parse_retry_after
from hfdash.config.credentials import DEFAULT_BASE_URL, Credential, Secret
from hfdash.config.oauth import client_id as default_client_id
from hfdash.config.oauth import token_url as default_token_url

if TYPE_CHECKING:
    import ssl

    import httpx

    from hfdash.api.early import EarlyAnswer

__all__ = ["DEFAULT_BASE_URL", "ConnectionState", "HeyGenClient"]

T = TypeVar("T")
Params = Mapping[str, str | int]
# Seconds an early answer stays good for the request it was asked for ahead of.
EARLY_ANSWER_KEEPS = 10.0
# What httpx reads proxies from (trust_env): a request through one cannot be sent early.
_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy")
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
        transport: httpx.AsyncBaseTransport | None = None,
        oauth_token_url: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.request_count = 0
        self._retry = retry or RetryPolicy()
        self._timeout = timeout
        self._semaphore = asyncio.Semaphore(max_concurrency)
        self._gate = RateGate()
        self._on_state = on_state
        self._state = ConnectionState("ok")
        # The last final 401: when it came back, and the error, so requests queued before it fail alike.
        self._refused: tuple[float, AuthenticationError] | None = None
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._auth = Authenticator(
            credential,
            self._http,
            token_url=oauth_token_url or default_token_url(),
            client_id=default_client_id(),
            timeout=timeout,
        )
        # GETs sent before the event loop ran (ask_early), by path and query, until asked for.
        self._early: dict[tuple[str, str], tuple[float, Future[EarlyAnswer]]] = {}
        # Built once, by the early request's thread or the transport: loading the CA bundle takes ~20 ms.
        self._tls: ssl.SSLContext | None = None
        self._tls_lock = threading.Lock()
        self.renders = RendersResource(self)
        self.clip_jobs = ClipJobsResource(self)
        self.sessions = SessionsResource(self)
        self.videos = VideosResource(self)

    def __repr__(self) -> str:
        return f"HeyGenClient(base_url={self.base_url!r}, credential={self.credential_source!r})"

    @property
    def state(self) -> ConnectionState:
        return self._state

    @property
    def credential_source(self) -> str:
        return self._auth.credential.source

    @property
    def credential(self) -> Credential:
        """The credential in use now: after a refresh it holds the new tokens."""
        return self._auth.credential

    def ask_early(self, path: str, params: Params) -> bool:
        """Sends `GET path?params` now, from a thread, for the first request for the same to take.

        For a start that will ask for it first thing: its answer then comes while the rest of the
        program is imported. Not when the request would go through a proxy from the environment
        (only httpx's transport knows them) or the credential must be refreshed first; False then.
        """
        if _proxied() or self._auth.needs_refresh():
            return False
        from hfdash.api.early import ask

        headers = {"User-Agent": USER_AGENT, "Accept": "application/json", **self._auth.headers()}
        # Unencoded, so the answer needs no decoder before httpx sees it.
        headers["Accept-Encoding"] = "identity"
        query = _query(params)
        url = f"{self.base_url}{path}?{query}"
        self._early[path, query] = (time.monotonic(), ask(url, headers, self._timeout, self._tls_context))
        return True

    def _tls_context(self) -> ssl.SSLContext:
        """The one TLS context of this client's connections; thread-safe: the early request builds it."""
        with self._tls_lock:
            if self._tls is None:
                from hfdash.api.tls import client_context

                self._tls = client_context()
            return self._tls

    async def _early_answer(
        self, method: str, path: str, params: Params | None, http: httpx.AsyncClient
    ) -> httpx.Response | None:
        """The answer to a GET asked for early, once; None if there is none or it failed."""
        if not self._early or method != "GET":
            return None
        early = self._early.pop((path, _query(params or {})), None)
        if early is None:
            return None
        asked_at, asked = early
        if time.monotonic() - asked_at > EARLY_ANSWER_KEEPS:
            # Not asked for at start after all: a page this old would show a past state as the present.
            return None
        try:
            answer = await asyncio.wrap_future(asked)
        except Exception as error:  # any failure: the request is simply sent again
            logger.debug("the early request failed (%s); asking again", type(error).__name__)
            return None
        import httpx

        return httpx.Response(
            answer.status,
            headers=answer.headers,
            content=answer.body,
            request=http.build_request(method, path, params=params),
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": answer.reason.encode("latin-1")},
        )

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            import httpx

            from hfdash.api.transport import Http1Transport

            self._client = httpx.AsyncClient(
                base_url=self.base_url,
                transport=self._transport or Http1Transport(self._tls_context),
                timeout=httpx.Timeout(self._timeout),
                headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
                # A redirect to another host would carry x-api-key along (httpx only strips Authorization).
                follow_redirects=False,
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def __aenter__(self) -> HeyGenClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    def listen_for_state(self, callback: Callable[[ConnectionState], None] | None) -> None:
        """Calls `callback` with every new connection state from now on; None stops."""
        self._on_state = callback

    def _set_state(self, kind: StateKind, message: str = "", until: float | None = None) -> None:
        if kind == "ok" and self._state.kind == "rate_limited" and self._gate.remaining() > 0:
            # A request that was already in flight when the 429 came back does not lift the limit.
            return
        state = ConnectionState(kind, message, until)
        if state == self._state:
            return
        self._state = state
        if self._on_state is not None:
            try:
                self._on_state(state)
            except Exception:
                logger.exception("connection-state callback failed")

    async def _request(
        self,
        method: str,
        path: str,
        parse: Callable[[object], T],
        *,
        params: Params | None = None,
        op_timeout: float | httpx.Timeout | None = None,
    ) -> T:
        attempt = 0
        replayed_401 = False
        queued_at = time.monotonic()
        while True:
            try:
                response, used_token = await self._send(method, path, params, op_timeout, attempt, queued_at)
            except OAuthRefreshError as exc:  # the proactive refresh before sending was refused
                self._set_state("auth_failed", exc.message)
                raise
            except TransportError as exc:
                if not self._retry.should_retry(method, attempt):
                    self._set_state("offline", exc.message)
                    raise
                await self._back_off(attempt, exc.message)
                attempt += 1
                continue
            status = response.status_code
            if 200 <= status < 300:
                self._refused = None
                result = responses.parse_body(response, method, path, parse)
                self._set_state("ok")
                return result
            error = responses.status_error(response, method, path)
            if status == 401:
                if self._auth.can_refresh and not replayed_401:
                    replayed_401 = True
                    await self._refresh_after_401(used_token)
                    continue
                if isinstance(error, AuthenticationError):
                    self._refused = (time.monotonic(), error)
                self._set_state("auth_failed", error.message)
                raise error
            if isinstance(error, RateLimitError):
                await self._rate_limited(error, response, method, attempt)
                attempt += 1
                continue
            if status >= 500:
                if not self._retry.should_retry(method, attempt):
                    self._set_state("offline", f"the server keeps failing (HTTP {status})")
                    raise error
                hint = parse_retry_after(response.headers.get("Retry-After"), time.time())
                await self._back_off(attempt, f"server error (HTTP {status})", hint)
                attempt += 1
                continue
            self._set_state("ok")  # a 4xx still proves the service is reachable and the key accepted
            raise error

    async def _send(
        self,
        method: str,
        path: str,
        params: Params | None,
        op_timeout: float | httpx.Timeout | None,
        attempt: int,
        queued_at: float,
    ) -> tuple[httpx.Response, Secret | None]:
        self._refuse_long_wait(method, path)
        await self._gate.wait()
        async with self._semaphore:
            await self._auth.ensure_fresh()
            self._refuse_after_401(method, path, queued_at)
            # Re-check: a 429 may have closed the gate while we queued for a slot.
            self._refuse_long_wait(method, path)
            await self._gate.wait()
            headers = self._auth.headers()
            used_token = self._auth.credential.access_token
            self.request_count += 1
            started = time.monotonic()
            http = self._http()
            import httpx  # loaded by self._http() by now: a lookup, not an import

            try:
                response = await self._early_answer(method, path, params, http)
                if response is None:
                    response = await http.request(
                        method, path, params=params, headers=headers, timeout=op_timeout or self._timeout
                    )
            except httpx.HTTPError as exc:
                error = _transport_error(exc, http.base_url.host, op_timeout or self._timeout)
                log_attempt(method, path, params, type(error).__name__, _ms(started), attempt + 1)
                raise error from None
            log_attempt(method, path, params, str(response.status_code), _ms(started), attempt + 1)
            return response, used_token

    def _refuse_after_401(self, method: str, path: str, queued_at: float) -> None:
        """A request that queued before the credential was refused would carry it again: fail it here.

        Otherwise a poll of many items sends every queued GET into the same 401. Requests made
        after the refusal (the user resuming) are sent, since the credential may have been fixed.
        """
        if self._refused is None or queued_at > self._refused[0]:
            return
        refused = self._refused[1]
        raise AuthenticationError(
            status=401, message=refused.message, code=refused.code, method=method, path=path
        )

    def _refuse_long_wait(self, method: str, path: str) -> None:
        """Fail fast instead of sleeping through a Retry-After longer than the policy allows."""
        left = self._gate.remaining()
        if left > self._retry.max_wait:
            error = RateLimitError(
                status=429,
                code="rate_limit_exceeded",
                message="rate limited: waiting for the server's Retry-After before sending anything",
                method=method,
                path=path,
            )
            error.retry_after = left
            raise error

    async def _back_off(self, attempt: int, reason: str, at_least: float | None = None) -> None:
        delay = self._retry.delay(attempt)
        if at_least is not None and at_least <= self._retry.max_wait:
            # A 503's Retry-After is a hint for this request only, unlike a 429's account-wide limit.
            delay = max(delay, at_least)
        self._set_state("retrying", f"{reason}; retrying in {delay:.1f} s", time.monotonic() + delay)
        await asyncio.sleep(delay)

    async def _rate_limited(
        self, error: RateLimitError, response: httpx.Response, method: str, attempt: int
    ) -> None:
        retry_after = parse_retry_after(response.headers.get("Retry-After"), time.time())
        error.retry_after = retry_after
        wait = self._retry.delay(attempt, retry_after)
        until = self._gate.close_for(wait)
        self._set_state("rate_limited", f"rate limited; waiting {wait:.1f} s", until)
        too_long = retry_after is not None and retry_after > self._retry.max_wait
        if too_long or not self._retry.should_retry(method, attempt):
            raise error

    async def _refresh_after_401(self, used_token: Secret | None) -> None:
        try:
            await self._auth.refresh(stale=used_token, reason="the API answered 401")
        except OAuthRefreshError as exc:
            self._set_state("auth_failed", exc.message)
            raise


def _query(params: Params) -> str:
    return urlencode(sorted(params.items()))


def _proxied() -> bool:
    return any(value and name.lower() in _PROXY_VARIABLES for name, value in os.environ.items())


def _ms(started: float) -> float:
    return (time.monotonic() - started) * 1000.0


def _transport_error(exc: httpx.HTTPError, host: str, timeout: float | httpx.Timeout) -> ApiError:
    import httpx

    # Built from the exception type only: httpx's own text and request carry URLs and headers.
    if isinstance(exc, httpx.TimeoutException):
        seconds = timeout if isinstance(timeout, int | float) else timeout.read
        return RequestTimeout(f"{host} did not answer within {seconds} s")
    if isinstance(exc, httpx.ConnectError):
        return ConnectError(f"cannot connect to {host}")
    if isinstance(exc, httpx.TransportError):
        return TransportError(f"the connection to {host} failed ({type(exc).__name__})")
    return TransportError(f"the request to {host} failed ({type(exc).__name__})")
