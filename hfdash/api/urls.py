"""URLs made safe to show: presigned URLs carry their signature in the query string."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

_URL_QUERY = re.compile(r"(https?://[^\s?#\"'<>]*)[?#][^\s\"'<>]*", re.IGNORECASE)


def redact_url(url: str) -> str:
    """The URL without query string, fragment or userinfo, for logs and toasts."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc.rpartition("@")[2]
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    except ValueError:
        return url.split("?", 1)[0].split("#", 1)[0]


def strip_queries(text: str) -> str:
    """`text` with the query string and fragment cut from every URL in it."""
    return _URL_QUERY.sub(r"\1", text)
