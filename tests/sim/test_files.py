"""The presigned file host: deterministic bytes, ranges, expiry and its faults."""

from __future__ import annotations

import hashlib
import http.client
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from hfdash.simulator import Simulator
from hfdash.simulator.files import expected_bytes, expected_sha256

from .conftest import Http


def completed_render(sim: Simulator) -> tuple[str, str]:
    render = sim.state.add_render(status="completed", format="mp4")
    url = render["video_url"]
    return url, urlsplit(url).path[len("/files/") :]


def test_urls_point_at_the_simulator_and_carry_no_api_key(sim: Simulator) -> None:
    url, _ = completed_render(sim)
    assert url.startswith(sim.url + "/files/")
    assert "X-Amz-Expires=900" in url and "X-Amz-Signature=" in url
    assert sim.api_key not in url


def test_full_download_matches_expected_sha256(make_sim: Callable[..., Simulator]) -> None:
    sim = make_sim(file_size=300_000)
    url, key = completed_render(sim)
    reply = Http(sim.url, None).get(url)
    assert reply.status == 200
    assert reply.headers["content-type"] == "video/mp4"
    assert int(reply.headers["content-length"]) == 300_000
    assert reply.headers["accept-ranges"] == "bytes"
    assert hashlib.sha256(reply.body).hexdigest() == expected_sha256(key, 300_000)
    assert reply.body == expected_bytes(key, 300_000)


def test_range_requests(make_sim: Callable[..., Simulator]) -> None:
    sim = make_sim(file_size=200_000)
    url, key = completed_render(sim)
    api = Http(sim.url, None)
    whole = expected_bytes(key, 200_000)
    reply = api.get(url, headers={"Range": "bytes=100000-"})
    assert reply.status == 206
    assert reply.headers["content-range"] == "bytes 100000-199999/200000"
    assert reply.body == whole[100_000:]
    reply = api.get(url, headers={"Range": "bytes=10-19"})
    assert reply.status == 206 and reply.body == whole[10:20]
    reply = api.get(url, headers={"Range": "bytes=-5"})
    assert reply.status == 206 and reply.body == whole[-5:]
    reply = api.get(url, headers={"Range": "bytes=200000-"})
    assert reply.status == 416 and reply.headers["content-range"] == "bytes */200000"


def test_head(sim: Simulator) -> None:
    url, _ = completed_render(sim)
    reply = Http(sim.url, None).request("HEAD", url)
    assert reply.status == 200 and reply.body == b""
    assert int(reply.headers["content-length"]) == sim.state.cfg.file_size


def test_thumbnails_are_small(sim: Simulator) -> None:
    render = sim.state.add_render(status="completed")
    reply = Http(sim.url, None).get(render["thumbnail_url"])
    assert reply.status == 200 and reply.headers["content-type"] == "image/jpeg"
    assert 0 < len(reply.body) < 10_000


def test_url_expires_on_the_real_clock(make_sim: Callable[..., Simulator]) -> None:
    sim = make_sim(url_ttl=0.5, file_size=1000)
    url, _ = completed_render(sim)
    api = Http(sim.url, None)
    assert api.get(url).status == 200
    time.sleep(0.7)
    reply = api.get(url)
    assert reply.status == 403
    assert reply.headers["content-type"] == "application/xml"
    assert b"<Code>AccessDenied</Code>" in reply.body and b"Request has expired" in reply.body


def test_forged_signature_is_denied(sim: Simulator) -> None:
    url, _ = completed_render(sim)
    reply = Http(sim.url, None).get(url[:-4] + "0000")
    assert reply.status == 403 and b"AccessDenied" in reply.body


def test_file_faults(make_sim: Callable[..., Simulator]) -> None:
    sim = make_sim(file_size=100_000)
    url, key = completed_render(sim)
    api = Http(sim.url, None)
    sim.state.faults.add("expire_url", count=1)
    assert b"Request has expired" in api.get(url).body
    sim.state.faults.add("no_range", count=1)
    reply = api.get(url, headers={"Range": "bytes=10-19"})
    assert reply.status == 200 and len(reply.body) == 100_000
    sim.state.faults.add("drop", count=1, after_bytes=1234)
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=5)
    conn.request("GET", parts.path + "?" + parts.query)
    resp = conn.getresponse()
    assert resp.status == 200 and resp.getheader("Content-Length") == "100000"
    try:
        got = resp.read()
    except http.client.IncompleteRead as exc:
        got = exc.partial
    conn.close()
    assert got == expected_bytes(key, 1234)
    assert api.get(url).status == 200
    log = [e for e in sim.state.request_log if e["path"].startswith("/files/")]
    assert [e["fault"] for e in log] == ["expire_url", "no_range", "drop", None]
    assert all(e["query"] == {} for e in log)


def test_large_file_streams_in_flat_memory() -> None:
    key = "renders/abc/video.mp4"
    size = 64 * 1024 * 1024
    # Generated block by block, so a 1 GiB file costs no more memory than this one.
    assert len(expected_sha256(key, size)) == 64
    assert expected_bytes(key, 70_000)[65_536:65_540] == expected_bytes(key, 4)
