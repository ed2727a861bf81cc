"""`tui-billing run`: the cron entry point."""

from __future__ import annotations

import argparse
import sys

from tui_billing.cli import context
from tui_billing.cli.arguments import date_arg
from tui_billing.cli.exit_codes import ExitCode
from tui_billing.cli.output import print_json, stderr, stdout
from tui_billing.cli.tables import day, money
from tui_billing.domain.number_formats import numbering_class
from tui_billing.domain.run_bounds import check_reach


def _periods_arg(value: str) -> int:
    """A number of periods: a whole number, 1 or more."""
    if not value.isascii() or not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of 1 or more: {value!r}")
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
        "schedule": "Computing installments",
        "invoice": "Invoicing installments",
        "email": "Sending courtesy copies",
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
            first, count, _ = runs.get(key, (invoice.number, 0, ""))
            runs[key] = (first, count + 1, invoice.number)
    return [
        f"{first} to {last} ({count})" if count > 1 else first
        for first, count, last in runs.values()
    ]


def summary_lines(report) -> list[str]:
    """The run's outcome for people (and the cron mail): a few plain lines."""
    when = day(report.date)
    drafts = [i for i in report.invoices if not i.number]
    if report.dry_run:
        head = (
            f"Billing run of {when} (dry run, nothing written): would create "
            f"{len(report.invoices)} invoices from {report.installments_billed} installments."
        )
    else:
        head = (
            f"Billing run of {when}: created {len(report.invoices)} invoices from "
            f"{report.installments_billed} installments"
            + (" (cancelled before the end)." if report.cancelled else ".")
        )
    lines = [head]
    numbers = _numbers(report.invoices)
    if numbers:
        lines.append("  Numbers: " + ", ".join(numbers))
    if drafts:
        lines.append(
            f"  Drafts (no number yet): {len(drafts)}, ids {drafts[0].id} to {drafts[-1].id}"
            if len(drafts) > 1
            else f"  Draft (no number yet): id {drafts[0].id}"
        )
    if report.invoices:
        outside = f" + {money(report.out_of_scope)} out of VAT scope" if report.out_of_scope else ""
        lines.append(
            f"  Amount: {money(report.taxable)} taxable + {money(report.vat)} VAT{outside}"
            f" = {money(report.total)} EUR"
        )
    if report.renewals:
        lines.append(
            f"  Renewed: {len(report.renewals)} terms ("
            + ", ".join(f"{r.contract} term {r.number}" for r in report.renewals[:10])
            + (", ..." if len(report.renewals) > 10 else "")
            + ")"
        )
    if report.warnings:
        lines.append(
            f"  Warnings: {', '.join(sorted({code for code, _ in report.warnings}))}"
            " (billed; see above)"
        )
    if not report.dry_run:
        copies = f"  Courtesy copies: {report.emailed} sent"
        if report.email_failed:
            copies += f", {len(report.email_failed)} not sent (retried at the next run)"
        lines.append(copies + (f"; {report.email_skipped}" if report.email_skipped else "."))
    if report.einvoices_exported is not None:
        lines.append(
            f"  E-invoices: {report.einvoices_exported} written"
            + (
                f", {len(report.einvoice_failed)} not written (see above)."
                if report.einvoice_failed
                else "."
            )
        )
    failed = sorted({code for code, _ in report.failed})
    lines.append(
        f"  Contracts failed: {len(failed)}"
        + (f" ({', '.join(failed)}; retried at the next run)." if failed else ".")
    )
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
        stderr.print(
            f"tui-billing: {report.seller_missing}: missing; needed to issue invoices "
            "(this dry run shows them as drafts)",
            markup=False,
        )
    for code, reason in report.failed:
        stderr.print(f"tui-billing: contract {code}: {reason}", markup=False)
    for code, warning in report.warnings:
        stderr.print(f"tui-billing: contract {code}: {warning}", markup=False)
    for number in report.email_resent:
        stderr.print(
            f"tui-billing: courtesy copy of {number} was being sent when a run "
            "stopped: sent again, the customer may receive it twice",
            markup=False,
        )
    for number in report.email_in_progress:
        stderr.print(
            f"tui-billing: courtesy copy of {number} is being sent by another process: left to it",
            markup=False,
        )
    for number, reason in report.email_failed:
        stderr.print(f"tui-billing: courtesy copy of {number}: {reason}", markup=False)
    for reason in report.einvoice_failed:
        stderr.print(f"tui-billing: e-invoice not written: {reason}", markup=False)
    if args.json:
        print_json(report.to_json())
    else:
        for line in summary_lines(report):
            stdout.print(line, markup=False)
    return ExitCode.PARTIAL if report.failed or report.einvoice_failed else ExitCode.OK


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("run", help="invoice everything due on a date (for cron)")
    p.add_argument("--date", type=date_arg, required=True, metavar="D")
    p.add_argument("--dry-run", action="store_true", help="report what would be created")
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")
    p.add_argument(
        "--status",
        choices=("draft", "issued"),
        help="leave drafts or issue (number) the invoices (default: config)",
    )
    p.add_argument("--series", metavar="S", help="numbering series for every invoice")
    p.add_argument("--no-email", action="store_true", help="send no courtesy copies")
    p.add_argument(
        "--catch-up-beyond",
        type=_periods_arg,
        metavar="N",
        help="catch up to N periods per contract in this run (default: "
        "[billing] max_periods_per_contract, 24)",
    )
    p.set_defaults(func=cmd_run)
