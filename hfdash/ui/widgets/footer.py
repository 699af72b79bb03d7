"""The key line at the bottom of every screen: the keys that apply now, most wanted first, as one
line of text; where it is too narrow the least wanted are dropped whole, never cut mid-key.

Textual's Footer builds one widget per key at every change of bindings and binds each key's
`compact` to its own. Textual drops a closed watcher only when the reactive it watches changes,
and `compact` never does, so every footer ever built stays in memory: about 8 MB a minute in the
soak (tests/reliability/test_leaks.py shows it). One line of text has no such widgets to keep."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

_ENABLED = Style.null()
_DISABLED = Style(dim=True)


class Footer(Widget):
    """The keys that apply where the focus is; greyed out while their action is disabled."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"footer--key", "footer--description"}

    def __init__(self, keys: tuple[tuple[str, str], ...] = ()) -> None:
        """`keys`: answers a screen reads itself rather than by binding (a confirmation's y and n)."""
        super().__init__()
        self.keys = keys

    def on_mount(self) -> None:
        # One line whatever it says, so no layout: a layout repaints the whole screen.
        self.screen.bindings_updated_signal.subscribe(self, lambda _screen: self.refresh())

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def shown_keys(self) -> list[tuple[str, str, Style]]:
        """(key, what it does, style), most wanted first: the screen lists its keys in that order."""
        shown = [(key, description, _ENABLED) for key, description in self.keys]
        # A key bound to an action another key already shows adds nothing to read.
        actions: set[str] = set()
        for binding_shown in self.screen.active_bindings.values():
            binding = binding_shown.binding
            if not binding.show or binding.action in actions:
                continue
            actions.add(binding.action)
            dim = _ENABLED if binding_shown.enabled else _DISABLED
            shown.append((self.app.get_key_display(binding), binding.description, dim))
        return shown

    def render(self) -> Text:
        key_style = self.get_component_rich_style("footer--key")
        description_style = self.get_component_rich_style("footer--description")
        # The command palette's key keeps its place at the right end, as in Textual's Footer.
        right = Text(no_wrap=True, end="")
        palette = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            right.append(f" {self.app.get_key_display(palette.binding)}", style=key_style)
            right.append(f" {palette.binding.description} ", style=description_style)
        room = self.size.width - right.cell_len
        line = Text(no_wrap=True, end="")
        for key, description, dim in self.shown_keys():
            if line.cell_len + cell_len(key) + cell_len(description) + 3 > room:
                # Whole keys only, and the least wanted go first: the rest of the line is dropped.
                break
            line.append(f" {key} ", style=key_style + dim)
            line.append(f"{description} ", style=description_style + dim)
        line.pad_right(max(room - line.cell_len, 0))
        return line + right
