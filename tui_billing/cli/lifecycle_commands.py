"""Contract lifecycle commands: cancel (with the notice rule), renew or let end a contract,
and the contracts coming to their notice deadline or end."""

from __future__ import annotations

import argparse
import re

from tui_billing.cli import context
from tui_billing.cli.arguments import date_arg
from tui_billing.cli.output import print_json, stdout
from tui_billing.cli.tables import Col, Listing, day, money, print_listing, say
from tui_billing.domain import display
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _, ngettext
from tui_billing.domain.money import parse_decimal

MAX_WINDOW_DAYS = 3660


def cmd_cancel(args: argparse.Namespace) -> int:
    from tui_billing.billing.cancellation import cancel_contract

    db = context.database(args)
    done = cancel_contract(db, args.contract, args.date, args.reason, args.effective)
    if args.json:
        print_json(done.to_json())
        return 0
    say(
        stdout,
        _("{contract} ends on {day}: {reason}.").format(
            contract=done.contract, day=day(done.decision.ends_on), reason=done.decision.reason
        ),
    )
    for credit in done.credits:
        say(
            stdout,
            _(
                "{invoice} invoiced {amount} (net of VAT) for days from {day} on, past the "
                "end. Nothing is credited by itself; to issue the credit note:"
            ).format(
                invoice=credit.invoice, amount=money(credit.amount), day=day(credit.days_from)
            ),
        )
        stdout.print(f"  {credit.command()}", markup=False, soft_wrap=True)
    return 0


def cmd_renew(args: argparse.Namespace) -> int:
    from tui_billing.billing.renewals import renew_contract

    percent = None
    if args.percent is not None:
        percent = parse_decimal(args.percent, "--percent", allow_negative=True, places=4)
        if not -100 <= percent <= 100:
            raise UserError(_("must be a percentage between -100 and 100"), "--percent")
    db = context.database(args)
    renewal = renew_contract(db, args.contract, "manual renewal (command line)", percent)
    if args.json:
        print_json(renewal.to_json())
        return 0
    say(stdout, _("Renewed {renewal}.").format(renewal=renewal.line()))
    return 0


def cmd_let_end(args: argparse.Namespace) -> int:
    from tui_billing.billing.renewals import let_end

    db = context.database(args)
    end = let_end(db, args.contract, context.today(args))
    if args.json:
        print_json({"contract": args.contract, "ends_on": end.isoformat()})
        return 0
    say(
        stdout,
        _("{contract} is not renewed: it ends on {day}.").format(
            contract=args.contract, day=day(end)
        ),
    )
    return 0


def cmd_expiring(args: argparse.Namespace) -> int:
    from tui_billing.billing.expiring import expiring

    if not 0 <= args.within <= MAX_WINDOW_DAYS:
        raise UserError(_("must be 0 to {n} days").format(n=MAX_WINDOW_DAYS), "--within")
    context.database(args)
    on = args.date or context.today(args)
    found = expiring(on, args.within)
    if args.json:
        print_json([e.to_json() for e in found])
        return 0
    listing = Listing(
        _("Contracts ending or to give notice by {day}").format(day=day(on + _days(args.within))),
        (
            Col(_("Contract")),
            Col(_("Customer"), "text", drop=3),
            Col(_("Term"), "number", drop=4),
            Col(_("Notice by"), "date"),
            Col(_("Ends"), "date"),
            Col(_("At the end"), "text", shrink=16),
            Col(_("Yearly value"), "money", drop=2),
            Col(_("Price"), "text", drop=1),
        ),
    )
    for e in found:
        listing.add(
            e.contract,
            e.customer,
            str(e.term),
            day(e.deadline),
            day(e.end),
            e.at_end_text or e.at_end,
            money(e.yearly_value),
            e.price_change or "",
        )
    waiting = sum(1 for e in found if e.waiting)
    print_listing(
        stdout,
        listing,
        empty=_("No contract ends or needs notice by {day}.").format(
            day=day(on + _days(args.within))
        ),
        summary=ngettext(
            "{n} contract, {waiting} waiting for a decision",
            "{n} contracts, {waiting} waiting for a decision",
            len(found),
        ).format(n=display.number(len(found)), waiting=waiting),
    )
    return 0


def _days(count: int):
    import datetime as dt

    return dt.timedelta(days=count)


def _days_arg(value: str) -> int:
    """A whole number of days written in ASCII digits (``int`` would take other scripts')."""
    if not re.fullmatch(r"[0-9]{1,5}", value.strip()):
        raise argparse.ArgumentTypeError(
            _("not a number of days: {text}").format(text=repr(value[:20]))
        )
    return int(value)


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help=_("one JSON document on stdout"))


def register_contract(sub: argparse._SubParsersAction) -> None:
    """The lifecycle subcommands of ``contract``."""
    p = sub.add_parser(
        "cancel",
        help=_(
            "record a cancellation notice: the contract ends where "
            "the notice rule says, and says why"
        ),
    )
    p.add_argument("contract", metavar="K", help=_("contract code"))
    p.add_argument(
        "--date",
        type=date_arg,
        required=True,
        metavar="D",
        help=_("the day the notice was received"),
    )
    p.add_argument("--reason", metavar="TEXT", help=_("why (kept with the contract)"))
    p.add_argument(
        "--effective",
        type=date_arg,
        metavar="D2",
        help=_("an earlier last day agreed by both parties"),
    )
    _json_flag(p)
    p.set_defaults(func=cmd_cancel)
    p = sub.add_parser("renew", help=_("renew a contract for one more term (a manual renewal)"))
    p.add_argument("contract", metavar="K", help=_("contract code"))
    p.add_argument(
        "--percent",
        metavar="P",
        help=_("price change in percent, in place of the contract's own (e.g. 3 or -1.5)"),
    )
    _json_flag(p)
    p.set_defaults(func=cmd_renew)
    p = sub.add_parser("let-end", help=_("do not renew: the contract ends with its term"))
    p.add_argument("contract", metavar="K", help=_("contract code"))
    _json_flag(p)
    p.set_defaults(func=cmd_let_end)


def register(commands: argparse._SubParsersAction) -> None:
    contracts = commands.add_parser("contracts", help=_("contracts coming to their end"))
    sub = contracts.add_subparsers(
        dest="contracts_command", metavar="COMMAND", required=True, parser_class=type(contracts)
    )
    p = sub.add_parser(
        "expiring",
        help=_(
            "contracts whose notice deadline or end falls within "
            "DAYS, and manual renewals waiting for a decision"
        ),
    )
    p.add_argument(
        "--within",
        type=_days_arg,
        default=60,
        metavar="DAYS",
        help=_("the window, in days from the date (default 60)"),
    )
    p.add_argument("--date", type=date_arg, metavar="D", help=_("from (default: today)"))
    _json_flag(p)
    p.set_defaults(func=cmd_expiring)


__all__ = ["register", "register_contract"]
