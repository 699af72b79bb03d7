"""Shown instead of the dashboard when no credential is configured: how to sign in, or try --demo."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Static

from hfdash.ui.widgets.footer import Footer

WAYS = (
    ("export HEYGEN_API_KEY=…", "an API key from https://app.heygen.com/settings (API)"),
    ("export HYPERFRAMES_API_KEY=…", "the same key, under the hyperframes CLI's name"),
    ("hyperframes auth login", "browser sign-in; hfdash then reads ~/.heygen/credentials"),
    ("export HEYGEN_ACCESS_TOKEN=…", "an OAuth access token"),
)


def sign_in_help() -> str:
    """What the command line says once the sign-in screen is closed."""
    ways = "\n".join(f"  {command:<32}{meaning}" for command, meaning in WAYS)
    return (
        "hfdash found no HeyGen credential. Any one of these works (the same ones HeyGen's CLIs use):\n\n"
        f"{ways}\n\nOr try the dashboard with no account at all:\n\n  hfdash --demo\n"
    )


class SignInScreen(Screen[None]):
    BINDINGS = [Binding("q,escape", "app.quit", "Quit")]

    def compose(self) -> ComposeResult:
        body = Text()
        body.append("No HeyGen credential found\n\n", style="bold #e5c07b")
        body.append("hfdash uses the same credentials as HeyGen's own CLIs. Any one of these works:\n\n")
        for command, meaning in WAYS:
            body.append(f"  {command:<32}", style="bold")
            body.append(f"{meaning}\n")
        body.append("\nThen run hfdash again. To look around with no account at all:\n\n")
        body.append("  hfdash --demo", style="bold #98c379")
        body.append("   the whole dashboard on a built-in simulator of the API\n\n")
        body.append("q quits.", style="dim")
        with Center(), Vertical(id="sign-in-box"):
            yield Static(body, id="sign-in-text")
        yield Footer()
