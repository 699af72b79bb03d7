"""The transfer engine against the simulator's file host: resume, expiry, drops, no Range."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from hfdash.api.client import HeyGenClient
from hfdash.api.files import FileClient
from hfdash.services.downloads.engine import DownloadError, FileResult, Progress, transfer
from hfdash.services.downloads.plan import Kind, Target, fresh_url, plan
from hfdash.simulator import Simulator
from hfdash.simulator.files import expected_bytes
from tests.conftest import sim_config
from tests.services.conftest import (
    Served,
    chunked,
    exists,
    file_statuses,
    listing,
    mtime,
    put,
    raw_server,
    read,
    response,
    served,
    sha256_of,
)

RENDER = "hfr_engine"


class Source:
    """A URL source that GETs the render each time, counting how often."""

    def __init__(self, client: HeyGenClient) -> None:
        self.client = client
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        planned = await plan(self.client, Target(Kind.RENDER, RENDER))
        return await fresh_url(self.client, Target(Kind.RENDER, RENDER), planned.files[0])


def add_render(sim: Simulator) -> Served:
    view = sim.state.add_render(render_id=RENDER, status="completed")
    return served(sim, str(view["video_url"]))


async def fetch(http: FileClient, client: HeyGenClient, downloads: Path, **kw: object) -> FileResult:
    return await transfer(http, Source(client), downloads, "f.mp4", retry_delay=0.0, **kw)  # type: ignore[arg-type]


async def test_normal_download(
    sim: Simulator, client: HeyGenClient, http: FileClient, downloads: Path
) -> None:
    want = add_render(sim)
    progress = Progress()
    result = await transfer(http, Source(client), downloads, "f.mp4", progress=progress)
    assert result == FileResult(downloads / "f.mp4", want.size)
    assert sha256_of(result.path) == want.sha256
    assert listing(downloads) == ["f.mp4"]
    assert (progress.done, progress.total) == (want.size, want.size)
    assert file_statuses(sim) == [200]


async def test_existing_part_resumes_with_range(
    sim: Simulator, client: HeyGenClient, http: FileClient, downloads: Path
) -> None:
    want = add_render(sim)
    put(downloads / "f.mp4.part", expected_bytes(want.key, want.size)[:70_000])
    result = await fetch(http, client, downloads)
    assert result.resumed_from == 70_000
    assert sha256_of(result.path) == want.sha256
    assert file_statuses(sim) == [206]
    assert not exists(downloads / "f.mp4.part")


async def test_complete_part_is_published_after_416(
    sim: Simulator, client: HeyGenClient, http: FileClient, downloads: Path
) -> None:
    want = add_render(sim)
    put(downloads / "f.mp4.part", expected_bytes(want.key, want.size))
    result = await fetch(http, client, downloads)
    assert sha256_of(result.path) == want.sha256
    assert file_statuses(sim) == [416]


async def test_host_without_range_support_restarts_from_zero(
    sim: Simulator, client: HeyGenClient, http: FileClient, downloads: Path
) -> None:
    want = add_render(sim)
    put(downloads / "f.mp4.part", b"\xff" * 50_000)
    sim.state.faults.add("no_range", count=1, path_prefix="/files/")
    result = await fetch(http, client, downloads)
    assert result.resumed_from == 0
    assert sha256_of(result.path) == want.sha256
    assert file_statuses(sim) == [200]


async def test_url_expiring_mid_download_is_refetched_and_resumed(
    sim: Simulator, client: HeyGenClient, http: FileClient, downloads: Path
) -> None:
    want = add_render(sim)
    sim.state.faults.add("drop", count=1, after_bytes=80_000, path_prefix="/files/")
    reasons: list[str] = []

    def expire_next(attempt: int, reason: str) -> None:
        reasons.append(reason)
        if attempt == 1:
            sim.state.faults.add("expire_url", count=1, path_prefix="/files/")

    source = Source(client)
    result = await transfer(http, source, downloads, "f.mp4", on_retry=expire_next, retry_delay=0.0)
    assert sha256_of(result.path) == want.sha256
    assert file_statuses(sim) == [200, 403, 206]
    assert source.calls == 3
    assert "expired" in reasons[1]


async def test_dropped_connections_resume_each_time(
    sim: Simulator, client: HeyGenClient, http: FileClient, downloads: Path
) -> None:
    want = add_render(sim)
    sim.state.faults.add("drop", count=3, after_bytes=30_000, path_prefix="/files/")
    result = await fetch(http, client, downloads)
    assert sha256_of(result.path) == want.sha256
    assert file_statuses(sim) == [200, 206, 206, 206]


async def test_transient_5xx_is_retried(
    sim: Simulator, client: HeyGenClient, http: FileClient, downloads: Path
) -> None:
    want = add_render(sim)
    sim.state.faults.add("503", count=2, path_prefix="/files/")
    result = await fetch(http, client, downloads)
    assert sha256_of(result.path) == want.sha256
    assert file_statuses(sim) == [503, 503, 200]


async def test_failures_without_progress_give_up_and_keep_the_partial(
    sim: Simulator, client: HeyGenClient, http: FileClient, downloads: Path
) -> None:
    add_render(sim)
    put(downloads / "f.mp4.part", b"kept")
    sim.state.faults.add("404", rate=1.0, path_prefix="/files/")
    with pytest.raises(DownloadError, match=r"gave up after 3 .*404") as caught:
        await fetch(http, client, downloads, max_failures=2)
    assert "X-Amz" not in str(caught.value)
    assert exists(downloads / "f.mp4.part")
    assert not exists(downloads / "f.mp4")


async def test_same_file_already_there_is_left_alone(
    sim: Simulator, client: HeyGenClient, http: FileClient, downloads: Path
) -> None:
    want = add_render(sim)
    put(downloads / "f.mp4", expected_bytes(want.key, want.size))
    before = mtime(downloads / "f.mp4")
    result = await fetch(http, client, downloads)
    assert result.existed and result.path == downloads / "f.mp4"
    assert mtime(downloads / "f.mp4") == before
    assert listing(downloads) == ["f.mp4"]


async def test_a_different_file_of_the_same_name_is_never_overwritten(
    sim: Simulator, client: HeyGenClient, http: FileClient, downloads: Path
) -> None:
    want = add_render(sim)
    put(downloads / "f.mp4", b"mine")
    put(downloads / "f (1).mp4", b"also mine")
    result = await fetch(http, client, downloads)
    assert result.path == downloads / "f (2).mp4"
    assert sha256_of(result.path) == want.sha256
    assert read(downloads / "f.mp4") == b"mine"
    assert read(downloads / "f (1).mp4") == b"also mine"


# -- the direct client under the engine ----------------------------------------------------------


async def test_a_large_file_dropped_midway_resumes_and_hashes_right(
    sim: Simulator, client: HeyGenClient, http: FileClient, downloads: Path
) -> None:
    # Several full reads of the client's buffer, and a drop far from any buffer boundary.
    sim.state.reset(sim_config(file_size=9_000_000))
    want = add_render(sim)
    sim.state.faults.add("drop", count=1, after_bytes=5_555_555, path_prefix="/files/")
    result = await fetch(http, client, downloads)
    assert sha256_of(result.path) == want.sha256
    assert file_statuses(sim) == [200, 206]
    assert result.resumed_from == 5_555_555


def _halves(data: bytes) -> Callable[[int, bytes], list[bytes]]:
    """First connection: the first half, then silence; later ones: a 206 for whatever Range asks."""

    def script(n: int, request: bytes) -> list[bytes]:
        if n == 0:
            return [response("200 OK", f"Content-Length: {len(data)}", body=data[: len(data) // 2])]
        start = int(request.split(b"Range: bytes=")[1].split(b"-")[0])
        headers = (
            f"Content-Length: {len(data) - start}",
            f"Content-Range: bytes {start}-{len(data) - 1}/{len(data)}",
        )
        return [response("206 Partial Content", *headers, body=data[start:])]

    return script


async def test_a_stalled_host_times_out_and_the_download_resumes(downloads: Path) -> None:
    data = bytes(range(256)) * 1000
    reasons: list[str] = []
    with FileClient(timeout=httpx.Timeout(2.0, read=0.3)) as http:
        async with raw_server(_halves(data), stall=True) as server:

            async def source() -> str:
                return f"{server.url}/f.mp4?X-Amz-Signature=secret"

            result = await transfer(
                http, source, downloads, "f.mp4", on_retry=lambda _, why: reasons.append(why), retry_delay=0.0
            )
    assert read(result.path) == data
    assert result.resumed_from == len(data) // 2
    assert server.requests[1].count(f"Range: bytes={len(data) // 2}-".encode()) == 1
    assert reasons == ["the file host 127.0.0.1 stopped sending (timeout)"]


async def test_a_chunked_download_is_published_without_a_declared_size(
    http: FileClient, downloads: Path
) -> None:
    script = [response("200 OK", "Transfer-Encoding: chunked"), *chunked(b"one ", b"two")]
    async with raw_server([script]) as server:

        async def source() -> str:
            return server.url + "/f.mp4"

        result = await transfer(http, source, downloads, "f.mp4")
    assert (read(result.path), result.size) == (b"one two", 7)


async def test_garbage_from_the_host_is_retried_then_reported_without_the_url(
    http: FileClient, downloads: Path
) -> None:
    async with raw_server([[b"NOT HTTP AT ALL\r\n\r\n"]]) as server:

        async def source() -> str:
            return server.url + "/f.mp4?X-Amz-Signature=secret"

        with pytest.raises(DownloadError, match=r"127.0.0.1 failed \(RemoteProtocolError\)") as caught:
            await transfer(http, source, downloads, "f.mp4", max_failures=1, retry_delay=0.0)
    assert "secret" not in str(caught.value) and "X-Amz" not in str(caught.value)
    assert len(server.requests) == 2
    assert listing(downloads) == []
