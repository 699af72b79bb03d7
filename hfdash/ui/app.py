"""The Textual application: styles, the first screen, and the command palette's actions."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from hfdash.api.client import HeyGenClient
from hfdash.config.settings import Settings
from hfdash.services.clock import Clock, SystemClock
from hfdash.services.downloads.destination import resolve_destination
from hfdash.services.downloads.manager import DownloadManager, DownloadState, DownloadStatus
from hfdash.ui.modals.confirm_quit import ConfirmQuit
from hfdash.ui.screens.main import MainScreen
from hfdash.ui.screens.sign_in import SignInScreen


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
    ) -> None:
        super().__init__()
        self.client = client
        # What the status line calls the API host; the demo names its simulator here.
        self.host_label = host_label
        self.downloads: DownloadManager | None = None
        if client is not None:
            self.downloads = DownloadManager(
                client,
                resolve_destination(None, settings.download_dir),
                max_concurrent=settings.max_downloads,
                on_change=self._download_changed,
            )
        self.settings = settings
        self.clock: Clock = clock or SystemClock()

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        else:
            self.notify(f"unknown theme {self.settings.theme!r}; using the default", severity="warning")
        if self.client is None:
            self.push_screen(SignInScreen())
        else:
            self.push_screen(MainScreen(self.client, self.settings, self.clock, self.host_label))

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

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.exit(0)

        if not isinstance(self.screen, ConfirmQuit):
            self.push_screen(ConfirmQuit(running), answered)

    def active_downloads(self) -> int:
        if self.downloads is None:
            return 0
        return sum(1 for status in self.downloads.statuses() if not status.finished)

    def _download_changed(self, status: DownloadStatus) -> None:
        if status.state is DownloadState.DONE:
            self.notify(
                f"downloaded {status.label}\n→ {status.path}", title="Download finished", markup=False
            )
        elif status.state is DownloadState.FAILED:
            self.notify(
                f"{status.label}: {status.error}", title="Download failed", severity="error", markup=False
            )

    async def on_unmount(self) -> None:
        if self.downloads is not None:
            # Cancelling keeps every partial file, so the next run resumes it.
            await self.downloads.aclose()
        if self.client is not None:
            await self.client.aclose()
