"""The footer offers the keys that apply now, on every screen, and drops whole keys when narrow."""

from __future__ import annotations

import pytest

from hfdash.simulator import Simulator
from hfdash.ui.app import HfdashApp
from hfdash.ui.modals import ConfirmDelete, HelpScreen
from hfdash.ui.screens.detail import DetailScreen
from hfdash.ui.screens.sign_in import SignInScreen
from hfdash.ui.widgets.footer import Footer
from tests.ui.harness import TEST_SETTINGS, loaded, make_app, wait_until


def _footer(app: HfdashApp) -> str:
    return app.screen.query_one(Footer).render().plain


async def test_under_the_delete_question_the_footer_offers_its_answers_only(sim: Simulator) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await loaded(pilot)
        assert "Search" in _footer(app)
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDelete))
        await pilot.pause()
        footer = _footer(app)
        assert " y Delete " in footer and " n esc Cancel " in footer
        assert "Search" not in footer and "Refresh" not in footer


async def test_a_clip_jobs_detail_offers_no_delete_for_its_clips(sim: Simulator) -> None:
    sim.state.add_clip_job(title="with clips", status="completed")
    app = make_app(sim, polling=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await loaded(pilot, "clips")
        await pilot.press("2")
        await loaded(pilot, "clips")
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, DetailScreen) and bool(app.screen.children_items)
        )
        await pilot.pause()
        assert " Copy ID " in _footer(app) and "Delete" not in _footer(app)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)


async def test_the_sign_in_and_help_screens_have_a_footer(sim: Simulator) -> None:
    app = HfdashApp(None, TEST_SETTINGS)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        assert " q Quit " in _footer(app)
    app = make_app(sim, polling=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.pause()
        assert " esc Close " in _footer(app)


@pytest.mark.parametrize("keys", [(), ("enter",), ("D",)], ids=["dashboard", "detail", "downloads"])
async def test_at_80_columns_the_footer_drops_whole_keys_from_the_end(
    sim: Simulator, keys: tuple[str, ...]
) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        for key in keys:
            await pilot.press(key)
        await pilot.pause(0.2)
        footer = app.screen.query_one(Footer)
        entries = [f" {key} {description} " for key, description, _style in footer.shown_keys()]
        left = footer.render().plain.removesuffix(" ^p palette ").rstrip()
        shown = next(n for n in range(len(entries), -1, -1) if "".join(entries[:n]).rstrip() == left)
        assert shown >= 3 and "? Help" in left and " q " in left
        if keys == ():
            # Too many for 80 columns: the last listed went, whole.
            assert shown < len(entries)
