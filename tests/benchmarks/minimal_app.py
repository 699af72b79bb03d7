"""The start and idle baseline: the least a Textual app can be. `--stay` keeps it running."""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.widgets import Static

MARK = "minimal-app-first-paint"


class Minimal(App[None]):
    def __init__(self, stay: bool) -> None:
        super().__init__()
        self.stay = stay

    def compose(self) -> ComposeResult:
        yield Static(MARK)

    def on_mount(self) -> None:
        if not self.stay:
            self.call_after_refresh(self.exit)


if __name__ == "__main__":
    Minimal(stay="--stay" in sys.argv).run()
