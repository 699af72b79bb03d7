"""The Textual application: styles, the first screen, the quit question, and download news."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import Input

from hfdash.config.settings import Settings
from hfdash.services.clock import Clock, SystemClock
from hfdash.services.dashboard import Dashboard
from hfdash.ui.hangup import hung_up, terminal_fd
from hfdash.ui.notices import Notices, toast_width, two_lines
from hfdash.ui.screens.main import MainScreen

# The styles of every screen and of hfdash's own widgets: an app that shows one of them names it too.
STYLES = Path(__file__).parent / "styles" / "app.tcss"


class HfdashApp(App[int]):
    CSS_PATH = STYLES
    TITLE = "hfdash"
    # The dashboard's own keys live on its screens; ctrl+c must still always quit.
    BINDINGS = [Binding("ctrl+c", "quit", "Quit", show=False, priority=True)]
    # Finished downloads are worth reading; the path stays up longer than an ordinary toast.
    NOTIFICATION_TIMEOUT = 6
    # Exit status after the terminal hung up, as a process ended by SIGHUP reports (128 + 1).
    HUNG_UP = 129

    def __init__(self, dashboard: Dashboard | None, settings: Settings, clock: Clock | None = None) -> None:
        """`dashboard` None: no credential was found, and the sign-in help is shown instead."""
        super().__init__()
        self.dashboard = dashboard
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.terminal_gone = False
        # Toasts raised over a dialog or the help, shown once it closes; and what looks for that.
        self._held: list[Callable[[], None]] = []
        self._release: Timer | None = None

    def get_default_screen(self) -> Screen[Any]:
        # The first screen on the stack, not one pushed over Textual's blank default: nothing is
        # composed or painted before the dashboard.
        if self.dashboard is None:
            from hfdash.ui.screens.sign_in import SignInScreen

            return SignInScreen()
        return MainScreen(self.dashboard, self.settings, self.clock)

    def on_mount(self) -> None:
        if self.dashboard is not None:
            self.dashboard.downloads.subscribe(Notices(self).download)
        if not self.is_headless and (fd := terminal_fd()) is not None:
            # Checked, because a hung-up terminal does not always bring a SIGHUP (hangup.py).
            # Often enough that the frames queued for a dead terminal cannot fill Textual's queue
            # of 30 writes meanwhile: once full, the next frame would wait for ever.
            self.set_interval(0.25, partial(self._exit_if_hung_up, fd))
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        else:
            self.notify(f"unknown theme {self.settings.theme!r}; using the default", severity="warning")

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast in two lines at most. One raised over a dialog or the help waits until it
        closes: shown beneath it, Textual's timeout would run out before anyone could read it."""

        textual_notify = super().notify

        def show() -> None:
            text = two_lines(message, toast_width(self.size.width), titled=bool(title))
            textual_notify(text, title=title, severity=severity, timeout=timeout, markup=markup)

        self._held.append(show)
        if not self._dialog_open():
            self._show_held()
        elif self._release is None:
            # Looked for only while something is held: Textual announces no screen's closing here.
            self._release = self.set_interval(0.2, self._show_held)

    def _dialog_open(self) -> bool:
        return bool(self.screen_stack) and isinstance(self.screen_stack[-1], ModalScreen)

    def _show_held(self) -> None:
        if self._dialog_open():
            return
        held, self._held = self._held, []
        for show in held:
            show()
        if self._release is not None:
            self._release.stop()
            self._release = None

    def on_key(self, event: events.Key) -> None:
        """A character typed before the focus moved to a text box goes into it, in order. Textual sends
        each key to the widget focused as the key is read, and runs its binding once the key comes
        back up unhandled, here. Keys that arrive together (a paste, one SSH packet) were all sent to
        the table before `/` focused the search box: a character that comes back while a text box
        has the focus was meant for the box, not for the table's keys."""
        focused = self.focused
        if event.character is None or not event.is_printable or not isinstance(focused, Input):
            return
        # Textual's binding lookup, which runs after this, must not see it.
        event.prevent_default()
        event.stop()
        # Typed now, not sent on: a key behind it in the burst (escape, enter) acts on the text.
        focused.insert_text_at_cursor(event.character)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        from hfdash.ui.modals import key_label

        # Textual's own commands come first; a screen key that does the same (Quit) is not listed again.
        listed: set[str] = set()
        for command in super().get_system_commands(screen):
            listed.add(command.title.casefold())
            yield command
        for binding in screen.BINDINGS:
            if isinstance(binding, Binding) and binding.description.casefold() not in {"", *listed}:
                listed.add(binding.description.casefold())
                run = partial(screen.run_action, binding.action)
                yield SystemCommand(binding.description, key_label(binding.key), run)

    async def action_quit(self) -> None:
        # Imported where first used, as every screen but the dashboard is: the first rows need none.
        from hfdash.ui.modals import ConfirmQuit

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.exit(0)

        if not (running := self.active_downloads()):
            self.exit(0)
        elif not isinstance(self.screen, ConfirmQuit):
            self.push_screen(ConfirmQuit(running), answered)

    def _exit_if_hung_up(self, fd: int) -> None:
        # Closed as a quit would: partial downloads are kept for a resume, the cache is written.
        if hung_up(fd) and not self.terminal_gone:
            self.terminal_gone = True
            self.exit(self.HUNG_UP)

    def active_downloads(self) -> int:
        if self.dashboard is None:
            return 0
        return sum(1 for status in self.dashboard.downloads.statuses() if not status.finished)

    async def on_unmount(self) -> None:
        if self.dashboard is not None:
            # Cancelling keeps every partial file, so the next run resumes it.
            await self.dashboard.downloads.aclose()
            await self.dashboard.client.aclose()
            self.dashboard.cache.close()
        if self.terminal_gone:
            # Textual's writer thread died on the dead terminal (EIO), and closing its driver would
            # wait for that thread for ever. Everything of hfdash's is closed by now.
            logging.shutdown()
            os._exit(self.HUNG_UP)
