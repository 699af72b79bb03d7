"""The credential chain and every credentials-file format, good and broken (contract §3-4, §11)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hfdash.config.credentials import (
    CredentialsError,
    account_key,
    base_url_from_env,
    credentials_path,
    resolve_credential,
)
from hfdash.models.credential import DEFAULT_BASE_URL

KEY = "hg_file_key_1234567890"
SOON = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
PAST = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


def env_for(home: Path, **values: str) -> dict[str, str]:
    return {"HOME": str(home), **values}


def write(home: Path, content: str | bytes, mode: int = 0o600) -> Path:
    path = home / ".heygen" / "credentials"
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    path.chmod(mode)
    return path


def write_json(home: Path, document: dict[str, Any]) -> Path:
    return write(home, json.dumps(document))


def test_nothing_configured(isolated_env: Path) -> None:
    assert resolve_credential(env_for(isolated_env)) is None


def test_env_precedence(isolated_env: Path) -> None:
    write(isolated_env, KEY)
    full = env_for(
        isolated_env, HEYGEN_API_KEY="a" * 10, HYPERFRAMES_API_KEY="b" * 10, HEYGEN_ACCESS_TOKEN="c"
    )
    order = []
    for drop in ("", "HEYGEN_API_KEY", "HYPERFRAMES_API_KEY", "HEYGEN_ACCESS_TOKEN"):
        full.pop(drop, None)
        cred = resolve_credential(full)
        assert cred is not None
        order.append((cred.source, cred.kind))
    assert order == [
        ("HEYGEN_API_KEY", "api_key"),
        ("HYPERFRAMES_API_KEY", "api_key"),
        ("HEYGEN_ACCESS_TOKEN", "oauth"),
        ("~/.heygen/credentials (API key)", "api_key"),
    ]


def test_env_values_and_access_token(isolated_env: Path) -> None:
    cred = resolve_credential(env_for(isolated_env, HEYGEN_ACCESS_TOKEN="tok"))
    assert cred is not None and cred.access_token is not None and cred.access_token.reveal() == "tok"
    assert cred.refresh_token is None and cred.file is None and cred.api_key is None
    assert resolve_credential(env_for(isolated_env, HEYGEN_API_KEY="")) is None  # empty falls through


@pytest.mark.parametrize("name", ["HEYGEN_API_KEY", "HYPERFRAMES_API_KEY", "HEYGEN_ACCESS_TOKEN"])
def test_env_control_characters_are_rejected(isolated_env: Path, name: str) -> None:
    with pytest.raises(CredentialsError, match=name) as caught:
        resolve_credential(env_for(isolated_env, **{name: "secretvalue\r\nX-Evil: 1"}))
    assert "secretvalue" not in str(caught.value)


def test_heygen_config_dir_moves_the_file(isolated_env: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    env = env_for(isolated_env, HEYGEN_CONFIG_DIR=str(other))
    assert credentials_path(env) == other / "credentials"
    assert credentials_path(env_for(isolated_env)) == isolated_env / ".heygen" / "credentials"
    other.mkdir()
    (other / "credentials").write_text(KEY)
    cred = resolve_credential(env)
    assert cred is not None and cred.file == other / "credentials"


def test_legacy_line(isolated_env: Path) -> None:
    path = write(isolated_env, f"  {KEY}\n")
    cred = resolve_credential(env_for(isolated_env))
    assert cred is not None and cred.api_key is not None
    assert cred.api_key.reveal() == KEY and cred.file == path and cred.warnings == ()
    assert path.read_text() == f"  {KEY}\n"  # a read never rewrites


@pytest.mark.parametrize("content", ["", "   \n\t\n"])
def test_empty_file_is_not_configured(isolated_env: Path, content: str) -> None:
    write(isolated_env, content)
    assert resolve_credential(env_for(isolated_env)) is None


def test_json_api_key_only(isolated_env: Path) -> None:
    write_json(isolated_env, {"api_key": KEY, "user": {"email": "x@y"}, "extra": 1})
    cred = resolve_credential(env_for(isolated_env))
    assert cred is not None and cred.kind == "api_key" and cred.source.endswith("(API key)")


def test_json_oauth_only(isolated_env: Path) -> None:
    write_json(isolated_env, {"oauth": {"access_token": "at", "refresh_token": "rt", "expires_at": SOON}})
    cred = resolve_credential(env_for(isolated_env))
    assert cred is not None and cred.kind == "oauth" and cred.source == "~/.heygen/credentials (OAuth)"
    assert cred.expires_at is not None and cred.expires_at.tzinfo is not None
    assert cred.refresh_token is not None and cred.refresh_token.reveal() == "rt"


@pytest.mark.parametrize(
    ("oauth", "expected"),
    [
        ({"access_token": "at", "expires_at": SOON}, "oauth"),  # unexpired
        ({"access_token": "at", "refresh_token": "rt", "expires_at": PAST}, "oauth"),  # refreshable
        ({"access_token": "at", "expires_at": PAST}, "api_key"),  # expired, no refresh
        ({"access_token": "at", "expires_at": "not a date"}, "oauth"),  # no expiry known
        ({"access_token": "at"}, "oauth"),
    ],
)
def test_file_with_both_follows_hyperframes(isolated_env: Path, oauth: dict[str, str], expected: str) -> None:
    write_json(isolated_env, {"api_key": KEY, "oauth": oauth})
    cred = resolve_credential(env_for(isolated_env))
    assert cred is not None and cred.kind == expected


def test_expired_oauth_without_fallback_says_sign_in(isolated_env: Path) -> None:
    write_json(isolated_env, {"oauth": {"access_token": "at", "expires_at": PAST}})
    with pytest.raises(CredentialsError, match="hyperframes auth login"):
        resolve_credential(env_for(isolated_env))


def test_json_without_a_usable_credential_is_not_configured(isolated_env: Path) -> None:
    write_json(isolated_env, {"user": {"email": "x@y"}, "api_key": None})
    assert resolve_credential(env_for(isolated_env)) is None


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"api_key": "hg_secret_value_1", ', "not valid JSON"),
        ("[1, 2]", "not JSON and does not look like an API key"),
        ('{"oauth": "x"}', "oauth must be a JSON object"),
        ('{"user": "x", "api_key": "hg_secret_value_1"}', "user must be a JSON object"),
        ('{"api_key": 12345678}', "api_key must be a non-empty string"),
        ('{"api_key": ""}', "api_key must be a non-empty string"),
        ('{"api_key": "hg_secret_value_1\\n"}', "api_key contains control characters"),
        ('{"oauth": {"refresh_token": "rt"}}', "oauth.access_token must be a non-empty string"),
        ('{"oauth": {"access_token": ""}}', "oauth.access_token must be a non-empty string"),
        ('{"oauth": {"access_token": "a\\u0000b"}}', "oauth.access_token contains control characters"),
        ('{"oauth": {"access_token": "a", "refresh_token": 5}}', "oauth.refresh_token must be"),
        ('{"oauth": {"access_token": "a", "expires_at": 5}}', "oauth.expires_at must be a string"),
        ("hg_secret_value_1\nsecond line", "more than one line"),
        ("short", "does not look like an API key"),
        ("hg secret value 1", "does not look like an API key"),
    ],
)
def test_malformed_files_name_the_file_and_problem(isolated_env: Path, content: str, problem: str) -> None:
    path = write(isolated_env, content)
    with pytest.raises(CredentialsError) as caught:
        resolve_credential(env_for(isolated_env))
    message = str(caught.value)
    assert str(path) in message and problem in message
    assert "secret" not in message


def test_unreadable_and_non_utf8_files(isolated_env: Path) -> None:
    path = write(isolated_env, b"\xff\xfe\x00garbage")
    with pytest.raises(CredentialsError, match="not UTF-8"):
        resolve_credential(env_for(isolated_env))
    path.unlink()
    path.mkdir()  # a directory where the file should be: present but unreadable
    with pytest.raises(CredentialsError, match="cannot read"):
        resolve_credential(env_for(isolated_env))


def test_loose_mode_adds_a_warning(isolated_env: Path) -> None:
    path = write(isolated_env, KEY, mode=0o644)
    cred = resolve_credential(env_for(isolated_env))
    assert cred is not None and len(cred.warnings) == 1
    assert str(path) in cred.warnings[0] and "644" in cred.warnings[0]


def test_base_url_from_env() -> None:
    assert base_url_from_env({}) == DEFAULT_BASE_URL == "https://api.heygen.com"
    assert base_url_from_env({"HEYGEN_API_URL": "http://127.0.0.1:9/api//"}) == "http://127.0.0.1:9/api"
    assert base_url_from_env({"HEYGEN_API_URL": "  "}) == DEFAULT_BASE_URL


def test_the_account_key_tells_accounts_apart_and_survives_token_rotation(isolated_env: Path) -> None:
    def key_for(**values: str) -> str:
        credential = resolve_credential(env_for(isolated_env, **values))
        assert credential is not None
        return account_key(credential)

    assert key_for(HEYGEN_API_KEY="a" * 10) == key_for(HYPERFRAMES_API_KEY="a" * 10)
    assert key_for(HEYGEN_API_KEY="a" * 10) != key_for(HEYGEN_API_KEY="b" * 10)

    def signed_in(access: str, email: str | None) -> str:
        oauth = {"access_token": access, "refresh_token": f"r-{access}", "expires_at": SOON}
        write_json(isolated_env, {"oauth": oauth, **({"user": {"email": email}} if email else {})})
        return key_for()

    assert signed_in("t1", "ana@example.com") == signed_in("t2", "ana@example.com")
    assert signed_in("t1", "ana@example.com") != signed_in("t1", "ben@example.com")
    # Without a user block, one sign-in file stands for one account, whatever its tokens.
    assert signed_in("t1", None) == signed_in("t2", None)
