"""Builds the real app against the loopback simulator and waits for what a user would see."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from weakref import WeakKeyDictionary

from textual.notifications import SeverityLevel
from textual.pilot import Pilot

from hfdash.__main__ import make_app as make_hfdash_app
from hfdash.api.client import HeyGenClient
from hfdash.api.retry import RetryPolicy
from hfdash.config.credentials import Credential, Secret
from hfdash.config.settings import Settings
from hfdash.simulator import Simulator
from hfdash.ui.app import HfdashApp
from hfdash.ui.panes.base import ResourcePane
from hfdash.ui.screens.main import MainScreen
from hfdash.ui.widgets.virtual_table import VirtualTable
from tests.clock import FrozenClock
from tests.conftest import FROZEN_NOW, TEST_KEY

# Fast cadences so live updates show within a test; head refresh far away unless a test wants it.
TEST_SETTINGS = Settings(poll_interval=1.0, head_interval=3600.0, page_size=10)


def make_client(sim: Simulator, key: str = TEST_KEY) -> HeyGenClient:
    credential = Credential(kind="api_key", source="HEYGEN_API_KEY", api_key=Secret(key))
    return HeyGenClient(credential, base_url=sim.url, retry=RetryPolicy(max_retries=2, base=0.05, cap=0.2))


def make_app(sim: Simulator, key: str = TEST_KEY, **settings: Any) -> HfdashApp:
    return recording(
        make_hfdash_app(
            make_client(sim, key),
            replace(TEST_SETTINGS, **settings),
            clock=FrozenClock(FROZEN_NOW),
            host_label="api.heygen.test",
        )
    )


@dataclass(frozen=True, slots=True)
class Told:
    """One notification the app was asked to show, whether or not a toast is drawn for it."""

    message: str
    title: str
    severity: str


_TOLD: WeakKeyDictionary[HfdashApp, list[Told]] = WeakKeyDictionary()


def recording(app: HfdashApp) -> HfdashApp:
    """Keeps every notification `app` is given: screens and widgets notify through `app.notify`."""
    told = _TOLD.setdefault(app, [])
    show = app.notify

    def notify(
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        told.append(Told(message, title, severity))
        show(message, title=title, severity=severity, timeout=timeout, markup=markup)

    app.notify = notify  # type: ignore[method-assign]
    return app


def told(app: HfdashApp) -> list[Told]:
    return _TOLD[app]


async def wait_until(pilot: Pilot[Any], condition: Callable[[], bool], within: float = 8.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.05)


def main_screen(app: HfdashApp) -> MainScreen:
    for screen in app.screen_stack:
        if isinstance(screen, MainScreen):
            return screen
    raise AssertionError("the dashboard screen is not open")


def pane(app: HfdashApp, name: str) -> ResourcePane[Any]:
    return main_screen(app).controllers[name].pane


async def loaded(pilot: Pilot[Any], name: str = "renders") -> ResourcePane[Any]:
    app = pilot.app
    assert isinstance(app, HfdashApp)
    await wait_until(
        pilot,
        lambda: pane(app, name).store.loaded and not pane(app, name).loading and pane(app, name).is_mounted,
    )
    return pane(app, name)


def cell_text(table: VirtualTable, row_key: str, column_key: str) -> str:
    """A shown row's cell, whole: before it is cut to its column's width."""
    assert row_key in table.row_keys, f"{row_key} is not shown"
    keys = [column.key for column in table.columns]
    return table.cells_for(row_key)[keys.index(column_key)].plain


def info_text(target: ResourcePane[Any]) -> str:
    from textual.widgets import Static

    rendered = target.query_one(".pane-info", Static).render()
    return str(rendered)


def notifications(app: HfdashApp) -> list[str]:
    return [notification.message for notification in told(app)]
