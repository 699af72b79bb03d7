"""Where the API credential comes from, in the order HeyGen's CLIs use (contract §3-4).

1. `HEYGEN_API_KEY`, 2. `HYPERFRAMES_API_KEY`, 3. `HEYGEN_ACCESS_TOKEN` (an OAuth
access token, read as the hyperframes CLI does), 4. the shared `credentials` file in
`$HEYGEN_CONFIG_DIR` or `~/.heygen`. Where the two CLIs differ, hyperframes' rules win
because this is a HyperFrames tool (contract §11). A broken file stops resolution
rather than being skipped: silently falling through would hide a config bug.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hfdash.config.dirs import environ, heygen_config_dir
from hfdash.models.credential import (
    DEFAULT_BASE_URL,
    EXPIRY_SKEW_SECONDS,
    SIGN_IN_AGAIN,
    header_safe,
)
from hfdash.models.credential import Credential as Credential
from hfdash.models.credential import Secret as Secret

# hyperframes only accepts a legacy key line of printable, space-free ASCII (contract §4).
_LEGACY_KEY = re.compile(r"[!-~]{8,}")


class CredentialsError(Exception):
    """A credential source that exists but cannot be used. Never quotes the secret."""


def credentials_path(env: Mapping[str, str] | None = None) -> Path:
    return heygen_config_dir(env) / "credentials"


def base_url_from_env(env: Mapping[str, str] | None = None) -> str:
    """`HEYGEN_API_URL`, trailing slashes stripped, as the hyperframes CLI reads it (contract §2)."""
    return environ(env).get("HEYGEN_API_URL", "").strip().rstrip("/") or DEFAULT_BASE_URL


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
        return _from_json(path, label, text, now or datetime.now(UTC))
    if "\n" in text or "\r" in text:
        raise CredentialsError(f"{path} is not JSON and has more than one line")
    if not _LEGACY_KEY.fullmatch(text):
        raise CredentialsError(
            f"{path} is not JSON and does not look like an API key "
            "(expected one line of at least 8 printable characters, no spaces)"
        )
    return Credential(
        kind="api_key",
        source=f"{label} (API key)",
        api_key=Secret(text),
        file=path,
        warnings=_mode_warnings(path),
    )


def load_json_object(path: Path, text: str) -> dict[str, Any]:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        # Only the position: the message must never echo file content, which holds the key.
        raise CredentialsError(f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(raw, dict):
        raise CredentialsError(f"{path} must hold a JSON object")
    return raw


def _from_json(path: Path, label: str, text: str, now: datetime) -> Credential | None:
    raw = load_json_object(path, text)
    api_key = _secret(path, raw, "api_key")
    oauth, user = _object(path, raw, "oauth"), _object(path, raw, "user")
    if oauth is not None:
        access = _secret(path, oauth, "access_token", "oauth.")
        if access is None:
            raise CredentialsError(f"{path}: oauth.access_token must be a non-empty string")
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
            file=path,
            warnings=_mode_warnings(path),
            user=_user_name(user),
        )
        # hyperframes prefers OAuth when it is usable now or can be made usable by a refresh.
        if refresh is not None or not credential.expires_within(EXPIRY_SKEW_SECONDS, now):
            return credential
        if api_key is None:
            raise CredentialsError(
                f"the OAuth sign-in in {path} has expired and has no refresh token; {SIGN_IN_AGAIN}"
            )
    if api_key is None:
        return None  # hyperframes: JSON without a usable credential is "not configured" (§11.6)
    return Credential(
        kind="api_key", source=f"{label} (API key)", api_key=api_key, file=path, warnings=_mode_warnings(path)
    )


def _expiry(value: str | None) -> datetime | None:
    """RFC 3339 UTC; anything unparseable means "no expiry known" (contract §4)."""
    try:
        parsed = datetime.fromisoformat(value.replace("z", "Z")) if value else None
    except ValueError:
        return None
    return parsed if parsed is None or parsed.tzinfo else parsed.replace(tzinfo=UTC)


def account_key(credential: Credential) -> str:
    """What tells one account's data from another's: the same for every run signed in the same way.

    It holds the secret itself for keys and env tokens, so it is only ever hashed, never shown.
    An OAuth sign-in's tokens rotate, so it is known by its user, or else by its file.
    """
    if credential.api_key is not None and credential.kind == "api_key":
        return "api_key:" + credential.api_key.reveal()
    if credential.user is not None:
        return "user:" + credential.user
    if credential.file is not None:
        return f"file:{credential.file}"
    token = credential.access_token.reveal() if credential.access_token is not None else ""
    return "token:" + token


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


def _secret(path: Path, obj: Mapping[str, Any], key: str, prefix: str = "") -> Secret | None:
    value = obj.get(key)
    if value is None:
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
