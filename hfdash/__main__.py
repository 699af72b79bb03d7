"""The command line: `hfdash`, `hfdash --demo`, `hfdash sim`, `hfdash download`.

The one module that wires every layer together. Heavy imports happen inside the functions that
need them, so `hfdash --version` and `hfdash --help` stay instant.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from hfdash import __version__

if TYPE_CHECKING:
    from hfdash.api.client import HeyGenClient
    from hfdash.config.settings import Settings
    from hfdash.services.clock import Clock
    from hfdash.simulator import Simulator
    from hfdash.ui.app import HfdashApp


def _parser() -> argparse.ArgumentParser:
    from hfdash.config.dirs import config_file

    parser = argparse.ArgumentParser(
        prog="hfdash",
        description="A terminal dashboard for HeyGen's v3 API: HyperFrames renders, AI Clipping jobs, "
        "Video Agent sessions.",
        epilog=f"Settings file: {config_file()}\n"
        "Other commands: `hfdash sim --help` (the API simulator), `hfdash download --help`.\n"
        "Credentials are never taken on the command line: see the README.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"hfdash {__version__}")
    parser.add_argument("--demo", action="store_true", help="run against the built-in simulator, no account")
    parser.add_argument("--api-url", help="API base URL (default: $HEYGEN_API_URL or https://api.heygen.com)")
    parser.add_argument("--log", metavar="FILE", help="write a debug log (no secrets) to FILE")
    parser.add_argument("--pane", dest="default_pane", choices=("renders", "clips", "agents"))
    parser.add_argument("--poll-interval", type=float, metavar="SECONDS")
    parser.add_argument("--head-interval", type=float, metavar="SECONDS")
    parser.add_argument("--page-size", type=int, metavar="N")
    parser.add_argument("--no-polling", dest="polling", action="store_const", const=False)
    parser.add_argument("--bell", action="store_const", const=True)
    parser.add_argument("--theme")
    return parser


def _client(args: argparse.Namespace, demo: Simulator | None) -> HeyGenClient | None:
    from hfdash.api.client import HeyGenClient
    from hfdash.config import credentials

    if demo is not None:
        # httpx exempts no host from a proxy set in the environment, and a proxy elsewhere cannot
        # reach this machine's loopback: the demo's API calls and downloads go direct.
        exempt = [os.environ.get("NO_PROXY"), os.environ.get("no_proxy"), "127.0.0.1"]
        os.environ["NO_PROXY"] = os.environ["no_proxy"] = ",".join(v for v in exempt if v)
        credential = credentials.Credential(
            kind="api_key", source="demo key", api_key=credentials.Secret(demo.api_key)
        )
        return HeyGenClient(credential, base_url=demo.url)
    found = credentials.resolve_credential()
    if found is None:
        return None
    for warning in found.warnings:
        print(f"hfdash: warning: {warning}", file=sys.stderr)
    return HeyGenClient(
        found,
        base_url=args.api_url or credentials.base_url_from_env(),
        oauth_token_url=credentials.token_url(),
        oauth_client_id=credentials.client_id(),
        on_refresh=credentials.save_refreshed,
    )


def make_app(
    client: HeyGenClient | None,
    settings: Settings,
    *,
    clock: Clock | None = None,
    host_label: str | None = None,
) -> HfdashApp:
    """The dashboard and everything it works with; `--demo`, tests and a real start all build it here."""
    from hfdash.config import dirs
    from hfdash.config.credentials import account_key
    from hfdash.services.cache import ItemCache, file_name
    from hfdash.services.dashboard import Dashboard, PaneFeed
    from hfdash.services.downloads.manager import DownloadManager
    from hfdash.services.sources import RendersSource, SessionsSource, Source
    from hfdash.services.store import PaneStore
    from hfdash.ui.app import HfdashApp

    if client is None:
        return HfdashApp(None, settings, clock)
    dashboard = Dashboard(
        client=client,
        feeds={
            "renders": PaneFeed(RendersSource(client), PaneStore()),
            "clips": PaneFeed(Source(client.clip_jobs), PaneStore()),
            "agents": PaneFeed(SessionsSource(client), PaneStore()),
        },
        downloads=DownloadManager(
            client,
            dirs.resolve_destination(None, settings.download_dir),
            max_concurrent=settings.max_downloads,
            journal=dirs.state_dir() / "downloads.json",
        ),
        cache=ItemCache(dirs.cache_dir() / file_name(client.base_url, account_key(client.credential))),
        host_label=host_label or client.base_url.removeprefix("https://").removeprefix("http://"),
    )
    return HfdashApp(dashboard, settings, clock)


def run_dashboard(argv: Sequence[str]) -> int:
    from hfdash.config.credentials import CredentialsError
    from hfdash.config.dirs import config_file
    from hfdash.config.settings import SettingsError, load_settings

    args = _parser().parse_args(argv)
    flags = ("default_pane", "poll_interval", "head_interval", "page_size", "polling", "bell", "theme")
    demo = None
    try:
        try:
            settings = load_settings(config_file(), os.environ, {key: getattr(args, key) for key in flags})
            if args.log:
                from hfdash.api.log import configure_file_log

                try:
                    configure_file_log(Path(args.log))
                except OSError as error:
                    print(f"hfdash: cannot write the log file {args.log}: {error.strerror}", file=sys.stderr)
                    return 2
            if args.demo:
                from hfdash.simulator import SimConfig, Simulator

                # Ten simulated seconds per real second keeps the demo visibly alive without racing past.
                demo = Simulator(SimConfig(seed=2026, speed=10.0, renders=120, clip_jobs=15, sessions=12))
                demo.start()
            client = _client(args, demo)
        except (SettingsError, CredentialsError) as error:
            print(f"hfdash: {error}", file=sys.stderr)
            return 2
        label = f"demo simulator {demo.url.removeprefix('http://')}" if demo is not None else None
        result = make_app(client, settings, host_label=label).run()
        if client is None:
            from hfdash.ui.screens.sign_in import sign_in_help

            print(sign_in_help(), file=sys.stderr)
        return result if isinstance(result, int) else 0
    finally:
        if demo is not None:
            demo.stop()


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["sim"]:
        from hfdash.simulator.cli import main as sim_main

        return sim_main(arguments[1:])
    if arguments[:1] == ["download"]:
        from hfdash.config.dirs import config_file
        from hfdash.config.settings import SettingsError, load_settings
        from hfdash.services.downloads.cli import main as download_main

        try:
            # Where the dashboard's downloads go is where the command's go, unless --dest says otherwise.
            configured = load_settings(config_file(), os.environ).download_dir
        except SettingsError as error:
            print(f"hfdash: {error}", file=sys.stderr)
            return 2
        connect = partial(_client, argparse.Namespace(api_url=None), None)
        return download_main(arguments[1:], connect, configured)
    return run_dashboard(arguments)


if __name__ == "__main__":
    sys.exit(main())
