"""The reminders command: list the payment reminders due, or record and e-mail them."""

from __future__ import annotations

import argparse
import re
from typing import TYPE_CHECKING

from tui_billing.cli import context
from tui_billing.cli.arguments import date_arg
from tui_billing.cli.exit_codes import ExitCode
from tui_billing.cli.output import print_json, stdout
from tui_billing.cli.tables import Col, Listing, day, money, print_listing
from tui_billing.domain import display
from tui_billing.domain.i18n import _, ngettext, pgettext

if TYPE_CHECKING:
    from tui_billing.billing.reminders import ReminderReport


# a reminder's state as the table shows it (the JSON keeps the code)
_REMINDER_STATES = {"due": "due", "pending": "pending", "failed": "failed", "sending": "sending"}


def _marked() -> None:  # pragma: no cover - never called: marks the states in their context
    pgettext("reminder", "due")
    pgettext("reminder", "pending")
    pgettext("reminder", "failed")
    pgettext("reminder", "sending")


def _days(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,5}", text):
        raise argparse.ArgumentTypeError(
            _("not a number of days: {text}").format(text=repr(text[:40]))
        )
    return int(text)


def cmd_reminders(args: argparse.Namespace) -> int:
    from tui_billing.billing.reminders import due_reminders, send_reminders

    settings = context.config(args)
    db = context.database(args)
    on = args.date or context.today(args)
    report = None
    if args.send:
        due, report = send_reminders(db, settings, on, min_days=args.min_days)
    else:
        due = due_reminders(db, on, settings, min_days=args.min_days)
    if args.json:
        document = [d.to_json() for d in due]
        print_json({"reminders": document, **report.to_json()} if report else document)
        return _code(report)
    listing = Listing(
        _("Reminders on {day}").format(day=day(on)),
        (
            Col(_("Customer"), "text"),
            Col(_("Level"), "number"),
            Col(_("Invoices"), "number"),
            Col(pgettext("column", "Open"), "money"),
            Col(_("Interest"), "money", drop=2),
            Col(_("E-mail"), drop=1),
            Col(_("State")),
        ),
    )
    for d in due:
        listing.add(
            d.name,
            str(d.level),
            str(len(d.letter.invoices)),
            money(d.letter.open_total),
            money(d.letter.interest_total),
            d.email or _("(none)"),
            pgettext("reminder", _REMINDER_STATES.get(d.status, d.status)),
        )
    print_listing(
        stdout,
        listing,
        summary=ngettext("{n} reminder", "{n} reminders", len(due)).format(
            n=display.number(len(due))
        ),
        empty=_("No reminders due on {day}.").format(day=day(on)),
    )
    if report is not None:
        stdout.print(_("Reminders sent: {n}.").format(n=report.sent), markup=False)
        if report.skipped:
            stdout.print(report.skipped, markup=False)
        for customer in report.no_email:
            stdout.print(
                _("{customer}: no e-mail address, not sent").format(customer=customer),
                markup=False,
            )
        for customer, error in report.failed:
            stdout.print(
                _("{customer}: not sent ({error}); retried at the next --send").format(
                    customer=customer, error=error
                ),
                markup=False,
            )
    return _code(report)


def _code(report: ReminderReport | None) -> int:
    """1 (partial) when a reminder was refused: it is retried at the next --send."""
    return ExitCode.PARTIAL if report is not None and report.failed else ExitCode.OK


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("reminders", help=_("payment reminders of overdue invoices"))
    p.add_argument("--date", type=date_arg, metavar="D", help=_("as of D (default: today)"))
    p.add_argument(
        "--min-days",
        type=_days,
        metavar="N",
        help=_("only customers whose oldest invoice is N or more days overdue"),
    )
    p.add_argument(
        "--send",
        action="store_true",
        help=_("record the reminders due and e-mail every one not sent yet"),
    )
    p.add_argument("--json", action="store_true", help=_("one JSON document on stdout"))
    p.set_defaults(func=cmd_reminders)


__all__ = ["register"]
