"""HeyGen v3 API client: models + httpx, nothing from config, services or the UI."""

from hfdash.api.client import ConnectionState, HeyGenClient
from hfdash.api.errors import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    CertificateError,
    ConnectError,
    HttpStatusError,
    NotFoundError,
    OAuthRefreshError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    RequestTimeout,
    ResponseShapeError,
    ServerError,
    TransportError,
    UnsafePathError,
)
from hfdash.api.log import configure_file_log
from hfdash.api.retry import RetryPolicy, parse_retry_after
from hfdash.api.urls import redact_url

__all__ = [
    "ApiError",
    "AuthenticationError",
    "BadRequestError",
    "CertificateError",
    "ConnectError",
    "ConnectionState",
    "HeyGenClient",
    "HttpStatusError",
    "NotFoundError",
    "OAuthRefreshError",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestTimeout",
    "ResponseShapeError",
    "RetryPolicy",
    "ServerError",
    "TransportError",
    "UnsafePathError",
    "configure_file_log",
    "parse_retry_after",
    "redact_url",
]
