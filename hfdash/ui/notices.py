"""Toasts kept few and short: changes that arrive together become one, each fits in two lines."""

from __future__ import annotations

import textwrap
from collections import Counter

from textual.dom import DOMNode

from hfdash.services.downloads.manager import DownloadState, DownloadStatus
from hfdash.services.kinds import Category
from hfdash.ui.format import NOUNS, clip, clip_start, plain

# One poll round reports its changes pane by pane, a few awaits apart: they make one toast.
GATHER_FOR = 0.3


def counted(pane: str, became: Counter[Category]) -> str:
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
            message = "; ".join(counted(pane, counts) for pane, counts in gathered.items())
        self.say(message, error=failed)
        if self.bell:
            self.owner.app.bell()

    def download(self, status: DownloadStatus) -> None:
        if status.state is DownloadState.DONE:
            where = clip_start(str(status.path or ""), self._width())
            first = "already there: " if "already downloaded" in (status.note or "") else "downloaded "
            self.say(f"{first}{status.label}\n{where}")
        elif status.state is DownloadState.FAILED:
            self.say(f"download failed: {status.label}\n{plain(status.error)}", error=True)

    def _width(self) -> int:
        # Textual's toast: 60 cells wide, at most half of its rack (the screen less a 2-cell
        # scrollbar), with a border cell on the left and a cell of padding each side.
        return max(10, min(60, (self.owner.app.size.width - 2) // 2) - 3)

    def say(self, message: str, *, error: bool = False) -> None:
        """At most two lines, each cut to the toast's width, so a toast never covers half the screen."""
        width = self._width()
        if "\n" in message:
            # Lines of their own (what, then where): each is cut, none wraps into the next.
            lines = [clip(line, width) for line in message.split("\n")[:2]]
        else:
            lines = textwrap.wrap(message, width) or [""]
            if len(lines) > 2:
                lines = [lines[0], clip(" ".join(lines[1:]), width)]
        self.owner.app.notify("\n".join(lines), severity="error" if error else "information", markup=False)
