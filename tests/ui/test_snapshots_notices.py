"""Pictures of toasts gathered into one, a dialog they keep off, and a partial from an earlier run."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from hfdash.services.downloads.manager import Pending, save_journal
from hfdash.services.downloads.plan import Kind, Target
from hfdash.services.kinds import Category
from hfdash.simulator import Simulator
from hfdash.ui.app import HfdashApp
from tests.ui.harness import main_screen, make_app
from tests.ui.test_snapshots import SIZES, _settled, _utc  # noqa: F401  (the fixture is used by name)

Compare = Callable[..., bool]


def _news_then(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Three renders completed and one failed, told together, then `keys`."""

    async def run(pilot: Pilot[Any]) -> None:
        await _settled(pilot)
        app = pilot.app
        assert isinstance(app, HfdashApp)
        notices = main_screen(app).notices
        for n in range(3):
            notices.transition("renders", Category.COMPLETED, f"done {n}")
        notices.transition("renders", Category.FAILED, "broken")
        await pilot.pause(0.5)
        for key in keys:
            await pilot.press(key)
            await pilot.pause(0.3)

    return run


@pytest.mark.parametrize("size", SIZES)
def test_changes_together_make_one_toast(
    snap_compare: Compare, sim: Simulator, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(sim, polling=False), terminal_size=size, run_before=_news_then())


@pytest.mark.parametrize("size", SIZES)
def test_the_delete_dialog_keeps_toasts_off(
    snap_compare: Compare, sim: Simulator, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(sim, polling=False), terminal_size=size, run_before=_news_then("x"))


@pytest.mark.parametrize("size", SIZES)
def test_downloads_lists_a_partial_from_an_earlier_run(
    snap_compare: Compare,
    sim: Simulator,
    size: tuple[int, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A destination relative to a fixed working directory: the picture shows no temporary path.
    monkeypatch.chdir(tmp_path)
    destination = Path("downloads", *["a-folder-with-a-long-name"] * 3)
    monkeypatch.setenv("HFDASH_DOWNLOAD_DIR", str(destination))
    render_id = sim.state.add_render(title="big one", status="completed")["render_id"]
    destination.mkdir(parents=True)
    (destination / f"{render_id}.mov.part").write_bytes(b"\0" * 46_900)
    pending = Pending(Target(Kind.RENDER, render_id), destination, f"{render_id}.mov", total=400_000)
    save_journal(tmp_path / "state" / "downloads.json", [pending])

    async def run(pilot: Pilot[Any]) -> None:
        await _settled(pilot)
        await pilot.press("D")
        await pilot.pause(0.3)

    assert snap_compare(make_app(sim, polling=False), terminal_size=size, run_before=run)
