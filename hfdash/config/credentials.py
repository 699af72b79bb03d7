"""Where the API credential comes from, in the order HeyGen's CLIs use (contract §3-4).

1. `HEYGEN_API_KEY`, 2. `HYPERFRAMES_API_KEY`, 3. `HEYGEN_ACCESS_TOKEN` (an OAuth
access token, read as the hyperframes CLI does), 4. the shared `credentials` file in
`$HEYGEN_CONFIG_DIR` or `~/.heygen`. Where the two CLIs differ, hyperframes' rules win
because this is a HyperFrames tool (contract §11). A broken file stops resolution
rather than being skipped: silently falling through would hide a config bug.

A refreshed OAuth sign-in is written back to that file (`save_refreshed`, which the client is
handed) without losing anything another tool put there (contract §3-4).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hfdash.config.dirs import environ, fsync_dir, heygen_config_dir
from hfdash.models.credential import (
    DEFAULT_BASE_URL,
    DEFAULT_CLIENT_ID,
    DEFAULT_TOKEN_URL,
    EXPIRY_SKEW_SECONDS,
    SIGN_IN_AGAIN,
    header_safe,
)
from hfdash.models.credential import Credential as Credential
from hfdash.models.credential import Secret as Secret

logger = logging.getLogger("hfdash.config")
# hyperframes only accepts a legacy key line of printable, space-free ASCII (contract §4).
_LEGACY_KEY = re.compile(r"[!-~]{8,}")


class CredentialsError(Exception):
    """A credential source that exists but cannot be used. Never quotes the secret."""


def credentials_path(env: Mapping[str, str] | None = None) -> Path:
    return heygen_config_dir(env) / "credentials"


def base_url_from_env(env: Mapping[str, str] | None = None) -> str:
    """`HEYGEN_API_URL`, trailing slashes stripped, as the hyperframes CLI reads it (contract §2)."""
    return environ(env).get("HEYGEN_API_URL", "").strip().rstrip("/") or DEFAULT_BASE_URL


def token_url(env: Mapping[str, str] | None = None) -> str:
    return environ(env).get("HFDASH_OAUTH_TOKEN_URL", "").strip() or DEFAULT_TOKEN_URL


def client_id(env: Mapping[str, str] | None = None) -> str:
    return environ(env).get("HFDASH_OAUTH_CLIENT_ID", "").strip() or DEFAULT_CLIENT_ID


def resolve_credential(
    env: Mapping[str, str] | None = None, now: datetime | None = None
) -> Credential | None:
    """The first configured source, or None when nothing is configured."""
    variables = environ(env)
    for name in ("HEYGEN_API_KEY", "HYPERFRAMES_API_KEY", "HEYGEN_ACCESS_TOKEN"):
        value = variables.get(name, "")
        if not value:
            continue
        if not header_safe(value):
            raise CredentialsError(f"{name} contains control characters; set it to the bare value")
        if name == "HEYGEN_ACCESS_TOKEN":
            return Credential(kind="oauth", source=name, access_token=Secret(value))
        return Credential(kind="api_key", source=name, api_key=Secret(value))
    path = credentials_path(env)
    try:
        text = path.read_bytes().decode("utf-8").strip()
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise CredentialsError(f"{path} is not UTF-8 text") from None
    except OSError as exc:
        raise CredentialsError(f"cannot read {path}: {exc.strerror or type(exc).__name__}") from None
    if not text:
        return None  # hyperframes treats an empty file as "not configured" (contract §11.5)
    label = _label(path, variables.get("HOME", ""))
    if text.startswith("{"):
        found = _from_json(path, label, text, now or datetime.now(UTC))
    elif "\n" in text or "\r" in text:
        raise CredentialsError(f"{path} is not JSON and has more than one line")
    elif not _LEGACY_KEY.fullmatch(text):
        raise CredentialsError(
            f"{path} is not JSON and does not look like an API key "
            "(expected one line of at least 8 printable characters, no spaces)"
        )
    else:
        found = Credential(kind="api_key", source=f"{label} (API key)", api_key=Secret(text))
    return None if found is None else replace(found, file=path, warnings=_mode_warnings(path))


def _load_json_object(path: Path, text: str) -> dict[str, Any]:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        # Only the position: the message must never echo file content, which holds the key.
        raise CredentialsError(f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(raw, dict):
        raise CredentialsError(f"{path} must hold a JSON object")
    return raw


def _from_json(path: Path, label: str, text: str, now: datetime) -> Credential | None:
    raw = _load_json_object(path, text)
    api_key = _secret(path, raw, "api_key")
    oauth, user = _object(path, raw, "oauth"), _object(path, raw, "user")
    if oauth is not None:
        access = _secret(path, oauth, "access_token", "oauth.", required=True)
        refresh = _secret(path, oauth, "refresh_token", "oauth.")
        expires = oauth.get("expires_at")
        if expires is not None and not isinstance(expires, str):
            raise CredentialsError(f"{path}: oauth.expires_at must be a string")
        credential = Credential(
            kind="oauth",
            source=f"{label} (OAuth)",
            access_token=access,
            refresh_token=refresh,
            expires_at=_expiry(expires),
            user=_user_name(user),
        )
        # hyperframes prefers OAuth when it is usable now or can be made usable by a refresh.
        if refresh is not None or not credential.expires_within(EXPIRY_SKEW_SECONDS, now):
            return credential
        if api_key is None:
            raise CredentialsError(
                f"the OAuth sign-in in {path} has expired and has no refresh token; {SIGN_IN_AGAIN}"
            )
    # hyperframes: JSON without a usable credential is "not configured" (§11.6)
    return (
        None if api_key is None else Credential(kind="api_key", source=f"{label} (API key)", api_key=api_key)
    )


def _expiry(value: str | None) -> datetime | None:
    """RFC 3339 UTC; anything unparseable means "no expiry known" (contract §4)."""
    try:
        parsed = datetime.fromisoformat(value.replace("z", "Z")) if value else None
    except ValueError:
        return None
    return parsed if parsed is None or parsed.tzinfo else parsed.replace(tzinfo=UTC)


def account_key(credential: Credential) -> str:
    """What tells one account's data from another's, run after run. It holds the secret itself for
    keys and env tokens, so it is only ever hashed; OAuth tokens rotate: a sign-in is its user or file."""
    if credential.api_key is not None and credential.kind == "api_key":
        return "api_key:" + credential.api_key.reveal()
    if credential.user is not None:
        return "user:" + credential.user
    if credential.file is not None:
        return f"file:{credential.file}"
    return "token:" + (credential.access_token.reveal() if credential.access_token is not None else "")


def _user_name(user: Mapping[str, Any] | None) -> str | None:
    for key in ("email", "username"):
        value = (user or {}).get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _object(path: Path, obj: Mapping[str, Any], key: str) -> Mapping[str, Any] | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, dict):
        raise CredentialsError(f"{path}: {key} must be a JSON object")
    return value


def _secret(
    path: Path, obj: Mapping[str, Any], key: str, prefix: str = "", required: bool = False
) -> Secret | None:
    value = obj.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise CredentialsError(f"{path}: {prefix}{key} must be a non-empty string")
    if not header_safe(value):
        raise CredentialsError(f"{path}: {prefix}{key} contains control characters")
    return Secret(value)


def _mode_warnings(path: Path) -> tuple[str, ...]:
    try:
        mode = path.stat().st_mode
    except OSError:
        return ()
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        return (f"{path} is accessible by other users (mode {stat.S_IMODE(mode):o}); run chmod 600 on it",)
    return ()


def _label(path: Path, home: str) -> str:
    """`~/.heygen/credentials` rather than the full home path, for status lines."""
    try:
        return "~/" + path.relative_to(Path(home) if home else Path.home()).as_posix()
    except ValueError:
        return str(path)


def write_oauth_tokens(
    path: Path, *, access_token: str, refresh_token: str | None, expires_at: datetime | None
) -> None:
    """Replace the `oauth` tokens in `path`, keeping every other key as it is on disk now (re-read, so a
    change another tool made since start-up survives). A refresh token that did not rotate is kept."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise CredentialsError(f"cannot read {path}: {exc}") from None
    document: dict[str, Any] = {"api_key": text} if text else {}
    if text.startswith("{"):
        document = _load_json_object(path, text)
    # Otherwise a legacy one-line key, or nothing: the first write converts the file to JSON (contract §4).
    oauth_raw = document.get("oauth")
    oauth: dict[str, Any] = dict(oauth_raw) if isinstance(oauth_raw, dict) else {}
    oauth["access_token"] = access_token
    if refresh_token:
        oauth["refresh_token"] = refresh_token
    oauth.pop("expires_at", None)
    if expires_at is not None:
        # `...Z` with whole seconds, as heygen-cli writes it; both CLIs read it back.
        oauth["expires_at"] = expires_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    document["oauth"] = oauth
    # Temp file in the same directory, fsync, rename: a crash leaves the old file or the new one.
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
