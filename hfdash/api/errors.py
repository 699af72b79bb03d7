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
    ├── PaginationError           the server's next_token would loop or is missing
    ├── OAuthRefreshError         the token endpoint refused the refresh token
    └── UnsafePathError           an id that cannot be put in a URL path (also a ValueError)

Messages never carry credentials or presigned query strings, and server text is cut to a
short, control-character-free excerpt, because it is untrusted and may be a whole HTML page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hfdash.api.log import strip_queries

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


class PaginationError(ApiError): ...


class OAuthRefreshError(ApiError): ...


class UnsafePathError(ApiError, ValueError): ...


_BY_STATUS: dict[int, type[HttpStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
}


def status_error_class(status: int) -> type[HttpStatusError]:
    """Branch on the status, never on the error code: codes differ by resource (contract §8)."""
    return ServerError if status >= 500 else _BY_STATUS.get(status, HttpStatusError)
