"""HeyGen's own `hyperframes` CLI, a client nobody here wrote, works against the simulator.

Skips only when that CLI cannot be installed or run on this machine (it needs npm to fetch Node 22
and the package on first use).
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
from pathlib import Path

import pytest

from hfdash.simulator import Simulator

TOOL = Path(__file__).resolve().parents[2].parent / "shared" / "tools" / "hyperframes-cli"
TIMEOUT = 240.0
# The wrapper caches Node and the CLI under the user's cache directory. Test fixtures point HOME at a
# temporary directory, which would make every run reinstall both, so name the real one.
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path(pwd.getpwuid(os.getuid()).pw_dir) / ".cache")


def run(sim: Simulator, *args: str, key: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(
        os.environ,
        HEYGEN_API_URL=sim.url,
        HEYGEN_API_KEY=key or sim.api_key,
        NO_COLOR="1",
        XDG_CACHE_HOME=str(CACHE),
    )
    return subprocess.run(
        [str(TOOL), *args], env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


@pytest.fixture(scope="module")
def cli_ready() -> None:
    if not TOOL.exists():
        pytest.skip(f"the hyperframes CLI wrapper is not at {TOOL}")
    if shutil.which("npm") is None and not (CACHE / "hyperframes-cli").exists():
        pytest.skip("npm is unavailable, so the hyperframes CLI cannot be installed here")
    try:
        probe = subprocess.run(
            [str(TOOL), "--version"],
            env=dict(os.environ, XDG_CACHE_HOME=str(CACHE)),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"the hyperframes CLI could not be run: {exc}")
    if probe.returncode != 0:
        pytest.skip(f"the hyperframes CLI could not be installed or run: {probe.stderr.strip()[-300:]}")


def test_cloud_list_get_delete(cli_ready: None, sim: Simulator) -> None:
    listed = run(sim, "cloud", "list")
    assert listed.returncode == 0, listed.stderr
    first_page = [line.split()[0] for line in listed.stdout.splitlines() if line.startswith("hfr_")]
    assert len(first_page) == 10

    everything = run(sim, "cloud", "list", "--all", "--json", "--limit", "100")
    assert everything.returncode == 0, everything.stderr
    renders = json.loads(everything.stdout)["renders"]
    expected = [r["render_id"] for r in renders]
    assert len(expected) == 40 and len(set(expected)) == 40
    assert expected[:10] == first_page

    target = next(r for r in renders if r["status"] == "completed")
    got = run(sim, "cloud", "get", target["render_id"])
    assert got.returncode == 0, got.stderr
    assert target["render_id"] in got.stdout and "completed" in got.stdout
    assert sim.url + "/files/" in got.stdout
    as_json = json.loads(run(sim, "cloud", "get", target["render_id"], "--json").stdout)
    assert as_json["render"]["status"] == "completed"

    deleted = run(sim, "cloud", "delete", target["render_id"], "--no-confirm")
    assert deleted.returncode == 0, deleted.stderr
    assert target["render_id"] in deleted.stdout + deleted.stderr
    after = run(sim, "cloud", "get", target["render_id"])
    assert after.returncode != 0
    assert "not found" in (after.stdout + after.stderr).lower()

    rejected = run(sim, "cloud", "get", renders[0]["render_id"], key="wrong-key")
    assert rejected.returncode != 0 and "401" in rejected.stdout + rejected.stderr
    statuses = [(e["method"], e["status"]) for e in sim.state.request_log]
    assert ("DELETE", 200) in statuses and statuses[-1] == ("GET", 401)


def test_cloud_list_paginates_with_small_pages(cli_ready: None, sim: Simulator) -> None:
    result = run(sim, "cloud", "list", "--all", "--json", "--limit", "7")
    assert result.returncode == 0, result.stderr
    renders = json.loads(result.stdout)["renders"]
    assert len({r["render_id"] for r in renders}) == 40
    pages = [e for e in sim.state.request_log if e["path"] == "/v3/hyperframes/renders"]
    assert len(pages) == 6 and all(e["query"].get("limit") == "7" for e in pages)
