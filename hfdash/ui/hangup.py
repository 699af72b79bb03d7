"""Whether the terminal hfdash draws on has hung up.

An SSH connection that dies leaves its pseudo-terminal hung up. A process that gets no SIGHUP for
it (started with `nohup`, or outside the session's job control) then reads an end of input for
ever: Textual's input thread spins on it at a full core (Textualize/textual#6690), and nobody is
left to see the dashboard.
"""

from __future__ import annotations

import os
import select
import sys


def terminal_fd() -> int | None:
    """The file descriptor of the terminal on standard input, or None where there is none to watch."""
    stdin = sys.__stdin__
    if stdin is None or not hasattr(select, "poll"):  # no poll(2) on Windows
        return None
    try:
        fd = stdin.fileno()
    except (OSError, ValueError):
        return None
    return fd if os.isatty(fd) else None


def hung_up(fd: int) -> bool:
    """True once the terminal on `fd` has hung up; reads nothing, so no key is taken from Textual."""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    # POLLHUP only: macOS answers POLLNVAL for a terminal that is fine.
    return any(events & select.POLLHUP for _fd, events in poller.poll(0))
