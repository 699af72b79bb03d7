"""What a resource needs from the client: one way to send a request and parse its answer.

Resources depend on this protocol, not on HeyGenClient, so client.py can build them without
the two modules importing each other (the shape of anthropic-sdk-python's `_resource.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol, TypeVar

T = TypeVar("T")
Params = Mapping[str, str | int]


class Requester(Protocol):
    async def _request(
        self, method: str, path: str, parse: Callable[[object], T], *, params: Params | None = None
    ) -> T:
        """Send `method path?params`, retrying as the policy allows; the parsed body or a typed error."""
        ...
