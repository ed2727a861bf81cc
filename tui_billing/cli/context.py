"""What every command needs: the database opened and the configuration read."""

from __future__ import annotations

import argparse
import datetime as dt

from peewee import Database

from tui_billing.config import Config, check_config_secrets, load_config
from tui_billing.store.database import open_database


def database(args: argparse.Namespace) -> Database:
    """The database, opened (created, upgraded) once the configuration is found safe: an
    unsafe one is refused before anything is written."""
    check_config_secrets(args.config)
    return open_database(args.db)


def config(args: argparse.Namespace) -> Config:
    return load_config(args.config)


def customer_names() -> dict[str, str]:
    """Customer code -> name: listings show people the name where the data has the code."""
    from tui_billing.store.models import Customer

    return dict(Customer.select(Customer.code, Customer.name).tuples())


def today(args: argparse.Namespace) -> dt.date:
    """Today, or the hidden --today used by tests and demos."""
    return args.today or dt.date.today()
