"""The delete confirmation: names the item and says what the API will do."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from hfdash.ui.format import clip, plain
from hfdash.ui.modals.confirmation import Confirmation, append_answers
from hfdash.ui.widgets.footer import Footer


class ConfirmDelete(Confirmation):
    def __init__(self, kind_label: str, target_id: str, title: str | None, effect: str) -> None:
        super().__init__()
        self.kind_label = kind_label
        self.target_id = target_id
        self.target_title = title
        self.effect = effect

    def compose(self) -> ComposeResult:
        body = Text()
        body.append(f"Delete this {self.kind_label}?\n\n", style="bold")
        body.append("id     ", style="dim")
        body.append(clip(plain(self.target_id), 200) + "\n")
        body.append("title  ", style="dim")
        body.append(clip(plain(self.target_title) or "(untitled)", 200) + "\n\n")
        body.append(self.effect + "\n\n", style="bold #e06c75" if "PERMANENTLY" in self.effect else "")
        append_answers(body, "delete")
        with Vertical(id="confirm-box"):
            yield Static(body, id="confirm-text")
        yield Footer(keys=(("y", "Delete"), ("n esc", "Cancel")))
