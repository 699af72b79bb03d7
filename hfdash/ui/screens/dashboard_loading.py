"""The dashboard's loading and polling: first pages, more pages, every page, and the poll loop.

The pane's controller does the work; this base runs it in workers, backs off a failing pane and
stops polling when the credential is refused, so the dashboard never crashes on a bad answer.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from textual import on
from textual.await_complete import AwaitComplete
from textual.widgets import ContentSwitcher

from hfdash.api.errors import ApiError, AuthenticationError, OAuthRefreshError
from hfdash.api.retry import RetryPolicy
from hfdash.ui.controller import PaneController
from hfdash.ui.panes.base import ResourcePane
from hfdash.ui.screens.dashboard_actions import DashboardActions


class DashboardLoading(DashboardActions):
    polling: bool
    auth_banner_shown: bool
    # Per pane: when background work may try again after failing, and how many failures in a row.
    retry_at: dict[str, float]
    _failures: dict[str, int]
    _back_off_policy: RetryPolicy
    # Panes whose first page has been asked for.
    _first_loads: set[str]
    # Panes mounted, or being mounted, by name.
    _pane_builds: dict[str, AwaitComplete]

    def _update_status(self) -> None:
        """Redraws the status line; the dashboard fills it in."""

    async def _run(self, controller: PaneController, step: Any) -> bool:
        """Runs a load or poll step; an error is shown, never raised into the app."""
        try:
            await step()
        except (AuthenticationError, OAuthRefreshError) as error:
            self._auth_failed(error)
            return False
        except ApiError:
            # The pane shows the error in its info line; `m`/`r` retry at once, polling after a pause.
            self._back_off(controller)
            return False
        else:
            self._failures.pop(controller.name, None)
            self.retry_at.pop(controller.name, None)
        finally:
            self._after_change()
        return True

    def _back_off(self, controller: PaneController) -> None:
        failures = self._failures.get(controller.name, 0) + 1
        self._failures[controller.name] = failures
        delay = self._back_off_policy.delay(min(failures - 1, 16))
        self.retry_at[controller.name] = time.monotonic() + delay

    def _start_first_load(self, controller: PaneController, then: Callable[[], None] | None = None) -> None:
        if controller.name in self._first_loads:
            return
        self._first_loads.add(controller.name)

        async def load() -> None:
            try:
                await self._load_first(controller)
            finally:
                if then is not None:
                    controller.pane.call_after_paint(then)

        self.run_worker(load(), group=f"load-{controller.name}", exit_on_error=False)

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

    async def _load_first(self, controller: PaneController) -> None:
        loaded = await self._run(controller, controller.load_first)
        if loaded and controller.name == "agents":
            # Session rows carry no status until read one by one (contract §5).
            await self._run(controller, controller.poll)

    async def _load_next(self, controller: PaneController) -> None:
        await self._run(controller, controller.load_next)
        if controller.name == "agents":
            await self._run(controller, controller.poll)

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
                        await self._load_first(controller)
                elif now - controller.last_head >= self.settings.head_interval:
                    if await self._run(controller, controller.refresh_head) and controller.name == "agents":
                        await self._run(controller, controller.poll)
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
            self.run_worker(self._load_next(controller), group=f"load-{controller.name}", exit_on_error=False)

    def action_load_more(self) -> None:
        controller = self.controller
        if controller.pane.loading:
            return
        if not controller.store.loaded:
            self.run_worker(
                self._load_first(controller), group=f"load-{controller.name}", exit_on_error=False
            )
        elif controller.store.has_more:
            self.run_worker(self._load_next(controller), group=f"load-{controller.name}", exit_on_error=False)
        else:
            self.notify(f"all {len(controller.store)} loaded")

    def action_load_all(self) -> None:
        controller = self.controller
        if controller.pane.loading or controller.pane.all_loading:
            return
        if not controller.store.has_more:
            self.notify(f"all {len(controller.store)} loaded")
            return
        self.run_worker(
            self._run(controller, controller.load_all), group=f"load-{controller.name}", exit_on_error=False
        )

    def action_refresh(self) -> None:
        controller = self.controller

        async def refresh() -> None:
            if await self._run(controller, controller.refresh_head):
                await self._run(controller, controller.poll)

        self.run_worker(refresh(), group=f"load-{controller.name}", exit_on_error=False)

    def action_toggle_polling(self) -> None:
        self.polling = not self.polling
        if self.polling:
            self.auth_banner_shown = False
        self.notify("polling resumed" if self.polling else "polling paused")
        self._update_status()
