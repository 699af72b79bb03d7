"""Every state stays readable with NO_COLOR and on a 16-colour terminal: pictures of the Renders pane."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import pytest
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter

from hfdash.services.kinds import Category
from hfdash.simulator import Simulator
from hfdash.ui.app import HfdashApp
from hfdash.ui.format import STATUS_STYLE
from tests.ui.harness import make_app
from tests.ui.test_snapshots import SIZES, _then, _utc  # noqa: F401  (the fixture is used by name)

Compare = Callable[..., bool]


def _every_state(sim: Simulator) -> HfdashApp:
    """Renders in every state at the top of the list, the failed one under the cursor."""
    for status in ("queued", "rendering", "completed", "rendering_on_mars"):
        sim.state.add_render(title=f"a render {status}", status=status)
    sim.state.add_render(title="a render failed", status="failed", failure_message="out of credits")
    return make_app(sim, polling=False)


@lru_cache(1024)
def _sixteen(style: Style) -> Style:
    def down(colour: Any) -> Any:
        return None if colour is None else colour.downgrade(ColorSystem.STANDARD)

    return style + Style.from_color(down(style.color), down(style.bgcolor))


class SixteenColours(LineFilter):
    """What rich writes to a terminal of 16 colours (TERM=xterm): each colour its nearest of the 16."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [Segment(text, _sixteen(style) if style else style, None) for text, style, _ in segments]


@pytest.mark.parametrize("size", SIZES)
def test_renders_pane_with_no_colour(
    snap_compare: Compare, sim: Simulator, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Textual reads NO_COLOR as the app is built, and then draws every colour as a grey.
    monkeypatch.setenv("NO_COLOR", "1")
    app = _every_state(sim)
    assert app.no_color
    assert snap_compare(app, terminal_size=size, run_before=_then())


@pytest.mark.parametrize("size", SIZES)
def test_renders_pane_in_sixteen_colours(
    snap_compare: Compare, sim: Simulator, size: tuple[int, int]
) -> None:
    app = _every_state(sim)
    filters = list(app.get_line_filters())
    # The picture is taken in true colour: the filter does what a 16-colour terminal's driver does.
    app.get_line_filters = lambda: [*filters, SixteenColours()]  # type: ignore[method-assign]
    assert snap_compare(app, terminal_size=size, run_before=_then())


def test_every_state_has_its_own_glyph_and_its_own_colour_of_the_sixteen() -> None:
    glyphs = [glyph for glyph, _style in STATUS_STYLE.values()]
    assert len(set(glyphs)) == len(glyphs)
    sixteen = {
        category: Style.parse(style).color.downgrade(ColorSystem.STANDARD).number  # type: ignore[union-attr]
        for category, (_glyph, style) in STATUS_STYLE.items()
    }
    # Loading is a moment before a state is known: it may share the cancelled grey.
    shown = [number for category, number in sixteen.items() if category is not Category.LOADING]
    assert len(set(shown)) == len(shown), sixteen
    # With no colour, what needs acting on is bold and what is over is not.
    assert Style.parse(STATUS_STYLE[Category.FAILED][1]).bold
    assert Style.parse(STATUS_STYLE[Category.IN_FLIGHT][1]).bold
    assert not Style.parse(STATUS_STYLE[Category.COMPLETED][1]).bold
