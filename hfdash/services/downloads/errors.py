"""Why a download did not finish, as text safe to show the user.

Messages never contain a presigned URL's query string (it is a bearer credential).
"""

from __future__ import annotations


class DownloadError(Exception):
    """Base: the download stopped; any partial file is kept for a later resume."""


class AssetUnavailable(DownloadError):
    """The item has no URL for the asked file (heygen-cli's three cases, contract §7)."""

    def __init__(self, what: str, reason: str, detail: str | None = None) -> None:
        self.what = what
        self.reason = reason
        self.why = f"{reason} ({detail})" if detail else reason
        super().__init__(f"{what}: {self.why}")


class HostError(DownloadError):
    """The file host kept failing (expired URLs, dropped connections, 5xx) past the retry budget."""


class DiskError(DownloadError):
    """Writing to the destination failed: disk full, permission denied, file size limit."""


class SizeMismatch(DownloadError):
    """The bytes received do not match the size the host declared."""


# heygen-cli's mapping for a missing URL, kept verbatim so users see the same words (contract §7).
VIDEO_FAILED = "video failed"
ASSET_NOT_AVAILABLE = "asset not available"
NOT_READY = "not ready yet"
