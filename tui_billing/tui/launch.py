"""Opening the TUI from the console script."""

from __future__ import annotations

import argparse


def launch(args: argparse.Namespace) -> int:
    from tui_billing.tui.app import BillingApp

    app = BillingApp(db_target=args.db, config_path=args.config, today=args.today)
    app.run()
    return int(app.return_code or 0)
