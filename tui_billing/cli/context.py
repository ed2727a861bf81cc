"""What every command needs: the database opened and the configuration read."""

from __future__ import annotations

import argparse
import datetime as dt

from peewee import Database

from tui_billing.config import Config, check_config_secrets, load_config
from tui_billing.domain.errors import UserError
from tui_billing.store.database import open_database


def database(args: argparse.Namespace) -> Database:
    """The database, opened and migrated; a seller still in the configuration file (where
    older versions kept it) is copied in the first time, saying so once. An unsafe
    configuration is refused before anything is written."""
    check_config_secrets(args.config)
    db = open_database(args.db)
    _adopt_config_company(db, args)
    return db


def _adopt_config_company(db: Database, args: argparse.Namespace) -> None:
    from tui_billing.billing.company import adopt_config_company
    from tui_billing.billing.lookups import has_company
    from tui_billing.cli.output import warn

    if has_company():
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
    from tui_billing.billing.lookups import customer_names as names

    return names()


def today(args: argparse.Namespace) -> dt.date:
    """Today, or the hidden --today used by tests and demos."""
    return args.today or dt.date.today()
