"""The contract copy the tests validate against must match the shared original."""

from __future__ import annotations

from pathlib import Path

import pytest

COPY = Path(__file__).parent / "openapi.yaml"
SHARED = Path(__file__).parents[2].parent / "shared/api/openapi.yaml"


def test_openapi_copy_matches_shared_contract() -> None:
    if not SHARED.exists():
        pytest.skip(f"no shared contract at {SHARED} to compare with (outside the team checkout)")
    assert COPY.read_bytes() == SHARED.read_bytes(), (
        f"{COPY} differs from {SHARED}; copy the shared contract over the local one"
    )
