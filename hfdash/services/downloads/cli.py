"""`hfdash download render|clip-job|video ID`: the download engine for scripts.

Progress goes to stderr (a bar on a terminal, plain lines otherwise); each final path goes to
stdout, one per line, so `$(hfdash download render ID)` is the file. Exit status: 0 done,
1 the download failed (partial kept), 2 usage or configuration error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from humanize import naturalsize

from hfdash.api.client import HeyGenClient
from hfdash.config.credentials import CredentialsError
from hfdash.config.dirs import resolve_destination
from hfdash.services.downloads.manager import DownloadManager, DownloadState, DownloadStatus, safe_message
from hfdash.services.downloads.plan import Kind, Target, Variant

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
_BAR_WIDTH = 28


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hfdash download",
        description="Download a render's video, a clip job's clips or a video variant.",
    )
    parser.set_defaults(variant=str(Variant.VIDEO))
    sub = parser.add_subparsers(dest="kind", required=True, metavar="{render,clip-job,video}")
    for kind, text in (
        (Kind.RENDER, "a HyperFrames render's video"),
        (Kind.CLIP_JOB, "every completed clip of an AI Clipping job, into a folder named after it"),
        (Kind.VIDEO, "a Video Agent video, its captioned version or its subtitles"),
    ):
        command = sub.add_parser(str(kind), help=text, description=f"Download {text}.")
        command.add_argument("id", help=f"the {kind} id")
        command.add_argument("--dest", type=Path, help="directory to download into")
        if kind is Kind.VIDEO:
            command.add_argument(
                "--variant", choices=[str(v) for v in Variant], default=str(Variant.VIDEO), help="which file"
            )
    return parser


class Reporter:
    def __init__(self, stream: TextIO, *, tty: bool | None = None, interval: float = 1.0) -> None:
        self._stream = stream
        self._tty = stream.isatty() if tty is None else tty
        self._interval = interval
        self._last_line = 0.0
        self._last_note: str | None = None

    def __call__(self, status: DownloadStatus) -> None:
        if status.note and status.note != self._last_note:
            self._last_note = status.note
            self._write(f"{status.label}: {status.note}\n")
        if status.state is DownloadState.ACTIVE and status.bytes_done:
            self._progress(status)
        elif status.finished:
            self._write("")

    def _progress(self, status: DownloadStatus) -> None:
        done, total = status.bytes_done, status.bytes_total
        parts = [naturalsize(done) if total is None else f"{naturalsize(done)} / {naturalsize(total)}"]
        if status.speed > 0:
            parts.append(f"{naturalsize(status.speed)}/s")
        if status.eta is not None:
            parts.append(f"ETA {int(status.eta) // 60}:{int(status.eta) % 60:02d}")
        if status.files_total > 1:
            parts.append(f"file {min(status.files_done + 1, status.files_total)}/{status.files_total}")
        if self._tty:
            fraction = done / total if total else 0.0
            filled = int(_BAR_WIDTH * min(fraction, 1.0))
            bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
            self._write(f"{status.label} [{bar}] {fraction:4.0%}  {'  '.join(parts)}")
        elif time.monotonic() - self._last_line >= self._interval:
            self._last_line = time.monotonic()
            self._write(f"{status.label}: {'  '.join(parts)}\n")

    def _write(self, text: str) -> None:
        # On a terminal, whatever is written replaces the bar drawn last.
        self._stream.write(("\r\x1b[K" if self._tty else "") + text)
        self._stream.flush()


async def run(target: Target, destination: Path, client: HeyGenClient, stdout: TextIO, stderr: TextIO) -> int:
    async with client:
        manager = DownloadManager(client, destination, on_change=Reporter(stderr))
        try:
            status = await manager.wait(manager.submit(target))
        finally:
            await manager.aclose()
    stdout.write("".join(f"{path}\n" for path in status.paths))
    stdout.flush()
    if status.state is DownloadState.DONE:
        return 0
    stderr.write(f"hfdash download: {status.label}: {status.error or status.state}\n")
    return EXIT_FAILED


def main(
    argv: list[str], connect: Callable[[], HeyGenClient | None], configured_dest: Path | None = None
) -> int:
    """Entry point; `argv` is what follows `hfdash download`. `connect` is the command line's client
    builder: None when no credential is configured. `configured_dest`: the settings file's."""
    args = build_parser().parse_args(argv)
    target = Target(Kind(args.kind), args.id, Variant(args.variant))
    destination = resolve_destination(args.dest, configured_dest)
    try:
        client = connect()
    except CredentialsError as exc:
        sys.stderr.write(f"hfdash download: {safe_message(exc)}\n")
        return EXIT_USAGE
    if client is None:
        sys.stderr.write("hfdash download: no HeyGen credential: set HEYGEN_API_KEY or log in with heygen\n")
        return EXIT_USAGE
    try:
        return asyncio.run(run(target, destination, client, sys.stdout, sys.stderr))
    except KeyboardInterrupt:
        sys.stderr.write("\nhfdash download: interrupted; the partial file is kept for a resume\n")
        return EXIT_INTERRUPTED
