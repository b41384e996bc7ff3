"""``cxr-auditor app``: start the teaching app (``ui/app.py``) with the project's settings.

The settings are read from ``.streamlit/config.toml`` beside the package (a checkout) and passed to
``streamlit run`` as flags, so they apply from any working folder; an installed package without that
file uses ``FALLBACK_SETTINGS``, the same values. The app listens on localhost unless ``--address``
says otherwise. ``--triton-url`` and ``--library`` set ``CXR_TRITON_URL`` and ``CXR_CASE_LIBRARY``
for the app process.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tomllib
from pathlib import Path

from cxr_auditor.cli import CliError

PACKAGE_DIR = (
    Path(__file__).resolve().parents[1]
)  # the installed cxr_auditor package (a checkout's root)
APP_FILE = PACKAGE_DIR / "ui" / "app.py"
CONFIG_FILE = PACKAGE_DIR / ".streamlit" / "config.toml"
FALLBACK_SETTINGS: dict[str, object] = {
    "server.headless": True,
    "server.maxUploadSize": 50,
    "server.enableXsrfProtection": True,
    "server.enableStaticServing": False,
    "server.enableCORS": True,
    "server.runOnSave": False,
    "browser.gatherUsageStats": False,
    "client.toolbarMode": "minimal",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "app",
        help="start the teaching app in a browser tab (Streamlit)",
        description="Start the teaching app. Without --triton-url (or CXR_TRITON_URL) it runs on "
        "the embedded default: the bundled case library, reference reads and the rule "
        "parser. Research and education only; not a medical device.",
    )
    parser.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    parser.add_argument(
        "--address",
        default="localhost",
        help="address to listen on (default localhost; 0.0.0.0 shares it)",
    )
    parser.add_argument("--triton-url", help="model server URL (sets CXR_TRITON_URL)")
    parser.add_argument("--library", type=Path, help="case library folder (sets CXR_CASE_LIBRARY)")
    parser.add_argument(
        "--print-command",
        action="store_true",
        help="print the streamlit command instead of running it",
    )
    parser.set_defaults(func=run)


def settings(path: Path = CONFIG_FILE) -> dict[str, object]:
    """``section.key -> value`` from a Streamlit config file, or the fallback when it is absent."""
    if not path.is_file():
        return dict(FALLBACK_SETTINGS)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise CliError(f"{path}: not valid TOML: {error}") from None
    return {
        f"{section}.{key}": value for section, table in data.items() for key, value in table.items()
    }


def _flag_value(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def command(args: argparse.Namespace) -> list[str]:
    flags = {**settings(), "server.port": args.port, "server.address": args.address}
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP_FILE),
        *(part for key, value in flags.items() for part in (f"--{key}", _flag_value(value))),
    ]


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.port <= 65535:
        raise CliError(f"--port must be 1..65535, got {args.port}")
    cmd = command(args)
    if args.print_command:
        print(" ".join(cmd))
        return 0
    if importlib.util.find_spec("streamlit") is None:
        raise CliError('the app needs its extra: python3 -m pip install -e ".[app]"')
    env = dict(os.environ)
    if args.triton_url:
        env["CXR_TRITON_URL"] = args.triton_url
    if args.library:
        env["CXR_CASE_LIBRARY"] = str(args.library.resolve())
    print(
        f"Starting the CXR Draft Auditor app on http://{args.address}:{args.port} "
        "(Ctrl+C stops it). Research and education only; not a medical device.",
        flush=True,
    )
    if os.name == "posix":  # become the server, so that signals reach it directly
        os.execve(cmd[0], cmd, env)
    return subprocess.run(cmd, env=env, check=False).returncode
