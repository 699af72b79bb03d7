"""The part file: one writer at a time, sealed only at the declared size, never overwriting."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import httpx
import pytest

from hfdash.api.client import HeyGenClient
from hfdash.api.files import FileClient
from hfdash.services.downloads.engine import DownloadError, PartFile, disk_error, transfer
from hfdash.simulator import Simulator
from tests.services.conftest import exists, listing


def test_a_second_writer_is_refused(tmp_path: Path) -> None:
    first = PartFile(tmp_path, "a.mp4")
    try:
        with pytest.raises(DownloadError, match="being downloaded by another process"):
            PartFile(tmp_path, "a.mp4")
    finally:
        first.close()
    PartFile(tmp_path, "a.mp4").close()


def test_seal_checks_the_size_on_disk(tmp_path: Path) -> None:
    part = PartFile(tmp_path, "a.mp4")
    part.write(b"12345")
    with pytest.raises(DownloadError, match="holds 5 bytes where the file host declared 6"):
        part.seal(6)
    assert listing(tmp_path) == ["a.mp4.part"]
    again = PartFile(tmp_path, "a.mp4")
    assert again.size == 5
    again.write(b"6")
    assert again.seal(6) == tmp_path / "a.mp4"
    assert listing(tmp_path) == ["a.mp4"]


def test_seal_never_replaces_a_file_that_appeared_meanwhile(tmp_path: Path) -> None:
    part = PartFile(tmp_path, "a.mp4")
    part.write(b"new")
    (tmp_path / "a.mp4").write_bytes(b"someone else's")
    assert part.seal(3) == tmp_path / "a (1).mp4"
    assert (tmp_path / "a.mp4").read_bytes() == b"someone else's"


def test_restart_truncates_and_appends_from_zero(tmp_path: Path) -> None:
    part = PartFile(tmp_path, "a.mp4")
    part.write(b"stale bytes")
    part.restart()
    part.write(b"ok")
    assert part.seal(2).read_bytes() == b"ok"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (errno.ENOSPC, "no space left on device"),
        (errno.EACCES, "permission denied"),
        (errno.EFBIG, "file too large for the destination"),
        (errno.EROFS, "read-only file system"),
    ],
)
def test_disk_errors_read_plainly(code: int, reason: str, tmp_path: Path) -> None:
    part = tmp_path / "x.part"
    error = OSError(code, os.strerror(code))
    # Nothing written yet (the folder or the file could not be made): no partial file to speak of.
    assert str(disk_error(error, part, part)) == f"cannot write {part}: {reason}"
    part.write_bytes(b"half")
    assert (
        str(disk_error(error, part, part))
        == f"cannot write {part}: {reason}; the partial file is kept for a resume"
    )


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_permission_denied(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        # Root passes every permission check on an ordinary directory; sysfs still refuses it a new file.
        locked = Path("/sys")
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
    with pytest.raises(DownloadError, match="permission denied"):
        PartFile(locked, "a.mp4")


async def test_timeouts_give_up_with_a_clear_error_and_leave_no_empty_part(
    sim: Simulator, client: HeyGenClient, downloads: Path
) -> None:
    view = sim.state.add_render(render_id="hfr_slow", status="completed")
    sim.state.faults.add("slow", rate=1.0, delay=0.5, path_prefix="/files/")

    async def source() -> str:
        return str(view["video_url"])

    with (
        FileClient(timeout=httpx.Timeout(0.1)) as impatient,
        pytest.raises(DownloadError, match=r"gave up after 2 .*did not answer within 0.1 s"),
    ):
        await transfer(impatient, source, downloads, "s.mp4", max_failures=1, retry_delay=0.0)
    assert not exists(downloads / "s.mp4.part")
