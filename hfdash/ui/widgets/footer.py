"""Textual's Footer, without the memory it loses on every key binding change.

Footer rebuilds its keys whenever the bindings change (every focus change, every screen
switch) and binds each new key to its `compact` reactive. Textual drops a closed watcher
only when that reactive changes, and `compact` never does here, so every rebuild kept the
old keys alive: in the soak (docs/reliability.md) memory grew by about 8 MB a minute.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    async def recompose(self) -> None:
        await super().recompose()
        # Textual's own rule for a dead watcher (Reactive._check_watchers): its node is closing.
        watchers: dict[str, list[tuple[Any, Any]]] = getattr(self, "__watchers", {})
        for entries in watchers.values():
            entries[:] = [(node, callback) for node, callback in entries if not node._closing]
