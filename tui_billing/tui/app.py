"""The Textual application: the shell that hosts the screens."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from tui_billing.config import load_config
from tui_billing.store.database import describe, open_database


class BillingApp(App[int]):
    """tui-billing: recurring billing from the keyboard."""

    TITLE = "tui-billing"
    BINDINGS = [Binding("q", "quit", "Quit", id="app.quit", tooltip="Leave tui-billing")]

    def __init__(
        self,
        db_target: str | None = None,
        config_path: Path | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__()
        self.config = load_config(config_path)
        self.db = open_database(db_target)
        self.today = today or dt.date.today()
        self.theme = self.config.theme
        self.sub_title = f"{describe(self.db)} · {self.today:%d/%m/%Y}"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Due installments", id="placeholder")
        yield Footer()
