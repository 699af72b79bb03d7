"""The floor app with the dashboard's widgets: the same page shown as hfdash lays it out, plainly.

Stock Textual widgets only (DataTable, Footer, Input, ContentSwitcher), stock httpx, no models,
store or cache: what showing the first page in hfdash's layout costs before any of hfdash's code.
"""

from __future__ import annotations

import os

import httpx
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import ContentSwitcher, DataTable, Footer, Input, Static

PAGE = 50
# The Renders pane's columns, in its order.
COLUMNS = (
    "status",
    "title",
    "render_id",
    "created_at",
    "duration",
    "fps",
    "quality",
    "format",
    "resolution",
    "aspect_ratio",
)
# As many footer keys as the dashboard shows.
KEYS = ["question_mark", "q", "slash", "f", "F", "s", "d", "x", "space", "D", "M", "m", "r", "p", "u", "c"]


class WidgetFloor(App[None]):
    BINDINGS = [Binding(key, "bell", key) for key in KEYS]

    def compose(self) -> ComposeResult:
        yield Static("hfdash  1 Renders  2 AI Clips  3 Video Agent")
        with Horizontal():
            with ContentSwitcher(initial="renders"), Vertical(id="renders"):
                yield Input(placeholder="search")
                yield DataTable(cursor_type="row")
                yield Static("loading…", id="info")
            with VerticalScroll(id="side"):
                yield Static()
        yield Static("ok", id="status")
        yield Footer()

    async def on_mount(self) -> None:
        self.query_one("#side").display = False
        self.query_one(Input).display = False
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        table.focus()
        async with httpx.AsyncClient(
            base_url=os.environ["HEYGEN_API_URL"], headers={"x-api-key": os.environ["HEYGEN_API_KEY"]}
        ) as client:
            answer = await client.get("/v3/hyperframes/renders", params={"limit": str(PAGE)})
        answer.raise_for_status()
        renders = answer.json()["data"]
        table.add_rows([[str(render.get(column) or "—") for column in COLUMNS] for render in renders])
        self.query_one("#info", Static).update(f"{len(renders)} loaded")


if __name__ == "__main__":
    WidgetFloor().run()
