"""Quitting while files are downloading asks first; partial files stay for a later resume."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from hfdash.ui.modals.confirmation import Confirmation
from hfdash.ui.widgets.footer import Footer


class ConfirmQuit(Confirmation):
    def __init__(self, active: int) -> None:
        super().__init__()
        self.active = active

    def compose(self) -> ComposeResult:
        noun = "download is" if self.active == 1 else "downloads are"
        with Vertical(id="confirm-box"):
            yield Static(
                f"{self.active} {noun} still running.\n\n"
                "Quit anyway? Partial files are kept and resume next time.\n\n"
                "y quit   n / escape stay",
                id="confirm-text",
            )
        yield Footer(keys=(("y", "Quit"), ("n esc", "Stay")))
