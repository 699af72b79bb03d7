"""List bodies read as the resources read them, for tests of the parsers alone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hfdash.models.parse import Page, parse_head, parse_items


def parse_page(body: object, parse_item: Callable[[object, str], Any]) -> Page[Any]:
    """The cursor first, then the items, as `api/resources.py` does."""
    return parse_items(parse_head(body), parse_item)
