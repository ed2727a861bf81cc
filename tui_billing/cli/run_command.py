"""`tui-billing run`: the cron entry point."""

from __future__ import annotations

import argparse
import sys

from tui_billing.cli import context
from tui_billing.cli.arguments import date_arg
from tui_billing.cli.exit_codes import ExitCode
from tui_billing.cli.output import print_json, stdout, warn
from tui_billing.cli.tables import day, money
from tui_billing.domain import display
from tui_billing.domain.i18n import _, ngettext
from tui_billing.domain.number_formats import numbering_class
from tui_billing.domain.run_bounds import check_reach


def _periods_arg(value: str) -> int:
    """A number of periods: a whole number, 1 or more."""
    if not value.isascii() or not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(
            _("not a whole number of 1 or more: {value}").format(value=repr(value))
        )
    return int(value)


def _progress_bar():
    """A rich progress bar on a terminal; None otherwise (cron gets plain lines)."""
    if not sys.stdout.isatty():
        return None, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

    bar = Progress(
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=stdout,
        transient=True,
    )
    tasks: dict[str, TaskID] = {}
    labels = {
        "schedule": _("Computing installments"),
        "invoice": _("Invoicing installments"),
        "email": _("Sending courtesy copies"),
    }

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(labels.get(stage, stage), total=total)
        bar.update(tasks[stage], completed=done, total=total)

    return bar, update


def _numbers(invoices: list) -> list[str]:
    """The new numbers per series, year and numbering class: first to last, with the count
    (a run numbers in creation order, so the first and the last are the lowest and the
    highest)."""
    runs: dict[tuple[str, int, str], tuple[str, int, str]] = {}  # (first, count, last)
    for invoice in invoices:
        if invoice.number:
            key = (invoice.series, invoice.date.year, numbering_class(invoice.document_type))
            first, count, _unused = runs.get(key, (invoice.number, 0, ""))
            runs[key] = (first, count + 1, invoice.number)
    return [
        _("{first} to {last} ({count})").format(first=first, last=last, count=count)
        if count > 1
        else first
        for first, count, last in runs.values()
    ]


def _installments(count: int) -> str:
    return ngettext("{n} installment", "{n} installments", count).format(n=display.number(count))


def summary_lines(report) -> list[str]:
    """The run's outcome for people (and the cron mail): a few plain lines."""
    when = day(report.date)
    drafts = [i for i in report.invoices if not i.number]
    created = len(report.invoices)
    installments = _installments(report.installments_billed)
    if report.dry_run:
        head = ngettext(
            "Billing run of {day} (dry run, nothing written): would create {n} invoice "
            "from {installments}.",
            "Billing run of {day} (dry run, nothing written): would create {n} invoices "
            "from {installments}.",
            created,
        )
    elif report.cancelled:
        head = ngettext(
            "Billing run of {day}: created {n} invoice from {installments} "
            "(cancelled before the end).",
            "Billing run of {day}: created {n} invoices from {installments} "
            "(cancelled before the end).",
            created,
        )
    else:
        head = ngettext(
            "Billing run of {day}: created {n} invoice from {installments}.",
            "Billing run of {day}: created {n} invoices from {installments}.",
            created,
        )
    lines = [head.format(day=when, n=display.number(created), installments=installments)]
    numbers = _numbers(report.invoices)
    if numbers:
        lines.append(_("  Numbers: {numbers}").format(numbers=", ".join(numbers)))
    if drafts:
        lines.append(
            _("  Drafts (no number yet): {n}, ids {first} to {last}").format(
                n=len(drafts), first=drafts[0].id, last=drafts[-1].id
            )
            if len(drafts) > 1
            else _("  Draft (no number yet): id {id}").format(id=drafts[0].id)
        )
    if report.invoices:
        amounts = {
            "taxable": money(report.taxable),
            "vat": money(report.vat),
            "total": money(report.total),
        }
        if report.out_of_scope:
            lines.append(
                _(
                    "  Amount: {taxable} taxable + {vat} VAT + {outside} out of VAT scope"
                    " = {total} EUR"
                ).format(outside=money(report.out_of_scope), **amounts)
            )
        else:
            lines.append(
                _("  Amount: {taxable} taxable + {vat} VAT = {total} EUR").format(**amounts)
            )
    if report.renewals:
        terms = ", ".join(
            _("{contract} term {number}").format(contract=r.contract, number=r.number)
            for r in report.renewals[:10]
        ) + (", ..." if len(report.renewals) > 10 else "")
        lines.append(
            ngettext(
                "  Renewed: {n} term ({terms})",
                "  Renewed: {n} terms ({terms})",
                len(report.renewals),
            ).format(n=len(report.renewals), terms=terms)
        )
    if report.warnings:
        lines.append(
            _("  Warnings: {contracts} (billed; see above)").format(
                contracts=", ".join(sorted({code for code, _unused in report.warnings}))
            )
        )
    if not report.dry_run:
        sent = report.emailed
        if report.email_failed:
            copies = _(
                "  Courtesy copies: {sent} sent, {failed} not sent (retried at the next run)"
            ).format(sent=sent, failed=len(report.email_failed))
        else:
            copies = _("  Courtesy copies: {sent} sent").format(sent=sent)
        if report.email_skipped:
            lines.append(
                _("{copies}; {skipped}").format(copies=copies, skipped=report.email_skipped)
            )
        else:
            lines.append(copies + ".")
    if report.einvoices_exported is not None:
        if report.einvoice_failed:
            lines.append(
                _("  E-invoices: {written} written, {failed} not written (see above).").format(
                    written=report.einvoices_exported, failed=len(report.einvoice_failed)
                )
            )
        else:
            lines.append(
                _("  E-invoices: {written} written.").format(written=report.einvoices_exported)
            )
    failed = sorted({code for code, _unused in report.failed})
    if failed:
        lines.append(
            _("  Contracts failed: {n} ({contracts}; retried at the next run).").format(
                n=len(failed), contracts=", ".join(failed)
            )
        )
    else:
        lines.append(_("  Contracts failed: 0."))
    return lines


def cmd_run(args: argparse.Namespace) -> int:
    from tui_billing.billing.run import RunOptions, run_billing

    check_reach(args.date, context.today(args), "--date")
    db = context.database(args)
    config = context.config(args)
    options = RunOptions(
        on=args.date,
        dry_run=args.dry_run,
        status=args.status,
        series=args.series,
        email=not args.no_email,
        max_periods=args.catch_up_beyond,
        today=context.today(args),
    )
    bar, update = (None, None) if args.json else _progress_bar()
    if bar is not None:
        with bar:
            report = run_billing(db, options, config, progress=update)
    else:
        report = run_billing(db, options, config)
    if report.seller_missing:
        warn(
            _(
                "{field}: missing; needed to issue invoices (this dry run shows them as drafts)"
            ).format(field=report.seller_missing)
        )
    for code, reason in report.failed:
        warn(_("contract {code}: {reason}").format(code=code, reason=reason))
    for code, warning in report.warnings:
        warn(_("contract {code}: {reason}").format(code=code, reason=warning))
    for number in report.email_resent:
        warn(
            _(
                "courtesy copy of {number} was being sent when a run stopped: sent again, "
                "the customer may receive it twice"
            ).format(number=number)
        )
    for number in report.email_in_progress:
        warn(
            _("courtesy copy of {number} is being sent by another process: left to it").format(
                number=number
            )
        )
    for number, reason in report.email_failed:
        warn(_("courtesy copy of {number}: {reason}").format(number=number, reason=reason))
    for reason in report.einvoice_failed:
        warn(_("e-invoice not written: {reason}").format(reason=reason))
    if args.json:
        print_json(report.to_json())
    else:
        for line in summary_lines(report):
            stdout.print(line, markup=False)
    return ExitCode.PARTIAL if report.failed or report.einvoice_failed else ExitCode.OK


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("run", help=_("invoice everything due on a date (for cron)"))
    p.add_argument("--date", type=date_arg, required=True, metavar="D", help=_("the billing date"))
    p.add_argument("--dry-run", action="store_true", help=_("report what would be created"))
    p.add_argument("--json", action="store_true", help=_("one JSON document on stdout"))
    p.add_argument(
        "--status",
        choices=("draft", "issued"),
        help=_("leave drafts or issue (number) the invoices (default: config)"),
    )
    p.add_argument("--series", metavar="S", help=_("numbering series for every invoice"))
    p.add_argument("--no-email", action="store_true", help=_("send no courtesy copies"))
    p.add_argument(
        "--catch-up-beyond",
        type=_periods_arg,
        metavar="N",
        help=_(
            "catch up to N periods per contract in this run (default: "
            "[billing] max_periods_per_contract, 24)"
        ),
    )
    p.set_defaults(func=cmd_run)
