"""The keys k9s, lazygit, vim and less users type without thinking do what those tools taught them."""

from __future__ import annotations

from hfdash.models import ClipJob
from hfdash.simulator import Simulator
from hfdash.ui.modals import HelpScreen
from hfdash.ui.screens.detail import DetailScreen
from hfdash.ui.screens.downloads import DownloadsScreen
from hfdash.ui.screens.main import MainScreen
from hfdash.ui.widgets.footer import Footer
from hfdash.ui.widgets.virtual_table import VirtualTable
from tests.ui.harness import loaded, main_screen, make_app, wait_until


def footer_text(screen: object) -> str:
    assert isinstance(screen, MainScreen | DetailScreen | DownloadsScreen)
    return screen.query_one(Footer).render().plain


async def test_vim_and_pager_motions_move_the_dashboard_cursor(sim: Simulator) -> None:
    app = make_app(sim, page_size=40)
    async with app.run_test(size=(80, 24)) as pilot:
        renders = await loaded(pilot)
        table = renders.table
        half, page = table.body_height() // 2, table.body_height() - 1
        assert half >= 2 and page > half
        await pilot.press("j", "j")
        assert table.cursor_row == 2
        await pilot.press("k")
        assert table.cursor_row == 1
        await pilot.press("ctrl+d")
        assert table.cursor_row == 1 + half
        await pilot.press("ctrl+u")
        assert table.cursor_row == 1
        await pilot.press("ctrl+f")
        assert table.cursor_row == 1 + page
        await pilot.press("ctrl+b")
        assert table.cursor_row == 1
        last = renders.visible_ids[-1]
        await pilot.press("G")
        assert renders.highlighted_id() == last
        await pilot.press("g")
        assert table.cursor_row == 0


async def test_ctrl_d_and_ctrl_u_erase_in_the_search_box_and_leave_the_rows_alone(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        renders = await loaded(pilot)
        box = renders.filter_input
        await pilot.press("slash", *"hfr_", "home", "ctrl+d")
        assert box.value == "fr_" and app.focused is box
        row = renders.table.cursor_row
        await pilot.press("end", "ctrl+u")
        assert box.value == "" and app.focused is box
        assert renders.table.cursor_row == row
        await pilot.press("escape")
        assert renders.table.has_focus


async def test_shift_tab_goes_to_the_previous_pane(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        screen = main_screen(app)
        await pilot.press("shift+tab")
        assert screen.current == "agents"
        await pilot.press("shift+tab")
        assert screen.current == "clips"
        await pilot.press("tab")
        assert screen.current == "agents"


async def test_the_clips_table_in_a_detail_takes_the_same_motions(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        clips = await loaded(pilot, "clips")
        job = next(
            item for item in clips.store.items.values() if isinstance(item, ClipJob) and len(item.clips) >= 3
        )
        await pilot.press("2")
        await pilot.pause(0.1)
        while clips.highlighted_id() != job.id:
            await pilot.press("down")
        await pilot.press("enter")
        detail = app.screen
        assert isinstance(detail, DetailScreen)
        await wait_until(pilot, lambda: len(detail.children_items) == len(job.clips))
        table = detail.query_one("#detail-children", VirtualTable)
        table.focus()
        await pilot.pause()
        await pilot.press("j", "j", "k")
        assert table.cursor_row == 1
        await pilot.press("G")
        assert table.cursor_row == len(job.clips) - 1
        await pilot.press("g")
        assert table.cursor_row == 0
        await pilot.press("ctrl+d")
        assert table.cursor_row > 0
        await pilot.press("ctrl+u")
        assert table.cursor_row == 0
        # As in every table, home and end go to the first and last row.
        await pilot.press("end")
        assert table.cursor_row == len(job.clips) - 1
        await pilot.press("home")
        assert table.cursor_row == 0


async def test_question_mark_and_q_show_in_every_footer_at_80_columns(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert " ? Help " in footer_text(app.screen) and " q Quit " in footer_text(app.screen)
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen)
        await pilot.pause()
        assert " ? Help " in footer_text(app.screen) and " q Back " in footer_text(app.screen)
        await pilot.press("q")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("D")
        assert isinstance(app.screen, DownloadsScreen)
        await pilot.pause()
        assert " ? Help " in footer_text(app.screen) and " q Back " in footer_text(app.screen)


async def test_question_mark_opens_help_and_q_goes_back_on_every_pushed_screen(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        for open_key, screen_type in (("enter", DetailScreen), ("D", DownloadsScreen)):
            await pilot.press(open_key)
            assert isinstance(app.screen, screen_type)
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            text = str(app.screen.query_one("Static").render())
            assert "Back" in text and "q, esc" in text
            await pilot.press("q")
            assert isinstance(app.screen, screen_type)
            await pilot.press("q")
            assert isinstance(app.screen, MainScreen)
        assert app.is_running
        await pilot.press("q")
    assert app.return_value == 0


async def test_the_palette_names_keys_as_typed_and_lists_each_action_once(sim: Simulator) -> None:
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        commands = list(app.get_system_commands(app.screen))
        titles = [command.title for command in commands]
        assert len(titles) == len(set(titles)), titles
        keys = {command.title: command.help for command in commands}
        assert keys["Search"] == "/" and keys["Help"] == "?" and keys["Delete"] == "x, del"
        assert not any(command.help.startswith("key:") for command in commands)
        await pilot.press("D")
        assert isinstance(app.screen, DownloadsScreen)
        commands = list(app.get_system_commands(app.screen))
        assert {command.title: command.help for command in commands}["Back"] == "q, esc, D"
        assert [command.title for command in commands].count("Quit") == 1
