"""The dashboard's loading and polling: first pages, more pages, every page, and the poll loop.

Errors never leave a step: a failing pane is backed off, and a refused credential stops polling.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from textual import on
from textual.await_complete import AwaitComplete
from textual.widgets import ContentSwitcher

from hfdash.api.errors import ApiError, AuthenticationError, OAuthRefreshError
from hfdash.api.retry import RetryPolicy
from hfdash.config.settings import Settings
from hfdash.services.clock import Clock
from hfdash.services.dashboard import Dashboard
from hfdash.ui.controller import PaneController
from hfdash.ui.panes.base import ResourcePane
from hfdash.ui.screens.dashboard_actions import DashboardActions


class DashboardLoading(DashboardActions):
    def __init__(self, dashboard: Dashboard, settings: Settings, clock: Clock) -> None:
        super().__init__(dashboard, settings, clock)
        self.polling = settings.polling
        self.auth_banner_shown = False
        # Per pane: when background work may try again after failing, and how many failures in a row.
        self.retry_at: dict[str, float] = {}
        self._failures: dict[str, int] = {}
        # A failing pane is polled less often after each failure, so an outage never becomes a storm.
        longest = max(settings.poll_interval, settings.head_interval)
        self._back_off_policy = RetryPolicy(base=settings.poll_interval, cap=longest, jitter=(1.0, 1.0))
        # Panes whose first page has been asked for, and panes mounted or being mounted.
        self._first_loads: set[str] = set()
        self._pane_builds: dict[str, AwaitComplete] = {}

    def _update_status(self) -> None:
        """Redraws the status line."""

    def _work(self, controller: PaneController, work: Awaitable[Any]) -> None:
        self.run_worker(work, group=f"load-{controller.name}", exit_on_error=False)

    async def _run(self, controller: PaneController, step: Callable[[], Awaitable[Any]]) -> bool:
        """Runs a load or poll step; an error is shown, never raised into the app."""
        try:
            await step()
        except (AuthenticationError, OAuthRefreshError) as error:
            self._auth_failed(error)
            return False
        except ApiError:
            # The pane shows the error in its info line; `m`/`r` retry at once, polling after a pause.
            failures = self._failures.get(controller.name, 0) + 1
            self._failures[controller.name] = failures
            delay = self._back_off_policy.delay(min(failures - 1, 16))
            self.retry_at[controller.name] = time.monotonic() + delay
            return False
        else:
            self._failures.pop(controller.name, None)
            self.retry_at.pop(controller.name, None)
        finally:
            self._after_change()
        return True

    def _start_first_load(self, controller: PaneController, then: Callable[[], None] | None = None) -> None:
        if controller.name in self._first_loads:
            return
        self._first_loads.add(controller.name)

        async def load() -> None:
            try:
                await self._load(controller, controller.load_first)
            finally:
                if then is not None:
                    controller.pane.call_after_paint(then)

        self._work(controller, load())

    def _start_other_loads(self) -> None:
        if not self.is_running:
            return  # the app is closing: nothing more to load or build
        for name, controller in self.controllers.items():
            self._start_first_load(controller)
            self._build_pane(name)

    def _build_pane(self, name: str) -> AwaitComplete:
        """Mounts a pane not yet shown; awaiting the result waits until it can show rows."""
        building = self._pane_builds.get(name)
        if building is None:
            pane = self.controllers[name].pane
            # The pane first in front was composed with the screen.
            composed = pane.parent is not None
            building = AwaitComplete() if composed else self.query_one(ContentSwitcher).add_content(pane)
            self._pane_builds[name] = building
        return building

    async def _load(self, controller: PaneController, step: Callable[[], Awaitable[Any]]) -> bool:
        loaded = await self._run(controller, step)
        if loaded and controller.name == "agents":
            # Session rows carry no status until read one by one (contract §5).
            await self._run(controller, controller.poll)
        return loaded

    async def _poll_loop(self) -> None:
        while True:
            await asyncio.sleep(0.5)
            if not self.polling:
                continue
            for controller in self.controllers.values():
                if not self.polling:
                    break  # a 401 in this round stopped polling: the other panes must not ask again
                now = time.monotonic()
                if controller.pane.loading or now < self.retry_at.get(controller.name, 0.0):
                    continue
                if not controller.store.loaded:
                    if controller.name in self._failures:
                        # The first page failed (offline at start): keep trying, so no restart is needed.
                        await self._load(controller, controller.load_first)
                elif now - controller.last_head >= self.settings.head_interval:
                    await self._load(controller, controller.refresh_head)
                elif now - controller.last_poll >= self.settings.poll_interval:
                    controller.last_poll = now
                    await self._run(controller, controller.poll)

    def _auth_failed(self, error: ApiError) -> None:
        self.polling = False
        if not self.auth_banner_shown:
            self.auth_banner_shown = True
            self.notify(
                f"{error}\nPolling is stopped. Fix the credential, then press p to resume.",
                title="Not signed in",
                severity="error",
                timeout=30,
                markup=False,
            )

    @on(ResourcePane.NearEnd)
    def _near_end(self, event: ResourcePane.NearEnd) -> None:
        controller = self.controllers[event.pane.kind]
        if not controller.pane.loading and controller.pane.error is None:
            self._work(controller, self._load(controller, controller.load_next))

    def action_load_more(self) -> None:
        controller = self.controller
        if controller.pane.loading:
            return
        if not controller.store.loaded:
            self._work(controller, self._load(controller, controller.load_first))
        elif controller.store.has_more:
            self._work(controller, self._load(controller, controller.load_next))
        else:
            self.notify(f"all {len(controller.store)} loaded")

    def action_load_all(self) -> None:
        controller = self.controller
        if controller.pane.loading or controller.pane.all_loading:
            return
        if not controller.store.has_more:
            self.notify(f"all {len(controller.store)} loaded")
            return
        self._work(controller, self._run(controller, controller.load_all))

    def action_refresh(self) -> None:
        controller = self.controller

        async def refresh() -> None:
            if await self._run(controller, controller.refresh_head):
                await self._run(controller, controller.poll)

        self._work(controller, refresh())

    def action_toggle_polling(self) -> None:
        self.polling = not self.polling
        if self.polling:
            self.auth_banner_shown = False
        self.notify("polling resumed" if self.polling else "polling paused")
        self._update_status()
