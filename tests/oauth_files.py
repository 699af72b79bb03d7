"""A credentials file as `hyperframes auth login` writes it, with extra keys a rewrite must keep."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hfdash.config.credentials import credentials_path


def write_credentials(tokens: dict[str, Any], *, access: str | None = None, expires_in: float) -> Path:
    path = credentials_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    expires = (datetime.now(UTC) + timedelta(seconds=expires_in)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    document = {
        "oauth": {
            "access_token": access or tokens["access_token"],
            "refresh_token": tokens["refresh_token"],
            "expires_at": expires,
            "scope": "openid",
            "token_type": "Bearer",
            "issuer_hint": {"keep": True},
        },
        "user": {"email": "me@example.com", "avatar": "kept"},
        "future_block": [1, 2, 3],
    }
    path.write_text(json.dumps(document))
    path.chmod(0o600)
    return path
