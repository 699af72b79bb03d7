"""Each failure the server (or the network) can produce becomes its typed error."""

from __future__ import annotations

import socket

import pytest

from hfdash.api.client import HeyGenClient
from hfdash.api.errors import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    ConnectError,
    HttpStatusError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTimeout,
    ResponseShapeError,
    ServerError,
    TransportError,
)
from hfdash.api.retry import RetryPolicy
from hfdash.config.credentials import Credential, Secret
from hfdash.simulator import Simulator
from tests.api.conftest import MakeClient, StateRecorder

NO_RETRY = RetryPolicy(max_retries=0, base=0.01)


async def test_400_carries_the_envelope(client: HeyGenClient) -> None:
    with pytest.raises(BadRequestError) as caught:
        await client.renders.list(limit=500)
    err = caught.value
    assert (err.status, err.code, err.param) == (400, "invalid_parameter", "limit")
    assert err.request_id and err.request_id.startswith("req_")
    assert (err.method, err.path) == ("GET", "/v3/hyperframes/renders")
    assert "limit" in str(err)


@pytest.mark.parametrize(
    ("fault", "error_class", "status"),
    [
        ("401", AuthenticationError, 401),
        ("403", PermissionDeniedError, 403),
        ("404", NotFoundError, 404),
        ("500", ServerError, 500),
    ],
)
async def test_status_faults_map_to_classes(
    make_client: MakeClient, sim: Simulator, fault: str, error_class: type[HttpStatusError], status: int
) -> None:
    client = make_client(retry=NO_RETRY)
    sim.state.faults.add(fault, count=1)
    with pytest.raises(error_class) as caught:
        await client.clip_jobs.list()
    assert caught.value.status == status
    assert caught.value.code


async def test_429_is_rate_limit_error_with_retry_after(make_client: MakeClient, sim: Simulator) -> None:
    client = make_client(retry=NO_RETRY)
    sim.state.faults.add("429", count=1, retry_after=2)
    with pytest.raises(RateLimitError) as caught:
        await client.renders.list()
    assert caught.value.retry_after == 2.0
    assert caught.value.code == "rate_limit_exceeded"


async def test_html_502_gets_a_short_clean_message(make_client: MakeClient, sim: Simulator) -> None:
    client = make_client(retry=NO_RETRY)
    sim.state.faults.add("502", count=1)
    with pytest.raises(ServerError) as caught:
        await client.renders.list()
    text = str(caught.value)
    assert caught.value.status == 502 and caught.value.code is None
    assert "<" not in text and "\n" not in text and len(text) < 300
    assert "Bad Gateway" in text


async def test_empty_503_body(make_client: MakeClient, sim: Simulator) -> None:
    client = make_client(retry=NO_RETRY)
    sim.state.faults.add("503", count=1)
    with pytest.raises(ServerError) as caught:
        await client.sessions.list()
    assert caught.value.status == 503 and "503" in str(caught.value)


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        ("malformed", "not valid JSON"),
        ("truncated", "not valid JSON"),
        ("wrong_content_type", "expected JSON, got text/html"),
    ],
)
async def test_bad_2xx_bodies_are_shape_errors(
    make_client: MakeClient, sim: Simulator, fault: str, words: str
) -> None:
    client = make_client(retry=NO_RETRY)
    sim.state.faults.add(fault, count=1)
    with pytest.raises(ResponseShapeError) as caught:
        await client.renders.list(limit=3)
    assert words in str(caught.value)
    assert "?" not in str(caught.value).split("got", 1)[-1].split("'")[0]


async def test_a_cut_off_body_is_read_again_but_an_html_one_and_a_delete_are_not(
    client: HeyGenClient, sim: Simulator
) -> None:
    sim.state.faults.add("truncated", count=1)
    before = len(sim.state.request_log)
    assert len((await client.renders.list(limit=3)).items) == 3
    assert len(sim.state.request_log) - before == 2

    # HTML in a 200 is a portal or a misrouted proxy: asking again would get the same page.
    sim.state.faults.add("wrong_content_type", count=1)
    with pytest.raises(ResponseShapeError):
        await client.renders.list(limit=3)

    # The delete happened whatever its answer says; sending it again would report a 404.
    render_id = (await client.renders.list(limit=1)).items[0].render_id
    sim.state.faults.add("truncated", count=1, method="DELETE")
    before = len(sim.state.request_log)
    with pytest.raises(ResponseShapeError, match="not valid JSON"):
        await client.renders.delete(render_id)
    assert len(sim.state.request_log) - before == 1


async def test_a_body_that_stays_cut_off_is_an_error_after_the_retries(
    client: HeyGenClient, sim: Simulator
) -> None:
    sim.state.faults.add("truncated", rate=1.0)
    before = len(sim.state.request_log)
    with pytest.raises(ResponseShapeError, match="it may have been cut off"):
        await client.renders.list(limit=3)
    assert len(sim.state.request_log) - before == 4


async def test_drifted_and_hostile_bodies_still_parse(client: HeyGenClient, sim: Simulator) -> None:
    sim.state.faults.add("drift", count=1)
    assert len((await client.renders.list(limit=3)).items) == 3
    sim.state.faults.add("hostile", count=1)
    assert len((await client.clip_jobs.list(limit=3)).items) == 3


async def test_timeout_via_slow_fault(make_client: MakeClient, sim: Simulator) -> None:
    client = make_client(retry=NO_RETRY, timeout=0.2)
    sim.state.faults.add("slow", count=1, delay=0.6)
    with pytest.raises(RequestTimeout) as caught:
        await client.renders.list()
    assert "did not answer within 0.2 s" in str(caught.value)


async def test_connection_refused_on_a_closed_port(make_client: MakeClient) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    states = StateRecorder()
    client = make_client(base_url=f"http://127.0.0.1:{port}", on_state=states)
    with pytest.raises(ConnectError) as caught:
        await client.renders.list()
    assert isinstance(caught.value, ApiError)
    assert client.request_count == 4  # the first try and three retries
    assert client.state.kind == "offline"
    assert states.kinds[:1] == ["retrying"] and states.kinds[-1] == "offline"


async def test_4xx_is_not_retried(client: HeyGenClient, sim: Simulator) -> None:
    sim.state.faults.add("403", count=5)
    with pytest.raises(PermissionDeniedError):
        await client.renders.list()
    assert client.request_count == 1


async def test_a_key_httpx_cannot_put_in_a_header_is_a_typed_error(make_client: MakeClient) -> None:
    # header_safe refuses control characters only; httpx sends header values as ASCII.
    client = make_client(Credential(kind="api_key", source="HEYGEN_API_KEY", api_key=Secret("clé_1234")))
    with pytest.raises(TransportError, match=r"characters HTTP cannot carry"):
        await client.renders.list()
