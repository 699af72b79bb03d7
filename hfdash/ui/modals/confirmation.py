"""A yes/no question that only keys typed after it appeared can answer.

Keys typed in one burst (a paste, keys that crossed a slow SSH link in one packet) reach the
app together: `xy` would open the delete dialog with `x` and confirm it with `y` before anyone
read it. So the answers are no bindings, which Textual would look up for any key still on its
way; each key is read here, where only keys sent to this screen arrive, and a key whose event
is older than the dialog's first frame is dropped.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.message import Message
from textual.screen import ModalScreen


def append_answers(body: Text, yes: str) -> None:
    """The dialog's last line: which key answers yes, and which no."""
    for part, style in (("y", "bold"), (f" {yes}   ", ""), ("n", "bold"), (" / ", ""), ("escape", "bold")):
        body.append(part, style=style)
    body.append(" cancel")


class Confirmation(ModalScreen[bool]):
    # Each key that answers, and its answer.
    ANSWERS: ClassVar[dict[str, bool]] = {"y": True, "n": False, "escape": False}

    class Appeared(Message):
        """Posted once the dialog's first frame is on screen; its time is when that was."""

    def __init__(self) -> None:
        super().__init__()
        # Textual's clock, read from a message's time as key events read it; None until painted.
        self.appeared_at: float | None = None

    def on_mount(self) -> None:
        self.call_after_refresh(self.post_message, self.Appeared())

    def on_confirmation_appeared(self, message: Confirmation.Appeared) -> None:
        self.appeared_at = message.time

    def on_key(self, event: events.Key) -> None:
        answer = self.ANSWERS.get(event.key)
        if answer is None:
            return
        event.stop()
        if self.appeared_at is not None and event.time >= self.appeared_at:
            self.dismiss(answer)
