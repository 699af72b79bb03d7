"""OAuth end to end: proactive refresh, 401 → refresh → replay, write-back, refusal."""

from __future__ import annotations

import argparse
import asyncio
import json
import stat
from typing import Any
from urllib.parse import parse_qs

import pytest

from hfdash.__main__ import _client
from hfdash.api.client import HeyGenClient
from hfdash.api.errors import AuthenticationError, OAuthRefreshError
from hfdash.config.credentials import Credential, Secret, credentials_path, resolve_credential
from hfdash.models.credential import DEFAULT_CLIENT_ID
from hfdash.simulator import Simulator
from tests.api.conftest import MakeClient, RecordingTransport, StateRecorder
from tests.oauth_files import write_credentials


def file_client(make_client: MakeClient, **kwargs: Any) -> HeyGenClient:
    credential = resolve_credential()
    assert credential is not None and credential.kind == "oauth"
    return make_client(credential, **kwargs)


def calls(sim: Simulator) -> list[tuple[str, str, int]]:
    return [(e["method"], e["path"], e["status"]) for e in sim.state.request_log]


async def test_token_about_to_expire_is_refreshed_first(make_client: MakeClient, sim: Simulator) -> None:
    tokens = sim.state.issue_oauth_tokens()
    path = write_credentials(tokens, expires_in=30)  # inside the 60 s skew
    transport = RecordingTransport()
    client = file_client(make_client, transport=transport)
    await client.renders.list(limit=1)
    assert calls(sim) == [("POST", "/v1/oauth/token", 200), ("GET", "/v3/hyperframes/renders", 200)]
    assert sim.state.request_log[-1]["auth"] == "bearer"
    form = parse_qs(transport.requests[0].content.decode())
    assert form == {
        "grant_type": ["refresh_token"],
        "refresh_token": [tokens["refresh_token"]],
        "client_id": [DEFAULT_CLIENT_ID],
    }
    assert transport.requests[0].headers["content-type"] == "application/x-www-form-urlencoded"
    api_headers = transport.requests[1].headers
    assert api_headers["authorization"].startswith("Bearer ") and "x-api-key" not in api_headers

    saved = json.loads(path.read_text())
    assert saved["oauth"]["access_token"] == client.credential.access_token.reveal()  # type: ignore[union-attr]
    assert saved["oauth"]["refresh_token"] not in ("", tokens["refresh_token"])  # rotated
    assert saved["oauth"]["expires_at"].endswith("Z")
    assert saved["oauth"]["issuer_hint"] == {"keep": True}
    assert saved["user"] == {"email": "me@example.com", "avatar": "kept"}
    assert saved["future_block"] == [1, 2, 3]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == ["credentials"]  # no temp file left behind
    reread = resolve_credential()
    assert reread is not None and reread.refresh_token == client.credential.refresh_token


async def test_401_refreshes_and_replays_once(make_client: MakeClient, sim: Simulator) -> None:
    tokens = sim.state.issue_oauth_tokens()
    write_credentials(tokens, access="sim_at_revoked_or_unknown", expires_in=3600)
    client = file_client(make_client)
    page = await client.clip_jobs.list(limit=2)
    assert len(page.items) == 2
    assert calls(sim) == [
        ("GET", "/v3/ai-clipping", 401),
        ("POST", "/v1/oauth/token", 200),
        ("GET", "/v3/ai-clipping", 200),
    ]


async def test_401_after_a_refresh_is_not_replayed_again(make_client: MakeClient, sim: Simulator) -> None:
    tokens = sim.state.issue_oauth_tokens()
    write_credentials(tokens, expires_in=3600)
    states = StateRecorder()
    client = file_client(make_client, on_state=states)
    sim.state.faults.add("401", count=5, path_prefix="/v3/")
    with pytest.raises(AuthenticationError):
        await client.renders.list()
    assert [c[2] for c in calls(sim)] == [401, 200, 401]
    assert client.state.kind == "auth_failed"


async def test_refused_refresh_says_sign_in_and_keeps_file(make_client: MakeClient, sim: Simulator) -> None:
    tokens = sim.state.issue_oauth_tokens()
    path = write_credentials(tokens, access="sim_at_stale", expires_in=3600)
    before = path.read_bytes()
    sim.state.revoke_refresh_tokens()
    client = file_client(make_client)
    with pytest.raises(OAuthRefreshError) as caught:
        await client.renders.list()
    assert "hyperframes auth login" in str(caught.value)
    assert tokens["refresh_token"] not in str(caught.value)
    assert path.read_bytes() == before
    assert client.state.kind == "auth_failed"
    assert calls(sim) == [("GET", "/v3/hyperframes/renders", 401), ("POST", "/v1/oauth/token", 400)]


async def test_concurrent_requests_share_one_refresh(make_client: MakeClient, sim: Simulator) -> None:
    tokens = sim.state.issue_oauth_tokens()
    write_credentials(tokens, expires_in=10)
    client = file_client(make_client)
    await asyncio.gather(
        client.renders.list(limit=1),
        client.clip_jobs.list(limit=1),
        client.sessions.list(limit=1),
        client.renders.list(limit=2),
    )
    assert [c for c in calls(sim) if c[1] == "/v1/oauth/token"] == [("POST", "/v1/oauth/token", 200)]


async def test_concurrent_401s_share_one_refresh(make_client: MakeClient, sim: Simulator) -> None:
    tokens = sim.state.issue_oauth_tokens()
    write_credentials(tokens, access="sim_at_stale", expires_in=3600)
    client = file_client(make_client)
    await asyncio.gather(*(client.renders.list(limit=1) for _ in range(4)))
    assert len([c for c in calls(sim) if c[1] == "/v1/oauth/token"]) == 1


async def test_env_oauth_is_refreshed_in_memory_only(make_client: MakeClient, sim: Simulator) -> None:
    tokens = sim.state.issue_oauth_tokens()
    credential = Credential(
        kind="oauth",
        source="test",
        access_token=Secret("sim_at_stale"),
        refresh_token=Secret(tokens["refresh_token"]),
    )
    client = make_client(credential)
    await client.renders.list(limit=1)
    assert not credentials_path().exists()


async def test_heygen_access_token_env_is_bearer_without_refresh(
    make_client: MakeClient, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    tokens = sim.state.issue_oauth_tokens()
    monkeypatch.setenv("HEYGEN_ACCESS_TOKEN", tokens["access_token"])
    credential = resolve_credential()
    assert credential is not None and credential.source == "HEYGEN_ACCESS_TOKEN"
    client = make_client(credential)
    await client.renders.list(limit=1)
    assert sim.state.request_log[-1]["auth"] == "bearer"
    sim.state.faults.add("401", count=1)
    with pytest.raises(AuthenticationError):
        await client.renders.list(limit=1)
    assert [c[1] for c in calls(sim)].count("/v1/oauth/token") == 0


async def test_api_key_401_is_final(make_client: MakeClient, sim: Simulator) -> None:
    states = StateRecorder()
    client = make_client(
        Credential(kind="api_key", source="HEYGEN_API_KEY", api_key=Secret("wrong_key_123")), on_state=states
    )
    with pytest.raises(AuthenticationError):
        await client.renders.list()
    assert client.request_count == 1
    assert states.kinds == ["auth_failed"]


async def test_token_url_comes_from_the_environment(
    make_client: MakeClient, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HFDASH_OAUTH_TOKEN_URL", f"{sim.url}/v1/oauth/token")
    tokens = sim.state.issue_oauth_tokens()
    write_credentials(tokens, expires_in=5)
    client = _client(argparse.Namespace(api_url=sim.url), None)
    assert client is not None
    try:
        await client.renders.list(limit=1)
    finally:
        await client.aclose()
    assert calls(sim)[0] == ("POST", "/v1/oauth/token", 200)


async def test_refused_proactive_refresh_is_auth_failed(make_client: MakeClient, sim: Simulator) -> None:
    tokens = sim.state.issue_oauth_tokens()
    write_credentials(tokens, expires_in=5)
    sim.state.revoke_refresh_tokens()
    client = file_client(make_client)
    with pytest.raises(OAuthRefreshError, match="hyperframes auth login"):
        await client.renders.list()
    assert client.state.kind == "auth_failed"
    assert client.request_count == 0  # nothing reached the API with a token known to be stale
