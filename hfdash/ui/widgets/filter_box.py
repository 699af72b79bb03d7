"""The `/` filter box: Textual's Input, with its editing keys applied in the order they came.

Input inserts a typed character as its key arrives, but runs a bound key (backspace, ctrl+w,
the arrows…) only once that key has bubbled up to the app. Keys that come in one burst (a fast
typist, keys over a slow SSH link, which arrive in one packet) are then applied out of order:
`zzz`, three backspaces and `recap` read "zzzre" (Textualize/textual#6605; the fix proposed
upstream, #6631, runs the widget's own bindings as the key arrives, as this box does).
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding
from textual.widgets import Input


class FilterBox(Input):
    """Textual's Input, whose bound keys take effect in order with the characters typed."""

    ACTIONS_BY_KEY: ClassVar[dict[str, str]] = {
        key.strip(): binding.action
        for binding in Input.BINDINGS
        if isinstance(binding, Binding)
        for key in binding.key.split(",")
    }

    async def on_key(self, event: events.Key) -> None:
        if self.screen.focused is not self:
            # Behind enter or escape in the same burst, sent here before the focus moved: Input
            # must not type it, and bubbling up it meets the bindings of the table now focused.
            event.prevent_default()
            return
        action = next((self.ACTIONS_BY_KEY[key] for key in event.aliases if key in self.ACTIONS_BY_KEY), None)
        if action is not None:
            # Handled here, so the app does not run the binding a second time when the key bubbles up.
            event.stop()
            event.prevent_default()
            await self.run_action(action)
        if event.key == "escape":
            self._leave()

    async def action_submit(self) -> None:
        await super().action_submit()
        self._leave()

    def _leave(self) -> None:
        # Now, not when the screen hears of it: the next keys of the same burst are already on
        # their way, and must meet the table's bindings. The table follows the box in the focus chain.
        self.screen.focus_next()
