"""Writing refreshed tokens back: atomic, private, and lossless for keys we do not model."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hfdash.config.credentials import CredentialsError, client_id, token_url, write_oauth_tokens
from hfdash.models.credential import DEFAULT_CLIENT_ID, DEFAULT_TOKEN_URL

WHEN = datetime(2026, 11, 23, 10, 0, 0, 500_000, tzinfo=UTC)


def test_settings_and_overrides() -> None:
    assert token_url({}) == DEFAULT_TOKEN_URL == "https://api2.heygen.com/v1/oauth/token"
    assert token_url({"HFDASH_OAUTH_TOKEN_URL": "http://127.0.0.1:1/t"}) == "http://127.0.0.1:1/t"
    assert client_id({}) == DEFAULT_CLIENT_ID
    assert client_id({"HFDASH_OAUTH_CLIENT_ID": "other"}) == "other"


def test_rewrite_keeps_unknown_keys_and_old_refresh_token(tmp_path: Path) -> None:
    path = tmp_path / "heygen" / "credentials"
    path.parent.mkdir()
    path.write_text(
        json.dumps(
            {
                "api_key": "hg_key",
                "oauth": {"access_token": "old", "refresh_token": "rt", "scope": "s", "x": 1},
                "user": {"email": "e", "y": 2},
                "z": [3],
            }
        )
    )
    path.chmod(0o644)
    write_oauth_tokens(path, access_token="new", refresh_token=None, expires_at=WHEN)
    saved = json.loads(path.read_text())
    assert saved == {
        "api_key": "hg_key",
        "oauth": {
            "access_token": "new",
            "refresh_token": "rt",
            "scope": "s",
            "x": 1,
            "expires_at": "2026-11-23T10:00:00Z",
        },
        "user": {"email": "e", "y": 2},
        "z": [3],
    }
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_legacy_and_missing_files_become_json(tmp_path: Path) -> None:
    legacy = tmp_path / "a" / "credentials"
    legacy.parent.mkdir()
    legacy.write_text("hg_legacy_key\n")
    write_oauth_tokens(legacy, access_token="at", refresh_token="rt", expires_at=None)
    assert json.loads(legacy.read_text()) == {
        "api_key": "hg_legacy_key",
        "oauth": {"access_token": "at", "refresh_token": "rt"},
    }
    fresh = tmp_path / "new" / "dir" / "credentials"
    write_oauth_tokens(fresh, access_token="at", refresh_token="rt", expires_at=WHEN)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600


def test_a_broken_file_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "broken" / "credentials"
    path.parent.mkdir()
    path.write_text("{not json")
    with pytest.raises(CredentialsError):
        write_oauth_tokens(path, access_token="at", refresh_token=None, expires_at=None)
    assert path.read_text() == "{not json"
    assert sorted(p.name for p in path.parent.iterdir()) == ["credentials"]
