"""What every command needs: the database opened and the configuration read."""

from __future__ import annotations

import argparse
import datetime as dt

from peewee import Database

from tui_billing.config import Config, load_config
from tui_billing.domain.errors import UserError
from tui_billing.store.database import open_database


def database(args: argparse.Namespace) -> Database:
    """The database, opened and migrated; a seller still in the configuration file (where
    older versions kept it) is copied in the first time, saying so once."""
    db = open_database(args.db)
    _adopt_config_company(db, args)
    return db


def _adopt_config_company(db: Database, args: argparse.Namespace) -> None:
    from tui_billing.billing.company import adopt_config_company
    from tui_billing.cli.output import warn
    from tui_billing.store.models import Company

    if Company.select().exists():
        return
    try:
        settings = load_config(args.config)
    except UserError:
        return  # a command that reads the configuration reports it
    message = adopt_config_company(db, settings.company, str(settings.path))
    if message:
        warn(message)


def config(args: argparse.Namespace) -> Config:
    return load_config(args.config)


def customer_names() -> dict[str, str]:
    """Customer code -> name: listings show people the name where the data has the code."""
    from tui_billing.store.models import Customer

    return dict(Customer.select(Customer.code, Customer.name).tuples())


def today(args: argparse.Namespace) -> dt.date:
    """Today, or the hidden --today used by tests and demos."""
    return args.today or dt.date.today()
