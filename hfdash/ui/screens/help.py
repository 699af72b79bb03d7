"""`?`: every key of the screen underneath, with what it does."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from hfdash.ui.widgets.footer import Footer


def key_label(keys: str) -> str:
    names = {"question_mark": "?", "slash": "/", "escape": "esc", "delete": "del", "asterisk": "*"}
    return ", ".join(names.get(key.strip(), key.strip()) for key in keys.split(","))


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]

    def __init__(self, title: str, bindings: list[BindingType]) -> None:
        super().__init__()
        self.title_text = title
        self.keys = [b for b in bindings if isinstance(b, Binding) and b.description]

    def compose(self) -> ComposeResult:
        body = Text()
        body.append(f"{self.title_text}\n\n", style="bold")
        for binding in self.keys:
            body.append(f"{key_label(binding.key):>14}  ", style="bold #61afef")
            body.append(f"{binding.description}\n")
        body.append("\nctrl+p opens the command palette with every action. escape closes this.", style="dim")
        with VerticalScroll(id="help-box"):
            yield Static(body)
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)
