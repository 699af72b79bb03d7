"""Error bodies in the contract's shapes: the v3 JSON envelope, OAuth errors, and S3-style XML."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.param = param

    def body(self) -> dict[str, Any]:
        return error_body(self.code, self.message, self.param)


def error_body(
    code: str, message: str, param: str | None = None, doc_url: str | None = None
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "param": param, "doc_url": doc_url}}


NOT_FOUND = {
    "render": ("hyperframes_render_not_found", "Render not found."),
    "clip_job": ("not_found", "AI clip job not found."),
    "session": ("not_found", "Session not found."),
    "video": ("not_found", "Video not found"),
}


def not_found(kind: str) -> ApiError:
    code, message = NOT_FOUND.get(kind, ("not_found", "Resource not found."))
    return ApiError(404, code, message)


def bad_limit() -> ApiError:
    return ApiError(400, "invalid_parameter", "'limit' must be between 1 and 100.", "limit")


def bad_token() -> ApiError:
    return ApiError(400, "invalid_parameter", "'token' is not a valid pagination token.", "token")


def bad_path() -> ApiError:
    return ApiError(400, "invalid_parameter", "Invalid request parameters.")


def unauthorized() -> ApiError:
    return ApiError(401, "authentication_failed", "Invalid or expired API key. Verify your x-api-key header.")


def forbidden() -> ApiError:
    return ApiError(403, "forbidden", "The API key does not have permission to perform this request.")


def rate_limited() -> ApiError:
    return ApiError(
        429,
        "rate_limit_exceeded",
        "Too many requests. Retry after the duration specified in the Retry-After header.",
    )


def internal() -> ApiError:
    return ApiError(500, "internal_error", "An internal error occurred. Please retry.")


PROXY_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)


def s3_error(code: str, message: str, request_id: str, **extra: str) -> bytes:
    parts = [f"<Code>{escape(code)}</Code>", f"<Message>{escape(message)}</Message>"]
    parts += [f"<{k}>{escape(v)}</{k}>" for k, v in extra.items()]
    parts.append(f"<RequestId>{escape(request_id)}</RequestId>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<Error>' + "".join(parts) + "</Error>").encode()
