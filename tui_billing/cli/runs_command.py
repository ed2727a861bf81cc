"""`tui-billing runs` (the past billing runs, newest first) and `runs log ID` (one run's
log): what the TUI's billing runs screen shows, for scripts and checks."""

from __future__ import annotations

import argparse
import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from tui_billing.cli import context
from tui_billing.cli.output import print_json, stdout
from tui_billing.cli.tables import Col, Listing, day, print_listing
from tui_billing.domain import display
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _, ngettext, pgettext
from tui_billing.domain.input_rules import MAX_INTEGER

if TYPE_CHECKING:
    from tui_billing.billing.run_history import LogEntry, RunSummary

# the English words of a run's status and a log entry's level, read in the contexts the
# billing runs screen gives them (one translation for both)
_RUN_STATUSES = ("running", "done", "failed", "cancelled", "interrupted")
_LOG_LEVELS = ("info", "warning", "error")


def _run_status(run: RunSummary) -> str:
    status = pgettext("run status", run.status) if run.status in _RUN_STATUSES else run.status
    return _("{status} (dry)").format(status=status) if run.dry_run else status


def _log_level(level: str) -> str:
    return pgettext("log level", level) if level in _LOG_LEVELS else level


def _when(value: dt.datetime | None) -> str:
    """A stored time (UTC) on the local clock, as dd/mm/yyyy hh:mm:ss."""
    return display.moment(value, seconds=True)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def run_json(run: RunSummary) -> dict[str, Any]:
    """One run as ``runs --json`` lists it: English keys, codes, ISO dates (UTC times)."""
    return {
        "id": run.id,
        "run_date": run.run_date.isoformat(),
        "started_at": _iso(run.started_at),
        "finished_at": _iso(run.finished_at),
        "status": run.status,
        "origin": run.origin,
        "dry_run": run.dry_run,
        "invoices_created": run.invoices_created,
        "installments_billed": run.installments_billed,
        "failed": run.failed,
        "emailed": run.emailed,
    }


def log_json(entry: LogEntry) -> dict[str, Any]:
    """One log entry as ``runs log ID --json`` lists it."""
    return {
        "at": _iso(entry.at),
        "level": entry.level,
        "contract": entry.contract,
        "message": entry.message,
    }


def cmd_runs(args: argparse.Namespace) -> int:
    from tui_billing.billing.run_history import list_runs

    context.database(args)
    runs = list_runs(args.limit)
    if args.json:
        print_json([run_json(run) for run in runs])
        return 0
    listing = Listing(
        _("Billing runs"),
        (
            Col(pgettext("billing run", "Run"), "number"),
            Col(_("Date"), "date"),
            Col(_("Started"), "date", drop=3),
            Col(_("Finished"), "date", drop=5),
            Col(_("Status")),
            Col(_("Origin"), drop=4),
            Col(_("Invoices"), "number"),
            Col(pgettext("installments, short", "Inst."), "number", drop=2),
            Col(_("Failed"), "number"),
            Col(_("Mailed"), "number", drop=1),
        ),
    )
    for run in runs:
        listing.add(
            str(run.id),
            day(run.run_date),
            _when(run.started_at),
            _when(run.finished_at),
            _run_status(run),
            run.origin,
            display.number(run.invoices_created),
            display.number(run.installments_billed),
            display.number(run.failed),
            display.number(run.emailed),
            style="dim" if run.dry_run else None,
        )
    print_listing(
        stdout,
        listing,
        summary=ngettext("{n} billing run", "{n} billing runs", len(runs)).format(
            n=display.number(len(runs))
        ),
        empty=_("No billing runs."),
    )
    return 0


def cmd_runs_log(args: argparse.Namespace) -> int:
    from tui_billing.billing.run_history import run_exists, run_log

    context.database(args)
    if not run_exists(args.run_id):
        raise UserError(_("unknown billing run {id}").format(id=args.run_id))
    entries = run_log(args.run_id)
    if args.json:
        print_json([log_json(entry) for entry in entries])
        return 0
    listing = Listing(
        _("Log of billing run {run}").format(run=args.run_id),
        (
            Col(_("Time"), "date", drop=1),
            Col(_("Level")),
            Col(_("Contract"), "code", drop=2),
            Col(_("Message"), "list"),
        ),
    )
    for entry in entries:
        listing.add(_when(entry.at), _log_level(entry.level), entry.contract, entry.message)
    print_listing(
        stdout,
        listing,
        empty=_("Billing run {run} logged nothing.").format(run=args.run_id),
    )
    return 0


def _run_id(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,10}", text) or int(text) > MAX_INTEGER:
        raise argparse.ArgumentTypeError(
            _("not a billing run id: {text}").format(text=repr(text[:40]))
        )
    return int(text)


def _limit(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,10}", text) or not 1 <= int(text) <= MAX_INTEGER:
        raise argparse.ArgumentTypeError(
            _("not a whole number of 1 or more: {value}").format(value=repr(text[:40]))
        )
    return int(text)


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "runs", help=_("list the billing runs, newest first; 'runs log ID' shows one's log")
    )
    p.add_argument(
        "--limit", type=_limit, default=200, metavar="N", help=_("the N newest (default 200)")
    )
    p.add_argument("--json", action="store_true", help=_("one JSON document on stdout"))
    p.set_defaults(func=cmd_runs)
    sub = p.add_subparsers(dest="runs_command", metavar="ACTION", parser_class=type(p))
    q = sub.add_parser("log", help=_("the log of one billing run, in the order it was written"))
    q.add_argument("run_id", type=_run_id, metavar="ID", help=_("billing run id, as 'runs' lists"))
    q.add_argument(  # not given here: a --json before 'log' stands
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_("one JSON document on stdout"),
    )
    q.set_defaults(func=cmd_runs_log)


__all__ = ["log_json", "register", "run_json"]
