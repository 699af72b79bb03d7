"""Turning an httpx response, or its failure, into a model or a typed error (contract §1, §9).

A gateway can answer with HTML, XML, an empty body or JSON of another shape. A 2xx
that is not the promised JSON is a ResponseShapeError; a non-2xx is classified by
its status alone, with the error envelope's details when there is one. A request that
got no usable response is a TransportError that names the host, never the URL.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Callable
from typing import TypeVar

import httpx

from hfdash.api.errors import (
    CertificateError,
    ConnectError,
    HttpStatusError,
    RequestTimeout,
    ResponseShapeError,
    TransportError,
    excerpt,
    sanitize,
    status_error_class,
)
from hfdash.models import ModelError, parse_error

T = TypeVar("T")


def _mime(response: httpx.Response) -> str:
    return str(response.headers.get("content-type", "")).split(";", 1)[0].strip().lower()


def _described(response: httpx.Response, limit: int) -> str:
    """The content type and a glimpse of the body, for a message about an answer that is not JSON."""
    mime = sanitize(_mime(response), limit) or "no content type"
    glimpse = excerpt(response.content.decode("utf-8", errors="replace"))
    return f"{mime}: {glimpse!r}" if glimpse else mime


def parse_body(response: httpx.Response, method: str, path: str, parse: Callable[[object], T]) -> T:
    where = f"{method} {path}"
    mime = _mime(response)
    if mime != "application/json" and not mime.endswith("+json"):
        raise ResponseShapeError(
            f"unexpected response to {where}: expected JSON, got {_described(response, 60)}"
        )
    try:
        body = json.loads(response.content)
    except ValueError:
        what = "is empty" if not response.content else "is not valid JSON (it may have been cut off)"
        raise ResponseShapeError(f"{where}: the body {what}") from None
    return shaped(method, path, lambda: parse(body))


def shaped(method: str, path: str, parse: Callable[[], T]) -> T:
    """What `parse` makes of the answer to `method path`; a body that does not fit is a typed error."""
    try:
        return parse()
    except ModelError as exc:
        raise ResponseShapeError(f"{method} {path}: {exc}") from None


def status_error(response: httpx.Response, method: str, path: str) -> HttpStatusError:
    raw_id = response.headers.get("x-request-id")
    reason = response.reason_phrase or "error"
    body = f" ({_described(response, 40)})" if response.content else ""
    message = f"the server answered {response.status_code} {reason} without an error description{body}"
    code, param, doc_url = None, None, None
    try:
        envelope = parse_error(json.loads(response.content))
    except ValueError:  # not JSON, or JSON without the error envelope (ModelError is a ValueError)
        pass
    else:
        message, code, doc_url = envelope.message, sanitize(envelope.code, 80), envelope.doc_url
        param = sanitize(envelope.param, 80) if envelope.param else None
    return status_error_class(response.status_code)(
        status=response.status_code,
        message=message,
        code=code,
        param=param,
        doc_url=doc_url,
        method=method,
        path=path,
        request_id=sanitize(raw_id, 100) if raw_id else None,
    )


def transport_error(exc: BaseException, host: str, timeout: float | None) -> TransportError:
    """What went wrong, from the exception's type only: httpx's own text can quote a whole URL."""
    unverified = _certificate_problem(exc)
    if unverified is not None:
        return CertificateError(
            f"the certificate of {host} is not trusted ({unverified}); if your network signs TLS with "
            "its own CA, point SSL_CERT_FILE at that CA bundle"
        )
    if isinstance(exc, UnicodeEncodeError):
        return TransportError(
            f"a request to {host} was not sent: a header holds characters HTTP cannot carry "
            "(is there a non-ASCII character in the credential?)"
        )
    if isinstance(exc, httpx.TimeoutException):
        return RequestTimeout(f"{host} did not answer within {timeout} s")
    if isinstance(exc, httpx.ProxyError):
        return ConnectError(f"the proxy did not connect us to {host}")
    if isinstance(exc, httpx.ConnectError):
        return ConnectError(f"cannot connect to {host}")
    return TransportError(f"the connection to {host} failed ({type(exc).__name__})")


def _certificate_problem(exc: BaseException) -> str | None:
    """OpenSSL's reason when a certificate check failed somewhere in the chain of causes."""
    seen: BaseException | None = exc
    for _ in range(10):  # a bounded walk: a chain of contexts can loop
        if isinstance(seen, ssl.SSLCertVerificationError):
            return sanitize(seen.verify_message or "certificate verify failed", 120)
        seen = seen and (seen.__cause__ or seen.__context__)
    return None
