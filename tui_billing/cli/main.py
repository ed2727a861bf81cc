"""The headless entry point: parses the command line and dispatches to the commands."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from tui_billing import __version__
from tui_billing.cli.exit_codes import ExitCode
from tui_billing.cli.output import error
from tui_billing.domain.errors import LockHeld, UserError
from tui_billing.domain.parsing import parse_date


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UserError(f"{message} (see '{self.prog} --help')")


def date_arg(value: str) -> dt.date:
    try:
        return parse_date(value)
    except UserError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def build_parser() -> argparse.ArgumentParser:
    from tui_billing.cli import (
        billing_commands,
        data_commands,
        economics_commands,
        invoice_commands,
        order_commands,
        payment_commands,
        run_command,
    )

    parser = _Parser(
        prog="tui-billing",
        description="Scheduled and recurring billing of contracts and orders.",
    )
    parser.add_argument("--version", action="version", version=f"tui-billing {__version__}")
    parser.add_argument(
        "--db",
        metavar="TARGET",
        help="SQLite file, sqlite:///path or postgresql://... "
        "(default: $TUI_BILLING_DB, else a file in the user data dir)",
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        type=Path,
        help="configuration file (default: $TUI_BILLING_CONFIG, else "
        "config.toml in the user config dir)",
    )
    parser.add_argument("--today", type=date_arg, metavar="D", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    data_commands.register(commands)
    billing_commands.register(commands)
    run_command.register(commands)
    invoice_commands.register(commands)
    order_commands.register(commands)
    economics_commands.register(commands)
    payment_commands.register(commands)
    return parser


def _log_internal_error() -> Path | None:
    try:
        from platformdirs import user_log_dir

        log_dir = Path(user_log_dir("tui-billing", appauthor=False))
        log_dir.mkdir(parents=True, exist_ok=True)
        path = log_dir / "errors.log"
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {dt.datetime.now().isoformat()} {' '.join(sys.argv)}\n")
            handle.write(traceback.format_exc())
        return path
    except OSError:
        return None


def main(
    argv: Sequence[str] | None = None, open_tui: Callable[[argparse.Namespace], int] | None = None
) -> int:
    """Run one command; with none, hand over to ``open_tui`` (the TUI lives outside the CLI,
    which never imports Textual)."""
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        args.open_tui = open_tui
        if args.command is None:
            if open_tui is None:
                raise UserError("no command given (see 'tui-billing --help')")
            return int(open_tui(args))
        return int(args.func(args))
    except UserError as exc:
        error(str(exc))
        return ExitCode.BAD_INPUT
    except LockHeld as exc:
        error(str(exc))
        return ExitCode.LOCKED
    except KeyboardInterrupt:
        error("interrupted")
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        return ExitCode.OK
    except Exception as exc:  # a bug: one line for the user, the traceback in the log
        where = _log_internal_error()
        error(
            f"internal error: {type(exc).__name__}: {exc}"
            + (f" (details in {where})" if where else "")
        )
        return ExitCode.INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
