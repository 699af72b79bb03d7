"""`hfdash download`: paths on stdout, progress on stderr, exit status; killed and disk-full runs."""

from __future__ import annotations

import io
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hfdash.__main__ import main
from hfdash.config.dirs import config_file, resolve_destination
from hfdash.services.downloads.cli import Reporter
from hfdash.services.downloads.engine import part_path
from hfdash.services.downloads.manager import DownloadState, DownloadStatus
from hfdash.services.downloads.plan import Kind, Target
from hfdash.simulator import Simulator
from tests.conftest import TEST_KEY, sim_config
from tests.services.conftest import Served, file_statuses, render_file, sha256_of


@pytest.fixture
def api_env(sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("HEYGEN_API_URL", sim.url)
    monkeypatch.setenv("HEYGEN_API_KEY", TEST_KEY)
    return dict(os.environ)


def run_cli(env: dict[str, str], *args: str, limit_file_size: int | None = None) -> subprocess.Popen[str]:
    def prepare() -> None:
        # A shell without job control starts its background jobs with SIGINT ignored, and a child
        # inherits that: Ctrl-C would never reach the CLI, where a user at a terminal has it.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        if limit_file_size is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_size, limit_file_size))

    return subprocess.Popen(
        [sys.executable, "-m", "hfdash", "download", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Both apply to the child only, so they are set between fork and exec.
        preexec_fn=prepare,
    )


def test_destination_order(tmp_path: Path) -> None:
    env = {"HFDASH_DOWNLOAD_DIR": str(tmp_path / "env"), "HOME": str(tmp_path)}
    assert resolve_destination("~/flag", tmp_path / "cfg", env) == Path("~/flag").expanduser()
    assert resolve_destination(None, tmp_path / "cfg", env) == tmp_path / "env"
    assert resolve_destination(None, tmp_path / "cfg", {}) == tmp_path / "cfg"
    assert resolve_destination(None, None, {}).name == "hfdash"


def test_render_path_on_stdout(
    sim: Simulator, api_env: dict[str, str], downloads: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    want, name = render_file(sim, "hfr_cli")
    assert main(["download", "render", "hfr_cli"]) == 0
    out, err = capsys.readouterr()
    assert out == f"{downloads / name}\n"
    assert sha256_of(downloads / name) == want.sha256
    assert "X-Amz" not in err


def test_the_settings_files_download_dir_is_where_files_go(
    sim: Simulator, api_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HFDASH_DOWNLOAD_DIR")
    configured = tmp_path / "configured"
    config_file().parent.mkdir(parents=True, exist_ok=True)
    config_file().write_text(f'download_dir = "{configured}"\n')
    want, name = render_file(sim, "hfr_cfg")
    assert main(["download", "render", "hfr_cfg"]) == 0
    assert sha256_of(configured / name) == want.sha256


def test_dest_flag_and_clip_job_paths(
    sim: Simulator, api_env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    view = sim.state.add_clip_job(id="job_cli", status="completed")
    done = [c for c in view["clips"] if c["status"] == "completed"]
    assert main(["download", "clip-job", "job_cli", "--dest", str(tmp_path / "elsewhere")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [str(tmp_path / "elsewhere" / "job_cli" / f"{c['id']}.mp4") for c in done]


def test_missing_variant_exits_1_naming_what_exists(
    sim: Simulator, api_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    session = sim.state.add_session(session_id="sess_cli", status="completed")
    sim.state.add_video(str(session["session_id"]), id="vid_cli", status="completed", subtitle_url=None)
    assert main(["download", "video", "vid_cli", "--variant", "subtitles"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "video vid_cli: no subtitles; available: video" in err


def test_no_credential_exits_2(sim: Simulator, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["download", "render", "hfr_x"]) == 2
    assert "no HeyGen credential" in capsys.readouterr().err


def test_usage_error_exits_2() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["download", "movie", "x"])
    assert caught.value.code == 2


def test_reporter_bar_on_a_terminal_and_lines_otherwise() -> None:
    status = DownloadStatus(
        "dl1", Target(Kind.RENDER, "r"), DownloadState.ACTIVE, 500_000, 1_000_000, 250_000.0, 2.0
    )
    tty, plain = io.StringIO(), io.StringIO()
    Reporter(tty, tty=True)(status)
    Reporter(plain, tty=False, interval=0.0)(status)
    assert "[##############--------------]  50%" in tty.getvalue()
    assert plain.getvalue() == "render r: 500.0 kB / 1.0 MB  250.0 kB/s  ETA 0:02\n"


def wait_for(predicate: object, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.01)


def creep(sim: Simulator) -> None:
    """Every file response waits, then stops after 100 kB: the download creeps, so a signal lands mid-way."""
    sim.state.faults.add("drop", rate=1.0, after_bytes=100_000, path_prefix="/files/")
    sim.state.faults.add("slow", rate=1.0, delay=0.2, path_prefix="/files/")


def start_creeping(
    sim: Simulator, api_env: dict[str, str], render_id: str
) -> tuple[subprocess.Popen[str], Served, Path]:
    sim.state.reset(sim_config(file_size=3_000_000))
    want, name = render_file(sim, render_id)
    creep(sim)
    final = Path(api_env["HFDASH_DOWNLOAD_DIR"]) / name
    return run_cli(api_env, "render", render_id), want, final


def test_resume_after_sigkill(sim: Simulator, api_env: dict[str, str], downloads: Path) -> None:
    proc, want, final = start_creeping(sim, api_env, "hfr_kill")
    part = part_path(final)
    try:
        wait_for(lambda: part.exists() and part.stat().st_size >= 200_000)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    assert not final.exists()
    kept = part.stat().st_size
    assert 0 < kept < want.size
    sim.state.faults.clear()
    again = run_cli(api_env, "render", "hfr_kill")
    out, err = again.communicate(timeout=30)
    assert again.returncode == 0, err
    assert out == f"{final}\n"
    assert sha256_of(final) == want.sha256
    assert not part.exists()
    assert file_statuses(sim)[-1] == 206


def test_file_size_limit_keeps_the_partial_then_resumes(
    sim: Simulator, api_env: dict[str, str], downloads: Path
) -> None:
    want, name = render_file(sim, "hfr_full")
    limited = run_cli(api_env, "render", "hfr_full", limit_file_size=120_000)
    out, err = limited.communicate(timeout=30)
    assert limited.returncode == 1
    assert out == ""
    assert "file too large for the destination; the partial file is kept" in err
    assert "Traceback" not in err
    part = part_path(downloads / name)
    assert part.stat().st_size == 120_000
    assert not (downloads / name).exists()
    again = run_cli(api_env, "render", "hfr_full")
    out, err = again.communicate(timeout=30)
    assert again.returncode == 0, err
    assert sha256_of(downloads / name) == want.sha256


def test_interrupt_keeps_the_partial(sim: Simulator, api_env: dict[str, str], downloads: Path) -> None:
    proc, _, final = start_creeping(sim, api_env, "hfr_int")
    part = part_path(final)
    try:
        wait_for(lambda: part.exists() and part.stat().st_size >= 100_000)
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "interrupted; the partial file is kept for a resume" in err
    assert part.stat().st_size >= 100_000
    assert not final.exists()
