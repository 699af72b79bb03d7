"""The account a client talks to: where HeyGen's API is, and the credential it accepts.

Here rather than in config, so the api layer can take a credential through its constructor
without importing config (which finds the credential), and config can build one without api.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

DEFAULT_BASE_URL = "https://api.heygen.com"
DEFAULT_TOKEN_URL = "https://api2.heygen.com/v1/oauth/token"  # noqa: S105 - a URL, not a secret
# The public client id both HeyGen CLIs share (heygen-com/hyperframes
# packages/cli/src/auth/oauth.ts DEFAULT_CLIENT_ID; heygen-cli internal/auth/oauth/oauth.go
# DefaultClientID). It is public by design: the CLIs are PKCE public clients with no secret.
DEFAULT_CLIENT_ID = "q2A2QRSke2LrFTPJhoDbHtXh"
# Both CLIs call a token "expired" this long before its expiry, so a request in flight never races it.
EXPIRY_SKEW_SECONDS = 60.0
SIGN_IN_AGAIN = "sign in again with `hyperframes auth login`"

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True, eq=True)
class Secret:
    """A credential string whose repr and str never show it; call `reveal()` to use it."""

    _value: str = field(repr=False)

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('****')"

    __str__ = __repr__


@dataclass(frozen=True, slots=True)
class Credential:
    kind: Literal["api_key", "oauth"]
    source: str
    api_key: Secret | None = None
    access_token: Secret | None = None
    refresh_token: Secret | None = None
    expires_at: datetime | None = None
    file: Path | None = None
    warnings: tuple[str, ...] = ()
    # Who signed in, from the credentials file's display metadata (its `user` block), if known.
    user: str | None = None

    def expires_within(self, seconds: float, now: datetime | None = None) -> bool:
        if self.expires_at is None:
            return False
        return (self.expires_at - (now or datetime.now(UTC))).total_seconds() < seconds


def header_safe(value: str) -> bool:
    """Control characters in a header value would let a crafted credential inject headers."""
    return _CONTROL.search(value) is None
