"""Toasts: few, short, and never over a dialog, the help, the status line or the footer."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widget import Widget

from hfdash.simulator import Simulator
from hfdash.ui.app import HfdashApp
from hfdash.ui.modals import ConfirmDelete, HelpScreen
from hfdash.ui.screens.main import StatusLine
from hfdash.ui.widgets.footer import Footer
from tests.conftest import sim_config
from tests.ui.harness import loaded, main_screen, make_app, notifications, wait_until


def _uncovered(widget: Widget) -> bool:
    """Every cell of `widget` shows `widget` or something inside it, not a toast over it."""
    screen = widget.screen
    region = widget.region
    for y in range(region.y, region.bottom):
        for x in range(region.x, region.right):
            shown, _ = screen.get_widget_at(x, y)
            if shown is not widget and widget not in shown.ancestors:
                return False
    return True


def _toast_heights(app: HfdashApp) -> list[int]:
    return [toast.size.height for toast in app.screen.query("Toast")]


def _toasts_shown(app: HfdashApp) -> list[str]:
    """The text of each toast on the screen in front, as drawn."""
    return [str(toast.render()) for toast in app.screen.query("Toast")]


async def _four_toasts(pilot: Pilot[Any]) -> None:
    for n in range(4):
        pilot.app.notify(
            f"a long notice number {n} that would wrap over several lines of a narrow toast " * 2
        )
    await pilot.pause(0.3)


async def test_changes_arriving_together_make_one_toast(sim: Simulator) -> None:
    live = [sim.state.add_render(title=f"live {n}", status="rendering")["render_id"] for n in range(4)]
    app = make_app(sim)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await loaded(pilot)
        for render_id in live[:3]:
            sim.state.set_status("render", render_id, "completed")
        sim.state.set_status("render", live[3], "failed", failure_message="out of credits")
        await wait_until(pilot, lambda: "3 renders completed, 1 failed" in notifications(app))
        await pilot.pause(0.5)
        assert len([m for m in notifications(app) if "render" in m]) == 1
        assert _toast_heights(app) and all(height <= 2 for height in _toast_heights(app))


async def test_a_download_makes_one_toast_of_two_lines_when_it_ends(sim: Simulator) -> None:
    target = sim.state.add_render(title="ship it", status="completed")["render_id"]
    app = make_app(sim)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("d")
        await wait_until(pilot, lambda: any(target in m for m in notifications(app)))
        await pilot.pause(0.3)
        (said,) = [m for m in notifications(app) if target in m]
        first, where = said.split("\n")
        assert first == f"downloaded render {target}"
        # The path is cut at its start so the file name stays in view.
        assert where.startswith("…") and where.endswith(f"{target}.mov")
        assert _toast_heights(app) == [2]


async def test_toasts_never_cover_the_delete_dialog_nor_the_status_line(sim: Simulator) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await loaded(pilot)
        await _four_toasts(pilot)
        main = app.screen
        assert _uncovered(main.query_one(StatusLine)) and _uncovered(main.query_one(Footer))
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDelete))
        await _four_toasts(pilot)
        assert _uncovered(app.screen.query_one("#confirm-box", Widget))
        await pilot.press("n")
        # Once the dialog closes, what it held back is shown.
        await wait_until(pilot, lambda: bool(app.screen.query("Toast")))


async def test_toasts_never_cover_the_help_screen_at_60_by_20(sim: Simulator) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(60, 20), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await _four_toasts(pilot)
        assert _uncovered(app.screen.query_one("#help-box", Widget))


async def test_a_long_toast_keeps_to_two_lines_and_a_path_keeps_its_file_name(sim: Simulator) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await loaded(pilot)
        notices = main_screen(app).notices
        notices.say("word " * 40)
        notices.say("already there: clip-job job_with_a_long_id clip clip_with_a_long_id\n…/a/b/clip.mp4")
        app.notify("a server message " * 10, title="could not fetch a fresh URL")
        await pilot.pause(0.3)
        long, path, titled = _toasts_shown(app)
        assert len(long.split("\n")) == 2 and long.endswith("…")
        assert len(path.split("\n")) == 2 and path.endswith("\n…/a/b/clip.mp4")
        # A title is a line of its own: the message beside it keeps to one.
        assert titled.split("\n")[0] == "could not fetch a fresh URL" and len(titled.split("\n")) == 2
        assert _toast_heights(app) == [2, 2, 2]


async def test_the_toast_of_a_key_on_a_failed_render_keeps_to_two_lines(sim: Simulator) -> None:
    sim.state.reset(sim_config(renders=0))
    sim.state.add_render(title="broken", status="failed", failure_message="asset answered HTTP 403 " * 12)
    app = make_app(sim, polling=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("d")
        await wait_until(pilot, lambda: bool(_toasts_shown(app)))
        (said,) = _toasts_shown(app)
        assert said.startswith("render hfr_") and "asset answered HTTP 403" in said
        assert len(said.split("\n")) == 2 and said.endswith("…")


async def test_a_toast_raised_while_the_help_is_open_is_shown_once_it_closes(sim: Simulator) -> None:
    app = make_app(sim, polling=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        app.notify("2 renders completed", timeout=1.0)
        # Longer than the toast's own timeout: had it been shown under the help, it would be gone.
        await pilot.pause(1.5)
        assert not _toasts_shown(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: _toasts_shown(app) == ["2 renders completed"])


async def test_downloads_of_marked_items_end_in_one_toast(sim: Simulator) -> None:
    sim.state.reset(sim_config(renders=0))
    for n in range(5):
        sim.state.add_render(title=f"ship {n}", status="completed")
    # One at a time: the others wait for the slot, and are as much part of the batch.
    app = make_app(sim, polling=False, max_downloads=1)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        renders = await loaded(pilot)
        await pilot.press("asterisk", "d")
        downloads = main_screen(app).dashboard.downloads

        def all_done() -> bool:
            statuses = downloads.statuses()
            return len(statuses) == 5 and all(status.finished for status in statuses)

        await wait_until(pilot, all_done)
        await pilot.pause(0.3)
        ended = [m for m in notifications(app) if m.startswith(("downloaded", "already there"))]
        assert len(ended) == 1 and ended[0].startswith("downloaded 5 files\n"), ended
        # Asked again, every file is there already: one toast says so.
        await pilot.press("d")
        await wait_until(pilot, lambda: any(m.startswith("5 already there") for m in notifications(app)))
        await pilot.pause(0.3)
        assert len([m for m in notifications(app) if "already there" in m]) == 1
        assert len(renders.marks) == 5
