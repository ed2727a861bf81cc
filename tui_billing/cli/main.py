"""The headless entry point: parses the command line and dispatches to the commands."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from tui_billing import __version__
from tui_billing.cli import (
    billing_commands,
    collection_commands,
    credit_command,
    customer_commands,
    data_commands,
    economics_commands,
    einvoice_commands,
    invoice_commands,
    lifecycle_commands,
    order_commands,
    payment_commands,
    reminder_commands,
    run_command,
    runs_command,
)
from tui_billing.cli.argparse_words import speak_argparse
from tui_billing.cli.arguments import Parser, date_arg, describe_subcommands
from tui_billing.cli.exit_codes import ExitCode
from tui_billing.cli.output import error, print_json_error
from tui_billing.config import ui_language
from tui_billing.crash_log import internal_error_line
from tui_billing.domain.errors import LockHeld, UserError
from tui_billing.domain.i18n import ENV_VAR, _, choose_language, set_language


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="tui-billing",
        description=_("Scheduled and recurring billing of contracts and orders."),
        epilog=_(
            "Language: [ui] language in the configuration file, else $TUI_BILLING_LANG "
            "(it or en), else the locale. With --json a command speaks English, so that "
            "its output is the same in every language."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"tui-billing {__version__}",
        help=_("show program's version number and exit"),
    )
    parser.add_argument(
        "--db",
        metavar="TARGET",
        help=_(
            "SQLite file, sqlite:///path or postgresql://... "
            "(default: $TUI_BILLING_DB, else a file in the user data dir)"
        ),
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        type=Path,
        help=_(
            "configuration file (default: $TUI_BILLING_CONFIG, else "
            "config.toml in the user config dir)"
        ),
    )
    parser.add_argument("--today", type=date_arg, metavar="D", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    data_commands.register(commands)
    billing_commands.register(commands)
    run_command.register(commands)
    runs_command.register(commands)
    invoice_commands.register(commands)
    credit_command.register(commands)
    order_commands.register(commands)
    customer_commands.register(commands)
    economics_commands.register(commands)
    lifecycle_commands.register(commands)
    payment_commands.register(commands)
    reminder_commands.register(commands)
    collection_commands.register(commands)
    einvoice_commands.register(commands)
    describe_subcommands(parser)
    return parser


def main(
    argv: Sequence[str] | None = None, open_tui: Callable[[argparse.Namespace], int] | None = None
) -> int:
    """Run one command; with none, hand over to ``open_tui`` (the TUI lives outside the CLI,
    which never imports Textual)."""
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    args: argparse.Namespace | None = None
    words = list(sys.argv[1:] if argv is None else argv)
    try:
        speak(words)
    except UserError as exc:  # a language the program does not speak: one line, exit 2
        return _refused(_wants_json(None, words), str(exc), ExitCode.BAD_INPUT)
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        args.open_tui = open_tui
        if args.command is None:
            if open_tui is None:
                raise UserError(_("no command given (see 'tui-billing --help')"))
            return int(open_tui(args))
        return int(args.func(args))
    except UserError as exc:
        return _refused(_wants_json(args, argv), str(exc), ExitCode.BAD_INPUT)
    except LockHeld as exc:
        return _refused(_wants_json(args, argv), str(exc), ExitCode.LOCKED)
    except KeyboardInterrupt:
        error(_("interrupted"))
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        return ExitCode.OK
    except Exception as exc:  # a bug: one line for the user, the traceback in the log
        error(internal_error_line(exc))
        return ExitCode.INTERNAL


def speak(words: Sequence[str]) -> None:
    """Choose the language before the parser is built (its help is translated):
    ``[ui] language`` of the configuration file (``--config`` or $TUI_BILLING_CONFIG),
    else $TUI_BILLING_LANG, else the locale, else English. Under ``--json`` the command
    speaks English once the choice is known to be valid: its output, error objects
    included, is the same whatever the language. UserError for a language the program
    does not speak, in the language of the environment when that one is valid."""
    speak_argparse()
    try:  # the environment's language first, so that a refusal below reads in it
        set_language(choose_language(None))
    except UserError:  # a bad $TUI_BILLING_LANG: its refusal reads in the locale's
        set_language(choose_language(None, {k: v for k, v in os.environ.items() if k != ENV_VAR}))
    set_language(choose_language(ui_language(_config_word(words))))
    if "--json" in words:
        set_language("en")


def _config_word(words: Sequence[str]) -> Path | None:
    """The file ``--config FILE`` (or ``--config=FILE``) names, read before parsing."""
    for i, word in enumerate(words):
        if word == "--":
            break
        if word == "--config" and i + 1 < len(words):
            return Path(words[i + 1])
        if word.startswith("--config="):
            return Path(word.split("=", 1)[1])
    return None


def _wants_json(args: argparse.Namespace | None, argv: Sequence[str] | None) -> bool:
    """Whether the command asked for --json (read from the words when parsing failed)."""
    if args is not None:
        return bool(getattr(args, "json", False))
    return "--json" in (sys.argv[1:] if argv is None else argv)


def _refused(as_json: bool, message: str, status: ExitCode) -> int:
    """A refusal: one line on stderr and, under --json, a JSON error object on stdout."""
    error(message)
    if as_json:
        print_json_error(message, int(status))
    return status


if __name__ == "__main__":
    raise SystemExit(main())
