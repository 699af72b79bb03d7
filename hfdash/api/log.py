"""The "hfdash.api" logger and the redaction every line written to it goes through.

Logs end up in bug reports, so nothing that grants access may reach them: auth headers
are masked, pagination tokens become a short hash (enough to tell pages apart), and
URLs lose their query strings, where presigned signatures live.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

logger = logging.getLogger("hfdash.api")

# API query parameters that carry no secret and help when reading a log.
_PLAIN_PARAMS = frozenset({"limit"})
# Whatever reaches the file is scrubbed once more as a whole line, traceback included: an
# exception's text (httpx's "for url '...'", say) can quote a presigned URL or a header.
_HEADER_VALUE = re.compile(
    r"((?:x-api-key|proxy-authorization|authorization|set-cookie|cookie)[\"']?\s*[:=]\s*[\"']?)"
    r"(?:bearer\s+)?[^\s\"',}]+",
    re.IGNORECASE,
)
_URL_QUERY = re.compile(r"(https?://[^\s?#\"'<>]*)[?#][^\s\"'<>]*", re.IGNORECASE)


def redact_url(url: str) -> str:
    """The URL without query string, fragment or userinfo, for logs and toasts."""
    try:
        parts = urlsplit(url)
        return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", ""))
    except ValueError:
        return url.split("?", 1)[0].split("#", 1)[0]


def strip_queries(text: str) -> str:
    return _URL_QUERY.sub(r"\1", text)


def short_hash(value: str) -> str:
    return "#" + hashlib.sha256(value.encode("utf-8")).hexdigest()[:8]


def describe_request(method: str, path: str, params: Mapping[str, str | int] | None) -> str:
    query = "&".join(
        f"{k}={v if k in _PLAIN_PARAMS else short_hash(str(v))}" for k, v in (params or {}).items()
    )
    return f"{method} {redact_url(path)}" + (f"?{query}" if query else "")


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return _HEADER_VALUE.sub(r"\1<redacted>", strip_queries(super().format(record)))


def log_attempt(
    method: str, path: str, params: Mapping[str, str | int] | None, outcome: str, started: float, attempt: int
) -> None:
    """One request's outcome and latency since `started` (time.monotonic())."""
    if logger.isEnabledFor(logging.DEBUG):
        took = (time.monotonic() - started) * 1000.0
        request = describe_request(method, path, params)
        logger.debug("%s -> %s in %.1f ms (attempt %d)", request, outcome, took, attempt)


def configure_file_log(path: Path) -> None:
    """Send hfdash's log to `path` (the CLI's `--log FILE`); calling twice adds one handler."""
    path = path.expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    target = str(path.resolve())
    root = logging.getLogger("hfdash")
    if any(getattr(handler, "baseFilename", None) == target for handler in root.handlers):
        return
    # The file may hold ids and titles of private content: readable by its owner only, also when
    # it was there before (touch sets the mode only of a file it creates).
    path.touch(mode=0o600)
    path.chmod(0o600)
    handler = logging.FileHandler(target, encoding="utf-8")  # at every level: it is a debug log
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    # They log each request's full URL at INFO, and presigned URLs carry their signature there.
    # Quiet them wherever else logging is routed too (a root handler, a debugger's console).
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
