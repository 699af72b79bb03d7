"""Textual's Footer, without a data binding per key.

Footer rebuilds its keys whenever the bindings change (every focus change, every screen
switch) and binds each new key's `compact` to its own. `compact` never changes here, and
the bindings cost twice over:

- Each bound key is restyled twice as it mounts (its `compact` default, then the footer's),
  about half of what building the footer costs, and the footer is built before the first
  rows are painted.
- Textual drops a closed watcher only when the reactive it watches changes, so every rebuild
  kept the old keys alive: in the soak (docs/reliability.md) memory grew by about 8 MB a minute.

So each key is given the footer's `compact` once, as it is built, and is never bound.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey


class Footer(TextualFooter):
    def compose(self) -> ComposeResult:
        for widget in super().compose():
            # The command palette's key is never bound, and keeps its own compact look.
            if isinstance(widget, FooterKey) and widget._reactive_connect:
                # Undo the data binding before it is set up (it is set up once the key mounts).
                widget._reactive_connect = None
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
            yield widget
