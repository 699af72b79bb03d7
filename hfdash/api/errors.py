"""Everything the client raises. `str(error)` is always safe to show a user.

    ApiError                      base; .message
    ├── TransportError            no usable HTTP response
    │   ├── ConnectError          could not connect (DNS, refused, offline, proxy refused)
    │   │   └── CertificateError  the host's certificate is not trusted: not retried
    │   └── RequestTimeout        connected, but the answer took too long
    ├── HttpStatusError           a non-2xx answer; .status .code .param .doc_url .request_id
    │   ├── BadRequestError       400
    │   ├── AuthenticationError   401
    │   ├── PermissionDeniedError 403
    │   ├── NotFoundError         404
    │   ├── RateLimitError        429; .retry_after
    │   └── ServerError           5xx
    ├── ResponseShapeError        a 2xx whose body is not the JSON the contract promises
    │   └── BrokenJsonError       JSON that does not decode, as a cut-off body: a GET is retried
    ├── PaginationError           the server's next_token would loop or is missing
    ├── OAuthRefreshError         the token endpoint refused the refresh token
    └── UnsafePathError           an id that cannot be put in a URL path (also a ValueError)

Messages never carry credentials or presigned query strings, and server text is cut to a
short, control-character-free excerpt, because it is untrusted and may be a whole HTML page.

The functions at the end read an httpx answer, or its failure (contract §1, §9). A gateway can
answer with HTML, XML, an empty body or other JSON: a 2xx that is not the promised JSON is a
ResponseShapeError; a non-2xx is classified by its status alone, with the error envelope's
details when there is one; no usable answer is a TransportError naming the host, never the URL.
"""

from __future__ import annotations

import json
import re
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import httpx

from hfdash.api.log import strip_queries
from hfdash.models.parse import ModelError, parse_error

T = TypeVar("T")

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_TAGS = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def sanitize(text: str, limit: int = 200) -> str:
    """One line of plain text, at most `limit` characters; URL queries (presigned signatures) cut."""
    flat = _SPACE.sub(" ", _CONTROL.sub(" ", strip_queries(text))).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def excerpt(body: str, limit: int = 80) -> str:
    """A glimpse of a non-JSON body (HTML error page, XML) with the markup removed."""
    return sanitize(_TAGS.sub(" ", body), limit)


class ApiError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TransportError(ApiError): ...


class ConnectError(TransportError): ...


class CertificateError(ConnectError): ...


class RequestTimeout(TransportError): ...


@dataclass(kw_only=True, eq=False, repr=False)
class HttpStatusError(ApiError):
    status: int
    message: str
    method: str
    path: str
    code: str | None = None
    param: str | None = None
    doc_url: str | None = None
    request_id: str | None = None

    def __post_init__(self) -> None:
        super().__init__(sanitize(self.message))

    def __str__(self) -> str:
        code = f" {self.code}" if self.code else ""
        param = f" (param: {self.param})" if self.param else ""
        request = f", request id {self.request_id}" if self.request_id else ""
        return f"HTTP {self.status}{code}: {self.message}{param} [{self.method} {self.path}{request}]"


class BadRequestError(HttpStatusError): ...


class AuthenticationError(HttpStatusError): ...


class PermissionDeniedError(HttpStatusError): ...


class NotFoundError(HttpStatusError): ...


@dataclass(kw_only=True, eq=False, repr=False)
class RateLimitError(HttpStatusError):
    retry_after: float | None = None

    def __str__(self) -> str:
        base = super().__str__()
        return base if self.retry_after is None else f"{base}; retry in {self.retry_after:.0f} s"


class ServerError(HttpStatusError): ...


class ResponseShapeError(ApiError): ...


class BrokenJsonError(ResponseShapeError): ...


class PaginationError(ApiError): ...


class OAuthRefreshError(ApiError): ...


class UnsafePathError(ApiError, ValueError): ...


# Errors branch on the status, never on the error code: codes differ by resource (contract §8).
_BY_STATUS: dict[int, type[HttpStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
}


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
            f"unexpected response: expected JSON, got {_described(response, 60)} [{where}]"
        )
    try:
        body = json.loads(response.content)
    except ValueError:
        what = "is empty" if not response.content else "is not valid JSON (it may have been cut off)"
        raise BrokenJsonError(f"the body {what} [{where}]") from None
    return shaped(method, path, lambda: parse(body))


def shaped(method: str, path: str, parse: Callable[[], T]) -> T:
    """What `parse` makes of the answer to `method path`; a body that does not fit is a typed error."""
    try:
        return parse()
    except ModelError as exc:
        raise ResponseShapeError(f"{exc} [{method} {path}]") from None


def status_error(response: httpx.Response, method: str, path: str) -> HttpStatusError:
    status, raw_id = response.status_code, response.headers.get("x-request-id")
    body = f" ({_described(response, 40)})" if response.content else ""
    reason = response.reason_phrase or "error"
    message = f"the server answered {status} {reason} without an error description{body}"
    code, param, doc_url = None, None, None
    try:
        envelope = parse_error(json.loads(response.content))
    except ValueError:  # not JSON, or JSON without the error envelope (ModelError is a ValueError)
        pass
    else:
        message, code, doc_url = envelope.message, sanitize(envelope.code, 80), envelope.doc_url
        param = sanitize(envelope.param, 80) if envelope.param else None
    return (ServerError if status >= 500 else _BY_STATUS.get(status, HttpStatusError))(
        status=status,
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
    for _ in range(10):  # bounded: a chain of causes may be circular
        if isinstance(seen, ssl.SSLCertVerificationError):
            return sanitize(seen.verify_message or "certificate verify failed", 120)
        seen = seen and (seen.__cause__ or seen.__context__)
    return None
