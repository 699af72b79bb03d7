"""The dashboard's keys on the highlighted row or the marked ones, and its filter, search and sort."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual import on
from textual.screen import Screen
from textual.widgets import Input

from hfdash.config.settings import Settings
from hfdash.services.clock import Clock
from hfdash.services.dashboard import Dashboard
from hfdash.services.kinds import Item, item_id
from hfdash.services.view import SORTS, STATUS_FILTERS, ViewSpec, next_in
from hfdash.ui.controller import PaneController
from hfdash.ui.item_actions import ItemActions
from hfdash.ui.panes.base import ResourcePane
from hfdash.ui.widgets.virtual_table import VirtualTable

if TYPE_CHECKING:
    from hfdash.ui.screens.detail import DetailOutcome


class DashboardActions(Screen[None]):
    # The panes by name, and the one in front; the dashboard builds them.
    controllers: dict[str, PaneController]
    current: str

    def __init__(self, dashboard: Dashboard, settings: Settings, clock: Clock) -> None:
        super().__init__()
        self.dashboard = dashboard
        self.client = dashboard.client
        self.settings = settings
        self.clock = clock
        self.actions = ItemActions(self, self.client, dashboard.downloads)

    @property
    def controller(self) -> PaneController:
        return self.controllers[self.current]

    @property
    def pane(self) -> ResourcePane[Any]:
        return self.controller.pane

    def _focus_table(self) -> None:
        # At once: `Widget.focus` waits its turn, and keys already queued would go to the old focus.
        self.set_focus(self.pane.table)

    def _after_change(self) -> None:
        """Redraws what depends on the panes' contents."""

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
        box.value = ""
        box.display = False
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
        spec = self.pane.spec
        self.pane.set_view(ViewSpec(sort=spec.sort, reverse=spec.reverse, group=group))

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
                controller.remove(item_id(outcome.item))
            else:
                controller.apply_item(outcome.item)
            self._after_change()

        downloads, interval = self.actions.downloads, self.settings.poll_interval
        self.app.push_screen(DetailScreen(item, self.client, downloads, self.clock, interval), closed)

    async def action_refetch(self) -> None:
        controller = self.controller
        if (item := self._highlighted()) and (fresh := await self.actions.refetch(item)):
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
        from hfdash.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen("Dashboard keys", self.BINDINGS))

    async def action_download(self) -> None:
        if marked := self.pane.marked():
            self.actions.download_marked(marked)
        elif item := self._highlighted():
            await self.actions.download(item)

    def action_downloads(self) -> None:
        from hfdash.ui.screens.downloads import DownloadsScreen

        self.app.push_screen(DownloadsScreen(self.actions.downloads))
