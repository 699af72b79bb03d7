"""The layers point one way: models < config < api < services < ui, and the simulator stands alone."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "hfdash"

# What importing each layer may pull in, checked in a fresh interpreter.
FORBIDDEN = {
    "hfdash.models": ("textual", "httpx", "platformdirs", "hfdash.api", "hfdash.config", "hfdash.ui"),
    "hfdash.config.settings": ("textual", "httpx", "hfdash.api", "hfdash.ui"),
    "hfdash.config.credentials": ("textual", "httpx", "hfdash.api", "hfdash.ui"),
    "hfdash.api": ("textual", "hfdash.services", "hfdash.ui"),
    "hfdash.services.store": ("textual", "hfdash.ui"),
    "hfdash.services.sources": ("textual", "hfdash.ui"),
    "hfdash.services.dashboard": ("textual", "hfdash.ui"),
    "hfdash.services.downloads.manager": ("textual", "hfdash.ui"),
    "hfdash.simulator": ("textual", "httpx", "hfdash.api", "hfdash.models", "hfdash.config", "hfdash.ui"),
    "hfdash": ("textual", "httpx", "hfdash.api", "hfdash.ui"),
}


@pytest.mark.parametrize("module", sorted(FORBIDDEN))
def test_importing_a_layer_does_not_pull_in_a_higher_one(module: str) -> None:
    probe = (
        f"import sys, {module}\n"
        f"bad = [m for m in {FORBIDDEN[module]!r} if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"{module} imports {result.stdout.strip()}"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_ui_never_imports_httpx() -> None:
    offenders = [
        p.name for p in (PACKAGE / "ui").rglob("*.py") if any(n.startswith("httpx") for n in _imports(p))
    ]
    assert offenders == []


def test_the_simulator_imports_nothing_of_hfdash() -> None:
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in (PACKAGE / "simulator").rglob("*.py")
        if any(name.startswith("hfdash") for name in _imports(p))
    ]
    assert offenders == []


def test_only_the_command_line_imports_the_app() -> None:
    """Screens, panes and actions are handed what they need: none reaches back up to the app."""
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if "hfdash.ui.app" in _imports(p) and p.name != "__main__.py"
    ]
    assert offenders == []


def test_screens_build_no_services() -> None:
    """The command line builds the client, cache, sources and download manager; screens are given them."""
    built = ("ItemCache(", "DownloadManager(", "HeyGenClient(", "Source(", "new_store(")
    offenders = [
        f"{p.relative_to(PACKAGE)}: {name}"
        for p in (PACKAGE / "ui").rglob("*.py")
        for name in built
        if name in p.read_text(encoding="utf-8")
    ]
    assert offenders == []
