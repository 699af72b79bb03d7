"""What the dashboard works with: one bundle, built once where the command line wires the layers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hfdash.api.client import HeyGenClient
from hfdash.services.cache import ItemCache
from hfdash.services.downloads.manager import DownloadManager
from hfdash.services.sources import Source
from hfdash.services.store import PaneStore


@dataclass(frozen=True, slots=True)
class PaneFeed:
    source: Source[Any]
    store: PaneStore[Any]


@dataclass(frozen=True, slots=True)
class Dashboard:
    client: HeyGenClient
    # By pane name, in the order the panes are numbered.
    feeds: dict[str, PaneFeed]
    downloads: DownloadManager
    cache: ItemCache
    # What the status line calls the API host.
    host_label: str
