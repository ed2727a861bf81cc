"""The command line's parser pieces shared by every command: the one-line-error parser and
the argument types."""

from __future__ import annotations

import argparse
import datetime as dt

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _
from tui_billing.domain.parsing import parse_date


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UserError(
            _("{message} (see '{prog} --help')").format(message=message, prog=self.prog)
        )


def date_arg(value: str) -> dt.date:
    """An argparse type: a date as the user writes it, refused in one line when wrong."""
    try:
        return parse_date(value)
    except UserError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def describe_subcommands(parser: argparse.ArgumentParser) -> None:
    """Each subcommand's --help opens with the line its parent lists it with."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for listed in action._choices_actions:
                sub = action.choices[listed.dest]
                if sub.description is None:
                    sub.description = listed.help
                describe_subcommands(sub)
