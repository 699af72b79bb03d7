"""The api and config layers load without the UI toolkit, and config without httpx."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    ("module", "absent"),
    [
        ("hfdash.api.client", ("textual", "hfdash.ui", "hfdash.services")),
        ("hfdash.config.credentials", ("textual", "httpx", "hfdash.api")),
        ("hfdash.config.dirs", ("textual", "httpx", "hfdash.api")),
    ],
)
def test_layer_imports(module: str, absent: tuple[str, ...]) -> None:
    code = f"import sys, {module}; print([m for m in {absent!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
