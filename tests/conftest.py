"""Fixtures every test shares.

The simulator runs on a thread for the whole session and is reset before each
test that asks for it, so each test starts from the same seeded account. Every
test gets its own config, cache, data and download directories and a fake HOME,
so no test ever reads or writes the real user's files or credentials.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme

from hfdash.simulator import SimConfig, Simulator
from tests.proxy import ONLY_THROUGH_PROXY

# A fixed "now" (2026-11-20 12:00 UTC) and a frozen clock make every response reproducible.
FROZEN_NOW = 1_795_176_000
TEST_KEY = "sim_test_key_5f3c9a"
_CREDENTIAL_VARS = (
    "HEYGEN_API_KEY",
    "HYPERFRAMES_API_KEY",
    "HEYGEN_ACCESS_TOKEN",
    "HEYGEN_CONFIG_DIR",
    "HEYGEN_API_URL",
    "HFDASH_OAUTH_TOKEN_URL",
    "HFDASH_DOWNLOAD_DIR",
)
# httpx reads these: a developer's own proxy or CA bundle must not change what a test sees.
_PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
_NETWORK_VARS = (*_PROXY_VARS, *(name.lower() for name in _PROXY_VARS), "SSL_CERT_FILE", "SSL_CERT_DIR")


def sim_config(**overrides: object) -> SimConfig:
    """The seeded account tests start from, frozen in time unless a test moves it."""
    values: dict[str, object] = {
        "seed": 7,
        "renders": 25,
        "clip_jobs": 8,
        "sessions": 6,
        "speed": 0.0,
        "now": FROZEN_NOW,
        "api_key": TEST_KEY,
        "file_size": 200_000,
    }
    values.update(overrides)
    return SimConfig(**values)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def collectable_heap() -> Iterator[None]:
    """A test's app may freeze the heap after a bulk load; its objects must not outlive the test."""
    yield
    gc.unfreeze()


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in (*_CREDENTIAL_VARS, *_NETWORK_VARS):
        monkeypatch.delenv(name, raising=False)
    for kind in ("CONFIG", "CACHE", "DATA", "STATE"):
        directory = tmp_path / kind.lower()
        monkeypatch.setenv(f"HFDASH_{kind}_DIR", str(directory))
    monkeypatch.setenv("HFDASH_DOWNLOAD_DIR", str(tmp_path / "downloads"))
    monkeypatch.setenv("HEYGEN_CONFIG_DIR", str(home / ".heygen"))
    return home


def _running(simulator: Simulator) -> Iterator[Simulator]:
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()


@pytest.fixture(scope="session")
def _session_simulator() -> Iterator[Simulator]:
    yield from _running(Simulator(sim_config(), host="127.0.0.1", port=0))


@pytest.fixture
def sim(_session_simulator: Simulator) -> Simulator:
    """The shared simulator, reset to the seeded frozen account."""
    _session_simulator.state.reset(sim_config())
    return _session_simulator


@dataclass(frozen=True)
class TlsFiles:
    """A throwaway CA and a certificate it signed for 127.0.0.1, localhost and the proxy's own name."""

    ca: Path
    cert: Path
    key: Path


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    authority = trustme.CA()
    leaf = authority.issue_cert("127.0.0.1", "localhost", ONLY_THROUGH_PROXY)
    folder = tmp_path_factory.mktemp("tls")
    files = TlsFiles(folder / "ca.pem", folder / "cert.pem", folder / "key.pem")
    authority.cert_pem.write_to_path(str(files.ca))
    for index, blob in enumerate(leaf.cert_chain_pems):
        blob.write_to_path(str(files.cert), append=index > 0)
    leaf.private_key_pem.write_to_path(str(files.key))
    return files


@pytest.fixture(scope="session")
def _session_tls_simulator(tls_files: TlsFiles) -> Iterator[Simulator]:
    tls = (tls_files.cert, tls_files.key)
    yield from _running(Simulator(sim_config(), host="127.0.0.1", port=0, tls=tls))


@pytest.fixture
def tls_sim(_session_tls_simulator: Simulator) -> Simulator:
    """The shared HTTPS simulator, reset to the seeded frozen account."""
    _session_tls_simulator.state.reset(sim_config())
    return _session_tls_simulator
