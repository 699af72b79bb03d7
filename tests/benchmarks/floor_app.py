"""The start's floor: the same job as hfdash's cold start, done plainly with the same libraries.

Textual and httpx with its defaults (its own transport, its CA bundle, proxies from the
environment): ask the API for the first page over loopback and show the render ids in one
Static. No models, store, cache or table. hfdash's cold start is held to this app's time.
"""

from __future__ import annotations

import os

import httpx
from textual.app import App, ComposeResult
from textual.widgets import Static

# hfdash's first page is this long by default.
PAGE = 50


class Floor(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(id="rows", markup=False)

    async def on_mount(self) -> None:
        async with httpx.AsyncClient(
            base_url=os.environ["HEYGEN_API_URL"], headers={"x-api-key": os.environ["HEYGEN_API_KEY"]}
        ) as client:
            answer = await client.get("/v3/hyperframes/renders", params={"limit": str(PAGE)})
        answer.raise_for_status()
        ids = [str(render["render_id"]) for render in answer.json()["data"]]
        self.query_one("#rows", Static).update("\n".join(ids))
        self.call_after_refresh(self.exit)


if __name__ == "__main__":
    Floor().run()
