"""`tui-billing run`: the cron entry point."""

from __future__ import annotations

import argparse
import sys

from tui_billing.cli import context
from tui_billing.cli.exit_codes import ExitCode
from tui_billing.cli.main import date_arg
from tui_billing.cli.output import print_json, stderr, stdout


def _progress_bar():
    """A rich progress bar on a terminal; None otherwise (cron gets plain lines)."""
    if not sys.stdout.isatty():
        return None, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(),
                   console=stdout, transient=True)
    tasks: dict[str, int] = {}
    labels = {"schedule": "Computing installments", "invoice": "Invoicing contracts",
              "email": "Sending courtesy copies"}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(labels.get(stage, stage), total=total)
        bar.update(tasks[stage], completed=done, total=total)

    return bar, update


def cmd_run(args: argparse.Namespace) -> int:
    from tui_billing.billing.run import RunOptions, run_billing

    db = context.database(args)
    config = context.config(args)
    options = RunOptions(on=args.date, dry_run=args.dry_run, status=args.status,
                         series=args.series, email=not args.no_email)
    bar, update = (None, None) if args.json else _progress_bar()
    if bar is not None:
        with bar:
            report = run_billing(db, options, config, progress=update)
    else:
        report = run_billing(db, options, config)
    for code, reason in report.failed:
        stderr.print(f"tui-billing: contract {code}: {reason}", markup=False)
    for code, warning in report.warnings:
        stderr.print(f"tui-billing: contract {code}: {warning}", markup=False)
    for number, reason in report.email_failed:
        stderr.print(f"tui-billing: courtesy copy of {number}: {reason}", markup=False)
    if report.email_skipped and not args.json:
        stderr.print(f"tui-billing: {report.email_skipped}", markup=False)
    if args.json:
        print_json(report.to_json())
    else:
        verb = "would create" if report.dry_run else "created"
        numbers = [i.number or f"draft {i.id}" for i in report.invoices]
        shown = ", ".join(numbers[:10]) + (f" and {len(numbers) - 10} more"
                                           if len(numbers) > 10 else "")
        stdout.print(
            f"Billing run {args.date:%d/%m/%Y}{' (dry run)' if report.dry_run else ''}: "
            f"{verb} {len(report.invoices)} invoices ({report.installments_billed} "
            f"installments, total {report.total:,.2f} net of VAT)"
            + (f": {shown}" if numbers else "") + "; "
            f"{report.emailed} courtesy copies sent; {len(report.failed)} contracts failed.",
            markup=False,
        )
    return ExitCode.PARTIAL if report.failed else ExitCode.OK


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("run", help="invoice everything due on a date (for cron)")
    p.add_argument("--date", type=date_arg, required=True, metavar="D")
    p.add_argument("--dry-run", action="store_true", help="report what would be created")
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")
    p.add_argument("--status", choices=("draft", "issued"),
                   help="leave drafts or issue (number) the invoices (default: config)")
    p.add_argument("--series", metavar="S", help="numbering series for every invoice")
    p.add_argument("--no-email", action="store_true", help="send no courtesy copies")
    p.set_defaults(func=cmd_run)
