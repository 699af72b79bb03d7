"""Fixtures for download tests: an API client and a file-host client on the shared simulator."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx
import pytest

from hfdash.api.client import HeyGenClient
from hfdash.api.retry import RetryPolicy
from hfdash.config.credentials import Credential, Secret
from hfdash.services.downloads.engine import file_client
from hfdash.services.downloads.naming import extension_from_url, file_name
from hfdash.simulator import Simulator
from hfdash.simulator.files import expected_sha256, size_for
from tests.conftest import TEST_KEY


@dataclass(frozen=True)
class Served:
    """One file the simulator serves, and what its bytes must hash to."""

    key: str
    size: int

    @property
    def sha256(self) -> str:
        return expected_sha256(self.key, self.size)


def served(sim: Simulator, url: str) -> Served:
    key = unquote(urlsplit(url).path[len("/files/") :])
    return Served(key, size_for(key, sim.state.cfg.file_size))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_statuses(sim: Simulator) -> list[int]:
    return [int(e["status"]) for e in sim.state.request_log if str(e["path"]).startswith("/files/")]


# Small synchronous file helpers: async tests must not touch the filesystem directly (ASYNC240).
def put(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def read(path: Path) -> bytes:
    return path.read_bytes()


def exists(path: Path) -> bool:
    return path.exists()


def mtime(path: Path) -> int:
    return path.stat().st_mtime_ns


def listing(directory: Path) -> list[str]:
    """Every file under directory, relative, sorted."""
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file())


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    """HFDASH_DOWNLOAD_DIR as the shared isolated_env fixture sets it."""
    return tmp_path / "downloads"


@pytest.fixture
async def client(sim: Simulator) -> AsyncIterator[HeyGenClient]:
    credential = Credential(kind="api_key", source="test", api_key=Secret(TEST_KEY))
    async with HeyGenClient(credential, base_url=sim.url, retry=RetryPolicy(max_retries=0)) as api:
        yield api


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with file_client() as files:
        yield files


def size(path: Path) -> int:
    return path.stat().st_size


def render_file(sim: Simulator, render_id: str) -> tuple[Served, str]:
    """Add a completed render; what it serves and the file name a download gives it."""
    url = str(sim.state.add_render(render_id=render_id, status="completed")["video_url"])
    return served(sim, url), file_name(render_id, extension_from_url(url) or "mp4")
