"""A client factory pointed at the loopback simulator, with a fast retry policy."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from hfdash.api.client import ConnectionState, HeyGenClient
from hfdash.api.retry import RetryPolicy
from hfdash.config.credentials import Credential, Secret, resolve_credential, save_refreshed
from hfdash.services.downloads.manager import DownloadManager, DownloadState
from hfdash.services.downloads.plan import Kind, Target
from hfdash.simulator import Simulator
from tests.conftest import TEST_KEY
from tests.oauth_files import write_credentials
from tests.services.conftest import served, sha256_of

FAST = RetryPolicy(max_retries=3, base=0.01, cap=0.05, rand=lambda: 0.5)
NO_RETRY = RetryPolicy(max_retries=0)

MakeClient = Callable[..., HeyGenClient]


def api_key_credential(key: str = TEST_KEY) -> Credential:
    return Credential(kind="api_key", source="HEYGEN_API_KEY", api_key=Secret(key))


@pytest.fixture
async def make_client(sim: Simulator) -> AsyncIterator[MakeClient]:
    clients: list[HeyGenClient] = []

    def factory(credential: Credential | None = None, **kwargs: Any) -> HeyGenClient:
        kwargs.setdefault("base_url", sim.url)
        kwargs.setdefault("retry", FAST)
        kwargs.setdefault("oauth_token_url", f"{sim.url}/v1/oauth/token")
        # As the command line wires it: a refreshed sign-in is written back to its file.
        kwargs.setdefault("on_refresh", save_refreshed)
        client = HeyGenClient(credential or api_key_credential(), **kwargs)
        clients.append(client)
        return client

    yield factory
    for client in clients:
        await client.aclose()


@pytest.fixture
async def client(make_client: MakeClient) -> HeyGenClient:
    return make_client()


class StateRecorder:
    def __init__(self) -> None:
        self.states: list[ConnectionState] = []

    def __call__(self, state: ConnectionState) -> None:
        self.states.append(state)

    @property
    def kinds(self) -> list[str]:
        return [state.kind for state in self.states]


class RecordingTransport(httpx.AsyncHTTPTransport):
    """A real transport that also keeps each request it sends, to check headers on the wire."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await super().handle_async_request(request)


async def every_kind_of_request(sim: Simulator, base: str, downloads: Path) -> None:
    """An OAuth refresh, a list, a get, a delete and a download, each checked for its answer."""
    previous = sim.state.base_url
    sim.state.base_url = base  # presigned URLs point where the client reaches the simulator
    try:
        tokens = sim.state.issue_oauth_tokens()
        write_credentials(tokens, expires_in=30)  # inside the skew: the first request refreshes
        credential = resolve_credential()
        assert credential is not None
        done = sim.state.add_render(status="completed")
        doomed = sim.state.add_render(status="failed")
        async with HeyGenClient(
            credential, base_url=base, oauth_token_url=f"{base}/v1/oauth/token", retry=NO_RETRY
        ) as client:
            page = await client.renders.list(limit=5)
            assert client.credential.access_token is not None
            assert client.credential.access_token.reveal() != tokens["access_token"]
            assert doomed["render_id"] in [r.id for r in page.items]
            assert (await client.renders.get(done["render_id"])).id == done["render_id"]
            assert await client.renders.delete(doomed["render_id"]) == doomed["render_id"]
            manager = DownloadManager(client, downloads)
            status = await manager.wait(manager.submit(Target(Kind.RENDER, done["render_id"])))
            await manager.aclose()
        assert status.state is DownloadState.DONE, status.error
        assert sha256_of(status.paths[0]) == served(sim, str(done["video_url"])).sha256
    finally:
        sim.state.base_url = previous
    kinds = {(e["method"], e["path"].split("/")[1]) for e in sim.state.request_log}
    assert kinds == {("POST", "v1"), ("GET", "v3"), ("DELETE", "v3"), ("GET", "files")}
