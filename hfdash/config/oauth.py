"""OAuth settings and the write-back of refreshed tokens to the shared credentials file.

The refresh call itself needs HTTP and lives in `hfdash.api.oauth`; this module only
knows where the token endpoint is and how to rewrite the file without losing anything
another tool put there (contract §3-4). The client is handed `save_refreshed` to call.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hfdash.config.credentials import CredentialsError, load_json_object
from hfdash.config.dirs import environ
from hfdash.config.durable import fsync_dir
from hfdash.models.credential import DEFAULT_CLIENT_ID, DEFAULT_TOKEN_URL, Credential

logger = logging.getLogger("hfdash.config")


def token_url(env: Mapping[str, str] | None = None) -> str:
    return environ(env).get("HFDASH_OAUTH_TOKEN_URL", "").strip() or DEFAULT_TOKEN_URL


def client_id(env: Mapping[str, str] | None = None) -> str:
    return environ(env).get("HFDASH_OAUTH_CLIENT_ID", "").strip() or DEFAULT_CLIENT_ID


def format_expires_at(moment: datetime) -> str:
    """`...Z` with whole seconds, as heygen-cli writes it; both CLIs read it back."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_oauth_tokens(
    path: Path, *, access_token: str, refresh_token: str | None, expires_at: datetime | None
) -> None:
    """Replace the `oauth` tokens in `path`, keeping every other key as it is on disk now.

    The file is re-read here rather than from memory so a change another tool made since
    start-up survives. A refresh that did not rotate the refresh token keeps the old one.
    """
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise CredentialsError(f"cannot read {path}: {exc}") from None
    document: dict[str, Any] = {"api_key": text} if text else {}
    if text.startswith("{"):
        document = load_json_object(path, text)
    # Otherwise a legacy one-line key, or nothing: the first write converts the file to JSON (contract §4).
    oauth_raw = document.get("oauth")
    oauth: dict[str, Any] = dict(oauth_raw) if isinstance(oauth_raw, dict) else {}
    oauth["access_token"] = access_token
    if refresh_token:
        oauth["refresh_token"] = refresh_token
    oauth.pop("expires_at", None)
    if expires_at is not None:
        oauth["expires_at"] = format_expires_at(expires_at)
    document["oauth"] = oauth
    _atomic_write_json(path, document)


def save_refreshed(credential: Credential) -> None:
    """Write a refreshed sign-in back to the file it came from; env tokens belong to whoever set them."""
    if credential.file is None or credential.access_token is None:
        return
    try:
        write_oauth_tokens(
            credential.file,
            access_token=credential.access_token.reveal(),
            refresh_token=credential.refresh_token.reveal() if credential.refresh_token else None,
            expires_at=credential.expires_at,
        )
    except (OSError, CredentialsError) as exc:
        # The new token still works for this run; losing the write only costs a sign-in later.
        logger.warning("could not save the refreshed sign-in to %s: %s", credential.file, exc)


def _atomic_write_json(path: Path, document: Mapping[str, Any]) -> None:
    """Temp file in the same directory, fsync, rename: a crash leaves the old file or the new one."""
    directory = path.parent
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        directory.chmod(0o700)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        # mkstemp already creates 0600, but fchmod makes it explicit whatever the platform does.
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write((json.dumps(document, indent=2) + "\n").encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp_name).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp_name).unlink()
        raise
    fsync_dir(directory)
