"""The start's floor: the least a Textual app that shows the first page of renders can do.

It imports what every hfdash cold start must (Textual, httpx), asks the API for one page
over loopback and prints the render ids in one Static: no models, store, cache or table.
Its time against the minimal app is the share of the start goal that the libraries alone
already take; what hfdash adds is its time less this one's.
"""

from __future__ import annotations

import os
import ssl

from textual.app import App, ComposeResult
from textual.widgets import Static

# hfdash's first page is this long, and its table shows ids cut to this width.
PAGE = 50
ID_WIDTH = 12


class Floor(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(id="rows", markup=False)

    async def on_mount(self) -> None:
        import httpx

        # As hfdash's own client for plain HTTP: a TLS context that loads no CA bundle.
        async with httpx.AsyncClient(
            base_url=os.environ["HEYGEN_API_URL"],
            headers={"x-api-key": os.environ["HEYGEN_API_KEY"]},
            verify=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT),
        ) as client:
            answer = await client.get("/v3/hyperframes/renders", params={"limit": str(PAGE)})
        ids = [str(render["render_id"])[:ID_WIDTH] for render in answer.json()["data"]]
        self.query_one("#rows", Static).update("\n".join(ids))
        self.call_after_refresh(self.exit)


if __name__ == "__main__":
    Floor().run()
