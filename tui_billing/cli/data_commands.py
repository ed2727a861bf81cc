"""Commands that move data in and out: demo, import, import-csv, export."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from platformdirs import user_data_dir

from tui_billing.billing.lookups import has_customers
from tui_billing.cli import context
from tui_billing.cli.output import stdout, warn
from tui_billing.cli.tables import day
from tui_billing.config import check_config_secrets
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _, ngettext
from tui_billing.domain.redaction import mask_url_passwords
from tui_billing.store.database import PRIVATE_FOLDER, is_postgres, resolve_target, sqlite_path


def _read_input(name: str) -> tuple[str, str]:
    if name == "-":
        return sys.stdin.read(), "stdin"
    path = Path(name)
    try:
        return path.read_text(encoding="utf-8-sig"), name
    except FileNotFoundError:
        raise UserError(_("no such file"), name) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(_("cannot read: {error}").format(error=exc), name) from None


def cmd_import(args: argparse.Namespace) -> int:
    from tui_billing.output.interchange_read import loads
    from tui_billing.output.interchange_write import import_data

    text, source = _read_input(args.file)
    data = loads(text, source)
    db = context.database(args)
    summary = import_data(db, data, today=context.today(args))
    stdout.print(_("Imported {source}: {summary}").format(source=source, summary=summary.line()))
    return 0


def cmd_import_csv(args: argparse.Namespace) -> int:
    from tui_billing.output.csv_import import import_csv

    text, source = _read_input(args.file)
    db = context.database(args)
    summary = import_csv(db, args.kind, text, source, context.today(args))
    stdout.print(_("Imported {source}: {summary}").format(source=source, summary=summary.line()))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from tui_billing.output.interchange_export import (
        dumps,
        export_document,
        incomplete_addresses,
    )

    context.database(args)
    to_file = args.file not in (None, "-")
    if to_file:  # refused before anything is said or written
        from tui_billing.output.safe_files import checked_target

        checked_target(args.file)
    text = dumps(export_document())
    lacking = incomplete_addresses()
    if lacking:  # e.g. old free-text addresses that could not be split into their fields
        shown = ", ".join(lacking[:20])
        if len(lacking) > 20:
            shown = _("{names} and {n} more").format(names=shown, n=len(lacking) - 20)
        warn(
            ngettext(
                "warning: {n} customer lacks a CAP or comune, which an e-invoice needs: {names}",
                "warning: {n} customers lack a CAP or comune, which an e-invoice needs: {names}",
                len(lacking),
            ).format(n=len(lacking), names=shown)
        )
    if not to_file:
        sys.stdout.write(text)
    else:
        from tui_billing.output.safe_files import write_file

        write_file(args.file, text.encode("utf-8"), private=True)
        stdout.print(_("Exported to {file}").format(file=args.file), markup=False)
    return 0


def demo_target(args: argparse.Namespace) -> str:
    """Where the demo goes: --db / $TUI_BILLING_DB, else demo.sqlite in the data dir."""
    if args.db or os.environ.get("TUI_BILLING_DB"):
        return resolve_target(args.db)
    path = Path(user_data_dir("tui-billing", appauthor=False)) / "demo.sqlite"
    path.parent.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    return str(path)


def cmd_demo(args: argparse.Namespace) -> int:
    from tui_billing.output.demo import demo_document
    from tui_billing.output.interchange_write import import_data
    from tui_billing.store.database import open_database

    check_config_secrets(args.config)
    target = demo_target(args)
    default_place = not (args.db or os.environ.get("TUI_BILLING_DB"))
    if not is_postgres(target) and (args.force or default_place):
        path = sqlite_path(target)
        if path.exists() and (default_place or args.force):
            from tui_billing.store.database import check_sqlite_file

            check_sqlite_file(path, create_dirs=False)  # never delete a non-database file
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_database(target)
    if has_customers():
        raise UserError(
            _(
                "{target} already holds data; use --force to replace it (SQLite) "
                "or name an empty database"
            ).format(target=mask_url_passwords(target)),
            "--db",
        )
    from tui_billing.billing.demo_history import bill_past, present_demo_debits

    today = context.today(args)
    summary = import_data(db, demo_document(today, args.profile), today=today)
    history = bill_past(db, today, args.profile)
    debits = present_demo_debits(db, today) if args.profile == "default" else 0
    db.close()
    args.db = target
    shown = mask_url_passwords(target)  # a PostgreSQL password is never printed
    stdout.print(
        _("Demo database written to {target} ({summary}).").format(
            target=shown, summary=summary.line()
        ),
        markup=False,
    )
    if history.until:
        stdout.print(
            _(
                "Billed up to {day} as by {runs} monthly runs: {invoices} invoices issued, "
                "{payments} payments recorded; see what is due with: {command}"
            ).format(
                day=day(history.until),
                runs=history.runs,
                invoices=history.invoices,
                payments=history.payments,
                command=f"tui-billing --db {shown} due --date {today.isoformat()}",
            ),
            markup=False,
        )
    if debits:
        stdout.print(
            _("One SEPA direct debit file presented ({n} invoices); see it with: {command}").format(
                n=debits, command=f"tui-billing --db {shown} collections"
            ),
            markup=False,
        )
    stdout.print(
        _("Open it with: {command}").format(command=f"tui-billing --db {shown}"), markup=False
    )
    if args.open:
        if args.open_tui is None:
            raise UserError(_("the TUI is not available here"))
        return int(args.open_tui(args))
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("demo", help=_("write a demo database and say how to open it"))
    p.add_argument("--force", action="store_true", help=_("replace an existing SQLite file"))
    p.add_argument("--open", action="store_true", help=_("open the TUI on it afterwards"))
    p.add_argument(
        "--profile",
        choices=("default", "studio"),
        default="default",
        help=_(
            "studio: a professional's firm whose retainers carry withholding "
            "tax and the INPS contribution"
        ),
    )
    p.set_defaults(func=cmd_demo)

    p = commands.add_parser("import", help=_("import an interchange file (JSON); - reads stdin"))
    p.add_argument("file", metavar="FILE", help=_("interchange JSON file ('-' reads stdin)"))
    p.set_defaults(func=cmd_import)

    p = commands.add_parser(
        "import-csv", help=_("import customers, contracts or mandates from a CSV file")
    )
    p.add_argument(
        "kind", choices=("customers", "contracts", "mandates"), help=_("what the file holds")
    )
    p.add_argument("file", metavar="FILE", help=_("CSV file, ',' or ';' ('-' reads stdin)"))
    p.set_defaults(func=cmd_import_csv)

    p = commands.add_parser("export", help=_("write the whole database as an interchange file"))
    p.add_argument("file", metavar="FILE", nargs="?", help=_("where to write (default: stdout)"))
    p.set_defaults(func=cmd_export)
