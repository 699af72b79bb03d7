"""`hfdash` as a real process on a pseudo-terminal, with the screen read back as a user sees it.

Bytes are written to the terminal as a keyboard, a paste or an SSH packet delivers them, and
what the process draws is replayed through pyte, a terminal emulator, into lines of text.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Mapping
from types import TracebackType

import pyte

# Generous: two cores are shared by several test runs, and a cold start imports Textual.
START_WITHIN = 60.0


class Terminal:
    def __init__(self, args: list[str], env: Mapping[str, str], columns: int = 120, lines: int = 40) -> None:
        self.screen = pyte.Screen(columns, lines)
        self._stream = pyte.ByteStream(self.screen)
        self._fd, child = pty.openpty()
        fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "hfdash", *args],
            stdin=child,
            stdout=child,
            stderr=child,
            env={**env, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(lines)},
            start_new_session=True,
        )
        os.close(child)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def write(self, keys: bytes) -> None:
        """All of `keys` in one write, as one paste or one SSH packet arrives."""
        os.write(self._fd, keys)

    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]

    def text(self) -> str:
        return "\n".join(self.lines())

    def wait_for(self, shown: Callable[[str], bool], within: float = 20.0) -> str:
        """Reads what the process draws until `shown(screen text)` holds; the screen text then."""
        deadline = time.monotonic() + within
        while not shown(self.text()):
            if time.monotonic() > deadline:
                raise AssertionError(f"not on screen within {within} s:\n{self.text()}")
            read = self._read(min(0.05, max(0.0, deadline - time.monotonic())))
            if not read and self.process.poll() is not None:
                raise AssertionError(f"hfdash exited ({self.process.returncode}):\n{self.text()}")
        return self.text()

    def settle(self, quiet: float = 0.5, within: float = 10.0) -> str:
        """Reads until the process has drawn nothing for `quiet` seconds; the screen text then."""
        deadline = time.monotonic() + within
        last = time.monotonic()
        while time.monotonic() - last < quiet and time.monotonic() < deadline:
            if self._read(0.05):
                last = time.monotonic()
        return self.text()

    def wait_exit(self, within: float = 20.0) -> int:
        deadline = time.monotonic() + within
        while self.process.poll() is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"hfdash still running after {within} s:\n{self.text()}")
            if self._fd >= 0:
                self._read(0.05)
            else:
                time.sleep(0.05)
        return self.process.returncode

    def hang_up(self) -> None:
        """Closes the terminal's other end, as a dying SSH connection does. The process is in a
        session of its own without this terminal as its controlling one, so no SIGHUP reaches it."""
        os.close(self._fd)
        self._fd = -1

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._fd >= 0:
            os.close(self._fd)

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self._fd], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self._fd, 65536)
        except OSError:
            # The process closed its end of the terminal: nothing more will come.
            time.sleep(0.01)
            return False
        self._stream.feed(data)
        return bool(data)
