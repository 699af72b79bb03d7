"""The Textual application: styles, the first screen, and the command palette's actions.

Only what the first screen paints is imported at start; the download queue, other
screens and modals are imported when first used.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from hfdash.services.clock import Clock, SystemClock
from hfdash.services.heap import INPUT_QUIET, hold_for_input, release_after_input, resume_after_start
from hfdash.ui.screens.main import MainScreen

if TYPE_CHECKING:
    from textual.timer import Timer

    from hfdash.api.client import HeyGenClient
    from hfdash.config.settings import Settings
    from hfdash.models import Page
    from hfdash.services.downloads.manager import DownloadManager, DownloadStatus


# Seconds a start with nothing cached waits for the first page before it paints the dashboard
# without it: under this, the dashboard's first frame holds its first rows.
FIRST_FRAME_WAIT = 0.15


class HfdashApp(App[int]):
    CSS_PATH = "styles/app.tcss"
    TITLE = "hfdash"
    # The dashboard's own keys live on its screens; ctrl+c must still always quit.
    BINDINGS = [Binding("ctrl+c", "quit", "Quit", show=False, priority=True)]
    # Finished downloads are worth reading; the path stays up longer than an ordinary toast.
    NOTIFICATION_TIMEOUT = 6

    def __init__(
        self,
        client: HeyGenClient | None,
        settings: Settings,
        clock: Clock | None = None,
        host_label: str | None = None,
        first_frame_wait: float | None = None,
    ) -> None:
        super().__init__()
        # None: FIRST_FRAME_WAIT on a terminal; headless (tests, screenshots), none.
        self.first_frame_wait = first_frame_wait
        self.client = client
        # What the status line calls the API host; the demo names its simulator here.
        self.host_label = host_label
        self._downloads: DownloadManager | None = None
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        # Runs once input has been quiet for a moment: collections held for it may run again.
        self._input_quiet: Timer | None = None

    @property
    def downloads(self) -> DownloadManager | None:
        """The download queue, built on first use; None when signed out."""
        if self._downloads is None and self.client is not None:
            from hfdash.services.downloads.destination import resolve_destination
            from hfdash.services.downloads.manager import DownloadManager

            self._downloads = DownloadManager(
                self.client,
                resolve_destination(None, self.settings.download_dir),
                max_concurrent=self.settings.max_downloads,
                on_change=self._download_changed,
            )
        return self._downloads

    def download_statuses(self) -> list[DownloadStatus]:
        """Every download so far: none, without building the queue, before the first one."""
        return [] if self._downloads is None else self._downloads.statuses()

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        else:
            self.notify(f"unknown theme {self.settings.theme!r}; using the default", severity="warning")
        if self.client is None:
            from hfdash.ui.screens.sign_in import SignInScreen

            # No rows are coming: the dashboard's start ends here.
            resume_after_start()

            self.push_screen(SignInScreen())
        else:
            dashboard = MainScreen(self.client, self.settings, self.clock, self.host_label)
            wait = self.first_frame_wait
            if wait is None:
                wait = 0.0 if self.is_headless else FIRST_FRAME_WAIT
            # With nothing cached, the first page is asked for before the dashboard is built: a
            # dashboard painted while it is on its way would be painted again once it came (a
            # frame of empty panes the API often answers faster than), and its rows wait for both.
            first_page = dashboard.controller.fetch_first_page() if wait > 0 else None
            if first_page is not None:
                self.run_worker(self._push_when_answered(dashboard, first_page, wait), exit_on_error=False)
            elif self.is_headless:
                # Nothing is painted headless (tests, screenshots), and Pilot expects the screen.
                self.push_screen(dashboard)
            else:
                # Textual paints nothing until the app has started, yet lays out and renders a
                # screen pushed before then: its first frame would be rendered for nothing (twice
                # the work with cached rows), and painted only after whatever runs next, such as
                # the sync's first request. Pushed once the app has started, it is painted at once.
                self.call_later(self.push_screen, dashboard)

    async def _push_when_answered(
        self, dashboard: MainScreen, first_page: asyncio.Task[Page[object]], wait: float
    ) -> None:
        # Whatever the answer, even an error, is the dashboard's to show: only its coming matters.
        await asyncio.wait({first_page}, timeout=wait)
        self.push_screen(dashboard)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for binding in screen.BINDINGS:
            if isinstance(binding, Binding) and binding.description:
                key = binding.key.split(",")[0]
                yield SystemCommand(
                    binding.description, f"key: {key}", partial(screen.run_action, binding.action)
                )

    async def action_quit(self) -> None:
        running = self.active_downloads()
        if not running:
            self.exit(0)
            return
        from hfdash.ui.modals.confirm_quit import ConfirmQuit

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.exit(0)

        if not isinstance(self.screen, ConfirmQuit):
            self.push_screen(ConfirmQuit(running), answered)

    def active_downloads(self) -> int:
        return sum(1 for status in self.download_statuses() if not status.finished)

    def _download_changed(self, status: DownloadStatus) -> None:
        from hfdash.services.downloads.manager import DownloadState

        if status.state is DownloadState.DONE:
            self.notify(
                f"downloaded {status.label}\n→ {status.path}", title="Download finished", markup=False
            )
        elif status.state is DownloadState.FAILED:
            self.notify(
                f"{status.label}: {status.error}", title="Download failed", severity="error", markup=False
            )

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent) and hold_for_input(time.monotonic()):
            if self._input_quiet is None:
                self._input_quiet = self.set_timer(INPUT_QUIET, self._input_went_quiet)
            else:
                self._input_quiet.reset()
        await super().on_event(event)

    def _input_went_quiet(self) -> None:
        self._input_quiet = None
        release_after_input()

    async def on_unmount(self) -> None:
        release_after_input()
        if self._downloads is not None:
            # Cancelling keeps every partial file, so the next run resumes it.
            await self._downloads.aclose()
        if self.client is not None:
            await self.client.aclose()
