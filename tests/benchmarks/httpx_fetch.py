"""The least a program on stock httpx can do to download a file: how far the library itself gets.

    python -m tests.benchmarks.httpx_fetch {async,sync} URL FILE

httpx with its defaults (it trusts `SSL_CERT_FILE`) streams the body with `aiter_raw()` (or
`iter_raw()`) into FILE, then fsyncs it, as hfdash's download does; no resume, no progress.
`async` is `httpx.AsyncClient` on asyncio; `sync` is `httpx.Client`, as hfdash streams file
bodies, whose TLS reads go straight to the ssl module rather than through asyncio's TLS transport.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import BinaryIO

import httpx


def finish(out: BinaryIO) -> None:
    out.flush()
    os.fsync(out.fileno())


async def fetch_async(url: str, path: Path) -> None:
    async with httpx.AsyncClient() as client, client.stream("GET", url) as answer:
        answer.raise_for_status()
        with path.open("wb") as out:
            async for chunk in answer.aiter_raw():
                out.write(chunk)
            finish(out)


def fetch_sync(url: str, path: Path) -> None:
    with httpx.Client() as client, client.stream("GET", url) as answer:
        answer.raise_for_status()
        with path.open("wb") as out:
            for chunk in answer.iter_raw():
                out.write(chunk)
            finish(out)


if __name__ == "__main__":
    how, url, file = sys.argv[1:]
    if how == "async":
        asyncio.run(fetch_async(url, Path(file)))
    else:
        fetch_sync(url, Path(file))
