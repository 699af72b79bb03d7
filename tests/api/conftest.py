"""A client factory pointed at the loopback simulator, with a fast retry policy."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from hfdash.api import ConnectionState, HeyGenClient, RetryPolicy
from hfdash.config.credentials import Credential, Secret
from hfdash.config.oauth import save_refreshed
from hfdash.simulator import Simulator
from tests.conftest import TEST_KEY

FAST = RetryPolicy(max_retries=3, base=0.01, cap=0.05, rand=lambda: 0.5)

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
