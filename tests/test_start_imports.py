"""What the dashboard's first paint does not need is not imported before it.

Each module here costs start time (httpx and its TLS setup, the download engine, the
screens behind keys); they are imported by the request, download or key that uses them.
"""

from __future__ import annotations

import subprocess
import sys

DEFERRED = (
    "httpx",
    "hfdash.services.downloads.manager",
    "hfdash.services.downloads.engine",
    "hfdash.ui.screens.detail",
    "hfdash.ui.screens.downloads",
    "hfdash.ui.screens.help",
    "hfdash.ui.modals.confirm_delete",
    "hfdash.ui.modals.confirm_quit",
    "hfdash.ui.modals.variant_menu",
    # The footer's keys are built after the first rows.
    "hfdash.ui.widgets.footer",
    # Settings come from a file only when there is one.
    "tomllib",
    # The cache is opened once the first rows are on screen, or in a thread when there is a file.
    "sqlite3",
    # A start showing renders builds no clip or agent model until those panes load.
    "hfdash.models.clips",
    "hfdash.models.agents",
)


def test_building_the_app_imports_nothing_the_first_paint_does_not_need() -> None:
    probe = (
        "import sys\n"
        "from hfdash.api.client import HeyGenClient\n"
        "from hfdash.config.credentials import Credential, Secret\n"
        "from hfdash.config.settings import Settings\n"
        "from hfdash.ui.app import HfdashApp\n"
        "client = HeyGenClient(Credential(kind='api_key', source='test', api_key=Secret('k')))\n"
        "HfdashApp(client, Settings())\n"
        f"print(','.join(m for m in {DEFERRED!r} if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
