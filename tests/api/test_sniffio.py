"""httpcore imports `sniffio` each time a request takes a connection; installed, that is free.

Python caches a module once imported, but never a failed import: without `sniffio` each request
searches every directory on `sys.path` again (encode/httpcore discussion #1102, PR #1103). This
counts how often the import system is asked to find it while the client pages the simulator.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Iterator, Sequence
from types import ModuleType

import pytest

from hfdash.simulator import Simulator
from tests.ui.harness import make_client


class _Counter(importlib.abc.MetaPathFinder):
    def __init__(self) -> None:
        self.asked = 0

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname == "sniffio":
            self.asked += 1
        return None  # the other finders find it, or not


@pytest.fixture
def sniffio_lookups() -> Iterator[_Counter]:
    counter = _Counter()
    sys.meta_path.insert(0, counter)
    try:
        yield counter
    finally:
        sys.meta_path.remove(counter)


async def test_requests_never_search_for_sniffio_again(sim: Simulator, sniffio_lookups: _Counter) -> None:
    client = make_client(sim)
    try:
        for _ in range(20):
            await client.renders.list(limit=10)
    finally:
        await client.aclose()
    assert "sniffio" in sys.modules
    assert sniffio_lookups.asked == 0


async def test_without_sniffio_every_request_searches_for_it(
    sim: Simulator, sniffio_lookups: _Counter, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a user's install without it does: the import fails, and is tried again next time.
    monkeypatch.delitem(sys.modules, "sniffio", raising=False)
    monkeypatch.setattr(sys, "path", [entry for entry in sys.path if "site-packages" not in entry])
    client = make_client(sim)
    try:
        for _ in range(20):
            await client.renders.list(limit=10)
    finally:
        await client.aclose()
    assert sniffio_lookups.asked >= 20
