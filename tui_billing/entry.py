"""The console script: a command runs headless; no command opens the TUI."""

from __future__ import annotations

import argparse
from collections.abc import Sequence


def _open_tui(args: argparse.Namespace) -> int:
    from tui_billing.tui.launch import launch

    return launch(args)


def main(argv: Sequence[str] | None = None) -> int:
    from tui_billing.cli.main import main as cli_main

    return cli_main(argv, open_tui=_open_tui)
