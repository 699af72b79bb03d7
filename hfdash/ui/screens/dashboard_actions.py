"""What the dashboard's keys do, and the loading and polling behind them. Errors never leave a load
or poll step: a failing pane is backed off, and a refused credential stops polling."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on
from textual.await_complete import AwaitComplete
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Input

from hfdash.api.errors import ApiError, AuthenticationError, OAuthRefreshError
from hfdash.api.retry import RetryPolicy
from hfdash.config.settings import Settings
from hfdash.services.clock import Clock
from hfdash.services.dashboard import Dashboard
from hfdash.services.kinds import Item
from hfdash.services.view import SORTS, STATUS_FILTERS, ViewSpec, next_in
from hfdash.ui.controller import PaneController
from hfdash.ui.item_actions import ItemActions
from hfdash.ui.notices import Notices
from hfdash.ui.panes.base import ResourcePane
from hfdash.ui.widgets.virtual_table import VirtualTable

if TYPE_CHECKING:
    from hfdash.ui.screens.detail import DetailOutcome


class DashboardActions(Screen[None]):
    def __init__(self, dashboard: Dashboard, settings: Settings, clock: Clock) -> None:
        super().__init__()
        self.dashboard = dashboard
        self.client = dashboard.client
        self.settings = settings
        self.clock = clock
        self.actions = ItemActions(self, self.client, dashboard.downloads)
        self.notices = Notices(self, bell=settings.bell)
        self.controllers = {
            name: PaneController(
                feed.source,
                feed.store,
                ResourcePane(name, feed.store, clock),
                settings.page_size,
                self.notices.transition,
                cache=dashboard.cache,
            )
            for name, feed in dashboard.feeds.items()
        }
        self.current = settings.default_pane
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

    @property
    def controller(self) -> PaneController:
        return self.controllers[self.current]

    @property
    def pane(self) -> ResourcePane[Any]:
        return self.controller.pane

    def _after_change(self) -> None:
        """Redraws what depends on the panes' contents."""

    def _update_status(self) -> None:
        """Redraws the status line."""

    def _focus_table(self) -> None:
        # At once: `Widget.focus` waits its turn, and keys already queued would go to the old focus.
        self.set_focus(self.pane.table)

    def _work(self, controller: PaneController, work: Callable[[], Awaitable[Any]]) -> None:
        # The async function, not a coroutine made now: a worker cancelled before it starts (the
        # app quitting) would leave that coroutine never awaited.
        self.run_worker(work, group=f"load-{controller.name}", exit_on_error=False)

    def _start(self, controller: PaneController, step: Callable[[], Awaitable[None]]) -> None:
        self._work(controller, partial(self._load, controller, step))

    async def _run(self, controller: PaneController, step: Callable[[], Awaitable[Any]]) -> bool:
        """Runs a load or poll step; an error is shown, never raised into the app."""
        try:
            await step()
        except (AuthenticationError, OAuthRefreshError) as error:
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
            return False
        except ApiError:
            # The pane shows the error in its info line; `m`/`r` retry at once, polling after a pause.
            failures = self._failures[controller.name] = self._failures.get(controller.name, 0) + 1
            delay = self._back_off_policy.delay(min(failures - 1, 16))
            self.retry_at[controller.name] = time.monotonic() + delay
            return False
        else:
            self._failures.pop(controller.name, None)
            self.retry_at.pop(controller.name, None)
        finally:
            self._after_change()
        return True

    async def _load(self, controller: PaneController, step: Callable[[], Awaitable[Any]]) -> bool:
        loaded = await self._run(controller, step)
        if loaded and controller.name == "agents":
            # Session rows carry no status until read one by one (contract §5).
            await self._run(controller, controller.poll)
        return loaded

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

        self._work(controller, load)

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

    @on(VirtualTable.RowHighlighted)
    def _near_end(self, event: VirtualTable.RowHighlighted) -> None:
        # The cursor reached the last loaded row: the next page follows.
        pane = event.table.parent
        if not isinstance(pane, ResourcePane) or event.cursor_row < event.table.row_count - 1:
            return
        controller = self.controllers[pane.kind]
        if controller.store.has_more and pane.spec.is_default and not pane.loading and pane.error is None:
            self._start(controller, controller.load_next)

    def action_load_more(self, every: bool = False) -> None:
        """`m` the next page (or the first, if it failed); `M` every page left."""
        controller, store = self.controller, self.controller.store
        if controller.pane.loading or (every and controller.pane.all_loading):
            return
        if not store.loaded:
            # Nothing read yet (the first page failed): there is no cursor to follow, so the first
            # page comes first, and after it, for `M`, every page left.
            self._work(controller, partial(self._load_first_then, controller, every))
        elif not store.has_more:
            self.notify(f"all {len(store)} loaded")
        elif every:
            self._work(controller, partial(self._run, controller, controller.load_all))
        else:
            self._start(controller, controller.load_next)

    async def _load_first_then(self, controller: PaneController, every: bool) -> None:
        if await self._load(controller, controller.load_first) and every:
            await self._run(controller, controller.load_all)

    def action_refresh(self) -> None:
        controller = self.controller

        async def refresh() -> None:
            if await self._run(controller, controller.refresh_head):
                await self._run(controller, controller.poll)

        self._work(controller, refresh)

    def action_toggle_polling(self) -> None:
        self.polling = not self.polling
        if self.polling:
            self.auth_banner_shown = False
        self.notify("polling resumed" if self.polling else "polling paused")
        self._update_status()

    def action_cycle_filter(self) -> None:
        spec = self.pane.spec
        self.pane.set_view(replace(spec, status_filter=next_in(STATUS_FILTERS, spec.status_filter)))

    def action_cycle_sort(self) -> None:
        spec = self.pane.spec
        # A new sort starts in its own direction: newest, longest or most urgent first.
        self.pane.set_view(replace(spec, sort=next_in(SORTS, spec.sort), reverse=False))

    def action_reverse_sort(self) -> None:
        spec = self.pane.spec
        self.pane.set_view(replace(spec, reverse=not spec.reverse))

    def action_search(self) -> None:
        box = self.pane.filter_input
        box.display = True
        # At once: `Widget.focus` waits its turn, and the keys that came with the `/` would not.
        self.set_focus(box)

    def action_clear_search(self) -> None:
        pane = self.pane
        if pane.all_loading:
            self.controller.stop_loading_all()
            return
        if self.actions.stop_bulk(pane):
            return
        box = pane.filter_input
        # The pane shows every row again as the box reports its text gone.
        box.value, box.display = "", False
        if pane.spec.group:
            pane.set_view(replace(pane.spec, group=""))
        self._focus_table()

    def action_failures(self) -> None:
        from hfdash.ui.screens.failures import FailuresScreen, Shown

        def chosen(shown: Shown | None) -> None:
            if shown is not None:
                self.call_later(self._show_group, *shown)

        self.app.push_screen(FailuresScreen(self.controllers, self.clock), chosen)

    async def _show_group(self, name: str, group: str) -> None:
        await self.run_action(f"show_pane({name!r})")
        box = self.pane.filter_input
        box.value, box.display = "", False
        self.pane.set_view(ViewSpec(sort=self.pane.spec.sort, reverse=self.pane.spec.reverse, group=group))

    @on(Input.Submitted, ".pane-filter")
    def _search_submitted(self, _event: Input.Submitted) -> None:
        if not self.pane.filter_input.value:
            self.pane.filter_input.display = False
        self._focus_table()

    def action_toggle_mark(self) -> None:
        self.pane.toggle_mark()

    def action_mark_shown(self) -> None:
        self.pane.mark_shown()

    def action_clear_marks(self) -> None:
        self.pane.clear_marks()

    def _highlighted(self) -> Item | None:
        item = self.pane.highlighted()
        if item is None:
            self.notify("no row selected", severity="warning")
        return item

    @on(VirtualTable.RowSelected)
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.action_open_detail()

    def action_open_detail(self) -> None:
        # The screens a key opens are imported by the key: the first rows need none of them.
        from hfdash.ui.screens.detail import DetailScreen

        controller = self.controller
        if (item := self._highlighted()) is None:
            return

        def closed(outcome: DetailOutcome | None) -> None:
            if outcome is None:
                return
            if outcome.deleted:
                controller.remove(outcome.item.id)
            else:
                controller.apply_item(outcome.item)
            self._after_change()

        downloads, interval = self.actions.downloads, self.settings.poll_interval
        self.app.push_screen(DetailScreen(item, self.client, downloads, self.clock, interval), closed)

    async def action_refetch(self) -> None:
        controller = self.controller

        def removed(removed_id: str) -> None:
            controller.remove(removed_id)
            self._after_change()

        if (item := self._highlighted()) and (fresh := await self.actions.refetch(item, on_removed=removed)):
            controller.apply_item(fresh)
            self._after_change()

    async def action_copy_url(self) -> None:
        if marked := self.pane.marked():
            await self.actions.copy_urls(marked)
        elif item := self._highlighted():
            await self.actions.copy_url(item)

    def action_copy_id(self) -> None:
        if marked := self.pane.marked():
            self.actions.copy_ids(marked)
        elif item := self._highlighted():
            self.actions.copy_id(item)

    def action_delete(self) -> None:
        controller = self.controller

        def removed(removed_id: str) -> None:
            controller.remove(removed_id)
            self._after_change()

        # While a delete runs, the marked items' delete says so and refuses another.
        if (marked := self.pane.marked()) or self.actions.bulk is not None:
            self.actions.delete_marked(marked, self.pane, removed)
        elif item := self._highlighted():
            self.actions.delete(item, removed)

    def action_help(self) -> None:
        from hfdash.ui.modals import HelpScreen

        self.app.push_screen(HelpScreen("Dashboard keys", self.BINDINGS))

    async def action_download(self) -> None:
        if marked := self.pane.marked():
            self.actions.download_marked(marked)
        elif item := self._highlighted():
            await self.actions.download(item)

    def action_downloads(self) -> None:
        from hfdash.ui.screens.downloads import DownloadsScreen

        self.app.push_screen(DownloadsScreen(self.actions.downloads))
