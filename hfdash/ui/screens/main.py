"""The dashboard: three panes, a header counting failures, a status line, and every key.

The screen mediates: panes post requests up, the screen runs workers that call
the controllers, and the controllers update the panes.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.events import Resize
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Static

from hfdash.api.client import ConnectionState, HeyGenClient
from hfdash.api.errors import ApiError, AuthenticationError, OAuthRefreshError
from hfdash.config import dirs
from hfdash.config.credentials import account_key
from hfdash.config.settings import PANES, Settings
from hfdash.services.cache import ItemCache
from hfdash.services.cache import file_name as cache_file
from hfdash.services.clock import Clock
from hfdash.services.heap import resume_after_start
from hfdash.services.kinds import Category, item_id
from hfdash.services.sources import ClipJobsSource, RendersSource, SessionsSource, new_store
from hfdash.services.view import next_in
from hfdash.ui.controller import PaneController, Transition
from hfdash.ui.detail_text import detail_text
from hfdash.ui.format import clip, plain
from hfdash.ui.item_actions import ItemActions
from hfdash.ui.panes.base import ResourcePane
from hfdash.ui.panes.columns import CLIP_JOB_COLUMNS, RENDER_COLUMNS, SESSION_COLUMNS
from hfdash.ui.screens.dashboard_actions import DashboardActions
from hfdash.ui.widgets.status_line import StatusFacts, StatusLine
from hfdash.ui.widgets.virtual_table import VirtualTable

PANE_LABELS = {"renders": "Renders", "clips": "AI Clips", "agents": "Video Agent"}
# A side panel needs room for the table's main columns beside it.
WIDE_LAYOUT_COLUMNS = 150
# Seconds the cursor must rest on a row before the side panel shows it.
SIDE_PANEL_DELAY = 0.05
# Rows show ages ("5 minutes ago"): they are redrawn this often, even when nothing else changed.
AGE_REFRESH = 30.0
# Seconds after the screen mounts by which the hidden panes start loading and the footer is built,
# even if the pane in view has shown nothing yet (a slow network).
FIRST_ROWS_AT_LATEST = 1.0


class FooterSpace(Static):
    """The footer's line until its keys are built: twenty widgets, mounted after the first rows."""

    DEFAULT_CSS = "FooterSpace { dock: bottom; height: 1; background: $footer-background; }"


class MainScreen(DashboardActions):
    BINDINGS = [
        Binding("1", "show_pane('renders')", "Renders"),
        Binding("2", "show_pane('clips')", "AI Clips"),
        Binding("3", "show_pane('agents')", "Video Agent"),
        Binding("tab", "next_pane", "Next pane", priority=True),
        Binding("enter", "open_detail", "Detail", show=False),
        Binding("m", "load_more", "More"),
        Binding("M", "load_all", "Load all"),
        Binding("f", "cycle_filter", "Filter"),
        Binding("slash", "search", "Search"),
        Binding("escape", "clear_search", "Clear search", show=False),
        Binding("s", "cycle_sort", "Sort"),
        Binding("r", "refresh", "Refresh"),
        Binding("p", "toggle_polling", "Pause"),
        Binding("u", "refetch", "Fresh URLs"),
        Binding("c", "copy_url", "Copy URL"),
        Binding("y", "copy_id", "Copy ID"),
        Binding("x,delete", "delete", "Delete"),
        Binding("d", "download", "Download"),
        Binding("D", "downloads", "Downloads"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self, client: HeyGenClient, settings: Settings, clock: Clock, host_label: str | None = None
    ) -> None:
        super().__init__()
        self.host_label = host_label or client.base_url.removeprefix("https://").removeprefix("http://")
        self.client = client
        self.settings = settings
        self.clock = clock
        self.polling = settings.polling
        self.auth_banner_shown = False
        # Per pane: when background work may try again after failing, and how many failures in a row.
        self.retry_at: dict[str, float] = {}
        self._failures: dict[str, int] = {}
        self.actions = ItemActions(self, client)  # type: ignore[arg-type]
        self.controllers: dict[str, PaneController] = {}
        # Opened on first use, off the event loop, so building the screen touches no file.
        self.cache = ItemCache(dirs.cache_dir() / cache_file(client.base_url, account_key(client.credential)))
        sources: dict[str, Any] = {
            "renders": (RendersSource(client), RENDER_COLUMNS),
            "clips": (ClipJobsSource(client), CLIP_JOB_COLUMNS),
            "agents": (SessionsSource(client), SESSION_COLUMNS),
        }
        for name, (source, columns) in sources.items():
            store: Any = new_store()
            pane: ResourcePane[Any] = ResourcePane(
                name, PANE_LABELS[name], columns, store, clock, id=f"pane-{name}"
            )
            self.controllers[name] = PaneController(
                source,
                store,
                pane,
                settings.page_size,
                self._transition,
                cache=self.cache,
                on_cached_shown=self._after_first_rows,
            )
        self.current = settings.default_pane
        # Panes whose first load has not started yet.
        self._not_started = set(self.controllers)
        self._footer_space: FooterSpace | None = None
        # What the header and side panel show now: repainting the same again is wasted work.
        self._header_text: Text | None = None
        self._side_shows: object = None
        self._side_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="header")
        with Horizontal(id="body"):
            # Only the pane in view: each pane is a dozen widgets to build and style, which the first
            # rows would wait for. The others join once those rows are on screen, or when shown.
            with ContentSwitcher(initial=f"pane-{self.current}", id="panes"):
                yield self.pane
            with VerticalScroll(id="side"):
                yield Static(id="side-text")
        yield StatusLine(id="status-line")
        self._footer_space = FooterSpace()
        yield self._footer_space

    def on_mount(self) -> None:
        self._update_header()
        # The pane in view loads alone: the hidden panes' requests, parsing and cache writes, and
        # building the footer's keys, would share the event loop with it and hold its first rows
        # back. They follow once those rows are on screen, or its first load ended, or at the
        # latest after FIRST_ROWS_AT_LATEST; a hidden pane shown before then loads at once.
        self._start_first_load(self.controller)
        self.set_timer(FIRST_ROWS_AT_LATEST, self._after_first_rows)
        self.run_worker(self._poll_loop(), group="poll", exclusive=True, exit_on_error=False)
        self.set_interval(1.0, self._update_status)
        # A 429, a retry or going offline shows at once, not at the next second's tick.
        self.client.listen_for_state(self._connection_changed)
        self.set_interval(AGE_REFRESH, self._refresh_ages)
        self.call_after_refresh(self._focus_table)

    # -- panes -----------------------------------------------------------------------------------

    def _refresh_ages(self) -> None:
        if self.pane.is_mounted:
            self.pane.table.refresh_rows()

    async def action_show_pane(self, name: str) -> None:
        if name not in self.controllers:
            return
        pane = self.controllers[name].pane
        if pane.parent is None:
            await self.query_one(ContentSwitcher).add_content(pane)
        self.current = name
        if name in self._not_started:
            self._start_first_load(self.controllers[name])
        self.query_one(ContentSwitcher).current = f"pane-{name}"
        self._refresh_ages()
        self._update_header()
        self._update_side()
        self._focus_table()

    async def action_next_pane(self) -> None:
        await self.action_show_pane(next_in(PANES, self.current))

    def _update_header(self) -> None:
        header = Text(no_wrap=True, overflow="ellipsis")
        header.append(" hfdash ", style="bold reverse")
        for number, (name, controller) in enumerate(self.controllers.items(), start=1):
            active = name == self.current
            header.append("  ")
            header.append(f"{number} {PANE_LABELS[name]}", style="bold underline" if active else "")
            failures = controller.pane.failures()
            if failures:
                header.append(f" ✖{failures}", style="bold #e06c75")
        if header != self._header_text:
            self._header_text = header
            # One line whatever it says, so no layout: a layout repaints the whole screen.
            self.query_one("#header", Static).update(header, layout=False)

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width >= WIDE_LAYOUT_COLUMNS, "-wide")
        self._side_shows = None
        self._update_side()

    def _update_side(self) -> None:
        if not self.has_class("-wide"):
            return
        item = self.pane.highlighted()
        # Items are frozen, so the same object shows the same text.
        shows = (self.current, item)
        if shows == self._side_shows:
            return
        self._side_shows = shows
        side = self.query_one("#side-text", Static)
        side.update(
            detail_text(item) if item is not None else Text("nothing selected", style="dim"), layout=False
        )
        # A layout repaints the whole screen, which costs more than the rest of a cursor move:
        # only a text of another height needs one.
        width, height = side.size
        if not width or side.get_content_height(side.size, side.size, width) != height:
            side.refresh(layout=True)

    @on(VirtualTable.RowHighlighted)
    def _row_highlighted(self, _event: VirtualTable.RowHighlighted) -> None:
        if not self.has_class("-wide"):
            return
        # The side panel follows once the cursor rests: painted in the cursor's own frame it
        # would make every cursor move repaint the whole body, and a held key would queue them.
        if self._side_timer is not None:
            self._side_timer.stop()
        self._side_timer = self.set_timer(SIDE_PANEL_DELAY, self._update_side)

    # -- loading and polling -----------------------------------------------------------------------

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
        """A failing pane is polled less often after each failure, so an outage never becomes a storm."""
        failures = self._failures.get(controller.name, 0) + 1
        self._failures[controller.name] = failures
        longest = max(self.settings.poll_interval, self.settings.head_interval)
        delay = min(longest, self.settings.poll_interval * 2 ** min(failures - 1, 16))
        self.retry_at[controller.name] = time.monotonic() + delay

    def _start_first_load(self, controller: PaneController) -> None:
        self._not_started.discard(controller.name)
        if controller.pane.parent is None:
            # Mounted hidden; the load may start before it is: the pane shows its store once it is.
            self.query_one(ContentSwitcher).add_content(controller.pane)
        self.run_worker(self._load_first(controller), group=f"load-{controller.name}", exit_on_error=False)

    def _after_first_rows(self) -> None:
        """What waits for the first rows: the hidden panes' first loads, the footer's keys, collections."""
        resume_after_start()
        for name in sorted(self._not_started, key=list(self.controllers).index):
            self._start_first_load(self.controllers[name])
        if self._footer_space is not None:
            space, self._footer_space = self._footer_space, None
            self.call_next(self._build_footer, space)

    async def _build_footer(self, space: FooterSpace) -> None:
        from hfdash.ui.widgets.footer import Footer

        await self.mount(Footer(), before=space)
        await space.remove()
        # A footer builds its keys when the bindings change, and they last did before it was here.
        self.refresh_bindings()

    async def _load_first(self, controller: PaneController) -> None:
        loaded = await self._run(controller, controller.load_first)
        # The other panes and the footer follow the frame with the first rows (or the error).
        await controller.pane.rows_painted(within=FIRST_ROWS_AT_LATEST)
        self._after_first_rows()
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

    def _transition(self, transition: Transition) -> None:
        label = clip(plain(transition.item.title or item_id(transition.item)), 50)
        if transition.became is Category.FAILED:
            self.notify(f"{label} failed", title=PANE_LABELS[transition.pane], severity="error", markup=False)
        else:
            self.notify(f"{label} completed", title=PANE_LABELS[transition.pane], markup=False)
        if self.settings.bell:
            self.app.bell()

    def _after_change(self) -> None:
        self._update_header()
        self._update_side()
        self._update_status()

    def _connection_changed(self, _state: ConnectionState) -> None:
        if self.is_mounted:
            self._update_status()

    def on_unmount(self) -> None:
        self.client.listen_for_state(None)

    def _update_status(self) -> None:
        state = self.client.state
        until = state.until
        if state.kind == "offline" and until is None and self.retry_at:
            # Offline means the client gave up; the next try is the poll loop's, after its back-off.
            until = min(self.retry_at.values())
        successes = [c.last_success for c in self.controllers.values() if c.last_success is not None]
        facts = StatusFacts(
            host=self.host_label,
            credential_source=self.client.credential_source,
            connection=state.kind,
            connection_message=state.message,
            until=until,
            in_flight={PANE_LABELS[n]: c.pane.in_flight() for n, c in self.controllers.items()},
            last_refresh=max(successes) if successes else None,
            polling=self.polling,
            downloads=self.actions.download_summary(),
        )
        self.query_one(StatusLine).show(facts)

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

    async def action_quit(self) -> None:
        # The app asks first when downloads are still running.
        await self.app.run_action("app.quit")
