"""Toasts kept few and short: changes that arrive together become one, each fits in two lines."""

from __future__ import annotations

import os
import textwrap
from collections import Counter

from textual.dom import DOMNode

from hfdash.services.downloads.manager import DownloadState, DownloadStatus
from hfdash.services.kinds import Category
from hfdash.ui.format import NOUNS, clip, clip_start, counted, plain

# One poll round reports its changes pane by pane, a few awaits apart: they make one toast.
GATHER_FOR = 0.3


def toast_width(screen_width: int) -> int:
    """The text width of Textual's toast: 60 cells wide, at most half of its rack (the screen less
    a 2-cell scrollbar), with a border cell on the left and a cell of padding each side."""
    return max(10, min(60, (screen_width - 2) // 2) - 3)


def two_lines(message: str, width: int, *, titled: bool = False) -> str:
    """`message` cut to the lines a toast keeps (two, or one beside a title), each `width` wide."""
    keep = 1 if titled else 2
    if "\n" in message:
        # Lines of their own (what, then where): each is cut, none wraps into the next.
        return "\n".join(clip(line, width) for line in message.split("\n")[:keep])
    lines = textwrap.wrap(message, width) or [""]
    if len(lines) > keep:
        lines = [*lines[: keep - 1], clip(" ".join(lines[keep - 1 :]), width)]
    return "\n".join(lines)


def counted_changes(pane: str, became: Counter[Category]) -> str:
    """`3 renders completed, 1 failed`."""
    one, many = NOUNS[pane]
    parts: list[str] = []
    for state in (Category.COMPLETED, Category.FAILED, Category.CANCELLED):
        if count := became[state]:
            # Only the first count names the items.
            noun = "" if parts else (one if count == 1 else many) + " "
            parts.append(f"{count} {noun}{state.value}")
    return ", ".join(parts)


class Notices:
    """Gathers item transitions for a moment and says them in one toast; says a download once, at its end."""

    def __init__(self, owner: DOMNode, *, bell: bool = False) -> None:
        # The screen or app whose timers gather and whose toasts speak; its app exists once mounted.
        self.owner = owner
        self.bell = bell
        self._gathered: dict[str, Counter[Category]] = {}
        # The title of the only item gathered, named when it is alone.
        self._single: str | None = None
        # Downloads not finished yet, and those that ended while others ran, by download id.
        self._running: set[str] = set()
        self._ended: dict[str, DownloadStatus] = {}

    def transition(self, pane: str, became: Category, title: str) -> None:
        if not self._gathered:
            self.owner.set_timer(GATHER_FOR, self._flush)
        self._gathered.setdefault(pane, Counter())[became] += 1
        self._single = title if sum(sum(c.values()) for c in self._gathered.values()) == 1 else None

    def _flush(self) -> None:
        gathered, self._gathered = self._gathered, {}
        failed = any(counts[Category.FAILED] for counts in gathered.values())
        if self._single is not None:
            ((pane, counts),) = gathered.items()
            (state,) = counts
            message = f"{NOUNS[pane][0]} {state.value}: {plain(self._single)}"
        else:
            message = "; ".join(counted_changes(pane, counts) for pane, counts in gathered.items())
        self.say(message, error=failed)
        if self.bell:
            self.owner.app.bell()

    def download(self, status: DownloadStatus) -> None:
        """Downloads that end while others still run are told together, once the last one ends."""
        if not status.finished:
            self._running.add(status.id)
            return
        self._running.discard(status.id)
        if status.state is DownloadState.DONE or status.state is DownloadState.FAILED:
            self._ended[status.id] = status
        if self._running or not self._ended:
            return
        ended, self._ended = list(self._ended.values()), {}
        if len(ended) == 1:
            self._one_download(ended[0])
            return
        failed = sum(1 for one in ended if one.state is DownloadState.FAILED)
        there = sum(1 for one in ended if one.state is DownloadState.DONE and _already_there(one))
        fetched = [one.path for one in ended if one.state is DownloadState.DONE and not _already_there(one)]
        parts = [f"downloaded {counted(len(fetched), 'file')}"] if fetched else []
        parts += [f"{there} already there"] if there else []
        parts += [f"{failed} failed (D shows why)"] if failed else []
        paths = [str(path) for one in ended if (path := one.path) is not None]
        where = clip_start(os.path.commonpath(paths), self._width()) if paths else ""
        self.say(", ".join(parts) + (f"\n{where}" if where else ""), error=bool(failed))

    def _one_download(self, status: DownloadStatus) -> None:
        if status.state is DownloadState.DONE:
            where = clip_start(str(status.path or ""), self._width())
            first = "already there: " if _already_there(status) else "downloaded "
            self.say(f"{first}{status.label}\n{where}")
        else:
            self.say(f"download failed: {status.label}\n{plain(status.error)}", error=True)

    def _width(self) -> int:
        return toast_width(self.owner.app.size.width)

    def say(self, message: str, *, error: bool = False) -> None:
        # The app cuts every toast to two lines, so a toast never covers half the screen.
        self.owner.app.notify(message, severity="error" if error else "information", markup=False)


def _already_there(status: DownloadStatus) -> bool:
    return "already downloaded" in (status.note or "")
