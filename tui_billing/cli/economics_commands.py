"""Contract economics commands: index series, revenue figures, a contract's price history."""

from __future__ import annotations

import argparse
from decimal import Decimal

from rich.padding import Padding
from rich.text import Text

from tui_billing.cli import context, lifecycle_commands
from tui_billing.cli.arguments import date_arg
from tui_billing.cli.data_commands import _read_input
from tui_billing.cli.output import print_json, stdout
from tui_billing.cli.tables import Col, Listing, money, print_listing, say, span
from tui_billing.domain import display
from tui_billing.domain.i18n import _, ngettext
from tui_billing.domain.input_rules import check_text
from tui_billing.domain.money import parse_decimal


def cmd_index_import(args: argparse.Namespace) -> int:
    from tui_billing.billing.indexes import import_index_csv

    text, source = _read_input(args.file)
    db = context.database(args)
    summary = import_index_csv(db, args.series, text, source, args.name).line()
    stdout.print(_("Imported {source}: {summary}").format(source=source, summary=summary))
    return 0


def cmd_index_link(args: argparse.Namespace) -> int:
    from tui_billing.billing.indexes import link_bases

    coefficient = parse_decimal(args.coefficient, "COEFFICIENT", places=6)
    db = context.database(args)
    touched = link_bases(db, args.series, args.old_base, args.new_base, coefficient)
    stdout.print(
        _(
            "Index {series}: base {new_base} x {coefficient} = base {old_base}; "
            "{n} contracts to recompute"
        ).format(
            series=args.series,
            new_base=args.new_base,
            coefficient=display.number(coefficient),
            old_base=args.old_base,
            n=touched,
        )
    )
    return 0


def cmd_index_list(args: argparse.Namespace) -> int:
    from tui_billing.billing.indexes import series_document

    context.database(args)
    found = series_document(args.series)
    if args.json:
        print_json(found[0] if args.series else found)
        return 0
    for series in found:
        name = series["name"] if series["name"] not in (None, "", series["series"]) else ""
        listing = Listing(
            _("Index {series}: {name}").format(series=series["series"], name=name)
            if name
            else _("Index {series}").format(series=series["series"]),
            (Col(_("Month")), Col(_("Value"), "number"), Col(_("Base"))),
        )
        for value in series["values"]:
            listing.add(value["month"], display.index_value(value["value"]), f"{value['base']}=100")
        empty = _("{series}: no values").format(series=series["series"])
        print_listing(stdout, listing, empty=empty)
        for link in series["links"]:
            stdout.print(
                _("linking coefficient: base {new_base} x {coefficient} = base {old_base}").format(
                    new_base=link["new_base"],
                    coefficient=display.number(link["coefficient"]),
                    old_base=link["old_base"],
                ),
                markup=False,
            )
    if not found:
        stdout.print(_("No index series."))
    return 0


def cmd_revenue_import(args: argparse.Namespace) -> int:
    from tui_billing.billing.revenue import import_revenue_csv

    text, source = _read_input(args.file)
    db = context.database(args)
    created, updated, unchanged = import_revenue_csv(db, text, source)
    stdout.print(
        _(
            "Imported {source}: revenue figures: {created} new, {updated} updated, "
            "{unchanged} unchanged"
        ).format(source=source, created=created, updated=updated, unchanged=unchanged)
    )
    return 0


def cmd_revenue_add(args: argparse.Namespace) -> int:
    from tui_billing.billing.revenue import enter_figure

    amount = parse_decimal(args.amount, "--amount", allow_negative=True, places=2)
    db = context.database(args)
    note = check_text(args.note, "--note", multiline=True) if args.note else None
    outcome = enter_figure(db, args.contract, args.start, args.end, amount, note)
    stdout.print(
        _("Revenue of {contract} {period}: {amount} ({outcome})").format(
            contract=args.contract,
            period=span(args.start, args.end),
            amount=money(amount),
            outcome={"created": _("created"), "updated": _("updated")}.get(outcome, _("unchanged")),
        )
    )
    return 0


def cmd_revenue_list(args: argparse.Namespace) -> int:
    from tui_billing.billing.revenue import list_figures

    context.database(args)
    rows = list_figures(args.contract)
    if args.json:
        print_json([r.to_json() for r in rows])
        return 0
    listing = Listing(
        _("Revenue figures"),
        (
            Col(_("Contract")),
            Col(_("Period"), "date"),
            Col(_("Amount"), "money"),
            Col(_("Note"), "text"),
        ),
    )
    for r in rows:
        listing.add(r.contract, span(r.period_start, r.period_end), money(r.amount), r.note)
    total = sum((r.amount for r in rows), Decimal("0.00"))
    print_listing(
        stdout,
        listing,
        summary=ngettext(
            "{n} figure, total {total}", "{n} figures, total {total}", len(rows)
        ).format(n=display.number(len(rows)), total=money(total)),
        empty=_("No revenue figures of {contract}.").format(contract=args.contract)
        if args.contract
        else _("No revenue figures."),
    )
    return 0


def cmd_price_history(args: argparse.Namespace) -> int:
    from tui_billing.billing.price_history import price_history

    context.database(args)
    history = price_history(args.contract, args.date or context.today(args))
    if args.json:
        print_json([h.to_json() for h in history])
        return 0
    if not history:
        stdout.print(_("{contract}: no indexed or stepped lines").format(contract=args.contract))
    for line in history:
        say(
            stdout,
            _("{contract} line {position} ({description}): base price {price}").format(
                contract=line.contract,
                position=line.position,
                description=line.description,
                price=display.price(line.base_price),
            ),
        )
        for change in line.changes:
            for text in change.explain():
                stdout.print(Padding(Text(text), (0, 0, 0, 2), expand=False))
        if not line.changes:
            say(stdout, _("  no change yet"))
    return 0


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help=_("one JSON document on stdout"))


def register(commands: argparse._SubParsersAction) -> None:
    index = commands.add_parser("index", help=_("price index series (ISTAT FOI...)"))
    sub = index.add_subparsers(
        dest="index_command", metavar="COMMAND", required=True, parser_class=type(index)
    )
    p = sub.add_parser("import", help=_("import values from CSV: month,value,base"))
    p.add_argument("series", metavar="SERIES", help=_("series code, e.g. FOI"))
    p.add_argument("file", metavar="FILE", help=_("CSV file ('-' reads stdin)"))
    p.add_argument("--name", help=_("the series' name (kept for later imports)"))
    p.set_defaults(func=cmd_index_import)
    p = sub.add_parser("link", help=_("store the linking coefficient between two bases"))
    p.add_argument("series", metavar="SERIES", help=_("series code, e.g. FOI"))
    p.add_argument("old_base", metavar="OLD_BASE", help=_("e.g. 2015"))
    p.add_argument("new_base", metavar="NEW_BASE", help=_("e.g. 2025"))
    p.add_argument(
        "coefficient",
        metavar="COEFFICIENT",
        help=_("index in NEW_BASE x COEFFICIENT = index in OLD_BASE"),
    )
    p.set_defaults(func=cmd_index_link)
    p = sub.add_parser("list", help=_("list a series' values and links (all series without one)"))
    p.add_argument("series", metavar="SERIES", nargs="?", help=_("series code (default: all)"))
    _json_flag(p)
    p.set_defaults(func=cmd_index_list)

    revenue = commands.add_parser("revenue", help=_("revenue figures of contracts"))
    sub = revenue.add_subparsers(
        dest="revenue_command", metavar="COMMAND", required=True, parser_class=type(revenue)
    )
    p = sub.add_parser(
        "import", help=_("import CSV: contract,period_start,period_end,amount[,note]")
    )
    p.add_argument("file", metavar="FILE", help=_("CSV file ('-' reads stdin)"))
    p.set_defaults(func=cmd_revenue_import)
    p = sub.add_parser("add", help=_("enter (or correct) one figure"))
    p.add_argument("contract", metavar="CONTRACT", help=_("contract code"))
    p.add_argument(
        "--from",
        dest="start",
        type=date_arg,
        required=True,
        metavar="D",
        help=_("first day of the period"),
    )
    p.add_argument(
        "--to",
        dest="end",
        type=date_arg,
        required=True,
        metavar="D",
        help=_("last day of the period"),
    )
    p.add_argument("--amount", required=True, metavar="X", help=_("revenue, e.g. 12500.00"))
    p.add_argument("--note", metavar="TEXT", help=_("a note kept with the figure"))
    p.set_defaults(func=cmd_revenue_add)
    p = sub.add_parser("list", help=_("list figures"))
    p.add_argument("--contract", metavar="K", help=_("only this contract's figures"))
    _json_flag(p)
    p.set_defaults(func=cmd_revenue_list)

    contract = commands.add_parser("contract", help=_("one contract's details"))
    sub = contract.add_subparsers(
        dest="contract_command", metavar="COMMAND", required=True, parser_class=type(contract)
    )
    p = sub.add_parser(
        "price-history", help=_("how each indexed or stepped line's price came about")
    )
    p.add_argument("contract", metavar="K", help=_("contract code"))
    p.add_argument(
        "--date", type=date_arg, metavar="D", help=_("up to what is billed by D (default: today)")
    )
    _json_flag(p)
    p.set_defaults(func=cmd_price_history)
    lifecycle_commands.register_contract(sub)


__all__ = ["register"]
