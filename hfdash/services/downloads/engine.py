"""One file transfer from a presigned URL to the destination, safe against being killed.

Bytes stream into `<final name>.part`; only a part whose size matches what the host declared is
fsynced and linked to the final name, so the final name never holds a partial or wrong-sized
file. Expired URLs (403/404), dropped connections and 5xx fetch a fresh URL and resume with a
Range request, a bounded number of times in a row. The partial file is kept on every failure and
on cancellation, so the next attempt resumes it. The bytes come from the api layer's FileClient.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from hfdash.api.errors import CertificateError, TransportError
from hfdash.api.files import FileClient, FileResponse
from hfdash.api.retry import RetryPolicy
from hfdash.services.downloads.errors import MAX_FAILURES, HostError, SizeMismatch
from hfdash.services.downloads.partfile import PartFile, disk_error, make_dir, size_or_zero
from hfdash.services.downloads.ranges import parse_content_range

T = TypeVar("T")
UrlSource = Callable[[], Awaitable[str]]
# (bytes on disk for this file, total bytes or None when the host did not say)
ProgressFn = Callable[[int, int | None], None]
# (attempt number, why the previous one failed): lets the caller show "retrying".
RetryFn = Callable[[int, str], None]

MAX_ATTEMPTS = 50


@dataclass(slots=True)
class _Attempt:
    wrote: bool = False


@dataclass(frozen=True, slots=True)
class FileResult:
    path: Path
    size: int
    # True when a file of the expected size was already there and was left alone.
    existed: bool = False
    resumed_from: int = 0


class _Retry(Exception):
    """An attempt failed in a way a fresh URL and a resume can fix."""

    def __init__(self, reason: str, expired: bool = False) -> None:
        super().__init__(reason)
        self.expired = expired


async def _in_thread_uncancellable(call: Callable[[], T]) -> T:
    """Run blocking I/O off the loop; if cancelled, let it finish before the cancel propagates."""
    future = asyncio.ensure_future(asyncio.to_thread(call))
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        await asyncio.wait([future])
        raise


def _expected_total(reply: FileResponse, offset: int) -> tuple[int, int | None]:
    """(where the body starts, the whole file's size) from a 200 or 206."""
    if reply.status == 206:
        parsed = parse_content_range(reply.header("content-range"))
        if parsed is None or parsed.start is None:
            raise _Retry("the file host sent an unreadable Content-Range")
        return parsed.start, parsed.total
    length = reply.header("content-length")
    return 0, int(length) if length and length.isdigit() else None


async def _attempt(
    http: FileClient,
    url: str,
    directory: Path,
    name: str,
    on_progress: ProgressFn | None,
    state: _Attempt,
) -> FileResult:
    part = PartFile(directory, name)
    sealed = False
    try:
        offset = part.size
        async with http.get(url, offset) as response:
            status = response.status
            if status in (403, 404):
                raise _Retry(f"the file host answered {status} (URL expired)", expired=True)
            if status == 416:
                parsed = parse_content_range(response.header("content-range"))
                if parsed is None or parsed.total != offset or not offset:
                    part.restart()
                    raise _Retry("the partial file no longer matches the remote file; restarting")
                path = await _in_thread_uncancellable(lambda: part.seal(offset))
                sealed = True
                return FileResult(path, offset, resumed_from=offset)
            if status >= 500 or status == 429:
                raise _Retry(f"the file host answered {status}")
            if status not in (200, 206):
                raise HostError(f"the file host answered {status}")
            start, total = _expected_total(response, offset)
            if start != offset:
                # The host ignored or bent our range: the body is the file from `start`.
                if start != 0:
                    raise _Retry("the file host answered a different range than asked")
                part.restart()
                offset = 0
            for existing in part.taken:
                if total is not None and size_or_zero(existing) == total:
                    part.close_and_drop_if_empty()
                    return FileResult(existing, total, existed=True)
            done = await _stream(response, part, offset, total, on_progress, state)
            path = await _in_thread_uncancellable(lambda: part.seal(total))
            sealed = True
            return FileResult(path, done, resumed_from=offset)
    except OSError as exc:
        raise disk_error(exc, part.path) from exc
    finally:
        if not sealed:
            part.close_and_drop_if_empty()


async def _stream(
    response: FileResponse,
    part: PartFile,
    offset: int,
    total: int | None,
    on_progress: ProgressFn | None,
    state: _Attempt,
) -> int:
    """Append the body to the part; the bytes now in it, checked against the declared total."""
    done = offset
    if on_progress is not None and offset:
        # A resume starts where the partial file ends: the row says so before the first new byte.
        on_progress(done, total)
    # Each chunk is written as it arrives, so whatever arrived before a drop, a kill or a cancel
    # is already in the partial file for the next attempt to resume.
    async for chunk in response.chunks():
        part.write(chunk)
        done += len(chunk)
        state.wrote = True
        if total is not None and done > total:
            raise SizeMismatch(f"the file host sent more than the {total} bytes it declared")
        if on_progress is not None:
            on_progress(done, total)
    if on_progress is not None:
        on_progress(done, total)
    if total is not None and done != total:
        raise _Retry(f"the connection ended after {done} of {total} bytes")
    return done


async def transfer(
    http: FileClient,
    url_source: UrlSource,
    directory: Path,
    name: str,
    *,
    on_progress: ProgressFn | None = None,
    on_retry: RetryFn | None = None,
    max_failures: int = MAX_FAILURES,
    retry_delay: float = 0.25,
) -> FileResult:
    """Download to `directory / name` (or `name (n).ext` if that is taken by another file)."""
    make_dir(directory)
    failures = 0
    for attempt in range(1, MAX_ATTEMPTS + 1):
        url = await url_source()
        state = _Attempt()
        try:
            return await _attempt(http, url, directory, name, on_progress, state)
        except CertificateError as exc:
            # No retry can make the host trusted: say so now rather than after five tries.
            raise HostError(str(exc)) from None
        except (_Retry, TransportError) as exc:
            reason = str(exc)
            # Only failures in a row count: a long download over a flaky link keeps making progress.
            failures = 1 if state.wrote else failures + 1
            if failures > max_failures:
                raise HostError(f"gave up after {failures} failed attempts in a row: {reason}") from exc
            if on_retry is not None:
                on_retry(attempt, reason)
            if not (isinstance(exc, _Retry) and exc.expired):
                # The API's backoff, on the file host's shorter scale: a fresh URL is cheap to ask for.
                await asyncio.sleep(RetryPolicy(base=retry_delay, cap=5.0).delay(failures - 1))
    raise HostError(f"gave up after {MAX_ATTEMPTS} attempts")
