"""The application as its screens see it: Textual's App with the billing state (the open
database, the configuration, today and the date the app works at). ``BillingApp`` derives
from it; screens type ``self.app`` as one, so reading that state is type-checked."""

from __future__ import annotations

import datetime as dt

from peewee import Database
from textual.app import App
from textual.reactive import reactive

from tui_billing.config import Config


class BillingAppBase(App[int]):
    """The state every screen may read from the running app."""

    db: Database
    config: Config
    today: dt.date
    reference_date: reactive[dt.date] = reactive(dt.date.today, init=False)
    """The date the app works at: what is due, the default run date (today unless changed)."""
