"""The key and tokens never leave the credential: not to the log, the screen, a toast, an error
message or a repr; the credentials file is written only by an OAuth refresh, atomically."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from hfdash.__main__ import make_app as make_hfdash_app
from hfdash.api.client import HeyGenClient
from hfdash.api.log import configure_file_log
from hfdash.api.retry import RetryPolicy
from hfdash.config.credentials import resolve_credential, save_refreshed, write_oauth_tokens
from hfdash.services.downloads.manager import DownloadState
from hfdash.simulator import Simulator
from hfdash.ui.app import HfdashApp
from tests.clock import FrozenClock
from tests.conftest import FROZEN_NOW, TEST_KEY
from tests.oauth_files import write_credentials
from tests.reliability.common import status_text
from tests.ui.harness import (
    TEST_SETTINGS,
    loaded,
    main_screen,
    make_app,
    notifications,
    recording,
    told,
    wait_until,
)

SIZE = (140, 40)
# A presigned URL's query string: none of it may reach a log.
SIGNATURE_PARTS = ("X-Amz-Signature", "X-Amz-Date", "X-Amz-Algorithm", "X-Amz-Expires")


@pytest.fixture
def debug_log(tmp_path: Path) -> Iterator[Path]:
    """`--log FILE`: hfdash's debug log to a file, removed again after the test."""
    path = tmp_path / "logs" / "hfdash.log"
    configure_file_log(path)
    root = logging.getLogger("hfdash")
    try:
        yield path
    finally:
        for handler in list(root.handlers):
            if isinstance(handler, logging.FileHandler) and handler.baseFilename == str(path.resolve()):
                root.removeHandler(handler)
                handler.close()
        root.setLevel(logging.NOTSET)


def _log_file(path: Path) -> tuple[str, int]:
    return path.read_text(encoding="utf-8"), path.stat().st_mode


def _screen_text(app: HfdashApp) -> str:
    return app.export_screenshot()


async def test_a_session_with_downloads_and_faults_writes_no_secret_anywhere(
    sim: Simulator, debug_log: Path, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    # Everything any logger emits is captured too, not only what reaches the file.
    caplog.set_level(logging.DEBUG)
    done = sim.state.add_render(title="finished", status="completed")
    app = make_app(sim)
    screens: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        renders = await loaded(pilot)
        assert renders.visible_ids[0] == done["render_id"]
        page_token = renders.store.next_token
        assert page_token is not None
        await pilot.press("m")
        await wait_until(pilot, lambda: len(renders.visible_ids) == 20)
        await pilot.press("c")
        await wait_until(pilot, lambda: any("copied a fresh video URL" in m for m in notifications(app)))
        assert app.clipboard.startswith(sim.url) and "X-Amz-Signature" in app.clipboard
        # The first file request meets an expired URL, so the download fetches a fresh one.
        sim.state.faults.add("expire_url", count=1, path_prefix="/files/")
        await pilot.press("d")
        assert app.dashboard is not None
        manager = app.dashboard.downloads
        await wait_until(pilot, lambda: any(s.state is DownloadState.DONE for s in manager.statuses()), 15)
        sim.state.faults.add("500", count=3, path_prefix="/v3/hyperframes/renders/")
        await pilot.press("u")
        await wait_until(pilot, lambda: any("could not re-read" in n.title for n in told(app)))
        screens.append(_screen_text(app))
        sim.state.faults.add("401", rate=1.0)
        await wait_until(pilot, lambda: any(n.title == "Not signed in" for n in told(app)))
        await pilot.pause(1.1)  # one status line refresh
        screens.append(_screen_text(app))
        status = status_text(app)
        pane_errors = [c.pane.error or "" for c in main_screen(app).controllers.values()]
        assert app.dashboard is not None
        client = app.dashboard.client
        assert client is not None
        reprs = [repr(client), str(client), repr(client.credential), repr(manager)]
    files = [p for p in (tmp_path / "downloads").rglob("*") if p.is_file()]
    assert len(files) == 1 and not files[0].name.startswith(".")
    assert files[0].stat().st_size == sim.state.cfg.file_size
    log, mode = _log_file(debug_log)
    assert "GET /v3/hyperframes/renders?limit=10 -> 200" in log
    assert f"GET /v3/hyperframes/renders/{done['render_id']} -> 500" in log
    assert "-> 401" in log
    assert mode & 0o077 == 0
    toasts = [f"{n.title} {n.message}" for n in told(app)]
    texts = {"log file": log, "captured logs": caplog.text, "status line": status}
    texts |= {f"screen {i}": screen for i, screen in enumerate(screens)}
    texts |= {f"toast {i}": toast for i, toast in enumerate(toasts)}
    texts |= {f"pane error {i}": error for i, error in enumerate(pane_errors)}
    texts |= {f"repr {i}": text for i, text in enumerate(reprs)}
    for where, text in texts.items():
        assert TEST_KEY not in text, where
        assert page_token not in text, where  # pagination cursors show as short hashes
        for part in SIGNATURE_PARTS:
            assert part not in text, (where, part)
    # The status line names where the credential came from, and nothing of it.
    assert "HEYGEN_API_KEY" in status
    # httpx logs every URL at INFO: with the log on it says only what goes wrong.
    assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING


def _app_from_file(sim: Simulator) -> HfdashApp:
    credential = resolve_credential()
    assert credential is not None
    client = HeyGenClient(
        credential,
        base_url=sim.url,
        retry=RetryPolicy(max_retries=2, base=0.05, cap=0.2),
        oauth_token_url=f"{sim.url}/v1/oauth/token",
        on_refresh=save_refreshed,
    )
    return recording(make_hfdash_app(client, replace(TEST_SETTINGS), clock=FrozenClock(FROZEN_NOW)))


def _files_holding(root: Path, secret: str) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


async def test_only_an_oauth_refresh_writes_the_credentials_file(sim: Simulator, tmp_path: Path) -> None:
    tokens = sim.state.issue_oauth_tokens()
    path = write_credentials(tokens, expires_in=3600)
    before = path.read_bytes()
    # A whole session with a token that stays valid: the file is read, never written.
    app = _app_from_file(sim)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await loaded(pilot, "agents")
        assert "~/.heygen/credentials (OAuth)" in status_text(app)
    assert path.read_bytes() == before
    # A token about to expire is refreshed: the file is rewritten in place, 0600, keys kept.
    path = write_credentials(tokens, expires_in=30)
    inode = path.stat().st_ino
    app = _app_from_file(sim)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        status = status_text(app)
        assert app.dashboard is not None
        client = app.dashboard.client
        assert client is not None and client.credential.access_token is not None
        fresh = client.credential.access_token.reveal()
    document = json.loads(path.read_text())
    assert document["oauth"]["access_token"] == fresh != tokens["access_token"]
    assert document["oauth"]["issuer_hint"] == {"keep": True}
    assert document["user"] == {"email": "me@example.com", "avatar": "kept"}
    assert document["future_block"] == [1, 2, 3]
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert path.stat().st_ino != inode, "replaced by a rename, not rewritten in place"
    # Never copied: the new token is in that one file only, and no temp file is left behind.
    assert _files_holding(tmp_path, fresh) == [path]
    assert sorted(p.name for p in path.parent.iterdir()) == ["credentials"]
    assert fresh not in status and tokens["refresh_token"] not in status


def test_a_failed_write_leaves_the_old_file_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / ".heygen" / "credentials"
    path.parent.mkdir(mode=0o700)
    path.write_text(json.dumps({"oauth": {"access_token": "old", "refresh_token": "r"}, "keep": 1}))
    before = path.read_bytes()

    def fail(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError, match="No space"):
        write_oauth_tokens(path, access_token="new", refresh_token="r2", expires_at=None)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["credentials"]


_CRASH = """
import os, signal, sys
from pathlib import Path
from hfdash.config import credentials

def crash(self, target):
    os.kill(os.getpid(), signal.SIGKILL)

Path.replace = crash
credentials.write_oauth_tokens(Path(sys.argv[1]), access_token="new-" + "x" * 100000, refresh_token="r2",
                         expires_at=None)
"""


def test_a_crash_mid_write_leaves_the_old_file_intact(tmp_path: Path) -> None:
    path = tmp_path / ".heygen" / "credentials"
    path.parent.mkdir(mode=0o700)
    path.write_text(json.dumps({"oauth": {"access_token": "old", "refresh_token": "r"}, "keep": 1}))
    path.chmod(0o600)
    before = path.read_bytes()
    done = subprocess.run([sys.executable, "-c", _CRASH, str(path)], check=False, timeout=60)
    assert done.returncode == -9
    assert path.read_bytes() == before
    leftovers = [p for p in path.parent.iterdir() if p != path]
    # The half-finished temp file holds a token: it is as private as the file itself.
    assert all(p.stat().st_mode & 0o077 == 0 for p in leftovers)
