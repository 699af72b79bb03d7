"""A one-line text box for the `/` filter that repaints only itself on a keystroke.

Textual's Input asks for a layout of the whole screen whenever its value changes, which
repaints every widget on screen: at a keystroke's pace that is most of the time a filter
takes to show. This box is always one line high, so a keystroke changes nothing but its own
line and the rows the filter selects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget

from hfdash.ui.format import plain

PROMPT = "/ "


class FilterLine(Widget, can_focus=True):
    """The text typed after `/`, edited with the usual line keys; enter keeps it, escape is the screen's.

    Every change of the text is handed to `on_change` as it happens.
    """

    DEFAULT_CSS = """
    FilterLine {
        height: 1;
        background: $boost;
        color: $foreground;
        padding: 0 1;
    }
    FilterLine:focus {
        background: $accent 30%;
    }
    """

    class Submitted(Message):
        def __init__(self, box: FilterLine, value: str) -> None:
            super().__init__()
            self.box = box
            self.value = value

        @property
        def control(self) -> FilterLine:
            return self.box

    # The line-editing keys, each with what it does: the README's key table lists them all.
    EDITS: ClassVar[dict[str, str]] = {
        "backspace": "_delete_left",
        "ctrl+h": "_delete_left",
        "delete": "_delete_right",
        "ctrl+d": "_delete_right",
        "left": "_left",
        "right": "_right",
        "home": "_to_start",
        "ctrl+a": "_to_start",
        "end": "_to_end",
        "ctrl+e": "_to_end",
        "ctrl+u": "_delete_to_start",
        "ctrl+k": "_delete_to_end",
        "ctrl+w": "_delete_word",
        "ctrl+backspace": "_delete_word",
    }

    def __init__(
        self,
        on_change: Callable[[str], None],
        placeholder: str = "",
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        # Called at once, not by message: what the change shows then goes out in the same frame
        # as the box's own line, instead of a frame later.
        self._on_change = on_change
        self.placeholder = placeholder
        self._value = ""
        # Where the next character goes, as an index into the value.
        self._cursor = 0

    @property
    def value(self) -> str:
        return self._value

    @value.setter
    def value(self, value: str) -> None:
        self._set(value.replace("\n", " "), len(value))

    @property
    def cursor_position(self) -> int:
        return self._cursor

    def _set(self, value: str, cursor: int) -> None:
        changed = value != self._value
        self._value = value
        self._cursor = min(max(cursor, 0), len(value))
        self.refresh()
        if changed:
            self._on_change(value)

    def _insert(self, text: str) -> None:
        at = self._cursor
        self._set(self._value[:at] + text + self._value[at:], at + len(text))

    def _move(self, cursor: int) -> None:
        self._set(self._value, cursor)

    def _left(self) -> None:
        self._move(self._cursor - 1)

    def _right(self) -> None:
        self._move(self._cursor + 1)

    def _to_start(self) -> None:
        self._move(0)

    def _to_end(self) -> None:
        self._move(len(self._value))

    def _delete_left(self) -> None:
        at = self._cursor
        if at > 0:
            self._set(self._value[: at - 1] + self._value[at:], at - 1)

    def _delete_right(self) -> None:
        at = self._cursor
        self._set(self._value[:at] + self._value[at + 1 :], at)

    def _delete_to_start(self) -> None:
        self._set(self._value[self._cursor :], 0)

    def _delete_to_end(self) -> None:
        self._set(self._value[: self._cursor], self._cursor)

    def _delete_word(self) -> None:
        head = self._value[: self._cursor]
        kept = head.rstrip()
        kept = kept[: len(kept) - len(kept.split(" ")[-1])] if kept else ""
        self._set(kept + self._value[self._cursor :], len(kept))

    async def _on_key(self, event: events.Key) -> None:
        edit = self.EDITS.get(event.key)
        if edit is not None:
            getattr(self, edit)()
        elif event.key == "enter":
            self.post_message(self.Submitted(self, self._value))
        elif event.is_printable and event.character is not None:
            self._insert(event.character)
        else:
            # Everything else (escape, tab, ctrl+c…) is the screen's or the app's.
            return
        # Typed keys are text here, never the dashboard's single-letter keys.
        event.stop()
        event.prevent_default()

    def _on_paste(self, event: events.Paste) -> None:
        if event.text:
            self._insert(plain(event.text))
        event.stop()

    def on_focus(self, _event: events.Focus) -> None:
        self.refresh()

    def on_blur(self, _event: events.Blur) -> None:
        self.refresh()

    def render(self) -> Text:
        line = Text(PROMPT, style="bold", no_wrap=True, end="")
        if not self._value and not self.has_focus:
            line.append(self.placeholder, style="dim")
            return line
        # A value wider than the box scrolls so the cursor stays in sight.
        room = max(self.content_size.width - len(PROMPT) - 1, 1)
        start = max(self._cursor - room, 0)
        line.append(self._value[start : self._cursor])
        under = self._value[self._cursor : self._cursor + 1] or " "
        line.append(under, style=Style(reverse=True) if self.has_focus else None)
        line.append(self._value[self._cursor + 1 :])
        if not self._value:
            line.append(" " + self.placeholder, style="dim")
        return line
