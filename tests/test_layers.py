"""The layers point one way: models < api and models < config, both < services < ui; the simulator
stands alone. api takes its credential through the client's constructor, never from config."""

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
    "hfdash.api.client": ("textual", "hfdash.config", "hfdash.services", "hfdash.ui"),
    "hfdash.api.files": ("textual", "hfdash.config", "hfdash.services", "hfdash.ui"),
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
            # `from hfdash.api import errors` names the module hfdash.api.errors.
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
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


def _modules(folder: str) -> dict[str, set[str]]:
    """Each module under hfdash/<folder> and every hfdash module it names, lazily or for typing too."""
    found: dict[str, set[str]] = {}
    for path in (PACKAGE / folder).rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = {n for n in _imports(path) if n.startswith("hfdash")}
    return found


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        ("api", ("hfdash.config", "hfdash.services", "hfdash.ui")),
        ("config", ("hfdash.api", "hfdash.services", "hfdash.ui")),
        ("models", ("hfdash.api", "hfdash.config", "hfdash.services", "hfdash.ui")),
        ("services", ("hfdash.ui",)),
    ],
)
def test_no_module_names_a_layer_above_its_own(folder: str, forbidden: tuple[str, ...]) -> None:
    offenders = {
        module: sorted(n for n in names if n.startswith(forbidden))
        for module, names in _modules(folder).items()
        if any(n.startswith(forbidden) for n in names)
    }
    assert offenders == {}


def test_the_api_modules_import_no_cycle() -> None:
    graph = _modules("api")
    assert "hfdash.api.resources" in graph["hfdash.api.client"]  # the check sees the package's own imports

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for name in graph.get(start, set()) - seen:
            if name == goal or reaches(name, goal, seen | {name}):
                return True
        return False

    cycles = [m for m in graph if m != "hfdash.api" and reaches(m, m, {"hfdash.api"})]
    assert cycles == []


def test_http_lives_in_the_api_layer_only() -> None:
    """Downloads reach httpx through api.files; sockets of our own belong to the simulator alone."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        where = path.relative_to(PACKAGE).parts[0]
        roots = {n.split(".")[0] for n in _imports(path)}
        banned = (
            {"socket", "h11", "httpcore"} if where == "api" else {"socket", "ssl", "h11", "httpcore", "httpx"}
        )
        if where in {"simulator", "ui"}:
            continue  # the simulator is a server; the ui's own rule is test_the_ui_never_imports_httpx
        if roots & banned:
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


def test_no_private_names_of_the_http_stack() -> None:
    private = [
        (str(p.relative_to(PACKAGE)), node.attr)
        for p in PACKAGE.rglob("*.py")
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in {"httpx", "httpcore"}
        and node.attr.startswith("_")
    ]
    private += [
        (str(p.relative_to(PACKAGE)), n)
        for p in PACKAGE.rglob("*.py")
        for n in _imports(p)
        if n.startswith(("httpx._", "httpcore"))
    ]
    assert private == []


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
    built = ("ItemCache(", "DownloadManager(", "HeyGenClient(", "Source(", "PaneStore(")
    offenders = [
        f"{p.relative_to(PACKAGE)}: {name}"
        for p in (PACKAGE / "ui").rglob("*.py")
        for name in built
        if name in p.read_text(encoding="utf-8")
    ]
    assert offenders == []
