"""The download queue: concurrency, observable progress, cancel and retry, failures as status."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from hfdash.api.client import HeyGenClient
from hfdash.services.downloads.engine import part_path
from hfdash.services.downloads.manager import (
    DownloadManager,
    DownloadState,
    DownloadStatus,
    RateMeter,
    eta,
    load_journal,
    safe_message,
)
from hfdash.services.downloads.plan import Kind, Target, Variant
from hfdash.simulator import Simulator
from hfdash.simulator.files import expected_bytes
from hfdash.simulator.hostile import HOSTILE_IDS
from tests.conftest import sim_config
from tests.services.conftest import exists, file_statuses, listing, put, render_file, served, sha256_of, size


def test_rate_meter_and_eta() -> None:
    meter = RateMeter(window=3.0)
    assert meter.speed == 0.0
    for second in range(6):
        meter.add(float(second), second * 1000)
    assert meter.speed == pytest.approx(1000.0)
    meter.add(6.0, 0)
    assert meter.speed == 0.0
    assert eta(500, 1500, 100.0) == 10.0
    assert eta(500, None, 100.0) is None
    assert eta(500, 1500, 0.0) is None


def test_safe_message_cuts_presigned_queries() -> None:
    text = safe_message(ValueError("bad http://h/files/a.mp4?X-Amz-Signature=abc here"))
    assert text == "bad http://h/files/a.mp4 here"


async def test_render_download_reports_progress_and_path(
    sim: Simulator, client: HeyGenClient, downloads: Path
) -> None:
    want, name = render_file(sim, "hfr_m1")
    seen: list[DownloadStatus] = []
    manager = DownloadManager(client, downloads, on_change=seen.append)
    try:
        status = await manager.wait(manager.submit(Target(Kind.RENDER, "hfr_m1")))
    finally:
        await manager.aclose()
    assert status.state is DownloadState.DONE, status.error
    assert status.path == downloads / name and status.paths == (status.path,)
    assert sha256_of(status.path) == want.sha256
    assert (status.bytes_done, status.bytes_total, status.files_done) == (want.size, want.size, 1)
    assert [s.state for s in seen][:3] == [DownloadState.QUEUED, DownloadState.ACTIVE, DownloadState.ACTIVE]
    assert seen[-1].state is DownloadState.DONE


async def test_clip_job_goes_into_a_folder_named_after_the_job(
    sim: Simulator, client: HeyGenClient, downloads: Path
) -> None:
    job_id = HOSTILE_IDS["clip_job"][1]
    view = sim.state.add_clip_job(id=job_id, status="completed")
    clips = [c for c in view["clips"] if c["status"] == "completed"]
    manager = DownloadManager(client, downloads)
    try:
        status = await manager.wait(manager.submit(Target(Kind.CLIP_JOB, job_id)))
    finally:
        await manager.aclose()
    assert status.state is DownloadState.DONE, status.error
    assert status.path == downloads / "job_with_slashes"
    assert listing(downloads) == sorted(f"job_with_slashes/{c['id']}.mp4" for c in clips)
    for clip, path in zip(clips, status.paths, strict=True):
        assert sha256_of(path) == served(sim, str(clip["video_url"])).sha256


@pytest.mark.parametrize("render_id", HOSTILE_IDS["render"])
async def test_hostile_render_ids_stay_inside_the_destination(
    sim: Simulator, client: HeyGenClient, downloads: Path, render_id: str
) -> None:
    sim.state.add_render(render_id=render_id, status="completed")
    manager = DownloadManager(client, downloads)
    try:
        status = await manager.wait(manager.submit(Target(Kind.RENDER, render_id)))
    finally:
        await manager.aclose()
    if status.state is DownloadState.FAILED:
        # The API layer refuses ids it cannot put in a path; that is a clean error, not a crash.
        assert status.error and "X-Amz" not in status.error
        assert not exists(downloads) or listing(downloads) == []
        return
    assert status.path is not None
    assert status.path.parent == downloads
    assert listing(downloads) == [status.path.name]


async def test_hostile_video_id_and_missing_variant(
    sim: Simulator, client: HeyGenClient, downloads: Path
) -> None:
    session = sim.state.add_session(session_id="sess_dl", status="completed")
    video_id = HOSTILE_IDS["video"][0]
    sim.state.add_video(str(session["session_id"]), id=video_id, status="completed", captioned_video_url=None)
    manager = DownloadManager(client, downloads)
    try:
        good = await manager.wait(manager.submit(Target(Kind.VIDEO, video_id, Variant.VIDEO)))
        missing = await manager.wait(manager.submit(Target(Kind.VIDEO, video_id, Variant.CAPTIONED)))
    finally:
        await manager.aclose()
    assert good.state is DownloadState.DONE, good.error
    assert good.path is not None and good.path.parent == downloads
    assert missing.state is DownloadState.FAILED
    assert missing.error is not None and "no captioned video; available: video" in missing.error


async def test_not_ready_and_missing_items_fail_with_a_clear_message(
    sim: Simulator, client: HeyGenClient, downloads: Path
) -> None:
    sim.state.add_render(render_id="hfr_busy", status="rendering")
    manager = DownloadManager(client, downloads)
    try:
        busy = await manager.wait(manager.submit(Target(Kind.RENDER, "hfr_busy")))
        gone = await manager.wait(manager.submit(Target(Kind.RENDER, "hfr_nope")))
    finally:
        await manager.aclose()
    assert (busy.state, busy.error) == (DownloadState.FAILED, "not ready yet")
    assert gone.state is DownloadState.FAILED and gone.error


async def test_at_most_n_run_at_once_and_duplicates_are_merged(
    sim: Simulator, client: HeyGenClient, downloads: Path
) -> None:
    for n in range(5):
        sim.state.add_render(render_id=f"hfr_q{n}", status="completed")
    active: set[str] = set()
    peak = 0

    def watch(status: DownloadStatus) -> None:
        nonlocal peak
        (active.add if status.state is DownloadState.ACTIVE else active.discard)(status.id)
        peak = max(peak, len(active))

    manager = DownloadManager(client, downloads, max_concurrent=2, on_change=watch)
    try:
        ids = [manager.submit(Target(Kind.RENDER, f"hfr_q{n}")) for n in range(5)]
        assert manager.submit(Target(Kind.RENDER, "hfr_q0")) == ids[0]
        assert [s.state for s in manager.statuses()] == [DownloadState.QUEUED] * 5
        await manager.join()
    finally:
        await manager.aclose()
    assert peak == 2
    assert all(s.state is DownloadState.DONE for s in manager.statuses())


async def test_cancel_keeps_the_partial_and_retry_resumes_it(
    sim: Simulator, client: HeyGenClient, downloads: Path, tmp_path: Path
) -> None:
    # Paced, so the progress read a few times a second sees it midway.
    sim.state.reset(sim_config(file_size=16 * 1024 * 1024, throttle=16 * 1024 * 1024))
    want, name = render_file(sim, "hfr_big")
    journal = tmp_path / "state" / "downloads.json"
    manager = DownloadManager(client, downloads, progress_interval=0.05, journal=journal)

    def cancel_midway(status: DownloadStatus) -> None:
        if status.state is DownloadState.ACTIVE and status.bytes_done >= 2 * 1024 * 1024:
            manager.cancel(status.id)

    unsubscribe = manager.subscribe(cancel_midway)
    try:
        download_id = manager.submit(Target(Kind.RENDER, "hfr_big"))
        cancelled = await manager.wait(download_id)
        unsubscribe()
        part = part_path(downloads / name)
        assert cancelled.state is DownloadState.CANCELLED
        kept = size(part)
        assert 0 < kept < want.size
        # The transfer's thread has stopped: the partial file no longer grows, and is never sealed.
        await asyncio.sleep(0.3)
        assert size(part) == kept
        assert not exists(downloads / name)
        (pending,) = load_journal(journal)
        assert (pending.target, pending.name) == (Target(Kind.RENDER, "hfr_big"), name)
        # The next run lists it, to resume.
        (left,) = DownloadManager(client, downloads, journal=journal).statuses()
        assert (left.state, left.bytes_done, left.note) == (DownloadState.CANCELLED, kept, "r resumes")
        assert manager.retry(download_id)
        assert not manager.retry(download_id)
        done = await manager.wait(download_id)
    finally:
        await manager.aclose()
    assert done.state is DownloadState.DONE, done.error
    assert done.path is not None and sha256_of(done.path) == want.sha256
    assert file_statuses(sim) == [200, 206]
    assert not manager.cancel(download_id)
    assert load_journal(journal) == []


async def test_disk_errors_fail_the_download_not_the_manager(
    sim: Simulator, client: HeyGenClient, tmp_path: Path
) -> None:
    sim.state.add_render(render_id="hfr_disk", status="completed")
    blocker = tmp_path / "not-a-dir"
    blocker.write_bytes(b"")
    manager = DownloadManager(client, blocker / "sub")
    try:
        status = await manager.wait(manager.submit(Target(Kind.RENDER, "hfr_disk")))
    finally:
        await manager.aclose()
    assert status.state is DownloadState.FAILED
    assert status.error is not None and status.error.startswith(f"cannot write {blocker / 'sub'}")


async def test_a_failing_listener_does_not_fail_the_download(
    sim: Simulator, client: HeyGenClient, downloads: Path, caplog: pytest.LogCaptureFixture
) -> None:
    render_file(sim, "hfr_listener")

    def broken(status: DownloadStatus) -> None:
        raise RuntimeError("screen went away")

    manager = DownloadManager(client, downloads, on_change=broken)
    try:
        status = await manager.wait(manager.submit(Target(Kind.RENDER, "hfr_listener")))
    finally:
        await manager.aclose()
    assert status.state is DownloadState.DONE
    assert "download listener failed" in caplog.text


async def test_a_frozen_file_body_drops_the_speed_to_zero_and_says_stalled(
    sim: Simulator, client: HeyGenClient, downloads: Path
) -> None:
    # 1,000 bytes a second: the first 64 KiB chunk goes out at once, the next one a minute later.
    sim.state.reset(sim_config(file_size=4 * 1024 * 1024, throttle=1000))
    sim.state.add_render(render_id="hfr_frozen", status="completed")
    seen: list[DownloadStatus] = []
    manager = DownloadManager(client, downloads, on_change=seen.append, stall_after=0.6)
    try:
        download_id = manager.submit(Target(Kind.RENDER, "hfr_frozen"))
        for _ in range(100):
            if manager.status(download_id).stalled_for is not None:
                break
            await asyncio.sleep(0.05)
        stalled = manager.status(download_id)
    finally:
        await manager.aclose()
    assert any(s.speed > 0 for s in seen), "bytes flowed before the freeze"
    assert stalled.state is DownloadState.ACTIVE
    assert stalled.stalled_for is not None and stalled.stalled_for >= 0.6
    assert stalled.speed == 0.0 and stalled.eta is None
    assert 0 < stalled.bytes_done < 4 * 1024 * 1024
    assert manager.status(download_id).stalled_for is None, "a cancelled download is no longer stalled"


async def test_a_cancel_while_the_file_host_is_silent_ends_at_once(
    sim: Simulator, client: HeyGenClient, downloads: Path
) -> None:
    render_file(sim, "hfr_silent")
    sim.state.faults.add("slow", count=1, path_prefix="/files/", delay=30.0)
    manager = DownloadManager(client, downloads)
    try:
        download_id = manager.submit(Target(Kind.RENDER, "hfr_silent"))
        # The item's GET answers at once; the file host's answer is what keeps it waiting.
        await asyncio.sleep(0.5)
        assert manager.status(download_id).state is DownloadState.ACTIVE
        started = time.monotonic()
        assert manager.cancel(download_id)
        cancelled = await manager.wait(download_id)
    finally:
        await manager.aclose()
    assert cancelled.state is DownloadState.CANCELLED
    assert time.monotonic() - started < 1.0
    assert listing(downloads) == []


async def test_a_partial_file_found_at_start_is_not_counted_as_speed(
    sim: Simulator, client: HeyGenClient, downloads: Path
) -> None:
    # As `hfdash download` meets it: no journal, a partial file of half the size, a paced host.
    pace = 2 * 1024 * 1024
    sim.state.reset(sim_config(file_size=4 * 1024 * 1024, throttle=pace))
    want, name = render_file(sim, "hfr_half")
    put(part_path(downloads / name), expected_bytes(want.key, want.size)[: want.size // 2])
    seen: list[DownloadStatus] = []
    manager = DownloadManager(client, downloads, on_change=seen.append, progress_interval=0.05)
    try:
        done = await manager.wait(manager.submit(Target(Kind.RENDER, "hfr_half")))
    finally:
        await manager.aclose()
    assert done.state is DownloadState.DONE, done.error
    assert file_statuses(sim) == [206]
    speeds = [status.speed for status in seen if status.speed]
    assert speeds and max(speeds) < 2 * pace, speeds
