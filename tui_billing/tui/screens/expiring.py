"""Contracts coming to their end: notice deadlines and ends within 60 days of the reference
date, and the manual renewals waiting for a decision, with keys to renew (at the
contract's price change, or at a new one typed here) or to let the contract end."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from tui_billing.billing.expiring import Expiring, expiring
from tui_billing.billing.renewals import let_end, renew_contract
from tui_billing.domain import display
from tui_billing.domain.errors import UserError
from tui_billing.domain.money import parse_decimal
from tui_billing.tui.app_base import BillingAppBase
from tui_billing.tui.screens.base import BillingScreen
from tui_billing.tui.screens.common import day, money

WINDOW_DAYS = 60


def _day(value: object) -> str:
    return day(value)  # type: ignore[arg-type]


class ExpiringScreen(BillingScreen):
    """Deadlines and ends within the window, the decisions waiting first."""

    TITLE = "Expiring contracts"
    app = getters.app(BillingAppBase)  # self.app: the BillingApp, its state typed

    DEFAULT_CSS = """
    ExpiringScreen .section { padding: 0 1; text-style: bold; }
    ExpiringScreen DataTable { height: 1fr; }
    ExpiringScreen #expiring-price { display: none; }
    ExpiringScreen #expiring-price.asking { display: block; }
    ExpiringScreen #expiring-status { height: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding(
            "r",
            "renew",
            "Renew",
            id="expiring.renew",
            tooltip="Renew the contract for one more term, at its own price change",
        ),
        Binding(
            "p",
            "renew_priced",
            "Renew, new price",
            id="expiring.renew_priced",
            tooltip="Renew for one more term at a price change typed here (percent)",
        ),
        Binding(
            "e",
            "let_end",
            "Let end",
            id="expiring.let_end",
            tooltip="Do not renew: the contract ends with its term",
        ),
        Binding(
            "escape",
            "back",
            "Back",
            id="expiring.back",
            tooltip="Leave the price field, or the screen",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Expiring] = []
        self._done = ""  # what an action did, said once the list is read again

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(
            f"Notice deadlines and ends within {WINDOW_DAYS} days; manual renewals "
            "waiting for a decision",
            classes="section",
        )
        yield DataTable(id="expiring-table", cursor_type="row", zebra_stripes=True)
        yield Input(
            placeholder="Price change in percent (e.g. 3 or -1.5), Enter renews",
            id="expiring-price",
        )
        yield Static("", id="expiring-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#expiring-table", DataTable)
        table.add_columns(
            "Contract",
            "Customer",
            "Term",
            "Notice by",
            "Ends",
            "At the end",
            "Yearly value",
            "Price",
        )
        self.reload()
        table.focus()

    def reload(self) -> None:
        """Read the list again (waiting decisions first)."""
        self.refresh_data()

    def load_arguments(self) -> dt.date:
        return self.app.reference_date

    def fetch(self, arguments: dt.date) -> list[Expiring]:
        return sorted(expiring(arguments, WINDOW_DAYS), key=lambda e: (not e.waiting,))

    def show(self, data: list[Expiring]) -> None:
        table = self.query_one("#expiring-table", DataTable)
        table.clear()
        self.rows = data
        for e in self.rows:
            table.add_row(
                e.contract,
                e.customer,
                str(e.term),
                _day(e.deadline),
                _day(e.end),
                e.at_end,
                money(e.yearly_value),
                e.price_change or "",
                key=e.contract,
            )
        waiting = sum(1 for e in self.rows if e.waiting)
        done, self._done = self._done, ""
        self._say(
            done
            or (
                f"{display.count(len(self.rows), 'contract')}, {waiting} waiting for a decision"
                if self.rows
                else "No contract ends or needs notice in the window."
            )
        )

    def _say(self, text: str) -> None:
        self.query_one("#expiring-status", Static).update(text)

    def current(self) -> Expiring | None:
        table = self.query_one("#expiring-table", DataTable)
        if not self.rows or table.cursor_row is None or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def _renew(self, percent: Decimal | None) -> None:
        row = self.current()
        if row is None:
            return
        try:
            done = renew_contract(
                self.app.db,
                row.contract,
                "manual renewal (TUI)",
                percent,
            )
        except UserError as exc:
            self._say(f"Not renewed: {exc}")
            return
        self._done = f"Renewed {done.line()}."
        self.refresh_data()

    def action_renew(self) -> None:
        self._renew(None)

    def action_renew_priced(self) -> None:
        if self.current() is None:
            return
        field = self.query_one("#expiring-price", Input)
        field.add_class("asking")
        field.value = ""
        field.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            percent = parse_decimal(
                event.value.strip(), "price change", allow_negative=True, places=4
            )
            if not -100 <= percent <= 100:
                raise UserError("must be a percentage between -100 and 100", "price change")
        except UserError as exc:
            self._say(str(exc))
            return
        self._close_price()
        self._renew(percent)

    def _close_price(self) -> None:
        field = self.query_one("#expiring-price", Input)
        field.remove_class("asking")
        self.query_one("#expiring-table", DataTable).focus()

    def action_let_end(self) -> None:
        row = self.current()
        if row is None:
            return
        try:
            end = let_end(self.app.db, row.contract, self.app.reference_date)
        except UserError as exc:
            self._say(f"Not changed: {exc}")
            return
        self._done = f"{row.contract} is not renewed: it ends on {_day(end)}."
        self.refresh_data()

    async def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self._close_price()
        else:
            await self.app.run_action("pop_screen")


__all__ = ["ExpiringScreen"]
