"""HTTPS on the same routes, paced file bodies, and the odd-header fault kinds."""

from __future__ import annotations

import hashlib
import http.client
import json
import signal
import ssl
import subprocess
import sys
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest

from hfdash.simulator import Simulator
from hfdash.simulator.files import expected_sha256
from tests.conftest import TlsFiles

from .conftest import Http, frozen_config

RENDERS = "/v3/hyperframes/renders"


def https_get(url: str, ca: TlsFiles, headers: dict[str, str]) -> http.client.HTTPResponse:
    parts = urlsplit(url)
    context = ssl.create_default_context(cafile=str(ca.ca))
    conn = http.client.HTTPSConnection(parts.hostname or "", parts.port, context=context, timeout=10)
    conn.request("GET", parts.path + ("?" + parts.query if parts.query else ""), headers=headers)
    return conn.getresponse()


def test_https_serves_the_api_and_https_file_urls(tls_files: TlsFiles) -> None:
    with Simulator(frozen_config(), tls=(tls_files.cert, tls_files.key)) as sim:
        assert sim.url.startswith("https://127.0.0.1:")
        reply = https_get(sim.url + RENDERS, tls_files, {"x-api-key": sim.api_key})
        assert reply.status == 200
        video_url = sim.state.add_render(status="completed")["video_url"]
        assert video_url.startswith(sim.url + "/files/")
        body = https_get(video_url, tls_files, {}).read()
        key = urlsplit(video_url).path[len("/files/") :]
        assert len(body) == sim.state.cfg.file_size
        assert hashlib.sha256(body).hexdigest() == expected_sha256(key, len(body))


def test_https_refuses_a_client_that_does_not_trust_it(tls_files: TlsFiles) -> None:
    with Simulator(frozen_config(), tls=(tls_files.cert, tls_files.key)) as sim:
        parts = urlsplit(sim.url)
        conn = http.client.HTTPSConnection(parts.hostname or "", parts.port, timeout=5)
        with pytest.raises(ssl.SSLCertVerificationError):
            conn.request("GET", RENDERS)
        # The refused handshake leaves the server serving.
        assert https_get(sim.url + RENDERS, tls_files, {"x-api-key": sim.api_key}).status == 200


def test_cli_serves_https(tls_files: TlsFiles) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "hfdash.simulator", "--tls", str(tls_files.cert), str(tls_files.key)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip().split("=", 1)[1]
        key = proc.stdout.readline().strip().split("=", 1)[1]
        assert url.startswith("https://127.0.0.1:")
        assert https_get(url + RENDERS, tls_files, {"x-api-key": key}).status == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err


def test_throttle_paces_file_bodies(make_sim: Callable[..., Simulator]) -> None:
    sim = make_sim(file_size=1_000_000, throttle=4_000_000)
    url = sim.state.add_render(status="completed")["video_url"]
    started = time.monotonic()
    reply = Http(sim.url, None).get(url)
    elapsed = time.monotonic() - started
    assert reply.status == 200 and len(reply.body) == 1_000_000
    assert 0.24 <= elapsed < 1.0


def test_unthrottled_bodies_are_not_paced(make_sim: Callable[..., Simulator]) -> None:
    sim = make_sim(file_size=1_000_000)
    url = sim.state.add_render(status="completed")["video_url"]
    started = time.monotonic()
    assert len(Http(sim.url, None).get(url).body) == 1_000_000
    assert time.monotonic() - started < 0.24


def raw_headers(sim: Simulator, target: str) -> list[tuple[str, str]]:
    parts = urlsplit(sim.url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
    conn.request("GET", target, headers={"x-api-key": sim.api_key})
    resp = conn.getresponse()
    resp.read()
    conn.close()
    assert resp.status == 200
    return resp.getheaders()


def test_non_ascii_header_is_one_latin_1_byte(sim: Simulator) -> None:
    sim.state.faults.add("non_ascii_header", rate=1.0)
    for target in (RENDERS, "/v3/ai-clipping"):
        # http.client reads header bytes as latin-1: "café" means 0xE9 went out, not UTF-8.
        assert ("X-Request-Note", "café served") in raw_headers(sim, target)


def test_duplicate_headers_stay_two_lines(sim: Simulator) -> None:
    sim.state.faults.add("duplicate_headers", count=1)
    cookies = [value for name, value in raw_headers(sim, RENDERS) if name == "Set-Cookie"]
    assert cookies == ["sim_a=1; Path=/", "sim_b=2; Path=/"]
    assert not [name for name, _ in raw_headers(sim, RENDERS) if name == "Set-Cookie"]


def test_huge_header_line_is_64_kib(sim: Simulator) -> None:
    sim.state.faults.add("huge_header", rate=1.0)
    padding = dict(raw_headers(sim, RENDERS))["X-Padding"]
    assert len(f"X-Padding: {padding}\r\n") == 64 * 1024


def test_header_faults_from_config_survive_reset(make_sim: Callable[..., Simulator]) -> None:
    sim = make_sim(header_faults=["non_ascii_header", "duplicate_headers"])
    api = Http(sim.url, sim.api_key)
    for _ in range(2):
        names = [name for name, _ in raw_headers(sim, RENDERS)]
        assert names.count("Set-Cookie") == 2 and "X-Request-Note" in names
    api.control("POST", "reset", {"header_faults": ["huge_header"]})
    names = [name for name, _ in raw_headers(sim, RENDERS)]
    assert "X-Padding" in names and "X-Request-Note" not in names
    bad = api.request("POST", "/_sim/reset", body=json.dumps({"header_faults": ["nope"]}).encode())
    assert bad.status == 400


def test_cli_flags_for_pacing_and_headers() -> None:
    from hfdash.simulator.cli import build_parser

    args = build_parser().parse_args(
        ["--throttle", "125000000", "--odd-header", "huge_header", "--odd-header", "non_ascii_header"]
    )
    assert args.throttle == 125_000_000 and args.header_faults == ["huge_header", "non_ascii_header"]
