"""The footer line shows the keys that apply where the focus is, and follows every change."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.style import Style
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from hfdash.simulator import Simulator
from hfdash.ui.app import STYLES
from hfdash.ui.widgets.footer import Footer
from tests.ui.harness import loaded, make_app, wait_until


def footer_text(app: App[Any]) -> str:
    """The footer line as last painted, or nothing while the screen has no footer yet."""
    footers = app.screen.query(Footer)
    return footers.first().render_line(0).text if footers else ""


class Box(Static, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("z", "zoom", "Zoom"),
        Binding("h", "hidden", "Hidden", show=False),
        Binding("o", "off", "Off"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # `off` is shown, greyed out: its action is disabled here.
        return None if action == "off" else True

    def action_zoom(self) -> None:
        """Shown in the footer; does nothing."""


class FooterApp(App[None]):
    CSS_PATH = STYLES
    # Nothing focused at the start: the footer shows the app's keys alone.
    AUTO_FOCUS = None
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "quit", "Quit"), Binding("x", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Box("box", id="box")
        yield Footer()


async def test_the_footer_shows_shown_keys_once_each_and_follows_the_focus() -> None:
    app = FooterApp()
    async with app.run_test(size=(60, 6)) as pilot:
        await pilot.pause()
        # Nothing focused: the app's keys only, and a second key for an action adds nothing.
        assert footer_text(app).count("Quit") == 1
        assert "Zoom" not in footer_text(app)
        app.query_one(Box).focus()
        await wait_until(pilot, lambda: "Zoom" in footer_text(app), within=2.0)
        assert "Hidden" not in footer_text(app)
        line = app.screen.query_one(Footer).render()
        styles = {line.plain[span.start : span.end].strip(): span.style for span in line.spans}
        assert isinstance(styles["Off"], Style) and styles["Off"].dim
        assert isinstance(styles["Zoom"], Style) and not styles["Zoom"].dim
        # The palette's key keeps the right end of the line.
        assert footer_text(app).rstrip().endswith("palette")
        app.set_focus(None)
        await wait_until(pilot, lambda: "Zoom" not in footer_text(app), within=2.0)


async def test_a_narrow_footer_drops_whole_keys_from_the_end_and_keeps_the_palette_key() -> None:
    app = FooterApp()
    async with app.run_test(size=(60, 6)) as pilot:
        app.query_one(Box).focus()
        await pilot.pause()
        wide = footer_text(app)
        await pilot.resize_terminal(22, 6)
        await wait_until(pilot, lambda: footer_text(app) != wide, within=2.0)
        narrow = footer_text(app)
        assert len(narrow) == 22 and narrow.rstrip().endswith("palette")
        # Zoom is listed first, so it stays; the keys after it go whole, never cut mid-word.
        assert "Zoom" in narrow and "Off" not in narrow and "Quit" not in narrow
        assert "…" not in narrow and set(narrow.split()) <= set(wide.split())


async def test_the_dashboards_footer_changes_with_the_screen_and_the_filter_box(sim: Simulator) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(160, 40)) as pilot:
        await loaded(pilot)
        await wait_until(pilot, lambda: "Failures" in footer_text(app))
        assert "Load all" in footer_text(app)
        await pilot.press("enter")
        # The detail screen has a footer of its own, with its own keys.
        await wait_until(pilot, lambda: "Back" in footer_text(app) and "Failures" not in footer_text(app))
        await pilot.press("escape")
        await wait_until(pilot, lambda: "Failures" in footer_text(app))
        await pilot.press("slash")
        # Typing in the filter box: its letters are text, so the single-letter keys are not shown.
        await wait_until(pilot, lambda: "Load all" not in footer_text(app))
        await pilot.press("escape")
        await wait_until(pilot, lambda: "Load all" in footer_text(app))
