"""Keys that come in one burst edit the filter box in the order they were typed."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Input

from hfdash.ui.panes.base import FilterBox

# `zzz`, three backspaces, `recap`: what a fast typist sends, in one packet over a slow link.
BURST = [*"zzz", "backspace", "backspace", "backspace", *"recap"]


class BoxApp(App[None]):
    def __init__(self, box: Input) -> None:
        super().__init__()
        self.box = box

    def compose(self) -> ComposeResult:
        # Nested as the dashboard's box is: each level is one more hop for a bubbling key.
        with Vertical(), Vertical(), Vertical():
            yield self.box

    def on_mount(self) -> None:
        self.box.focus()


async def typed_in_one_burst(box: Input, keys: list[str]) -> str:
    app = BoxApp(box)
    async with app.run_test() as pilot:
        await pilot.pause()
        for key in keys:
            # As the terminal driver hands them over: all at once, before the app handles any.
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause(0.2)
        return box.value


async def test_textuals_input_applies_a_burst_of_keys_out_of_order() -> None:
    # Textualize/textual#6605: a bound key runs only after bubbling up to the app, so the
    # characters typed after it are inserted first. Once this fails, Input keeps the order itself.
    assert await typed_in_one_burst(Input(), BURST) == "zzzre"


async def test_the_filter_box_applies_a_burst_of_keys_in_order() -> None:
    assert await typed_in_one_burst(FilterBox(), BURST) == "recap"
    burst = [*"launch teaser", "ctrl+w", *"promo", "home", "ctrl+right", "ctrl+k", *"x"]
    assert await typed_in_one_burst(FilterBox(), burst) == "launch x"


async def test_the_filter_box_runs_each_bound_key_once() -> None:
    assert await typed_in_one_burst(FilterBox(), [*"abcd", "left", "left", "backspace"]) == "acd"
